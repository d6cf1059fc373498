"""An event loop's clock and timers, moved only by the test: for what schedules with ``call_at``."""

from __future__ import annotations

from collections.abc import Callable


class FakeLoop:
    """The two things IdleWatch and ResizePacer ask of an event loop, on a clock that moves only when told."""

    def __init__(self, now: float = 0.0) -> None:
        self.now = now
        self.timers: list[tuple[float, Callable[[], object]]] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback: Callable[[], object]):
        loop = self

        class Handle:
            def cancel(self) -> None:
                loop.timers = [timer for timer in loop.timers if timer[1] is not callback]

        self.timers.append((when, callback))
        return Handle()

    def advance(self, seconds: float) -> None:
        """Move the clock on, running each timer that falls due, earliest first."""
        self.now += seconds
        while due := sorted((timer for timer in self.timers if timer[0] <= self.now), key=lambda timer: timer[0]):
            self.timers.remove(due[0])
            due[0][1]()
