"""A :class:`~kneetui.history.report.Report` as one self-contained HTML page that prints well.

Nothing is fetched: the styles are inline, the charts are inline SVG, and no
script runs. Every text that came from a plug-in or the person is escaped.
Marks and lines differ in shape as well as colour, so a page printed in
black and white still reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
from html import escape

from kneetui import __version__
from kneetui.history.adherence import DayKind, DayMark, stopped_for_pain
from kneetui.history.records import RecordedSession
from kneetui.history.report import PainReading, Report

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

BEFORE_COLOUR = "#2b6cb0"
AFTER_COLOUR = "#c05621"
CHECK_COLOUR = "#2f855a"

STYLE = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 11pt/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif;
       color: #1a202c; background: #fff; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .2rem; }
h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem; padding-bottom: .2rem; border-bottom: 2px solid #cbd5e0; }
h3 { font-size: 1rem; margin: .8rem 0 .2rem; }
p { margin: .3rem 0; }
.meta { color: #4a5568; }
.cards { display: grid; grid-template-columns: repeat(4, 1fr); gap: .6rem; margin-top: 1rem; }
.card { border: 1px solid #cbd5e0; border-radius: 6px; padding: .5rem .7rem; }
.card .value { font-size: 1.4rem; font-weight: 700; }
.card .label { color: #4a5568; font-size: .85rem; }
.warn { color: #9b2c2c; font-weight: 600; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; margin: .4rem 0; }
th, td { text-align: left; padding: .25rem .45rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
th { background: #edf2f7; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.pain td { background: #fff5f5; }
table.sessions { font-size: .82rem; }
table.sessions th { white-space: nowrap; }
table.sessions td:last-child { min-width: 9rem; }
.charts { display: grid; grid-template-columns: repeat(2, 1fr); gap: .4rem 1rem; }
figure { margin: .4rem 0; }
figcaption { font-size: .85rem; color: #4a5568; }
svg { display: block; max-width: 100%; height: auto; }
svg.wide { width: 100%; }
td.nowrap { white-space: nowrap; }
svg text { font-family: inherit; }
.legend { font-size: .85rem; color: #2d3748; }
.legend span { margin-right: 1rem; white-space: nowrap; }
.swatch { display: inline-block; width: .8rem; height: .8rem; vertical-align: -1px; margin-right: .25rem;
          border: 1px solid #4a5568; }
footer { margin-top: 2rem; font-size: .8rem; color: #718096; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-after: avoid; }
  figure, tr, .cards, .legend, section > p:first-of-type { break-inside: avoid; }
  table { break-inside: auto; }
  thead { display: table-header-group; }
  .cards { grid-template-columns: repeat(4, 1fr); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _day(day: date, with_year: bool = True) -> str:
    shown = f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"
    return f"{shown} {day.year}" if with_year else shown


def _when(timestamp: float, tz: tzinfo | None, with_year: bool = True) -> str:
    moment = datetime.fromtimestamp(timestamp, tz)
    return f"{_day(moment.date(), with_year)} {moment:%H:%M}"


def _number(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _yes_no(value: bool | None) -> str:
    return "not asked" if value is None else "yes" if value else "no"


# -- charts ------------------------------------------------------------------------


class _Axis:
    """Maps days of the period to x and pain 0–10 to y inside a chart's plot area."""

    def __init__(self, first: date, last: date, left: float, right: float, top: float, bottom: float) -> None:
        self.first, self.last = first, last
        self.left, self.right, self.top, self.bottom = left, right, top, bottom
        self.span = max(1, (last - first).days)

    def x(self, timestamp: float, tz: tzinfo | None) -> float:
        moment = datetime.fromtimestamp(timestamp, tz)
        days = (moment.date() - self.first).days + (moment.hour * 60 + moment.minute) / 1440
        return self.left + (self.right - self.left) * min(max(days, 0), self.span + 1) / (self.span + 1)

    def y(self, pain: float) -> float:
        return self.bottom - (self.bottom - self.top) * pain / 10

    def frame(self, width: int, small: bool = False) -> list[str]:
        """Grid lines at 0, 2, … 10, the y labels, and dates along the bottom."""
        parts = []
        for pain in range(0, 11, 2 if not small else 5):
            y = self.y(pain)
            parts.append(f'<line x1="{self.left}" y1="{y:.1f}" x2="{self.right}" y2="{y:.1f}" stroke="#e2e8f0"/>')
            parts.append(f'<text x="{self.left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{pain}</text>')
        ticks = 2 if small else max(2, min(7, (width - 100) // 90))
        for index in range(ticks):
            day = self.first + timedelta(days=round(self.span * index / (ticks - 1)))
            x = self.left + (self.right - self.left) * ((day - self.first).days + 0.5) / (self.span + 1)
            anchor = "start" if index == 0 else "end" if index == ticks - 1 else "middle"
            parts.append(
                f'<text x="{x:.1f}" y="{self.bottom + 15:.1f}" font-size="11" text-anchor="{anchor}">'
                f"{escape(_day(day, with_year=False))}</text>"
            )
        parts.append(
            f'<line x1="{self.left}" y1="{self.bottom}" x2="{self.right}" y2="{self.bottom}" stroke="#718096"/>'
        )
        return parts


def _series(points: Sequence[tuple[float, float]], colour: str, dashed: bool, marker: str) -> list[str]:
    if not points:
        return []
    dash = ' stroke-dasharray="5 4"' if dashed else ""
    parts = []
    if len(points) > 1:
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="1.8"{dash}/>')
    radius = 2.6 if len(points) < 80 else 1.6
    for x, y in points:
        if marker == "square":
            parts.append(
                f'<rect x="{x - radius:.1f}" y="{y - radius:.1f}" width="{2 * radius:.1f}" '
                f'height="{2 * radius:.1f}" fill="{colour}"/>'
            )
        else:
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}" fill="#fff" stroke="{colour}" stroke-width="1.5"/>'
            )
    return parts


