"""Clocks. Everything that waits or counts takes one, so tests pass a fake and never sleep."""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    """A source of time: ``now()`` for measuring, ``wall()`` for timestamps."""

    def now(self) -> float:
        """Monotonic seconds, for deadlines and durations."""
        ...

    def wall(self) -> float:
        """Seconds since the epoch, for timestamps a person reads."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> float:
        return time.monotonic()

    def wall(self) -> float:
        return time.time()


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: float = 1000.0, wall_start: float = 1_767_225_600.0) -> None:
        self._now = start
        self._wall_offset = wall_start - start

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._now + self._wall_offset

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("a clock does not go backwards")
        self._now += seconds
