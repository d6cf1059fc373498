"""The facts a physiotherapist reads about a stretch of days: the programme, adherence, pain, stops, safety answers.

:func:`build_report` gathers them from the history; :mod:`kneetui.history.report_html`
lays them out as one printable page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from kneetui.content.catalog import Catalog
from kneetui.content.model import Exercise, Frequency, Program
from kneetui.history.adherence import LOOKBACK_DAYS, DayKind, DayMark, SessionHistory, plan_days, stopped_for_pain
from kneetui.history.days import local_day
from kneetui.history.progression import completed_dose, was_completed, what_was_done
from kneetui.history.records import RecordedSession, dose_of_blocks


@dataclass(frozen=True)
class PlannedExercise:
    """One step of the programme: the dose it asks for, and what was last done of it in the period."""

    exercise_id: str
    name: str
    planned: str
    lately: str | None


@dataclass(frozen=True)
class PainReading:
    """One pain score (0–10) and when it was given."""

    at: float
    pain: int


@dataclass(frozen=True)
class Stop:
    """A session ended early, with why and at which exercise."""

    session: RecordedSession
    reason: str
    for_pain: bool
    #: The name of the exercise last worked on, or ``None`` when it stopped before the first.
    during: str | None


@dataclass(frozen=True)
class SafetyCounts:
    """How often the swelling and instability questions were asked and answered yes."""

    asked: int
    swollen: int
    unstable: int
    advised: int
    continued_despite_advice: int


@dataclass(frozen=True)
class Report:
    first: date
    last: date
    made_on: date
    program: Program | None
    frequency: Frequency
    exercises: tuple[PlannedExercise, ...]
    #: The sessions started in the period, oldest first.
    sessions: tuple[RecordedSession, ...]
    days: tuple[DayMark, ...]
    #: Pain checks by exercise name, in the order the exercises were first checked.
    pain_by_exercise: dict[str, tuple[PainReading, ...]]
    stops: tuple[Stop, ...]
    safety: SafetyCounts
    names: dict[str, str]

    def count(self, kind: DayKind) -> int:
        return sum(1 for mark in self.days if mark.kind is kind)

    @property
    def planned_days(self) -> int:
        """Days the plan asked for up to the end of the period: the ones done and the ones missed."""
        return self.count(DayKind.DONE) + self.count(DayKind.MISSED)

    @property
    def adherence_percent(self) -> int | None:
        planned = self.planned_days
        return None if not planned else round(100 * self.count(DayKind.DONE) / planned)

    def name_of(self, exercise_id: str) -> str:
        return self.names.get(exercise_id, exercise_id)

    def mean_pain(self, which: str) -> float | None:
        """The mean of ``pain_before`` or ``pain_after`` over the sessions that have it."""
        values = [getattr(session, which) for session in self.sessions if getattr(session, which) is not None]
        return sum(values) / len(values) if values else None


def _stop(session: RecordedSession, names: dict[str, str]) -> Stop:
    last_exercise = session.blocks[-1].exercise_id if session.blocks else None
    return Stop(
        session,
        session.stop_reason or "",
        stopped_for_pain(session),
        None if last_exercise is None else names.get(last_exercise, last_exercise),
    )


def _last_done(session: RecordedSession, exercise_id: str, exercise: Exercise | None) -> str:
    """What was done of an exercise in ``session``, read as the Progress screen reads it.

    The dose completed ('11 reps'), or 'not completed (7 s of 10 min)' when a block was cut short.
    """
    blocks = session.blocks_of(exercise_id)
    if exercise is not None:
        completed = completed_dose(blocks, exercise.dosage.per) if was_completed(session, exercise) else None
    else:  # its plug-in is gone: every block done in full is all that can be told
        completed = dose_of_blocks(blocks) if all(block.done >= block.planned for block in blocks) else None
    if completed is None:
        return f"not completed ({what_was_done(blocks)})"
    return completed.describe()


def build_report(
    sessions: Sequence[RecordedSession],
    catalog: Catalog,
    program: Program | None,
    first: date,
    last: date,
    today: date,
    started_on: date | None = None,
    tz: tzinfo | None = None,
) -> Report:
    """The report for the days ``first`` to ``last``.

    ``sessions`` must reach :data:`~kneetui.history.adherence.LOOKBACK_DAYS`
    before ``first``, for the plan's rhythm; only those inside the period are shown.
    ``program`` is the one chosen now: its frequency is the plan adherence is measured against.
    """
    frequency = program.frequency if program is not None else Frequency.DAILY
    inside = tuple(
        sorted(
            (session for session in sessions if first <= local_day(session.started_at, tz) <= last),
            key=lambda session: (session.started_at, session.id),
        )
    )
    names = {exercise.id: exercise.name for exercise in catalog.exercises}
    planned: list[PlannedExercise] = []
    for step in program.steps if program is not None else ():
        exercise = catalog.exercise(step.exercise_id)
        dose = step.dose.describe() if step.dose else exercise.dosage.describe() if exercise else "not known"
        done = [session for session in inside if session.blocks_of(step.exercise_id)]
        planned.append(
            PlannedExercise(
                step.exercise_id,
                names.get(step.exercise_id, step.exercise_id),
                dose,
                _last_done(done[-1], step.exercise_id, exercise) if done else None,
            )
        )
    pain_by_exercise: dict[str, list[PainReading]] = defaultdict(list)
    for session in inside:
        for check in session.pain_checks:
            pain_by_exercise[names.get(check.exercise_id, check.exercise_id)].append(PainReading(check.at, check.pain))
    asked = [session for session in inside if session.swollen is not None or session.unstable is not None]
    safety = SafetyCounts(
        asked=len(asked),
        swollen=sum(1 for session in asked if session.swollen),
        unstable=sum(1 for session in asked if session.unstable),
        advised=sum(1 for session in inside if session.advised_before_start),
        continued_despite_advice=sum(1 for session in inside if session.continued_despite_advice),
    )
    days = plan_days(sessions, frequency, first, last, today, started_on, tz)
    return Report(
        first=first,
        last=last,
        made_on=today,
        program=program,
        frequency=frequency,
        exercises=tuple(planned),
        sessions=inside,
        days=tuple(days),
        pain_by_exercise={name: tuple(readings) for name, readings in pain_by_exercise.items()},
        stops=tuple(_stop(session, names) for session in inside if session.stop_reason),
        safety=safety,
        names=names,
    )


def report_for(
    history: SessionHistory,
    catalog: Catalog,
    program: Program | None,
    today: date,
    first: date | None = None,
    last: date | None = None,
    tz: tzinfo | None = None,
) -> Report:
    """The report read from ``history``: from the first session's day (or ``first``) to today (or ``last``)."""
    started = history.days_exercised(tz)
    last = last or today
    everything = None
    if first is None:
        # From the first session of any kind, so that a stop for pain before any exercise was done
        # (! at the questions before a session) is in the report too.
        everything = history.sessions()
        first = min(local_day(everything[-1].started_at, tz), last) if everything else last
    since = datetime.combine(first - timedelta(days=LOOKBACK_DAYS * 2), time(), tz).timestamp()
    sessions = everything if everything is not None else history.sessions(since=since)
    return build_report(sessions, catalog, program, first, last, today, started[0] if started else None, tz)