def pain_chart(report: Report, tz: tzinfo | None = None) -> str:
    """Pain before (dashed, open circles) and after (solid, squares) each session, as SVG."""
    width, height = 720, 230
    axis = _Axis(report.first, report.last, 34, width - 10, 12, height - 26)
    before = [
        (axis.x(session.started_at, tz), axis.y(session.pain_before))
        for session in report.sessions
        if session.pain_before is not None
    ]
    after = [
        (axis.x(session.started_at, tz), axis.y(session.pain_after))
        for session in report.sessions
        if session.pain_after is not None
    ]
    stops = []
    for stop in report.stops:
        if stop.for_pain:
            x = axis.x(stop.session.started_at, tz)
            stops.append(
                f'<line x1="{x:.1f}" y1="{axis.top + 14:.1f}" x2="{x:.1f}" y2="{axis.bottom}" stroke="#9b2c2c" '
                f'stroke-width="1" stroke-dasharray="2 3"/><text x="{x:.1f}" y="{axis.top + 10:.1f}" '
                f'font-size="12" font-weight="700" fill="#9b2c2c" text-anchor="middle">!</text>'
            )
    body = [
        *axis.frame(width),
        *_series(before, BEFORE_COLOUR, True, "circle"),
        *_series(after, AFTER_COLOUR, False, "square"),
        *stops,
    ]
    return _svg(width, height, "Pain before and after each session, 0 to 10", body, wide=True)


def exercise_pain_chart(name: str, readings: Sequence[PainReading], report: Report, tz: tzinfo | None) -> str:
    width, height = 350, 130
    axis = _Axis(report.first, report.last, 26, width - 8, 8, height - 22)
    points = [(axis.x(reading.at, tz), axis.y(reading.pain)) for reading in readings]
    return _svg(
        width,
        height,
        f"Pain after {name}",
        [*axis.frame(width, small=True), *_series(points, CHECK_COLOUR, False, "circle")],
    )


#: Fill, stroke and a mark drawn inside the cell, for each kind of day.
DAY_STYLE: dict[DayKind, tuple[str, str, str, str]] = {
    DayKind.DONE: ("#38a169", "#276749", "", "done"),
    DayKind.MISSED: ("#fff", "#c05621", "×", "missed"),
    DayKind.STOPPED_FOR_PAIN: ("#fed7d7", "#9b2c2c", "!", "stopped for pain"),
    DayKind.STOPPED_WITH_ADVICE: ("#fefcbf", "#975a16", "?", "stopped, advised to see a professional"),
    DayKind.PAUSED: ("#fff", "#a0aec0", "~", "paused after a stop for pain"),
    DayKind.REST: ("#edf2f7", "#cbd5e0", "", "rest day"),
    DayKind.DUE: ("#fff", "#1a202c", "", "due today"),
    DayKind.PLANNED: ("#fff", "#a0aec0", "·", "planned"),
    DayKind.BEFORE_START: ("#fff", "#fff", "", ""),
}


