"""Progress: days exercised, the streak, pain before and after, and each exercise's totals and next dose."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kneetui.content.model import Exercise, Provenance
from kneetui.engine.safety import describe_stop
from kneetui.history.days import local_day, streak
from kneetui.history.progression import RECENT_DAYS as RECENT_HINT_DAYS
from kneetui.history.progression import Change, ProgressionHint, suggest_dose
from kneetui.history.records import ExerciseTotals, PainPoint, RecordedSession
from kneetui.history.report import report_for
from kneetui.history.report_html import report_html
from kneetui.served import for_patient
from kneetui.tui.literal import heading
from kneetui.tui.provenance import ProvenanceLegend, marked
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.day_calendar import DayCalendar, short_date
from kneetui.tui.widgets.pain_chart import PainChart
from kneetui.tui.write_file import write_where_asked

#: The weeks the calendar shows: about three months.
CALENDAR_WEEKS = 13
#: The recent stretch the summary lines count over.
RECENT_DAYS = 28

NOTHING_YET = (
    "Nothing recorded yet. After your first session this screen shows the days you exercised, "
    "your streak, your pain before and after each session, and how much of each exercise you "
    "have done, with a hint for the next dose. Start today's session from Home (s)."
)


def plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def duration(seconds: int) -> str:
    """'1 h 5 min', '12 min 30 s' or '45 s'."""
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {seconds} s" if seconds else f"{minutes} min"
    return f"{seconds} s"


def day_summary(days: list[date], today: date, sessions: int, last: date | None) -> Content:
    """Streak, days exercised, sessions and the last one, as labelled lines."""
    current = streak(days, today)
    streak_note = ""
    if current and today not in days:
        streak_note = " (exercise today to keep it going)"
    recent = sum(1 for day in days if today - day < timedelta(days=RECENT_DAYS))
    lines = [
        Content.assemble(("Current streak: ", "bold"), (plural(current, "day"), "bold $accent"), streak_note),
        Content.assemble(("Days exercised: ", "bold"), f"{len(days):,}"),
        Content.assemble(("  in the last 4 weeks: ", "bold"), f"{recent}"),
        Content.assemble(("Sessions: ", "bold"), f"{sessions:,}"),
    ]
    if last is not None:
        lines.append(Content.assemble(("Last session: ", "bold"), short_date(last)))
    return Content("\n").join(lines)


def stop_lines(stops: list[RecordedSession]) -> Content:
    """Each session that stopped with the advice to consult a professional, newest first.

    These do not count as days exercised, so they never build a streak or a step up.
    """
    lines = [
        Content.assemble(
            (short_date(local_day(session.stopped_at or session.started_at), with_year=True), "bold"),
            "  ",
            describe_stop(session.stop_reason),
        )
        for session in stops
    ]
    lines.append(Content.styled("Not counted as days exercised. The article: stop and consult a professional.", "dim"))
    return Content("\n").join(lines)


def pain_summary(points: list[PainPoint], today: date) -> Content:
    """The mean pain before and after over the last four weeks, in numbers."""
    recent = [point for point in points if today - local_day(point.started_at) < timedelta(days=RECENT_DAYS)]
    before = [point.before for point in recent if point.before is not None]
    after = [point.after for point in recent if point.after is not None]
    if not before and not after:
        return Content("No pain scores in the last 4 weeks.")

    def mean(values: list[int]) -> str:
        return f"{sum(values) / len(values):.1f}" if values else "not given"

    return Content.assemble(
        ("Last 4 weeks, on average: ", "bold"), f"pain before {mean(before)}, after {mean(after)} (0–10)"
    )


def exercise_lines(
    exercise: Exercise | None,
    exercise_id: str,
    totals: ExerciseTotals,
    hint: ProgressionHint | None,
) -> Content:
    """An exercise's totals, what was done last time, the hint for next time and how often it is done."""
    amounts = [plural(totals.sessions, "session")]
    if totals.reps:
        amounts.append(f"{totals.reps:,} reps")
    if totals.seconds:
        amounts.append(duration(totals.seconds))
    amounts.append(f"last on {short_date(local_day(totals.last_done_at))}")
    name = exercise.name if exercise is not None else exercise_id
    lines = [Content.assemble((name, "bold"), ("  " + " · ".join(amounts), ""))]
    if exercise is None or hint is None:
        lines.append(Content.styled("  Not in the loaded plug-ins, so there is no hint for it.", "dim"))
        return Content("\n").join(lines)
    done = hint.last_done.describe() if hint.last_done is not None else "not completed"
    if hint.change is Change.CONSULT:
        next_time = Content.assemble("  ! next time ", ("consult a healthcare professional first", "bold"))
    else:
        verb = "keep" if hint.change in (Change.KEEP, Change.MORE_OFTEN) else "try"
        arrow = {Change.UP: "↑", Change.MORE_OFTEN: "↻"}.get(hint.change, "=")
        often = ", more often" if hint.change is Change.MORE_OFTEN else ""
        next_time = Content.assemble(f"  {arrow} next time {verb} ", (hint.dose.describe(), "bold"), often)
    lines.append(Content.assemble("  Last time ", (done, "bold"), next_time))
    lines.append(Content.assemble("  ", marked(hint.reason, hint.provenance).stylize("dim")))
    lines.append(
        Content.styled(f"  Completed on {plural(hint.days_done, 'day')} of the last {RECENT_HINT_DAYS}.", "dim")
    )
    return Content("\n").join(lines)


