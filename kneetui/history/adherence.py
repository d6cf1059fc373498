"""When the next session is due, from the programme's frequency, and how the days went against that plan.

The plan is a rhythm, not a calendar: a "daily" programme asks for a session
every day, an "every other day" one two days after the last session. A
planned day without a session is missed and the rhythm goes on from it, so a
missed Wednesday of an every-other-day programme makes Friday the next planned
day. A session done on any day (a rest day included) sets the rhythm again.

A session stopped for pain, or one that ended with the advice to consult a
professional (swelling, instability, high pain at the start), is neither done
nor missed: from then until the next session nothing is due and nothing counts
as missed, because the article asks a person whose pain increases to stop and
consult a healthcare professional, not to catch up. The safety policy
(:mod:`kneetui.engine.safety`) says which recorded stops those are.

Plain Python: the day is given (``today``), never read from a clock here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from enum import StrEnum
from typing import Protocol

from kneetui.content.model import Frequency
from kneetui.engine.safety import is_advised_stop, is_pain_stop
from kneetui.history.days import local_day
from kneetui.history.records import RecordedSession

#: Days between planned sessions, by frequency.
INTERVAL_DAYS = {Frequency.DAILY: 1, Frequency.EVERY_OTHER_DAY: 2}
#: How far back :func:`due_today` reads the history: the rhythm needs only the last session,
#: and the weeks before this one are read so that a long break shows as missed days.
LOOKBACK_DAYS = 42


def stopped_for_pain(session: RecordedSession) -> bool:
    """Whether ``session`` was stopped because the pain got worse, as the safety policy reads its stop reason."""
    return is_pain_stop(session.stop_reason)


def pauses_the_plan(session: RecordedSession) -> bool:
    """Whether ``session`` ended with the advice to consult a professional (a stop for pain included)."""
    return is_advised_stop(session.stop_reason)


def counts_as_done(session: RecordedSession) -> bool:
    """A session with at least one block done that did not end with the advice to consult a professional."""
    return bool(session.blocks) and not pauses_the_plan(session)


class DayKind(StrEnum):
    """What one day was, or is going to be, for the plan."""

    DONE = "done"
    STOPPED_FOR_PAIN = "stopped for pain"
    #: Ended with the advice to consult a professional for another reason (swelling, instability, high pain).
    STOPPED_WITH_ADVICE = "stopped with advice"
    MISSED = "missed"
    #: Today is a planned day and no session has been done yet.
    DUE = "due"
    #: A later day the plan asks for.
    PLANNED = "planned"
    #: A day the plan does not ask for (every other day), past or to come.
    REST = "rest"
    #: After a stop for pain or with advice, until the next session: nothing due, nothing missed.
    PAUSED = "paused"
    #: Before the first session ever recorded.
    BEFORE_START = "before start"


class Status(StrEnum):
    """What Home says about today."""

    NOT_STARTED = "not started"
    DONE_TODAY = "done today"
    DUE_TODAY = "due today"
    #: Due today, and at least one planned day since the last session was missed.
    OVERDUE = "overdue"
    REST_DAY = "rest day"
    AFTER_PAIN_STOP = "after a stop for pain"
    #: The last session ended with the advice to consult a professional, not for a pain rise.
    AFTER_ADVISED_STOP = "after a stop with advice"


@dataclass(frozen=True)
class DayMark:
    day: date
    kind: DayKind


@dataclass(frozen=True)
class Adherence:
    """Today against the plan, and the week (Monday to Sunday) that holds today."""

    today: date
    frequency: Frequency
    status: Status
    #: The next planned day on or after today; ``None`` after a stop for pain.
    next_due: date | None
    last_session: date | None
    #: The day of the last session stopped for pain or with advice, when it was the last thing that happened.
    pain_stop: date | None
    week: tuple[DayMark, ...]
    sessions_today: int

    def count(self, kind: DayKind) -> int:
        return sum(1 for mark in self.week if mark.kind is kind)

    @property
    def done_this_week(self) -> int:
        return self.count(DayKind.DONE)

    @property
    def missed_this_week(self) -> tuple[date, ...]:
        return tuple(mark.day for mark in self.week if mark.kind is DayKind.MISSED)

    @property
    def still_planned_this_week(self) -> int:
        """Today (when due) and the later planned days of this week."""
        return self.count(DayKind.DUE) + self.count(DayKind.PLANNED)

    def asks_before_another_session(self) -> bool:
        """Whether starting a session now should be confirmed: every other day, and one done today."""
        return self.frequency is Frequency.EVERY_OTHER_DAY and self.sessions_today > 0


class _Outcome(StrEnum):
    DONE = "done"
    STOPPED_FOR_PAIN = "stopped for pain"
    STOPPED_WITH_ADVICE = "stopped with advice"


def _outcomes(sessions: Iterable[RecordedSession], tz: tzinfo | None) -> dict[date, _Outcome]:
    """Each day's outcome: that of its last session done, stopped for pain or stopped with advice."""
    outcomes: dict[date, tuple[float, _Outcome]] = {}
    for session in sessions:
        if stopped_for_pain(session):
            outcome = _Outcome.STOPPED_FOR_PAIN
        elif pauses_the_plan(session):
            outcome = _Outcome.STOPPED_WITH_ADVICE
        elif counts_as_done(session):
            outcome = _Outcome.DONE
        else:
            continue
        day = local_day(session.started_at, tz)
        if day not in outcomes or outcomes[day][0] <= session.started_at:
            outcomes[day] = (session.started_at, outcome)
    return {day: outcome for day, (_, outcome) in outcomes.items()}