def day_calendar(days: Sequence[DayMark]) -> str:
    """A column per week and a row per weekday, one square per day of the period, as SVG."""
    if not days:
        return ""
    cell, gap, left, top = 18, 3, 32, 16
    monday = days[0].day - timedelta(days=days[0].day.weekday())
    weeks = (days[-1].day - monday).days // 7 + 1
    width, height = left + weeks * (cell + gap) + 4, top + 7 * (cell + gap) + 4
    body = []
    for row, name in enumerate(WEEKDAYS):
        if row % 2 == 0:
            y = top + row * (cell + gap) + cell - 3
            body.append(f'<text x="0" y="{y}" font-size="10">{name}</text>')
    # A month is named above the week that holds its first day, and the first month when it fits.
    labelled = [week for week in range(weeks) if (monday + timedelta(weeks=week, days=6)).day <= 7]
    if not labelled or labelled[0] >= 3:
        labelled.insert(0, 0)
    for week in labelled:
        month = (monday + timedelta(weeks=week, days=6)).month if week else days[0].day.month
        body.append(f'<text x="{left + week * (cell + gap)}" y="10" font-size="10">{MONTHS[month - 1]}</text>')
    for mark in days:
        week, row = (mark.day - monday).days // 7, mark.day.weekday()
        x, y = left + week * (cell + gap), top + row * (cell + gap)
        fill, stroke, sign, label = DAY_STYLE[mark.kind]
        if not label:
            continue
        body.append(
            f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" rx="2" fill="{fill}" stroke="{stroke}">'
            f"<title>{escape(_day(mark.day))}: {label}</title></rect>"
        )
        if sign:
            body.append(
                f'<text x="{x + cell / 2}" y="{y + cell - 3}" font-size="11" font-weight="700" '
                f'text-anchor="middle" fill="{stroke}">{sign}</text>'
            )
    return _svg(width, height, "Each day of the period against the plan", body)


def _svg(width: int, height: int, title: str, body: Iterable[str], wide: bool = False) -> str:
    # A wide chart fills the page's width; the others keep their own size.
    fill = ' class="wide"' if wide else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg"{fill} viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>'
        + "".join(body)
        + "</svg>"
    )


def _legend(kinds: Iterable[DayKind]) -> str:
    items = []
    for kind in kinds:
        fill, stroke, sign, label = DAY_STYLE[kind]
        items.append(
            f'<span><span class="swatch" style="background:{fill};border-color:{stroke}"></span>'
            f"{escape(sign + ' ' if sign else '')}{escape(label)}</span>"
        )
    return f'<p class="legend">{"".join(items)}</p>'


# -- the page ------------------------------------------------------------------------


def _table(
    headers: Sequence[str],
    rows: Iterable[tuple[Sequence[str], str]],
    numeric: Iterable[int] = (),
    nowrap: Iterable[int] = (0,),
    table_class: str = "",
) -> str:
    """A table with a header row; ``rows`` are (cells, row class). Columns in ``numeric`` align right."""
    numeric, nowrap = set(numeric), set(nowrap)

    def classes(index: int) -> str:
        names = [name for name, columns in (("num", numeric), ("nowrap", nowrap)) if index in columns]
        return f' class="{" ".join(names)}"' if names else ""

    head = "".join(f"<th{classes(index)}>{escape(text)}</th>" for index, text in enumerate(headers))
    lines = []
    for cells, row_class in rows:
        tds = "".join(f"<td{classes(index)}>{escape(str(cell))}</td>" for index, cell in enumerate(cells))
        lines.append(f"<tr{f' class={row_class}' if row_class else ''}>{tds}</tr>")
    opening = f'<table class="{table_class}">' if table_class else "<table>"
    return f"{opening}<thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def _status(session: RecordedSession) -> str:
    if session.stop_reason:
        return f"stopped: {session.stop_reason}"
    return "finished" if session.ended_at is not None else "not finished"


