"""A metronome that counts beats from its start, so it never drifts; pausing keeps its place."""

from __future__ import annotations

import math


class Metronome:
    """Counts beats of ``beat_seconds`` on a clock with ``now()`` (kneetui's guide.clock)."""

    def __init__(self, clock, beat_seconds: float) -> None:
        if beat_seconds <= 0:
            raise ValueError("a beat must last more than 0 seconds")
        self.clock = clock
        self.beat_seconds = beat_seconds
        self._started = clock.now()
        self._paused_at: float | None = None
        self._paused_total = 0.0

    @property
    def paused(self) -> bool:
        return self._paused_at is not None

    def elapsed(self) -> float:
        end = self._paused_at if self._paused_at is not None else self.clock.now()
        return end - self._started - self._paused_total

    def beats(self) -> int:
        """Whole beats since the start, not counting paused time."""
        return math.floor(self.elapsed() / self.beat_seconds + 1e-9)

    def toggle_pause(self) -> None:
        if self._paused_at is None:
            self._paused_at = self.clock.now()
        else:
            self._paused_total += self.clock.now() - self._paused_at
            self._paused_at = None
