"""The plug-in's own screen: a metronome that paces each bend and counts them.

Built on kneetui.screen_kit, so it looks like kneetui's own session (the clock,
the drawing, the instruction) with the metronome as its own timer.
"""

from __future__ import annotations

from kneetui.screen_kit import PluginSessionScreen
from kneetui_paced_bends.metronome import Metronome

BEATS_PER_BEND = 4  # two beats down, two beats up
BEAT_SECONDS = 1.0


class PacedBendsScreen(PluginSessionScreen):
    """DOWN, DOWN, UP, UP: one bend every four beats, counted for the person."""

    TICK_SECONDS = 0.05

    def __init__(self, guide) -> None:
        super().__init__(guide)
        self.target = guide.dose.reps or guide.exercise.dosage.lowest().reps
        self.metronome = Metronome(guide.clock, BEAT_SECONDS)
        self._shown_beat = -1

    def on_mount(self) -> None:
        # The beat counts from when the screen opens, not from when it was made.
        self.metronome = Metronome(self.guide.clock, BEAT_SECONDS)
        self.show_instruction("Follow the beat. Only bend as far as is free of pain.")

    def bends_done(self) -> int:
        return min(self.target, self.metronome.beats() // BEATS_PER_BEND)

    def tick(self) -> None:
        beat = self.metronome.beats()
        if beat == self._shown_beat:
            return
        self._shown_beat = beat
        done = self.bends_done()
        if done >= self.target:
            self.record("reps", planned=self.target, done=done)
            self.finish()
            return
        if self.guide.bell:
            self.app.bell()
        down = beat % BEATS_PER_BEND < BEATS_PER_BEND // 2
        self.show_phase("DOWN  slowly" if down else "UP  slowly")
        self.clock.show_count(done)
        self.show_count(f"of {self.target} bends")

    def action_toggle_pause(self) -> None:
        super().action_toggle_pause()
        self.metronome.toggle_pause()

    def record_so_far(self) -> None:
        # kneetui's frame is closing the screen (! or the end of the session): keep the bends done.
        done = self.bends_done()
        if done:
            self.record("reps", planned=self.target, done=done)
