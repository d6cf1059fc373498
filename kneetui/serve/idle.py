"""Noticing that a patient has stopped typing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


def duration(seconds: float) -> str:
    """``1800`` as "30 minutes", ``1`` as "1 second": for messages to patients."""
    count: float
    if seconds >= 60 and seconds % 60 == 0:
        count, unit = int(seconds // 60), "minute"
    else:
        count, unit = seconds, "second"
    return f"{count:g} {unit}{'' if count == 1 else 's'}"


class IdleWatch:
    """Calls ``on_idle`` once when nothing has been typed for ``timeout`` seconds.

    Time comes from the event loop, the clock the timer is scheduled on, so input only
    moves a deadline and the check reschedules itself at most once per timeout.
    """

    def __init__(self, timeout: float, on_idle: Callable[[], None], loop: asyncio.AbstractEventLoop) -> None:
        self._timeout = timeout
        self._on_idle = on_idle
        self._loop = loop
        self._last_input = loop.time()
        self._handle: asyncio.TimerHandle | None = loop.call_at(self._last_input + timeout, self._check)

    def touch(self) -> None:
        self._last_input = self._loop.time()

    def cancel(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None

    def _check(self) -> None:
        deadline = self._last_input + self._timeout
        if self._loop.time() < deadline:
            self._handle = self._loop.call_at(deadline, self._check)
            return
        self._handle = None
        self._on_idle()
