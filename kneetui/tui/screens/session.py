"""The guided session: big countdown, what to do now, where you are, and the safety frame.

The runner keeps time against deadlines and its safety policy makes every
safety decision; this screen only shows what they say and collects the
person's answers. It repaints a widget only when what it shows has changed
(one update a second while counting down, nothing while paused), which keeps
SSH traffic low.
"""

from __future__ import annotations

import asyncio
import math
from typing import Any

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from kneetui.content.model import Dose, Exercise
from kneetui.engine.cues import STOP_ADVICE, Cue, CueKind
from kneetui.engine.plan import PhaseKind, UnknownExercise, build_plan, items_from_program
from kneetui.engine.session import OutcomeKind, RunnerState, SessionRunner
from kneetui.engine.settings import RunnerSettings
from kneetui.tui.app import KneeApp
from kneetui.tui.hanging import Hanging
from kneetui.tui.hidden import forget_rendered_lines
from kneetui.tui.literal import heading
from kneetui.tui.plugin_handover import PluginHandOver
from kneetui.tui.provenance import legend, marked, marked_lines
from kneetui.tui.screens.end_session import EndSessionScreen
from kneetui.tui.screens.pain_question import PAIN_WORSE, PainAnswer, PainQuestionScreen
from kneetui.tui.screens.safety_check import SafetyCheckResult, SafetyCheckScreen
from kneetui.tui.widgets.exercise_drawing import ExerciseDrawing
from kneetui.tui.widgets.key_footer import KeyFooter
from kneetui.tui.widgets.session_clock import SessionClock, clock_face
from kneetui.tui.widgets.session_progress import SessionProgress
from kneetui.tui.widgets.session_summary import session_summary
from kneetui.tui.widgets.title_bar import TitleBar

#: How often the screen asks the runner for news. The runner keeps exact time on
#: its own; this only bounds how late a change is shown.
TICK_SECONDS = 0.1
#: Over SSH or on a limited terminal: fewer wake-ups; the runner still keeps exact time.
LIGHT_TICK_SECONDS = 0.25
ADJUST_SECONDS = 5
PHASE_TITLES = {
    PhaseKind.GET_READY: "Get ready",
    PhaseKind.HOLD: "Hold",
    PhaseKind.REPS: "Reps",
    PhaseKind.TIMED: "Keep going",
    PhaseKind.SWITCH_SIDES: "Switch sides",
    PhaseKind.REST: "Rest",
    PhaseKind.PAIN_CHECK: "Pain check",
    PhaseKind.DONE: "Done",
}


