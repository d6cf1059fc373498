"""The guided session: big countdown, what to do now, where you are, and the safety frame.

The runner keeps time against deadlines; this screen only shows it, and
repaints a widget only when what it shows has changed (one update a second
while counting down, nothing while paused), which keeps SSH traffic low.
"""

from __future__ import annotations

import math
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, ProgressBar, Static

from kneetui.content.model import Dose, Exercise
from kneetui.engine.cues import STOP_ADVICE, Cue, CueKind
from kneetui.engine.plan import PhaseKind, UnknownExercise, build_plan, items_from_program
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.engine.session import RunnerState, SessionRunner
from kneetui.engine.settings import RunnerSettings
from kneetui.tui.literal import bullets, heading, labelled
from kneetui.tui.plugin_screens import (
    PluginScreenError,
    PluginScreenGuard,
    leave_after_hung_plugin,
    plugin_session_screen,
)
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.safety_check import Choice, SafetyCheckResult, SafetyCheckScreen
from kneetui.tui.widgets.exercise_drawing import ExerciseDrawing

#: How often the screen asks the runner for news. The runner keeps exact time on
#: its own; this only bounds how late a change is shown.
TICK_SECONDS = 0.1
#: Over SSH or on a limited terminal: fewer wake-ups; the runner still keeps exact time.
LIGHT_TICK_SECONDS = 0.25
ADJUST_SECONDS = 5
PROGRESS_STEP = 5
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


def clock_face(seconds: float) -> str:
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


