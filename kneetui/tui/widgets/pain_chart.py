"""Pain before and after sessions as two bar charts on one fixed 0–10 scale, sharing a time axis.

Bars rather than :class:`textual.widgets.Sparkline`: a sparkline scales to the
smallest and largest value it is given, so pain that went from 3 to 2 would
look like a fall from the top to the bottom. Here 10 is always the top, both
charts use the same scale, and the axes are labelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from kneetui.history.days import local_day
from kneetui.history.records import PainPoint
from kneetui.tui.widgets.day_calendar import short_date

#: Eighths of a cell, from empty to full.
BLOCKS = " ▁▂▃▄▅▆▇█"
ROWS = 3
LEVELS = ROWS * 8
TOP = 10
#: '10 ┤' before each row of bars.
AXIS_WIDTH = 4


@dataclass(frozen=True)
class Column:
    """One column of the chart: the mean pain before and after, for a session or a week."""

    first_day: date
    before: float | None
    after: float | None


@dataclass(frozen=True)
class ChartColumns:
    columns: list[Column]
    #: What one column stands for, as a person reads it.
    unit: str
    #: How wide each column is drawn, in cells.
    width: int


def _mean(values: Sequence[int | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None


def chart_columns(points: Sequence[PainPoint], space: int) -> ChartColumns:
    """The columns that fit in ``space`` cells: a column per session when they fit, else per week."""
    if not points or space < 1:
        return ChartColumns([], "", 1)
    day_of = [local_day(point.started_at) for point in points]
    if len(points) <= space:
        width = max(1, min(3, space // len(points)))
        columns = [Column(day, point.before, point.after) for day, point in zip(day_of, points, strict=False)]
        return ChartColumns(columns, "one session", width)
    weeks: dict[date, list[PainPoint]] = {}
    for day, point in zip(day_of, points, strict=False):
        weeks.setdefault(day - timedelta(days=day.weekday()), []).append(point)
    last = max(weeks)
    count = min(space, (last - min(weeks)).days // 7 + 1)
    columns = []
    for back in range(count - 1, -1, -1):
        monday = last - timedelta(weeks=back)
        found = weeks.get(monday, [])
        columns.append(Column(monday, _mean([p.before for p in found]), _mean([p.after for p in found])))
    return ChartColumns(columns, "one week (mean)", 1)


def _bar_rows(values: Sequence[float | None], width: int) -> list[str]:
    """The rows of one bar chart, top first; a missing value leaves its column blank."""
    rows = []
    for row in range(ROWS - 1, -1, -1):
        cells = []
        for value in values:
            if value is None:
                cells.append(" " * width)
                continue
            # A recorded 0 keeps the thinnest bar, so it is not mistaken for no score.
            eighths = max(1, round(value / TOP * LEVELS)) - row * 8
            mark = BLOCKS[min(8, max(0, eighths))]
            cells.append(mark * min(width, 2) + " " * (width - min(width, 2)))
        rows.append("".join(cells))
    return rows


def pain_chart(points: Sequence[PainPoint], width: int) -> Content:
    """The chart of ``points`` (oldest first) drawn into ``width`` cells."""
    layout = chart_columns(points, width - AXIS_WIDTH - 1)
    if not layout.columns:
        return Content("No pain scores yet.")
    lines: list[Content] = []
    for title, values, style in (
        ("before", [column.before for column in layout.columns], "$warning"),
        ("after", [column.after for column in layout.columns], "$success"),
    ):
        lines.append(Content.assemble(" " * AXIS_WIDTH, (f"Pain {title} (0–10)", "bold")))
        for row, bars in enumerate(_bar_rows(values, layout.width)):
            label = {0: "10", ROWS // 2: " 5", ROWS - 1: " 0"}.get(row, "  ")
            lines.append(Content.assemble((f"{label} ┤", "dim"), (bars, style)).rstrip())
    span = len(layout.columns) * layout.width
    lines.append(Content.assemble(("   └" + "─" * span, "dim")))
    first_day, last_day = layout.columns[0].first_day, layout.columns[-1].first_day
    with_year = first_day.year != last_day.year
    first, last = short_date(first_day, with_year), short_date(last_day, with_year)
    dates = first if len(layout.columns) == 1 else first + last.rjust(max(span - len(first), len(last) + 1))
    lines.append(Content(" " * AXIS_WIDTH + dates))
    lines.append(Content.assemble(" " * AXIS_WIDTH, (f"each column: {layout.unit}", "dim")))
    return Content("\n").join(lines)


class PainChart(Widget):
    """Pain before and after over time, redrawn to fit its width."""

    DEFAULT_CSS = """
    PainChart { height: auto; width: 1fr; }
    """

    def __init__(self, points: Sequence[PainPoint], **options: object) -> None:
        super().__init__(**options)  # type: ignore[arg-type]
        self.points = list(points)

    def render(self) -> Content:
        return pain_chart(self.points, self.size.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return pain_chart(self.points, width).plain.count("\n") + 1
