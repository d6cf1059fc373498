"""What is due today from the chosen programme's frequency, and this week's days against the plan."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from textual import getters
from textual.content import Content
from textual.widgets import Static

from kneetui.history.adherence import Adherence, DayKind, Status, due_today
from kneetui.history.days import local_day
from kneetui.tui.app import KneeApp
from kneetui.tui.widgets.day_calendar import WEEKDAYS, short_date

#: A mark per kind of day; the shape tells them apart, the colour only helps. Quiet marks are
#: ``dim`` rather than ``$text-muted``, which NO_COLOR would not turn grey.
MARKS: dict[DayKind, tuple[str, str, str]] = {
    DayKind.DONE: ("■", "bold $success", "done"),
    DayKind.MISSED: ("✗", "bold $warning", "missed"),
    DayKind.DUE: ("□", "bold", "due"),
    DayKind.PLANNED: ("○", "dim", "planned"),
    DayKind.REST: ("–", "dim", "rest"),
    DayKind.STOPPED_FOR_PAIN: ("!", "bold $error", "stopped for pain"),
    DayKind.STOPPED_WITH_ADVICE: ("!", "bold $error", "stopped: see a professional"),
    DayKind.PAUSED: ("~", "dim", "paused after pain"),
    DayKind.BEFORE_START: (" ", "", ""),
}

PAIN_ADVICE = "If the pain increased, consult a healthcare professional before you exercise again."


def when(day: date, today: date) -> str:
    """'today', 'tomorrow' or 'Tue 17 Mar'."""
    if day == today:
        return "today"
    if day == today + timedelta(days=1):
        return "tomorrow"
    if day == today - timedelta(days=1):
        return "yesterday"
    return f"{WEEKDAYS[day.weekday()]} {short_date(day)}"


def headline(result: Adherence) -> Content:
    """One sentence about today."""
    today = result.today
    next_due = f"Next session: {when(result.next_due, today)}." if result.next_due else ""
    match result.status:
        case Status.NOT_STARTED:
            return Content.styled("Your first session is due today.", "bold")
        case Status.DONE_TODAY:
            return Content.assemble(("Done today. ", "bold $success"), next_due)
        case Status.DUE_TODAY:
            return Content.styled("A session is due today.", "bold")
        case Status.OVERDUE:
            assert result.last_session is not None
            last = when(result.last_session, today)
            last = last if last == "yesterday" else f"on {last}"
            return Content.assemble(("A session is due today; ", "bold"), f"the last one was {last}.")
        case Status.REST_DAY:
            return Content.assemble(("Rest day ", "bold"), f"({result.frequency}). {next_due}")
        case Status.AFTER_PAIN_STOP:
            assert result.pain_stop is not None
            stopped = when(result.pain_stop, today)
            stopped = stopped if stopped in ("today", "yesterday") else f"on {stopped}"
            return Content.assemble(
                (f"Your session {stopped} was stopped for pain", "bold $warning"),
                ", so nothing is counted as due or missed. ",
                PAIN_ADVICE,
            )
        case Status.AFTER_ADVISED_STOP:
            assert result.pain_stop is not None
            stopped = when(result.pain_stop, today)
            stopped = stopped if stopped in ("today", "yesterday") else f"on {stopped}"
            return Content.assemble(
                (f"Your session {stopped} ended with the advice to consult a professional", "bold $warning"),
                ", so nothing is counted as due or missed until your next session.",
            )


def week_line(result: Adherence) -> Content:
    """'This week: 3 done; missed Tue, Wed and Fri; 2 more planned.'"""
    parts = [f"{result.done_this_week} done"]
    missed = [WEEKDAYS[day.weekday()] for day in result.missed_this_week]
    if missed:
        parts.append("missed " + " and ".join([", ".join(missed[:-1]), missed[-1]] if len(missed) > 1 else missed))
    more = result.still_planned_this_week
    if more and result.status not in (Status.AFTER_PAIN_STOP, Status.AFTER_ADVISED_STOP):
        parts.append(f"{more} more planned")
    return Content.assemble(("This week: ", "bold"), "; ".join(parts) + ".")


def week_strip(result: Adherence) -> Content:
    """The days of the week with a mark each, today's name highlighted, and a key to the marks shown."""
    names = [
        (f"{name[:2]} ", "reverse bold" if mark.day == result.today else "")
        for name, mark in zip(WEEKDAYS, result.week, strict=True)
    ]
    marks: list[tuple[str, str] | str] = []
    for mark in result.week:
        symbol, style, _ = MARKS[mark.kind]
        marks.extend([(symbol, style), "  "])
    shown = dict.fromkeys(mark.kind for mark in result.week if mark.kind is not DayKind.BEFORE_START)
    key: list[tuple[str, str] | str] = []
    for kind in shown:
        symbol, style, label = MARKS[kind]
        key.extend([(symbol, style), f" {label}  "])
    return Content("\n").join(
        [Content.assemble(*names).rstrip(), Content.assemble(*marks).rstrip(), Content.assemble(*key).rstrip()]
    )


def describe(result: Adherence) -> Content:
    return Content("\n").join([headline(result), week_line(result), week_strip(result)])


def second_session_question(result: Adherence) -> Content:
    return Content.assemble(
        ("You already did a session today", "bold"),
        f", and your programme is {result.frequency}: the next one is planned for "
        f"{when(result.next_due, result.today) if result.next_due else 'later'}. Start another one anyway?",
    )


class DueToday(Static):
    """Today's status against the chosen programme's frequency, read from the history when refreshed."""

    DEFAULT_CSS = """
    DueToday { height: auto; margin-bottom: 1; }
    """

    app = getters.app(KneeApp)

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.result: Adherence | None = None

    def on_mount(self) -> None:
        self.refresh_due()

    def refresh_due(self) -> None:
        program = self.app.chosen_program()
        if program is None:
            self.result = None
            self.display = False
            return
        today = local_day(self.app.clock.wall())
        self.result = due_today(self.app.history, program.frequency, today)
        self.display = True
        self.update(describe(self.result))

    def question_before_starting(self) -> Content | None:
        """What to ask before a session starts now, or ``None`` to start at once."""
        self.refresh_due()
        if self.result is None or not self.result.asks_before_another_session():
            return None
        return second_session_question(self.result)
