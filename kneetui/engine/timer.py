"""A countdown that keeps a deadline instead of counting ticks, so it never drifts.

However late or irregularly the UI asks, ``remaining()`` is computed from the
clock and the deadline; a missed refresh costs a frame, never a second.
"""

from __future__ import annotations

from kneetui.engine.clock import Clock


class CountdownTimer:
    """Counts down ``seconds`` on ``clock``, running from the moment it is made.

    ``started_at`` (a ``clock.now()`` value) lets a countdown begin exactly where
    the previous one ended, so a chain of phases keeps to the plan even when the
    code that notices the end runs late.

    ``duration`` is the total length including every :meth:`adjust`, so that
    ``elapsed() + remaining() == duration`` always holds.
    """

    def __init__(self, clock: Clock, seconds: float, started_at: float | None = None) -> None:
        if seconds < 0:
            raise ValueError("a countdown cannot be shorter than zero seconds")
        self._clock = clock
        self.duration = float(seconds)
        start = clock.now() if started_at is None else started_at
        self._deadline: float | None = start + self.duration
        self._remaining_while_paused = 0.0

    @property
    def deadline(self) -> float | None:
        """The ``clock.now()`` value at which the countdown ends; None while paused."""
        return self._deadline

    @property
    def paused(self) -> bool:
        return self._deadline is None

    @property
    def expired(self) -> bool:
        return self.remaining() == 0

    @property
    def running(self) -> bool:
        """Counting down: neither paused nor expired."""
        return not self.paused and not self.expired

    def remaining(self) -> float:
        if self._deadline is None:
            return self._remaining_while_paused
        return max(0.0, self._deadline - self._clock.now())

    def elapsed(self) -> float:
        return self.duration - self.remaining()

    def pause(self) -> None:
        if self._deadline is not None:
            self._remaining_while_paused = self.remaining()
            self._deadline = None

    def resume(self) -> None:
        if self._deadline is None:
            self._deadline = self._clock.now() + self._remaining_while_paused

    def adjust(self, delta_seconds: float) -> None:
        """Add (or, negative, take away) time; the remaining time never goes below zero."""
        remaining = self.remaining()
        applied = max(delta_seconds, -remaining)
        self.duration += applied
        if self._deadline is None:
            self._remaining_while_paused = remaining + applied
        elif remaining > 0:
            self._deadline += applied
        else:
            # An expired countdown given more time counts on from now, not from
            # its old deadline, or the time since it ended would be eaten.
            self._deadline = self._clock.now() + applied
