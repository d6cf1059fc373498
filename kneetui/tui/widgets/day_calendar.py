"""The days exercised as a week grid: a column per week, a row per weekday, a mark per day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from textual.content import Content
from textual.widgets import Static

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")

#: The mark for each kind of day; the shape tells them apart, the colour only helps.
DONE = ("■", "bold $success")
MISSED = ("·", "$text-muted")
TODAY_NOT_YET = ("□", "bold")
STOPPED = ("!", "bold $error")
LABEL_WIDTH = 4
CELL_WIDTH = 2


def short_date(day: date, with_year: bool = False) -> str:
    """'15 Mar' (or '15 Mar 2026'), without the locale's month names, so it reads the same everywhere."""
    shown = f"{day.day} {MONTHS[day.month - 1]}"
    return f"{shown} {day.year}" if with_year else shown


def first_shown_day(today: date, weeks: int) -> date:
    """The Monday that starts the grid of ``weeks`` weeks ending with the week of ``today``."""
    return today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)


def week_grid(days: Iterable[date], today: date, weeks: int, stopped: Iterable[date] = ()) -> Content:
    """A grid of the ``weeks`` weeks up to ``today``: ■ exercised, ! stopped because the pain got worse,
    · not, □ today not yet, blank to come."""
    done = set(days)
    stopped_days = set(stopped)
    start = first_shown_day(today, weeks)
    width = LABEL_WIDTH + weeks * CELL_WIDTH
    # Room past the grid, so a month named above the last week reads 'Dec', not 'De'.
    month_row = [" "] * (width + 3)
    # A month is named above the week that holds its first day; the month the
    # grid opens in is named too, when its name fits before the next one.
    starts = [(week, start + timedelta(weeks=week, days=6)) for week in range(weeks)]
    labels = [(week, sunday.month) for week, sunday in starts if sunday.day <= 7]
    first_label_at = labels[0][0] if labels else weeks
    if first_label_at * CELL_WIDTH >= 4:
        labels.insert(0, (0, start.month))
    for week, month in labels:
        column = LABEL_WIDTH + week * CELL_WIDTH
        month_row[column : column + 3] = list(MONTHS[month - 1])
    lines = [Content("".join(month_row).rstrip())]
    for weekday, label in enumerate(WEEKDAYS):
        cells: list[tuple[str, str] | str] = [f"{label:<{LABEL_WIDTH}}"]
        for week in range(weeks):
            day = start + timedelta(weeks=week, days=weekday)
            if day > today:
                cells.append("  ")
                continue
            if day in stopped_days:
                mark, style = STOPPED
            else:
                mark, style = DONE if day in done else TODAY_NOT_YET if day == today else MISSED
            cells.append((mark, style))
            cells.append(" ")
        lines.append(Content.assemble(*cells).rstrip())
    legend: list[tuple[str, str] | str] = [DONE, " exercised  ", MISSED, " none  ", TODAY_NOT_YET, " today, not yet"]
    if stopped_days:
        legend += ["\n", STOPPED, " stopped: the pain got worse"]
    lines.append(Content.assemble(*legend))
    return Content("\n").join(lines)


class DayCalendar(Static):
    """The last ``weeks`` weeks of days exercised, as marks a person can read without colour."""

    DEFAULT_CSS = """
    DayCalendar { width: auto; max-width: 100%; height: auto; }
    """

    def __init__(
        self, days: Iterable[date], today: date, weeks: int = 13, stopped: Iterable[date] = (), **options: object
    ) -> None:
        super().__init__(week_grid(days, today, weeks, stopped), **options)  # type: ignore[arg-type]