def _minutes(session: RecordedSession) -> str:
    end = session.ended_at or session.stopped_at
    return "?" if end is None else str(round((end - session.started_at) / 60))


def _pain(value: int | None) -> str:
    return "—" if value is None else str(value)


def _summary(report: Report) -> str:
    percent = report.adherence_percent
    done, planned = report.count(DayKind.DONE), report.planned_days
    pain_stops = sum(1 for stop in report.stops if stop.for_pain)
    cards = [
        (str(len(report.sessions)), "sessions recorded"),
        ("—" if percent is None else f"{percent}%", f"adherence: {done} of {planned} planned days done"),
        (str(pain_stops), "sessions stopped for pain"),
        (
            f"{_number(report.mean_pain('pain_before'))} → {_number(report.mean_pain('pain_after'))}",
            "mean pain before → after (0–10)",
        ),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="value">{escape(value)}</div><div class="label">{escape(label)}</div></div>'
            for value, label in cards
        )
        + "</div>"
    )


def _programme(report: Report) -> str:
    program = report.program
    if program is None:
        return "<p>No programme is chosen.</p>"
    parts = [
        f"<p><strong>{escape(program.name)}</strong> — to be done <strong>{escape(str(program.frequency))}</strong>.</p>",
        f"<p>{escape(program.description)}</p>",
    ]
    rows = [
        ((str(number), exercise.name, exercise.planned, exercise.lately or "not done in this period"), "")
        for number, exercise in enumerate(report.exercises, 1)
    ]
    parts.append(_table(("#", "Exercise", "Dose in the programme", "Dose last done"), rows, {0}))
    if program.advice:
        parts.append("<ul>" + "".join(f"<li>{escape(line.text)}</li>" for line in program.advice) + "</ul>")
    return "".join(parts)


def _adherence(report: Report) -> str:
    counts = [
        (kind, report.count(kind))
        for kind in (
            DayKind.DONE,
            DayKind.MISSED,
            DayKind.STOPPED_FOR_PAIN,
            DayKind.STOPPED_WITH_ADVICE,
            DayKind.PAUSED,
            DayKind.REST,
            DayKind.DUE,
            DayKind.PLANNED,
        )
    ]
    said = ", ".join(
        f"{count} {DAY_STYLE[kind][3]}{'s' if kind is DayKind.REST and count != 1 else ''}"
        for kind, count in counts
        if count
    )
    shown = [kind for kind in DAY_STYLE if DAY_STYLE[kind][3] and report.count(kind)]
    return (
        f"<p>Measured against the programme’s frequency ({escape(str(report.frequency))}): "
        f"{escape(said) or 'no day of the plan in the period'}. The days after a session stopped for pain, or ended with the "
        "advice to consult a professional, are not counted as missed until the next session.</p>"
        f"<figure>{day_calendar(report.days)}</figure>{_legend(shown)}"
    )


def _pain_section(report: Report, tz: tzinfo | None) -> str:
    if not any(session.pain_before is not None or session.pain_after is not None for session in report.sessions):
        return "<p>No pain scores were given in this period.</p>"
    legend = (
        f'<p class="legend"><span><svg width="26" height="10" style="display:inline"><line x1="0" y1="5" x2="26" y2="5" '
        f'stroke="{BEFORE_COLOUR}" stroke-width="2" stroke-dasharray="5 4"/></svg> before the session (○)</span>'
        f'<span><svg width="26" height="10" style="display:inline"><line x1="0" y1="5" x2="26" y2="5" '
        f'stroke="{AFTER_COLOUR}" stroke-width="2"/></svg> after the session (■)</span>'
        '<span class="warn">! stopped for pain</span></p>'
    )
    return f"<figure>{pain_chart(report, tz)}</figure>{legend}"


def _pain_checks(report: Report, tz: tzinfo | None) -> str:
    if not report.pain_by_exercise:
        return "<p>No pain was scored after single exercises in this period.</p>"
    figures = []
    for name, readings in report.pain_by_exercise.items():
        highest = max(reading.pain for reading in readings)
        figures.append(
            f"<figure><h3>{escape(name)}</h3>{exercise_pain_chart(name, readings, report, tz)}"
            f"<figcaption>{len(readings)} score{'s' * (len(readings) != 1)}, last {readings[-1].pain}, "
            f"highest {highest}</figcaption></figure>"
        )
    return f'<div class="charts">{"".join(figures)}</div>'


