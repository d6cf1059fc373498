"""Handing an exercise to the plug-in that owns it, and taking it back, inside kneetui's frame.

The session screen asks :class:`PluginHandOver` at each new exercise. When the
owning plug-in offers a screen of its own, the session is paused and the
plug-in's screen is shown, guarded (exceptions and a blocked event loop close
it) and framed (kneetui's ``!`` and ``q`` come first). However it ends, the
session goes on from kneetui's pain check, or stops, as the runner decides.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kneetui.content.model import Dose, Exercise
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.tui.plugin_screens import (
    PluginExit,
    PluginScreenError,
    PluginScreenGuard,
    leave_after_hung_plugin,
    plugin_session_screen,
)

if TYPE_CHECKING:
    from kneetui.tui.screens.session import SessionScreen


class PluginHandOver:
    """The plug-in screens of one session: which exercises they guide, and the one open now."""

    def _ask_to_quit(self) -> None:
        """The plug-in's screen asked to end the session: kneetui asks the person first."""
        self.session.call_later(self.app.action_frame_quit)

    def __init__(self, session: SessionScreen) -> None:
        self.session = session
        self.guard: PluginScreenGuard | None = None
        self.guide: SessionGuide | None = None
        self._handed_over: set[int] = set()
        self._own_guidance: set[int] = set()

    @property
    def app(self) -> Any:
        return self.session.app

    def decided(self, exercise_number: int) -> bool:
        """Whether it is already settled who guides this exercise."""
        return exercise_number in self._handed_over | self._own_guidance

    def offer(self, exercise: Exercise, exercise_number: int, dose: Dose) -> None:
        """Show the owning plug-in's screen for ``exercise``, if it has one; else kneetui guides it."""
        runner = self.session.runner
        assert runner is not None and runner.session_id is not None
        app = self.app
        owner = app.catalog.owner_of("exercises", exercise.id)
        guide = SessionGuide(
            exercise=exercise,
            dose=dose,
            clock=app.clock,
            recorder=app.history,
            session_id=runner.session_id,
            plugin=owner,
            bell=app.settings.bell,
            flash=app.settings.flash,
            animations=app.animate_drawings,
            on_stop=lambda: self.done(PluginExit.PAIN_WORSE),
            on_finish=lambda: self.done(PluginExit.FINISHED),
            on_quit=self._ask_to_quit,
        )
        try:
            screen = plugin_session_screen(app.plugins, owner, exercise, guide)
        except PluginScreenError as error:
            self._own_guidance.add(exercise_number)
            self.session.notify(f"{error}. kneetui guides this exercise instead.", severity="warning", markup=False)
            return
        if screen is None:
            self._own_guidance.add(exercise_number)
            return
        self._handed_over.add(exercise_number)
        self.guide = guide
        if not runner.paused:
            runner.toggle_pause()
        self.guard = PluginScreenGuard(screen, owner, self.failed, self)
        app.plugin_screen_guard = self.guard
        # A screen that never gives the event loop back is interrupted, and closed by the guard.
        self.guard.start_watchdog(
            app.settings.plugin_screen_timeout_seconds, lambda: leave_after_hung_plugin(app, owner)
        )
        self.session.asking = True
        app.push_screen(screen, lambda _result: self.done(PluginExit.FINISHED))
        app.frame_plugin_screen(screen)

    def done(self, how: PluginExit) -> None:
        """The plug-in's screen is over: finished, or ended by kneetui's frame (! or quit).

        The session takes over from its own message loop: a question asked while the
        plug-in's timer or handler is still running would belong to the plug-in's screen,
        and its answer would be lost when that screen closes.
        """
        self.session.call_later(self._take_back, how)

    def _take_back(self, how: PluginExit) -> None:
        guard = self.guard
        if guard is None:
            return
        self.guard = None
        self.app.plugin_screen_guard = None
        if how is not PluginExit.FINISHED and self.guide is not None:
            # The plug-in records the block in progress while its screen is still there.
            for problem in self.guide.interrupt():
                self.app.log.error(problem)
        guard.stop_watchdog()
        # Dismissing would call back here again; popping closes it, and whatever it opened, quietly.
        while guard.screen in self.app.screen_stack:
            self.app.pop_screen()
        self.session.asking = False
        runner = self.session.runner
        if runner is None:
            return
        if how is PluginExit.PAIN_WORSE:
            self.session.act(runner.pain_is_worse())
        elif how is PluginExit.QUIT:
            self.session.act(runner.quit())
        else:
            self.session.act(runner.skip_to_pain_check())

    def failed(self, reason: str) -> None:
        """The plug-in's screen raised or hung and was closed: kneetui guides the rest of the exercise."""
        if self.guard is not None:
            self.app.closed_plugin_guards.append(self.guard)
        self.guard = None
        self.app.plugin_screen_guard = None
        self.session.asking = False
        runner = self.session.runner
        if runner is None:
            return
        self._own_guidance.add(runner.phase.exercise_number)
        self.session.notify(
            f"The plug-in's screen failed ({reason}). kneetui guides this exercise from here; what you did is kept.",
            title="Plug-in screen closed",
            severity="error",
            timeout=10,
            markup=False,
        )
        if runner.paused:
            runner.toggle_pause()
        self.session.redraw()
