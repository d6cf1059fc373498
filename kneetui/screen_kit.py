"""Building blocks for a plug-in's own session screen, so it looks like kneetui's own in a few lines.

This module is stable for plug-in authors, like :mod:`kneetui.api`; it imports
Textual, so import it inside your ``kneetui_session_screen`` hook (or in a
module that hook imports), never at the top of your plug-in's ``__init__``.

- :class:`PluginSessionScreen`: a ready session screen laid out like kneetui's
  (where you are, a phase title, the clock, the drawing, the instruction).
  Subclass it and write :meth:`~PluginSessionScreen.tick`.
- :class:`SessionClock`: kneetui's big clock (``m:ss`` or a count).
- :class:`ExerciseDrawing`: kneetui's drawing of an exercise, animated as the
  person's settings allow.
- :class:`Stopwatch`: time since a start on ``guide.clock``, which pausing stops.

kneetui keeps its safety frame around every plug-in screen: the key for
"pain worse", the way to leave and the footer are kneetui's, so these blocks
bind neither ``!`` nor ``q``.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from kneetui.engine.clock import Clock
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.engine.recording import BlockKind, BlockRecord
from kneetui.tui.widgets.exercise_drawing import ExerciseDrawing
from kneetui.tui.widgets.session_clock import SessionClock, clock_face
from kneetui.tui.widgets.title_bar import TitleBar

__all__ = ["ExerciseDrawing", "PluginSessionScreen", "SessionClock", "Stopwatch", "clock_face"]


class Stopwatch:
    """Seconds since a start on a :class:`~kneetui.api.Clock`, not counting paused time.

    Everything is computed from the start, never by counting ticks, so a late
    or missed tick changes nothing.
    """

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._started = clock.now()
        self._paused_at: float | None = None
        self._paused_total = 0.0

    @property
    def paused(self) -> bool:
        """Whether it is paused."""
        return self._paused_at is not None

    def elapsed(self) -> float:
        """Seconds running since the start (or the last :meth:`restart`)."""
        end = self._paused_at if self._paused_at is not None else self.clock.now()
        return end - self._started - self._paused_total

    def remaining(self, seconds: float) -> float:
        """Seconds left of a block ``seconds`` long, never below 0."""
        return max(0.0, seconds - self.elapsed())

    def pause(self) -> None:
        """Stop counting (until :meth:`resume`)."""
        if self._paused_at is None:
            self._paused_at = self.clock.now()

    def resume(self) -> None:
        """Go on counting from where it paused."""
        if self._paused_at is not None:
            self._paused_total += self.clock.now() - self._paused_at
            self._paused_at = None

    def toggle_pause(self) -> None:
        """Pause when running, go on when paused."""
        if self.paused:
            self.resume()
        else:
            self.pause()

    def restart(self) -> None:
        """Start counting again from now (running)."""
        self._started = self.clock.now()
        self._paused_at = None
        self._paused_total = 0.0


class PluginSessionScreen(Screen[None]):
    """A session screen laid out like kneetui's own, for a plug-in to subclass.

    It shows where the person is (``#where``), a phase title (``#phase-title``),
    the :class:`SessionClock` (``#clock``) with a line under it (``#count``),
    the exercise's :class:`ExerciseDrawing`, the instruction (``#instruction``)
    and a pause notice. Space pauses and goes on (:attr:`stopwatch` stops with it).

    Write :meth:`tick`: it is called every :attr:`TICK_SECONDS` while the screen
    shows, and once when it opens (after your own ``on_mount``, if you write one:
    Textual calls it before this class's). Write :meth:`record_so_far` to keep the
    block in progress when the person stops through kneetui's frame. Use :meth:`record` for each completed block and :meth:`finish` at the
    end. Every text is shown literally (``[bold]`` appears as typed).
    """

    DEFAULT_CSS = """
    PluginSessionScreen #session-body { height: 1fr; padding: 0 1; }
    PluginSessionScreen #where { text-style: bold; }
    PluginSessionScreen #main-row { height: auto; }
    PluginSessionScreen #clock-column { width: 1fr; height: auto; }
    PluginSessionScreen #phase-title { text-style: bold; color: $accent; }
    PluginSessionScreen #drawing-box { width: auto; height: auto; }
    PluginSessionScreen #instruction { text-style: bold; margin-top: 1; }
    PluginSessionScreen #paused { text-style: bold reverse; display: none; }
    PluginSessionScreen.-paused #paused { display: block; }
    PluginSessionScreen.-flash #session-body { background: $warning 40%; }
    PluginSessionScreen.-narrow #main-row { layout: vertical; }
    """
    BINDINGS = [Binding("space", "toggle_pause", "Pause")]

    #: How often :meth:`tick` runs, in seconds. Keep your timer honest: compute from :attr:`stopwatch`.
    TICK_SECONDS = 0.1
    #: Below this width the drawing goes under the clock.
    NARROW_WIDTH = 70

    def __init__(self, guide: SessionGuide) -> None:
        super().__init__()
        self.guide = guide
        self.stopwatch = Stopwatch(guide.clock)
        #: ``guide.clock.wall()`` when the current block started (for :meth:`record`).
        self.block_started_at = guide.clock.wall()
        self._started = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="session-body"):
            yield Static(Text(self.guide.exercise.name), id="where")
            with Horizontal(id="main-row"):
                with Vertical(id="clock-column"):
                    yield Static(id="phase-title")
                    yield SessionClock("", id="clock")
                    yield Static(id="count")
                with Vertical(id="drawing-box"):
                    yield ExerciseDrawing(self.guide.exercise.drawing, self.guide.animations)
            yield Static(id="instruction")
            yield Static("PAUSED: press space to go on", id="paused")

    def on_mount(self) -> None:
        # Textual calls each class's on_mount, the subclass's first; this one runs once either way.
        if self._started:
            return
        self._started = True
        self.title = self.guide.exercise.name
        self.sub_title = self.guide.dose.describe()
        self.stopwatch.restart()
        self.block_started_at = self.guide.clock.wall()
        self.guide.before_stop(self.record_so_far)
        self.set_interval(self.TICK_SECONDS, self._tick_while_open)
        self.tick()

    def on_resize(self) -> None:
        self.set_class(self.size.width < self.NARROW_WIDTH, "-narrow")

    def _tick_while_open(self) -> None:
        if not (self.guide.finished or self.guide.stopped or self.guide.interrupted):
            self.tick()

    def tick(self) -> None:
        """Move your timer on: read :attr:`stopwatch`, update the view, record and finish when due."""

    def record_so_far(self) -> None:
        """Called when the person presses ``!`` or ends the session on kneetui's frame: record the block in progress.

        kneetui closes the screen right after; nothing can be recorded later.
        """

    # -- showing ----------------------------------------------------------------------

    @property
    def clock(self) -> SessionClock:
        """The :class:`SessionClock` on this screen."""
        return self.query_one("#clock", SessionClock)

    def show_phase(self, title: str) -> None:
        """The phase title above the clock, e.g. "Hold" or "DOWN"."""
        self.query_one("#phase-title", Static).update(Text(title))

    def show_count(self, text: str) -> None:
        """The line under the clock, e.g. "of 10 reps"."""
        self.query_one("#count", Static).update(Text(text))

    def show_instruction(self, text: str) -> None:
        """The instruction under the clock and drawing."""
        self.query_one("#instruction", Static).update(Text(text))

    def show_where(self, text: str) -> None:
        """The top line (the exercise's name at first), e.g. "set 2 of 3"."""
        self.query_one("#where", Static).update(Text(text))

    def cue(self) -> None:
        """A change the person should notice: the bell and the flash, as their settings allow."""
        if self.guide.bell:
            self.app.bell()
        if self.guide.flash:
            self.add_class("-flash")
            self.set_timer(0.4, lambda: self.remove_class("-flash"))

    # -- acting -----------------------------------------------------------------------

    def action_toggle_pause(self) -> None:
        """Space: pause or go on; :attr:`stopwatch` stops meanwhile and the pause notice shows."""
        self.stopwatch.toggle_pause()
        self.set_class(self.stopwatch.paused, "-paused")

    def record(self, kind: BlockKind | str, planned: int, done: int, **details: Any) -> BlockRecord:
        """Record the block that started at :attr:`block_started_at` and ends now; the next starts now.

        ``planned`` and ``done`` are seconds for ``"hold"`` and ``"timed"``, reps for
        ``"reps"``; ``details`` may give ``set_number`` and ``side``.
        """
        now = self.guide.clock.wall()
        block = self.guide.record_block(
            kind=kind, planned=planned, done=done, started_at=self.block_started_at, ended_at=now, **details
        )
        self.block_started_at = now
        return block

    def finish(self) -> None:
        """The exercise is done: kneetui closes this screen and asks how the knee is."""
        self.guide.finish()