def _stops(report: Report, tz: tzinfo | None) -> str:
    if not report.stops:
        return "<p>No session was stopped early in this period.</p>"
    rows = [
        (
            (
                _when(stop.session.started_at, tz),
                stop.reason,
                stop.during or "before the first exercise",
                _pain(stop.session.pain_before),
            ),
            "pain" if stop.for_pain else "",
        )
        for stop in report.stops
    ]
    return _table(("When", "Why", "During", "Pain before"), rows, {3})


def _safety(report: Report, tz: tzinfo | None) -> str:
    safety = report.safety
    if not safety.asked:
        return "<p>The swelling and instability questions were not answered in this period.</p>"
    parts = [
        (
            f"<p>Asked before {safety.asked} session{'s' * (safety.asked != 1)}: swelling <strong>yes "
            f"{safety.swollen}</strong> time{'s' * (safety.swollen != 1)}, the knee giving way or feeling unstable "
            f"<strong>yes {safety.unstable}</strong> time{'s' * (safety.unstable != 1)}. Advised to see a professional "
            f"{safety.advised} time{'s' * (safety.advised != 1)}; went on anyway, by their own choice, "
            f"{safety.continued_despite_advice} time{'s' * (safety.continued_despite_advice != 1)}.</p>"
        )
    ]
    flagged = [
        session for session in report.sessions if session.swollen or session.unstable or session.advised_before_start
    ]
    if flagged:
        rows = [
            (
                (
                    _when(session.started_at, tz),
                    _yes_no(session.swollen),
                    _yes_no(session.unstable),
                    "yes" if session.advised_before_start else "no",
                    "yes" if session.continued_despite_advice else "no",
                ),
                "pain",
            )
            for session in flagged
        ]
        parts.append(_table(("When", "Swelling", "Unstable", "Advised to see a professional", "Went on"), rows))
    return "".join(parts)


def _sessions(report: Report, tz: tzinfo | None) -> str:
    if not report.sessions:
        return "<p>No sessions in this period.</p>"
    rows = []
    for session in report.sessions:
        done = len({block.exercise_id for block in session.blocks})
        checks = "; ".join(f"{report.name_of(check.exercise_id)} {check.pain}" for check in session.pain_checks)
        rows.append(
            (
                (
                    _when(session.started_at, tz, with_year=report.first.year != report.last.year),
                    session.program_id or "single exercise",
                    f"{done}/{len(session.exercise_ids)}, {_minutes(session)} min",
                    f"{_pain(session.pain_before)} → {_pain(session.pain_after)}",
                    checks or "—",
                    _status(session),
                ),
                "pain" if stopped_for_pain(session) else "",
            )
        )
    headers = ("When", "Programme", "Exercises, time", "Pain before → after", "Pain after each exercise", "Status")
    return _table(headers, rows, nowrap=(0, 2, 3), table_class="sessions")


def report_html(report: Report, tz: tzinfo | None = None) -> str:
    """The whole page."""
    period = f"{_day(report.first)} to {_day(report.last)}"
    sections = [
        ("Programme and doses", _programme(report)),
        ("Adherence against the plan", _adherence(report)),
        ("Pain before and after each session", _pain_section(report, tz)),
        ("Pain after each exercise", _pain_checks(report, tz)),
        ("Sessions stopped early, and why", _stops(report, tz)),
        ("Swelling and instability", _safety(report, tz)),
        ("Every session", _sessions(report, tz)),
    ]
    body = "".join(f"<section><h2>{escape(title)}</h2>{content}</section>" for title, content in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>kneetui report, {escape(period)}</title><style>{STYLE}</style></head><body>"
        "<header><h1>Home exercise report</h1>"
        f'<p class="meta">{escape(period)} · made on {escape(_day(report.made_on))} with kneetui {escape(__version__)}'
        " from the sessions recorded on this device.</p>"
        f"{_summary(report)}</header>"
        f"{body}"
        "<footer>What the person recorded in kneetui: pain is their own score from 0 (none) to 10 (the worst "
        "they can imagine). kneetui does not diagnose; it asks anyone whose pain increases during or after "
        "the exercises to stop and consult a healthcare professional.</footer>"
        "</body></html>\n"
    )