def plan_days(
    sessions: Iterable[RecordedSession],
    frequency: Frequency,
    first: date,
    last: date,
    today: date,
    started_on: date | None = None,
    tz: tzinfo | None = None,
) -> list[DayMark]:
    """What each day from ``first`` to ``last`` was (up to ``today``) or is planned to be (after it).

    ``sessions`` must hold every session from ``first`` minus :data:`LOOKBACK_DAYS`
    on. ``started_on`` is the day of the first session ever recorded, when
    ``sessions`` may not reach back that far; days before it are
    :attr:`DayKind.BEFORE_START`.
    """
    outcomes = _outcomes(sessions, tz)
    started_on = min([*outcomes, *([started_on] if started_on else [])], default=today)
    interval = timedelta(days=INTERVAL_DAYS[frequency])
    # Walk from where the sessions given are complete; the plan is under way there.
    walk_from = max(started_on, min(first, today) - timedelta(days=LOOKBACK_DAYS))
    next_due, paused = walk_from, False
    marks: list[DayMark] = []
    day = min(walk_from, first)
    while day <= last:
        outcome = outcomes.get(day) if day <= today else None
        if day < started_on:
            kind = DayKind.BEFORE_START
        elif outcome is _Outcome.DONE:
            kind, next_due, paused = DayKind.DONE, day + interval, False
        elif outcome is _Outcome.STOPPED_FOR_PAIN:
            kind, paused = DayKind.STOPPED_FOR_PAIN, True
        elif outcome is _Outcome.STOPPED_WITH_ADVICE:
            kind, paused = DayKind.STOPPED_WITH_ADVICE, True
        elif paused:
            kind = DayKind.PAUSED
        elif day < next_due:
            kind = DayKind.REST
        elif day < today:
            kind, next_due = DayKind.MISSED, day + interval
        elif day == today:
            kind, next_due = DayKind.DUE, day + interval
        else:
            kind, next_due = DayKind.PLANNED, day + interval
        if day >= first:
            marks.append(DayMark(day, kind))
        day += timedelta(days=1)
    return marks


def week_of(today: date) -> tuple[date, date]:
    """The Monday and the Sunday of the week that holds ``today``."""
    monday = today - timedelta(days=today.weekday())
    return monday, monday + timedelta(days=6)


def adherence(
    sessions: Sequence[RecordedSession],
    frequency: Frequency,
    today: date,
    started_on: date | None = None,
    tz: tzinfo | None = None,
) -> Adherence:
    """Today's status and this week's days; ``sessions`` as :func:`plan_days` needs them."""
    monday, sunday = week_of(today)
    outcomes = _outcomes(sessions, tz)
    # From far enough back to see the last session before this week, so a break shows as missed.
    first = min(monday, today - timedelta(days=LOOKBACK_DAYS))
    # A week past Sunday too, so the next planned day is known on a Saturday or Sunday.
    marks = plan_days(sessions, frequency, first, sunday + timedelta(days=7), today, started_on, tz)
    by_day = {mark.day: mark.kind for mark in marks}
    week = tuple(mark for mark in marks if monday <= mark.day <= sunday)
    done_days = [day for day, outcome in outcomes.items() if outcome is _Outcome.DONE and day <= today]
    last_session = max(done_days, default=None)
    last_outcome_day = max((day for day in outcomes if day <= today), default=None)
    pain_stop = (
        last_outcome_day if last_outcome_day is not None and outcomes[last_outcome_day] is not _Outcome.DONE else None
    )
    sessions_today = sum(
        1 for session in sessions if counts_as_done(session) and local_day(session.started_at, tz) == today
    )
    next_due = next(
        (day for day, kind in by_day.items() if day >= today and kind in (DayKind.DUE, DayKind.PLANNED)), None
    )
    kind_today = by_day[today]
    if pain_stop is not None and kind_today is not DayKind.DONE:
        for_pain = outcomes[pain_stop] is _Outcome.STOPPED_FOR_PAIN
        status, next_due = Status.AFTER_PAIN_STOP if for_pain else Status.AFTER_ADVISED_STOP, None
    elif kind_today is DayKind.DONE:
        status = Status.DONE_TODAY
    elif last_session is None:
        status = Status.NOT_STARTED
    elif kind_today is DayKind.DUE:
        missed_since = any(kind is DayKind.MISSED and day > last_session for day, kind in by_day.items())
        status = Status.OVERDUE if missed_since else Status.DUE_TODAY
    else:
        status = Status.REST_DAY
    if status is Status.DONE_TODAY:
        next_due = next((day for day, kind in by_day.items() if day > today and kind is DayKind.PLANNED), None)
    return Adherence(today, frequency, status, next_due, last_session, pain_stop, week, sessions_today)


class SessionHistory(Protocol):
    """The part of :class:`~kneetui.history.store.HistoryStore` adherence reads."""

    def sessions(self, limit: int | None = None, since: float | None = None) -> list[RecordedSession]: ...

    def days_exercised(self, tz: tzinfo | None = None) -> list[date]: ...


def due_today(history: SessionHistory, frequency: Frequency, today: date, tz: tzinfo | None = None) -> Adherence:
    """:func:`adherence` read from a history: the last weeks' sessions and the day it started."""
    since = datetime.combine(today - timedelta(days=LOOKBACK_DAYS * 2), time(), tz).timestamp()
    sessions = history.sessions(since=since)
    days = history.days_exercised(tz)
    return adherence(sessions, frequency, today, started_on=days[0] if days else None, tz=tz)