class SessionScreen(Screen[None]):
    """Guides a programme or one exercise from the safety check to the summary."""

    app = getters.app(KneeApp)

    DEFAULT_CSS = """
    SessionScreen #session-body { height: 1fr; padding: 0 1; }
    SessionScreen #where { text-style: bold; }
    SessionScreen #main-row { height: auto; }
    SessionScreen #clock-column { width: 1fr; height: auto; }
    SessionScreen #phase-title { text-style: bold; color: $accent; }
    SessionScreen #drawing-box { width: auto; height: auto; }
    SessionScreen #instruction { text-style: bold; margin-bottom: 1; }
    SessionScreen.-short #instruction { margin-bottom: 0; }
    SessionScreen.-short Header, SessionScreen.-short #drawing-box, SessionScreen.-short #next,
    SessionScreen.-short #rule { display: none; }
    SessionScreen #next { color: $text-muted; }
    SessionScreen #steps { display: none; margin-top: 1; border: round $secondary; padding: 0 1; height: auto; }
    SessionScreen.-steps #steps { display: block; }
    SessionScreen #rule { color: $text-muted; }
    SessionScreen #paused { text-style: bold reverse; display: none; }
    SessionScreen.-paused #paused { display: block; }
    SessionScreen #outcome { display: none; margin-top: 1; }
    SessionScreen.-over #outcome { display: block; }
    SessionScreen.-over #main-row, SessionScreen.-over #instruction, SessionScreen.-over #next,
    SessionScreen.-over #session-progress, SessionScreen.-over #paused, SessionScreen.-over #steps,
    SessionScreen.-over #rule { display: none; }
    SessionScreen.-flash #session-body { background: $warning 40%; }
    SessionScreen.-narrow #main-row { layout: vertical; }
    """
    # Below 70 columns the clock and drawing stack; below 20 rows only what to do now, the clock
    # and how to stop stay (the drawing, what comes next and the rule are a key away: i, Help).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    # Ordered by importance: the footer shows them left to right, as many as fit (how to stop first).
    BINDINGS = [
        Binding("exclamation_mark", "pain_worse", "Pain worse"),
        Binding("q", "quit_session", "Quit"),
        Binding("enter,r", "count_rep", "Rep"),
        Binding("space", "toggle_pause", "Pause"),
        Binding("i", "toggle_steps", "Steps"),
        Binding("n", "skip", "Skip"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", f"adjust({ADJUST_SECONDS})", f"+{ADJUST_SECONDS}s"),
        Binding("minus", f"adjust(-{ADJUST_SECONDS})", f"-{ADJUST_SECONDS}s"),
        Binding("escape", "leave", "Home"),
        Binding("escape", "quit_session", "Quit", show=False),
        # Help opens over the session as on any screen, but pauses it first: reading is not exercising.
        Binding("question_mark,f1", "help", "Help", show=False),
    ]

    def __init__(self, program_id: str | None = None, exercise_id: str | None = None, dose: Dose | None = None) -> None:
        super().__init__()
        self.program_id = program_id
        self.exercise_id = exercise_id
        self.dose = dose
        self.runner: SessionRunner | None = None
        self.items: list[tuple[Exercise, Dose | None]] = []
        self.title_text = ""
        self.asking = False
        self.over = False
        self.plugins = PluginHandOver(self)
        self._last_view: tuple[Any, ...] | None = None
        self._drawing_of: str | None = None

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="session-body"):
            yield Static(id="where")
            # What to do now comes first: on a small terminal it must not fall below the fold.
            yield Static(id="instruction")
            with Horizontal(id="main-row"):
                with Vertical(id="clock-column"):
                    yield Static(id="phase-title")
                    yield SessionClock("", id="clock")
                    yield Static(id="reps")
                yield Vertical(id="drawing-box")
            yield Static(id="next")
            yield Static("PAUSED: press space to go on", id="paused")
            yield Static(id="steps")
            yield SessionProgress(id="session-progress")
            yield Static(id="rule")
            yield Static(id="outcome")
        yield KeyFooter()

    # -- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        for screen in self.app.screen_stack:
            if screen is not self:
                forget_rendered_lines(screen)
        problem = self.resolve_items()
        self.title = "Session"
        self.sub_title = self.title_text
        if problem:
            self.end_with(problem)
            return
        settings = RunnerSettings.from_settings(self.app.settings)
        self.runner = SessionRunner(
            build_plan(self.items, settings),
            self.app.clock,
            self.app.history,
            settings,
            self.app.history.previous_stop(),
        )
        self.query_one("#rule", Static).update(self.runner.policy.rule_text())
        self.asking = True
        self.app.push_screen(
            SafetyCheckScreen(self.runner.assess_start, self.runner.policy.rule_text()), self.after_safety_check
        )

    def resolve_items(self) -> str:
        catalog = self.app.catalog
        if self.exercise_id is not None:
            exercise = catalog.exercise(self.exercise_id)
            if exercise is None:
                return f"No exercise has the id {self.exercise_id!r}."
            self.items = [(exercise, self.dose)]
            self.title_text = exercise.name
            return ""
        program = catalog.program(self.program_id) if self.program_id else self.app.chosen_program()
        if program is None:
            return "There is no programme to follow. Choose one under Programmes (r)."
        missing = None if self.program_id else self.app.chosen_program_missing()
        if missing:
            self.notify(missing, title="Programme", severity="warning", timeout=15, markup=False)
        try:
            self.items = items_from_program(program, catalog.exercise)
        except UnknownExercise as error:
            return f"The programme {program.name!r} cannot run: {error}"
        self.program_id = program.id
        self.title_text = program.name
        return ""

    def after_safety_check(self, result: SafetyCheckResult | None) -> None:
        self.asking = False
        runner = self.runner
        if result is None or runner is None:
            self.app.pop_screen()
            return
        if result.worse:
            self.act(runner.pain_is_worse(program_id=self.program_id, safety=result.answers))
            return
        assert result.answers is not None  # not worse: every question was answered
        cues = runner.start(result.answers, continued_despite_advice=result.go_on, program_id=self.program_id)
        if runner.state is RunnerState.STOPPED:  # the person chose to stop, as advised
            runner.finish(None)
            self.end_with("")
            return
        self.handle(cues)
        self.set_interval(LIGHT_TICK_SECONDS if self.app.light else TICK_SECONDS, self.tick)
        self.update_view()

    # -- the loop -------------------------------------------------------------------

    def tick(self) -> None:
        if self.runner is None or self.over or self.runner.state is not RunnerState.RUNNING:
            return
        self.handle(self.runner.tick())
        self.update_view()

    def handle(self, cues: list[Cue]) -> None:
        settings = self.app.settings
        for cue in cues:
            if cue.kind in (CueKind.TRANSITION, CueKind.WARNING, CueKind.STOPPED):
                if settings.bell:
                    self.app.bell()
                if settings.flash and cue.kind is not CueKind.WARNING:
                    self.flash()
            if cue.kind is CueKind.SWITCH_SIDES:
                self.notify(cue.text or "Switch sides", title="Switch sides", timeout=3, markup=False)
            if cue.kind is CueKind.NOTICE:
                self.notify(cue.text, title="Safety", severity="warning", timeout=10, markup=False)
        self.follow_phase()

    def follow_phase(self) -> None:
        runner = self.runner
        if runner is None or self.asking:
            return
        if runner.state is RunnerState.FINISHED:
            self.end_with("")
            return
        if self.over:
            return
        if runner.needs_pain_after:
            advice = STOP_ADVICE if runner.outcome is OutcomeKind.ADVISED_STOP else runner.check_reminder()
            self.ask(PainQuestionScreen("How is your knee now?", advice), self.after_pain_after)
            return
        phase = runner.phase
        if phase.kind is PhaseKind.PAIN_CHECK:
            self.ask(PainQuestionScreen(phase.instruction, runner.check_reminder()), self.after_pain_check)
        elif phase.exercise is not None and not self.plugins.decided(phase.exercise_number):
            chosen = next((dose for item, dose in self.items if item.id == phase.exercise.id), None)
            self.plugins.offer(phase.exercise, phase.exercise_number, chosen or phase.exercise.dosage.lowest())

    def ask(self, screen: Screen[Any], callback: Any) -> None:
        self.asking = True
        self.app.push_screen(screen, callback)

    def flash(self) -> None:
        self.add_class("-flash")
        self.set_timer(0.4, lambda: self.remove_class("-flash"))

    # -- views ------------------------------------------------------------------------

    def update_view(self) -> None:
        runner = self.runner
        if runner is None or self.over:
            return
        phase = runner.phase
        remaining = runner.remaining()
        # The progress bar moves with the visible second, so a second that does
        # not change on screen costs no output at all.
        view = (id(phase), None if remaining is None else math.ceil(remaining - 1e-9), runner.reps_done, runner.paused)
        if view == self._last_view:
            return
        phase_changed = self._last_view is None or self._last_view[0] != view[0]
        self._last_view = view
        if phase_changed:
            self.show_phase()
        clock = (
            clock_face(remaining)
            if remaining is not None
            else str(runner.reps_done)
            if phase.kind is PhaseKind.REPS
            else ""
        )
        digits = self.query_one("#clock", SessionClock)
        if digits.value != clock:
            digits.update(clock)  # only the digits that changed are drawn again
        if phase.kind is PhaseKind.REPS:
            target = phase.target_reps or 0
            how = "counted for you" if phase.tempo_seconds else "press Enter after each rep"
            self.show_text("#reps", f"of {target} reps ({how})")
        self.set_class(runner.paused, "-paused")
        self.show_text("#phase-title", "Paused" if runner.paused else PHASE_TITLES[phase.kind])
        # The bar draws again only the cells whose fill changed: a cell every few seconds in a hold.
        self.query_one(SessionProgress).update(runner.progress())

    def show_text(self, selector: str, text: str) -> None:
        """Put ``text`` in a one-line Static; the same text again sends nothing to the terminal."""
        shown = self.query_one(selector, Static)
        if str(shown.content) != text:
            shown.update(text)

    def show_phase(self) -> None:
        runner = self.runner
        assert runner is not None
        phase = runner.phase
        parts = []
        if phase.exercise is not None:
            parts.append(f"Exercise {phase.exercise_number} of {runner.plan.exercise_count}: {phase.exercise.name}")
            if phase.sets > 1:
                parts.append(f"set {phase.set_number} of {phase.sets}")
            if phase.side_label:
                parts.append(phase.side_label.lower())
        where = Content(" · ".join(parts))
        if phase.exercise is not None:
            # The exercise's mark: from the article, kneetui's reading, or a plug-in's (legend under i).
            where = marked(where, phase.exercise.provenance)
        self.query_one("#where", Static).update(where)
        self.query_one("#phase-title", Static).update(PHASE_TITLES[phase.kind])
        self.query_one("#reps", Static).update("")
        self.query_one("#instruction", Static).update(Content(phase.instruction))
        following = runner.next_phase
        self.query_one("#next", Static).update(Content(f"Next: {following.instruction}") if following else "")
        exercise = phase.exercise
        # During a hold the drawing stands still on its first frame, the pose to hold; the
        # movement plays while getting ready and during reps.
        animate = self.app.animate_drawings and phase.kind is not PhaseKind.HOLD
        if exercise is not None and exercise.id != self._drawing_of:
            self._drawing_of = exercise.id
            box = self.query_one("#drawing-box")
            box.remove_children()
            box.mount(ExerciseDrawing(exercise.drawing, animate=animate))
        else:
            for drawing in self.query(ExerciseDrawing):
                drawing.set_animate(animate)
        self.refresh_bindings()

    @property
    def under_way(self) -> bool:
        """Begun and not yet ended: leaving now would skip the pain check, so nothing else may leave it."""
        runner = self.runner
        return runner is not None and runner.state is not RunnerState.NOT_STARTED and not self.over

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.runner is not None and self.runner.state is RunnerState.RUNNING and not self.over
        checking = running and self.runner is not None and self.runner.phase.kind is PhaseKind.PAIN_CHECK
        if checking and action in ("toggle_pause", "skip", "back", "adjust"):
            return False  # the check is asked, or about to be: no key meant for the countdown passes it
        if action == "leave":
            return self.over
        if action == "count_rep":
            phase = self.runner.phase if self.runner is not None else None
            return running and phase is not None and phase.kind is PhaseKind.REPS and not phase.tempo_seconds
        if action in ("toggle_pause", "skip", "back", "adjust", "quit_session", "toggle_steps"):
            return running
        if action == "pain_worse":
            # Pain that gets worse after the session is the article's reason to stop too.
            return self.runner is not None and self.runner.state is not RunnerState.NOT_STARTED
        return True

    # -- keys ---------------------------------------------------------------------------

    def act(self, cues: list[Cue]) -> None:
        self.handle(cues)
        self.update_view()

    def redraw(self) -> None:
        """Draw everything again, e.g. after a plug-in's screen was closed."""
        self._last_view = None
        self.update_view()

    def action_toggle_pause(self) -> None:
        if self.runner:
            self.runner.toggle_pause()
            self.update_view()

    def action_help(self) -> None:
        """Pause a running countdown (as space does), then open Help over the session."""
        runner = self.runner
        if runner is not None and runner.state is RunnerState.RUNNING and not self.over and not runner.paused:
            runner.toggle_pause()
            self.update_view()
        self.app.action_help()

    def action_count_rep(self) -> None:
        if self.runner:
            self.act(self.runner.count_rep())

    def action_skip(self) -> None:
        if self.runner:
            self.act(self.runner.skip())

    def action_back(self) -> None:
        if self.runner:
            self.act(self.runner.back())

    def action_adjust(self, seconds: int) -> None:
        if self.runner:
            self.act(self.runner.adjust(seconds))

    def action_pain_worse(self) -> None:
        if self.runner:
            self.act(self.runner.pain_is_worse())

    def action_toggle_steps(self) -> None:
        """Show or hide the whole exercise's steps, without leaving the session."""
        self.toggle_class("-steps")
        self.show_steps()
        # On a small terminal the steps are below the clock: bring them into view, and the clock back after.
        body = self.query_one("#session-body", VerticalScroll)
        if self.has_class("-steps"):
            self.call_after_refresh(self.query_one("#steps").scroll_visible, animate=False)
        else:
            body.scroll_home(animate=False)

    def show_steps(self) -> None:
        runner = self.runner
        exercise = runner.phase.exercise if runner is not None else None
        if exercise is None or not self.has_class("-steps"):
            return
        self.query_one("#steps", Static).update(
            Hanging(
                Content("\n").join(
                    [
                        heading(f"{exercise.name}: the steps (i hides them)"),
                        marked_lines(exercise.steps, numbered=True),
                        legend(exercise.provenances()),
                    ]
                )
            )
        )

    def action_quit_session(self) -> None:
        said_worse = False

        def confirmed(yes: bool | None) -> None:
            if said_worse:
                return  # ! on the question stopped the session, and its pain question is asked already
            self.asking = False
            if yes and self.runner is not None:
                self.act(self.runner.quit())
            else:
                self.follow_phase()  # a check that fell due meanwhile is asked now, not at the next tick

        def worse() -> None:
            nonlocal said_worse
            said_worse = True
            self.asking = False
            self.action_pain_worse()

        self.ask(EndSessionScreen(worse), confirmed)

    def action_leave(self) -> None:
        if self.over:
            self.app.action_home()

    # -- answers ------------------------------------------------------------------------

    def after_pain_check(self, answer: PainAnswer) -> None:
        self.asking = False
        if self.runner is None:
            return
        if answer == PAIN_WORSE:
            self.act(self.runner.pain_is_worse())
        else:
            self.act(self.runner.answer_pain(answer))

    def after_pain_after(self, answer: PainAnswer) -> None:
        self.asking = False
        if self.runner is None:
            return
        cues = self.runner.pain_is_worse() if answer == PAIN_WORSE else []
        self.act(cues + self.runner.finish(None if answer == PAIN_WORSE else answer))

    async def end_when_saved(self, message: str) -> None:
        await asyncio.to_thread(self.app.history.flush)
        self.end_with(message)

    def end_with(self, message: str) -> None:
        """Show how the session ended; called again when something changes it (! after the end)."""
        self.over = True
        self.add_class("-over")
        runner = self.runner
        recorded = None
        extra = [message] if message else []
        if runner is not None and runner.session_id is not None:
            if self.app.history.in_memory_only:
                # Never let the person count on a record that will be gone when kneetui closes.
                extra.append("Not saved: the history is kept in memory only, and is lost when kneetui closes.")
            if self.app.history.writes_pending:
                # Another login may hold the history's lock: show the outcome now, what was recorded once written.
                extra.append("Saving to your history…")
                self.run_worker(self.end_when_saved(message), group="saved", exclusive=True)
            else:
                recorded = self.app.history.session(runner.session_id)
        names = {exercise.id: exercise.name for exercise, _ in self.items}
        self.query_one("#outcome", Static).update(Hanging(session_summary(runner, recorded, names, extra)))
        self.query_one("#phase-title", Static).update("")
        self.refresh_bindings()
