"""A process in its own pseudo-terminal: started, resized, read, written and ended for good."""

from __future__ import annotations

import asyncio
import contextlib
import errno
import fcntl
import os
import resource
import signal
import struct
import termios
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

READ_SIZE = 65536
#: The largest window a patient's kneetui is given. Textual's cost grows with the area, and a
#: 5000 x 5000 window would take hundreds of MB; no screen shows more than this legibly.
MAX_COLUMNS = 500
MAX_ROWS = 200
#: The pty ioctl holds each number in 16 bits.
MAX_PIXELS = 65535


@dataclass(frozen=True)
class TerminalSize:
    columns: int
    rows: int
    pixel_width: int = 0
    pixel_height: int = 0

    def or_default(self) -> TerminalSize:
        """A client without a local terminal reports 0 x 0; use the classic 80 x 24 then."""
        if self.columns > 0 and self.rows > 0:
            return self
        return TerminalSize(80, 24)

    def within_limits(self) -> TerminalSize:
        """This size with columns and rows capped at MAX_COLUMNS x MAX_ROWS (0 x 0 becomes 80 x 24)."""
        size = self.or_default()
        return TerminalSize(
            min(size.columns, MAX_COLUMNS),
            min(size.rows, MAX_ROWS),
            min(max(size.pixel_width, 0), MAX_PIXELS),
            min(max(size.pixel_height, 0), MAX_PIXELS),
        )

    @property
    def is_over_limits(self) -> bool:
        return self.columns > MAX_COLUMNS or self.rows > MAX_ROWS

    def __str__(self) -> str:
        return f"{self.columns}x{self.rows}"

    def packed(self) -> bytes:
        return struct.pack("HHHH", self.rows, self.columns, self.pixel_width, self.pixel_height)


@dataclass(frozen=True)
class ChildLimits:
    """Resource limits for one patient's kneetui, so one cannot starve the others."""

    #: Address space, in bytes (RLIMIT_AS): a runaway allocation fails in that child alone.
    memory_bytes: int = 1024 * 1024 * 1024
    #: CPU seconds (RLIMIT_CPU); a patient in a hold uses well under one second a minute.
    cpu_seconds: int = 3600
    #: Open files (RLIMIT_NOFILE).
    open_files: int = 256

    def apply(self) -> None:
        """Set the limits on the calling process (the child, between fork and exec).

        Never above a hard limit the process already has: raising one needs a privilege the
        server should not have, so a server started under lower limits (a service manager's,
        a shell's ``ulimit``) passes those on instead of failing to start every patient.
        """
        _lower_limit(resource.RLIMIT_AS, self.memory_bytes, self.memory_bytes)
        # The hard limit a little above the soft one: SIGXCPU first, then SIGKILL.
        _lower_limit(resource.RLIMIT_CPU, self.cpu_seconds, self.cpu_seconds + 5)
        _lower_limit(resource.RLIMIT_NOFILE, self.open_files, self.open_files)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _lower_limit(which: int, soft: int, hard: int) -> None:
    """Set ``which`` to ``(soft, hard)``, each no higher than the hard limit in force now."""
    _, current = resource.getrlimit(which)
    if current != resource.RLIM_INFINITY:
        hard = min(hard, current)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def _prepare_child(limits: ChildLimits | None) -> None:
    # Runs in the child between fork and exec, after setsid: one ioctl that makes the pty
    # its controlling terminal, so the kernel sends it SIGWINCH when the size changes.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    # Whatever the patient's kneetui writes is for them alone.
    os.umask(0o077)
    if limits is not None:
        limits.apply()


class ChildProcess(Protocol):
    """A started child: a spawned :class:`asyncio.subprocess.Process` or one forked by the fork server."""

    @property
    def pid(self) -> int: ...

    @property
    def returncode(self) -> int | None: ...

    async def wait(self) -> int: ...


#: Starts the child on the pty's slave side (its stdin, stdout and stderr) and returns it.
Launch = Callable[[int], Awaitable[ChildProcess]]


async def spawn(
    argv: Sequence[str],
    env: Mapping[str, str],
    terminal: int,
    cwd: Path,
    limits: ChildLimits | None = None,
    pass_fds: Sequence[int] = (),
) -> ChildProcess:
    """A fresh process running ``argv`` on the pty slave ``terminal``, in its own session."""
    return await asyncio.create_subprocess_exec(
        *argv,
        stdin=terminal,
        stdout=terminal,
        stderr=terminal,
        env=dict(env),
        cwd=cwd,
        start_new_session=True,
        preexec_fn=lambda: _prepare_child(limits),
        pass_fds=tuple(pass_fds),
    )


class PtyChild:
    """A child process whose stdin, stdout and stderr are the slave side of a new pty.

    The child leads its own session and process group, so ending it ends everything it
    started too.
    """

    def __init__(self, process: ChildProcess, master_fd: int) -> None:
        self._process = process
        self._master = master_fd
        self._ended = False

    @classmethod
    async def open(cls, size: TerminalSize, launch: Launch) -> PtyChild:
        """A new pty of ``size`` with the child ``launch`` starts on it."""
        master, slave = os.openpty()
        try:
            fcntl.ioctl(master, termios.TIOCSWINSZ, size.within_limits().packed())
            os.set_blocking(master, False)
            process = await launch(slave)
        except BaseException:
            os.close(master)
            raise
        finally:
            # Only the child holds the slave now, so reads on the master end (EIO) when it exits.
            os.close(slave)
        return cls(process, master)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    def resize(self, size: TerminalSize) -> None:
        """Set the pty's size, within the limits; the kernel tells the child with SIGWINCH."""
        if not self._ended:
            fcntl.ioctl(self._master, termios.TIOCSWINSZ, size.within_limits().packed())

    async def read(self) -> bytes:
        """The next output of the child, or ``b""`` once it has closed the terminal."""
        while not self._ended:
            try:
                return os.read(self._master, READ_SIZE)
            except BlockingIOError:
                await self._until_ready(readable=True)
            except OSError as error:
                if error.errno == errno.EIO:
                    return b""
                raise
        return b""

    async def write(self, data: bytes) -> None:
        """Type ``data`` into the child's terminal, waiting while its input buffer is full."""
        view = memoryview(data)
        while view and not self._ended:
            try:
                view = view[os.write(self._master, view) :]
            except BlockingIOError:
                await self._until_ready(readable=False)

    async def _until_ready(self, readable: bool) -> None:
        loop = asyncio.get_running_loop()
        watch, unwatch = (loop.add_reader, loop.remove_reader) if readable else (loop.add_writer, loop.remove_writer)
        ready = loop.create_future()

        def wake() -> None:
            if not ready.done():
                ready.set_result(None)

        watch(self._master, wake)
        try:
            await ready
        finally:
            unwatch(self._master)

    async def end(self, grace: float) -> int:
        """End the child and its process group: SIGHUP, SIGKILL after ``grace`` s; reap it."""
        if self._process.returncode is None:
            self._signal_group(signal.SIGHUP)
            try:
                await asyncio.wait_for(self._process.wait(), grace)
            except TimeoutError:
                self._signal_group(signal.SIGKILL)
        returncode = await self._process.wait()
        # Anything the child started is still in its group after the child itself is gone.
        self._signal_group(signal.SIGKILL)
        if not self._ended:
            self._ended = True
            os.close(self._master)
        return returncode

    def _signal_group(self, signum: int) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self._process.pid, signum)