class ProgressScreen(SectionScreen):
    """What the history holds, read once when the screen opens."""

    SECTION_TITLE = "Progress"
    DEFAULT_CSS = """
    ProgressScreen #overview { height: auto; margin-bottom: 1; }
    ProgressScreen DayCalendar { margin-right: 3; }
    ProgressScreen #day-summary { width: 1fr; }
    ProgressScreen.-narrow #overview { layout: vertical; }
    ProgressScreen.-narrow DayCalendar { margin: 0 0 1 0; }
    ProgressScreen PainChart { margin-bottom: 1; }
    """
    BINDINGS = [Binding("x", "write_report", "Report")]

    def __init__(self) -> None:
        super().__init__()
        #: The last file a report was written to, offered again by the next prompt.
        self.last_report_path: Path | None = None

    def compose_body(self) -> ComposeResult:
        history = self.app.history
        today = local_day(self.app.clock.wall())
        days = history.days_exercised()
        stopped_days = history.days_stopped_for_pain()
        #: Whose advice the hints on the screen are, for the legend.
        shown: set[Provenance] = set()
        with VerticalScroll(classes="section-body", id="progress-scroll"):
            if not days and not stopped_days:
                yield Static(NOTHING_YET, id="nothing-yet", markup=False)
                return
            sessions = history.sessions()
            yield Static(heading("Days exercised"))
            with Horizontal(id="overview"):
                yield DayCalendar(days, today, CALENDAR_WEEKS, stopped=stopped_days)
                last = local_day(sessions[0].started_at) if sessions else None
                yield Static(day_summary(days, today, len(sessions), last), id="day-summary")
            stops = [session for session in sessions if session.advised_stop]
            if stops:
                yield Static(heading("Stopped, with the advice to see a professional"))
                yield Static(stop_lines(stops), id="stops", classes="item")
            points = history.pain_series()
            yield Static(heading("Pain before and after"))
            if points:
                yield PainChart(points)
                yield Static(pain_summary(points, today), id="pain-summary", classes="item")
            else:
                yield Static("No pain scores were given yet.", id="pain-summary", classes="item", markup=False)
            yield Static(heading("Exercises"))
            catalog = self.app.catalog
            totals = history.exercise_totals()
            now = self.app.clock.wall()
            order = {exercise.id: index for index, exercise in enumerate(catalog.exercises)}
            for exercise_id in sorted(totals, key=lambda found: (order.get(found, len(order)), found)):
                exercise = catalog.exercise(exercise_id)
                hint = suggest_dose(exercise, sessions, now) if exercise is not None else None
                if hint is not None:
                    shown.add(hint.provenance)
                yield Static(
                    exercise_lines(exercise, exercise_id, totals[exercise_id], hint),
                    classes="exercise-total item",
                )
        if shown:
            yield ProvenanceLegend(shown)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#progress-scroll").focus()

    @work(exclusive=True, group="report-dialog")
    async def action_write_report(self) -> None:
        """Ask where, then write the physiotherapist's report (kneetui report) there."""
        question = "Write a report for your physiotherapist (a web page that prints well) to the file:"
        today = local_day(self.app.clock.wall())
        report = report_for(self.app.history, self.app.catalog, self.app.chosen_program(), today)
        path = await write_where_asked(
            self.app,
            question,
            for_patient(self.last_report_path) if self.last_report_path else "~/kneetui-report.html",
            lambda: report_html(report).encode("utf-8"),
            purpose="report",
            file_name="kneetui-report.html",
            replacing="with a new report",
            suffix=".html",
        )
        if path is not None:
            self.last_report_path = path
            count = len(report.sessions)
            self.notify(
                f"Wrote the report ({count} session{'s' * (count != 1)}) to {for_patient(path)}. "
                "Open it in a web browser; print it to PDF from there.",
                markup=False,
            )
