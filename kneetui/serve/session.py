"""One kneetui in a pty joined to one SSH session: bytes both ways, resizes, a clean end."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import asyncssh

from kneetui.serve.terminal import PtyChild, TerminalSize
from kneetui.terminal import TERMINAL_RESET

#: How long a goodbye message may take to leave before the session gives up on it.
GOODBYE_SECONDS = 2.0
READ_SIZE = 65536
#: Window changes reach kneetui at most this often. Each one makes kneetui draw its whole
#: screen again, and a client can send thousands a second.
RESIZE_INTERVAL = 0.1


class ResizePacer:
    """Passes window sizes to ``apply`` at most once per ``interval``: the first at once, then the latest of each burst.

    Time comes from ``loop`` (its ``time`` and ``call_at``), so tests can move it by hand.
    """

    def __init__(
        self, apply: Callable[[TerminalSize], None], loop: asyncio.AbstractEventLoop, interval: float = RESIZE_INTERVAL
    ) -> None:
        self._apply = apply
        self._loop = loop
        self._interval = interval
        self._latest: TerminalSize | None = None
        self._next_at = float("-inf")
        self._handle: asyncio.TimerHandle | None = None

    def resize(self, size: TerminalSize) -> None:
        self._latest = size
        if self._handle is not None:
            return
        if self._loop.time() >= self._next_at:
            self._flush()
        else:
            self._handle = self._loop.call_at(self._next_at, self._flush)

    def cancel(self) -> None:
        """Drop a size still waiting; nothing more is applied."""
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
        self._latest = None

    def _flush(self) -> None:
        self._handle = None
        size, self._latest = self._latest, None
        if size is not None:
            self._next_at = self._loop.time() + self._interval
            self._apply(size)


class AppSession:
    """One kneetui in a pty, joined to one SSH session until either side ends."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[bytes],
        child: PtyChild,
        on_input: Callable[[], None],
        on_oversize: Callable[[TerminalSize], None] = lambda size: None,
        resize_loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self._process = process
        self._child = child
        self._on_input = on_input
        self._on_oversize = on_oversize
        loop = asyncio.get_running_loop()
        self._stopped: asyncio.Future[str] = loop.create_future()
        self._resizes = ResizePacer(child.resize, resize_loop or loop)

    @property
    def pid(self) -> int:
        return self._child.pid

    def stop(self, message: str = "") -> None:
        """End the session from outside; ``message`` is shown to the patient if still there."""
        if not self._stopped.done():
            self._stopped.set_result(message)

    async def run(self, end_grace: float) -> int:
        """Copy bytes both ways until the app exits, the client goes or ``stop`` is called."""
        output = asyncio.create_task(self._copy_output())
        typed = asyncio.create_task(self._copy_input())
        try:
            waited: set[asyncio.Future[Any]] = {output, typed, self._stopped}
            await asyncio.wait(waited, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # Shielded: a cancelled server must still end and reap the child.
            status = await asyncio.shield(self._end(output, typed, end_grace))
        return status

    async def _end(self, output: asyncio.Task[None], typed: asyncio.Task[None], end_grace: float) -> int:
        for task in (output, typed):
            task.cancel()
        self._resizes.cancel()
        # A channel closed under the copy raises there; that is how sessions end, not an error.
        await asyncio.gather(output, typed, return_exceptions=True)
        status = await self._child.end(end_grace)
        message = self._stopped.result() if self._stopped.done() else ""
        if message:
            await self._send(TERMINAL_RESET + message.encode() + b"\r\n")
        return status

    async def _copy_output(self) -> None:
        while data := await self._child.read():
            self._process.stdout.write(data)
            await self._process.stdout.drain()

    async def _copy_input(self) -> None:
        while True:
            try:
                data = await self._process.stdin.read(READ_SIZE)
            except asyncssh.TerminalSizeChanged as change:
                size = TerminalSize(change.width, change.height, change.pixwidth, change.pixheight)
                if size.is_over_limits:
                    self._on_oversize(size)
                self._resizes.resize(size)
                continue
            except (asyncssh.BreakReceived, asyncssh.SignalReceived):
                continue
            except (asyncssh.Error, OSError):
                return
            if not data:
                return
            self._on_input()
            await self._child.write(data)

    async def _send(self, data: bytes) -> None:
        try:
            self._process.stdout.write(data)
            await asyncio.wait_for(self._process.stdout.drain(), GOODBYE_SECONDS)
        except (asyncssh.Error, OSError, TimeoutError):
            pass
