"""The plug-in's own screen: a metronome that paces each bend and counts them."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Digits, Footer, Header, Static

from kneetui_paced_bends.metronome import Metronome

BEATS_PER_BEND = 4  # two beats down, two beats up
BEAT_SECONDS = 1.0


class PacedBendsScreen(Screen[None]):
    """DOWN, DOWN, UP, UP: one bend every four beats, counted for the person."""

    DEFAULT_CSS = """
    PacedBendsScreen { align: center middle; }
    PacedBendsScreen #direction { text-style: bold reverse; width: auto; padding: 0 2; }
    PacedBendsScreen Digits { width: auto; }
    PacedBendsScreen #count, PacedBendsScreen #hint { width: auto; }
    """
    # kneetui's frame owns ! (pain is worse) and q (end the session); the bends done so far
    # are recorded through guide.before_stop when the person presses either.
    BINDINGS = [Binding("space", "toggle_pause", "Pause")]

    def __init__(self, guide) -> None:
        super().__init__()
        self.guide = guide
        self.target = guide.dose.reps or guide.exercise.dosage.lowest().reps
        self.metronome: Metronome | None = None
        self._shown_beat = -1
        self._started_wall = 0.0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("", id="direction")
        yield Digits("0", id="bends")
        yield Static("", id="count")
        yield Static("Follow the beat. Only bend as far as is free of pain.", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.guide.exercise.name
        self.metronome = Metronome(self.guide.clock, BEAT_SECONDS)
        self._started_wall = self.guide.clock.wall()
        self.guide.before_stop(self.record_bends_so_far)
        self.set_interval(0.05, self.tick)
        self.tick()

    def bends_done(self) -> int:
        return min(self.target, self.metronome.beats() // BEATS_PER_BEND) if self.metronome else 0

    def tick(self) -> None:
        if self.metronome is None or self.guide.finished or self.guide.stopped:
            return
        beat = self.metronome.beats()
        if beat == self._shown_beat:
            return
        self._shown_beat = beat
        done = self.bends_done()
        if done >= self.target:
            self.record(done)
            self.guide.finish()
            return
        if self.guide.bell:
            self.app.bell()
        down = beat % BEATS_PER_BEND < BEATS_PER_BEND // 2
        self.query_one("#direction", Static).update("DOWN  slowly" if down else "UP  slowly")
        self.query_one("#bends", Digits).update(str(done))
        self.query_one("#count", Static).update(f"of {self.target} bends")

    def record(self, done: int) -> None:
        self.guide.record_block(
            kind="reps", planned=self.target, done=done, started_at=self._started_wall, ended_at=self.guide.clock.wall()
        )

    def action_toggle_pause(self) -> None:
        if self.metronome is not None:
            self.metronome.toggle_pause()
            self.query_one("#hint", Static).update("Paused: press space to go on." if self.metronome.paused else "")

    def record_bends_so_far(self) -> None:
        done = self.bends_done()
        if done:
            self.record(done)
