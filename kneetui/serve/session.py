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


class AppSession:
    """One kneetui in a pty, joined to one SSH session until either side ends."""

    def __init__(
        self,
        process: asyncssh.SSHServerProcess[bytes],
        child: PtyChild,
        on_input: Callable[[], None],
        on_oversize: Callable[[TerminalSize], None] = lambda size: None,
    ) -> None:
        self._process = process
        self._child = child
        self._on_input = on_input
        self._on_oversize = on_oversize
        self._stopped: asyncio.Future[str] = asyncio.get_running_loop().create_future()

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
                self._child.resize(size)
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
