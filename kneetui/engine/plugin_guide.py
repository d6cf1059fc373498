"""What kneetui hands to a plug-in that guides an exercise with its own screen and timer.

The plug-in's screen runs inside kneetui's safety frame: kneetui asks the pain
before and after, applies the stop rule, and records what the plug-in reports.
No Textual here; the plug-in's screen is its own business.
"""

from __future__ import annotations

from collections.abc import Callable

from kneetui.content.model import Dose, Exercise
from kneetui.engine.clock import Clock
from kneetui.engine.recording import BlockKind, BlockRecord, SessionRecorder


class SessionGuide:
    """Passed to ``kneetui_session_screen(exercise, guide)``.

    The plug-in's screen reads ``exercise``, ``dose`` and ``clock`` (use it for
    every wait and measurement), reports each completed block with
    :meth:`record_block`, and calls :meth:`finish` (or simply dismisses itself)
    when done.

    kneetui's frame owns ``!`` (the pain is worse) and ``q`` (end the session)
    on the plug-in's screen and on anything it opens. To keep the block in
    progress when the person presses one of them, register a callback with
    :meth:`before_stop`. :meth:`pain_is_worse` remains for a plug-in that
    notices worse pain in its own way.
    """

    def __init__(
        self,
        *,
        exercise: Exercise,
        dose: Dose,
        clock: Clock,
        recorder: SessionRecorder,
        session_id: int,
        plugin: str,
        bell: bool = True,
        flash: bool = True,
        animations: bool = True,
        on_stop: Callable[[], None] = lambda: None,
        on_finish: Callable[[], None] = lambda: None,
        on_quit: Callable[[], None] = lambda: None,
    ) -> None:
        self.exercise = exercise
        self.dose = dose
        self.clock = clock
        self.plugin = plugin
        self.bell = bell
        self.flash = flash
        self.animations = animations
        self.blocks: list[BlockRecord] = []
        self.stopped = False
        self.finished = False
        self._recorder = recorder
        self._session_id = session_id
        self._on_stop = on_stop
        self._on_finish = on_finish
        self._on_quit = on_quit
        #: The person skipped the rest of the exercise from the plug-in's screen.
        self.skipped = False
        #: The plug-in asked kneetui to end the session (kneetui then asks the person).
        self.quit_asked = False
        self._before_stop: list[Callable[[], None]] = []
        #: kneetui's frame ended the screen (``!`` or quit); nothing more can be recorded.
        self.interrupted = False

    def record_block(
        self,
        *,
        kind: BlockKind | str,
        planned: int,
        done: int,
        started_at: float,
        ended_at: float,
        set_number: int = 1,
        side: str | None = None,
    ) -> BlockRecord:
        """Record one completed block now (seconds for holds and timed blocks, reps for reps).

        ``started_at`` and ``ended_at`` are ``clock.wall()`` times.
        """
        if self.finished or self.stopped or self.interrupted:
            raise RuntimeError("this exercise is over; nothing more can be recorded")
        block = BlockRecord(
            exercise_id=self.exercise.id,
            kind=BlockKind(kind),
            set_number=int(set_number),
            side=side,
            planned=int(planned),
            done=max(0, int(done)),
            started_at=float(started_at),
            ended_at=float(ended_at),
            plugin=self.plugin,
        )
        self._recorder.record_block(self._session_id, block)
        self.blocks.append(block)
        return block

    def before_stop(self, callback: Callable[[], None]) -> None:
        """Have ``callback`` called just before kneetui closes the screen because the person pressed
        ``!`` or ended the session; record the block in progress there."""
        self._before_stop.append(callback)

    def interrupt(self) -> list[str]:
        """kneetui's frame ends the screen: call the :meth:`before_stop` callbacks once.

        Returns a line for each callback that raised; what it recorded before raising is kept.
        """
        if self.finished or self.stopped or self.interrupted:
            return []
        problems = []
        for callback in self._before_stop:
            try:
                callback()
            except BaseException as error:  # noqa: BLE001 - a plug-in may raise anything
                problems.append(f"{self.plugin}: a before_stop callback raised {type(error).__name__}: {error}")
        self.interrupted = True
        return problems

    def pain_is_worse(self) -> None:
        """The person says the pain is worse: kneetui stops the session and shows its advice."""
        if not (self.stopped or self.finished):
            self.stopped = True
            self._on_stop()

    def skip(self) -> None:
        """The person skips the rest of this exercise: like :meth:`finish`, and kneetui notes it."""
        if not (self.stopped or self.finished):
            self.skipped = True
            self._recorder.record_note(self._session_id, f"the rest of {self.exercise.name} skipped", self.clock.wall())
            self.finish()

    def quit(self) -> None:
        """The person wants to end the whole session: kneetui asks first (as its own ``q`` does),
        keeps what was done, and asks how the knee is. If they say no, your screen goes on."""
        if not (self.stopped or self.finished or self.interrupted):
            self.quit_asked = True
            self._on_quit()

    def finish(self) -> None:
        """The exercise is done: kneetui closes the plug-in's screen and asks how the knee is."""
        if not (self.stopped or self.finished):
            self.finished = True
            self._on_finish()