class SessionScreen(Screen[None]):
    """Guides a programme or one exercise from the safety check to the summary."""

    DEFAULT_CSS = """
    SessionScreen #session-body { height: 1fr; padding: 0 1; }
    SessionScreen #where { text-style: bold; }
    SessionScreen #main-row { height: auto; }
    SessionScreen #clock-column { width: 1fr; height: auto; }
    SessionScreen #phase-title { text-style: bold; color: $accent; }
    SessionScreen Digits { width: auto; }
    SessionScreen #drawing-box { width: auto; height: auto; }
    SessionScreen #instruction { text-style: bold; margin-top: 1; }
    SessionScreen #next { color: $text-muted; }
    SessionScreen #paused { text-style: bold reverse; display: none; }
    SessionScreen.-paused #paused { display: block; }
    SessionScreen #outcome { display: none; margin-top: 1; }
    SessionScreen.-over #outcome { display: block; }
    SessionScreen.-over #main-row, SessionScreen.-over #instruction, SessionScreen.-over #next,
    SessionScreen.-over #session-progress, SessionScreen.-over #paused { display: none; }
    SessionScreen.-flash #session-body { background: $warning 40%; }
    SessionScreen.-narrow #main-row { layout: vertical; }
    """
    # Ordered by importance: the footer shows them left to right and may cut the end.
    BINDINGS = [
        Binding("exclamation_mark", "pain_worse", "Pain worse"),
        Binding("space", "toggle_pause", "Pause"),
        Binding("enter,r", "count_rep", "Rep"),
        Binding("q", "quit_session", "Quit"),
        Binding("n", "skip", "Skip"),
        Binding("b", "back", "Back"),
        Binding("plus,equals_sign", f"adjust({ADJUST_SECONDS})", f"+{ADJUST_SECONDS}s"),
        Binding("minus", f"adjust(-{ADJUST_SECONDS})", f"-{ADJUST_SECONDS}s"),
        Binding("escape", "leave", "Home"),
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
        self.outcome_notes: list[str] = []
        self.plugin_guard: PluginScreenGuard | None = None
        self._handed_over: set[int] = set()
        self._own_guidance: set[int] = set()
        self._last_view: tuple[Any, ...] | None = None
        self._drawing_of: str | None = None

    # -- layout ---------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="session-body"):
            yield Static(id="where")
            with Horizontal(id="main-row"):
                with Vertical(id="clock-column"):
                    yield Static(id="phase-title")
                    yield Digits("", id="clock")
                    yield Static(id="reps")
                yield Vertical(id="drawing-box")
            yield Static(id="instruction")
            yield Static(id="next")
            yield Static("PAUSED: press space to go on", id="paused")
            yield ProgressBar(total=100, show_eta=False, id="session-progress")
            yield Static(id="outcome")
        yield Footer()

    def on_resize(self) -> None:
        self.set_class(self.size.width < 70, "-narrow")

    # -- start ----------------------------------------------------------------------

    def on_mount(self) -> None:
        problem = self.resolve_items()
        self.title = "Session"
        self.sub_title = self.title_text
        if problem:
            self.end_with(problem)
            return
        self.asking = True
        self.app.push_screen(SafetyCheckScreen(), self.after_safety_check)

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
        try:
            self.items = items_from_program(program, catalog.exercise)
        except UnknownExercise as error:
            return f"The programme {program.name!r} cannot run: {error}"
        self.program_id = program.id
        self.title_text = program.name
        return ""

    def after_safety_check(self, result: SafetyCheckResult | None) -> None:
        self.asking = False
        if result is None:
            self.app.pop_screen()
            return
        items = self.items
        if result.choice is Choice.GENTLEST_ONLY:
            items = [item for item in items if item[0].suits_acute]
            self.outcome_notes.append(
                "You continued with the gentlest exercises only, after the advice to be evaluated."
            )
        settings = RunnerSettings.from_settings(self.app.settings)
        plan = build_plan(items or self.items[:1], settings)
        self.runner = SessionRunner(plan, self.app.clock, self.app.history, settings)
        cues = self.runner.start(
            result.answers, continued_despite_advice=result.choice is Choice.GENTLEST_ONLY, program_id=self.program_id
        )
        if result.choice is Choice.STOP or not items:
            reason = (
                "advised a professional evaluation"
                if result.choice is Choice.STOP
                else "no gentle exercise in this programme"
            )
            self.runner.quit(reason)
            self.runner.finish(None)
            self.end_with("You chose to stop and have your knee evaluated first. That answer is recorded.")
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
            if cue.kind is CueKind.STOPPED:
                self.stop_for_pain()
                return
        self.follow_phase()

    def follow_phase(self) -> None:
        runner = self.runner
        if runner is None or self.asking or self.over:
            return
        if runner.state is RunnerState.DONE:
            self.ask(PainQuestionScreen("How is your knee after the session?"), self.after_pain_after)
            return
        phase = runner.phase
        if phase.kind is PhaseKind.PAIN_CHECK:
            self.ask(
                PainQuestionScreen("How is your knee now?", "0 to 10, as before the session. Escape skips."),
                self.after_pain_check,
            )
        elif phase.exercise is not None and phase.exercise_number not in self._handed_over | self._own_guidance:
            self.maybe_hand_over(phase.exercise, phase.exercise_number)

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
        digits = self.query_one("#clock", Digits)
        if digits.value != clock:
            digits.update(clock)
        if phase.kind is PhaseKind.REPS:
            target = phase.target_reps or 0
            how = "counted for you" if phase.tempo_seconds else "press Enter after each rep"
            self.query_one("#reps", Static).update(f"of {target} reps ({how})")
        self.set_class(runner.paused, "-paused")
        # In 5% steps: a whole-width bar redrawn every second is most of the bytes sent.
        stepped = PROGRESS_STEP * math.floor(runner.progress() * 100 / PROGRESS_STEP)
        bar = self.query_one(ProgressBar)
        if bar.progress != stepped:
            bar.update(progress=stepped)

    def show_phase(self) -> None:
        runner = self.runner
        assert runner is not None
        phase = runner.phase
        parts = []
        if phase.exercise is not None:
            parts.append(f"Exercise {phase.exercise_number} of {runner.plan.exercise_count}: {phase.exercise.name}")
            if phase.sets > 1:
                parts.append(f"set {phase.set_number} of {phase.sets}")
            if phase.side:
                parts.append(f"{phase.side} side")
        self.query_one("#where", Static).update(Content(" · ".join(parts)))
        self.query_one("#phase-title", Static).update(PHASE_TITLES[phase.kind])
        self.query_one("#reps", Static).update("")
        self.query_one("#instruction", Static).update(Content(phase.instruction))
        following = runner.next_phase
        self.query_one("#next", Static).update(Content(f"Next: {following.instruction}") if following else "")
        exercise = phase.exercise
        if exercise is not None and exercise.id != self._drawing_of:
            self._drawing_of = exercise.id
            box = self.query_one("#drawing-box")
            box.remove_children()
            box.mount(ExerciseDrawing(exercise.drawing, animate=self.app.animate_drawings))
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        running = self.runner is not None and self.runner.state is RunnerState.RUNNING and not self.over
        if action == "leave":
            return self.over
        if action == "count_rep":
            return running and self.runner.phase.kind is PhaseKind.REPS and not self.runner.phase.tempo_seconds
        if action in ("toggle_pause", "skip", "back", "adjust", "pain_worse", "quit_session"):
            return running
        return True

    # -- keys ---------------------------------------------------------------------------

    def act(self, cues: list[Cue]) -> None:
        self.handle(cues)
        self.update_view()

    def action_toggle_pause(self) -> None:
        if self.runner:
            self.runner.toggle_pause()
            self.update_view()

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

    def action_quit_session(self) -> None:
        def confirmed(yes: bool | None) -> None:
            self.asking = False
            if yes and self.runner is not None:
                self.runner.quit()
                self.outcome_notes.append("You ended the session early. What you did is kept.")
                self.ask(PainQuestionScreen("How is your knee now?"), self.after_pain_after)

        self.ask(
            ConfirmScreen("End this session now? Everything you have done so far is kept.", yes="End it"), confirmed
        )

    def action_leave(self) -> None:
        if self.over:
            self.app.action_home()

    # -- answers ------------------------------------------------------------------------

    def after_pain_check(self, score: int | None) -> None:
        self.asking = False
        if self.runner is None:
            return
        self.act(self.runner.skip() if score is None else self.runner.answer_pain(score))

    def after_pain_after(self, score: int | None) -> None:
        self.asking = False
        if self.runner is None:
            return
        self.runner.finish(score)
        self.end_with("")

    def stop_for_pain(self) -> None:
        self.outcome_notes.append("The session stopped because the pain got worse.")
        self.ask(PainQuestionScreen("How is your knee now?", STOP_ADVICE), self.after_pain_after)

    def end_with(self, message: str) -> None:
        self.over = True
        self.add_class("-over")
        runner = self.runner
        parts = []
        stopped_for_pain = (
            runner is not None and runner.stop_reason not in (None, "quit") and "pain" in (runner.stop_reason or "")
        )
        if stopped_for_pain:
            parts.append(Content.assemble(("STOP. ", "bold reverse"), (STOP_ADVICE, "bold")))
        elif runner is not None and runner.stop_reason is None:
            parts.append(heading("Session complete. Well done."))
        if message:
            parts.append(Content(message))
        parts += [Content(note) for note in self.outcome_notes]
        if runner is not None and runner.session_id is not None:
            recorded = self.app.history.session(runner.session_id)
            if recorded is not None:
                before = "-" if recorded.pain_before is None else str(recorded.pain_before)
                after = "-" if recorded.pain_after is None else str(recorded.pain_after)
                parts.append(labelled("Pain before → after", f"{before} → {after}"))
                names = {exercise.id: exercise.name for exercise, _ in self.items}
                lines = [
                    f"{names.get(block.exercise_id, block.exercise_id)}: {block.kind}"
                    + (f" {block.side}" if block.side else "")
                    + f", {block.done} of {block.planned} {'reps' if block.kind == 'reps' else 's'}"
                    for block in recorded.blocks
                ]
                parts.append(labelled("Recorded", f"{len(lines)} block(s)"))
                if lines:
                    parts.append(bullets(lines))
        parts.append(Content.assemble(("Press Escape to go home.", "bold")))
        self.query_one("#outcome", Static).update(Content("\n").join(parts))
        self.query_one("#phase-title", Static).update("")
        self.refresh_bindings()

    # -- plug-in screens ----------------------------------------------------------------

    def maybe_hand_over(self, exercise: Exercise, exercise_number: int) -> None:
        runner = self.runner
        assert runner is not None and runner.session_id is not None
        owner = self.app.catalog.owner_of("exercises", exercise.id)
        dose = next((dose for item, dose in self.items if item.id == exercise.id), None) or exercise.dosage.lowest()
        guide = SessionGuide(
            exercise=exercise,
            dose=dose,
            clock=self.app.clock,
            recorder=self.app.history,
            session_id=runner.session_id,
            plugin=owner,
            bell=self.app.settings.bell,
            flash=self.app.settings.flash,
            animations=self.app.animate_drawings,
            on_stop=lambda: self.plugin_done(stop=True),
            on_finish=lambda: self.plugin_done(stop=False),
        )
        try:
            screen = plugin_session_screen(self.app.plugins, owner, exercise, guide)
        except PluginScreenError as error:
            self._own_guidance.add(exercise_number)
            self.notify(f"{error}. kneetui guides this exercise instead.", severity="warning", markup=False)
            return
        if screen is None:
            self._own_guidance.add(exercise_number)
            return
        self._handed_over.add(exercise_number)
        self.guide = guide
        if not runner.paused:
            runner.toggle_pause()
        self.plugin_guard = PluginScreenGuard(screen, owner, self.plugin_failed)
        self.app.plugin_screen_guard = self.plugin_guard
        # A screen that never gives the event loop back is interrupted, and closed by the guard.
        self.plugin_guard.start_watchdog(
            self.app.settings.plugin_screen_timeout_seconds, lambda: leave_after_hung_plugin(self.app, owner)
        )
        self.asking = True
        self.app.push_screen(screen, lambda _result: self.plugin_done(stop=False))

    def plugin_done(self, stop: bool) -> None:
        guard = self.plugin_guard
        if guard is None:
            return
        self.plugin_guard = None
        self.app.plugin_screen_guard = None
        guard.stop_watchdog()
        if guard.screen in self.app.screen_stack:
            # Dismissing would call back here again; popping closes it quietly.
            while guard.screen in self.app.screen_stack:
                self.app.pop_screen()
        self.asking = False
        if self.runner is None:
            return
        self.act(self.runner.pain_is_worse() if stop else self.runner.skip_to_pain_check())

    def plugin_failed(self, reason: str) -> None:
        if self.plugin_guard is not None:
            self.app.closed_plugin_guards.append(self.plugin_guard)
        self.plugin_guard = None
        self.app.plugin_screen_guard = None
        self.asking = False
        runner = self.runner
        if runner is None:
            return
        self._own_guidance.add(runner.phase.exercise_number)
        self.notify(
            f"The plug-in's screen failed ({reason}). kneetui guides this exercise from here; what you did is kept.",
            title="Plug-in screen closed",
            severity="error",
            timeout=10,
            markup=False,
        )
        if runner.paused:
            runner.toggle_pause()
        self._last_view = None
        self.update_view()
