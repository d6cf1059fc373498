"""Run a full-screen program in an 80x24 pseudo-terminal and watch what it writes.

Shared by the start-up, memory and bytes-per-second benchmarks. The program
gets a fresh session with the pty as its controlling terminal, so it behaves as
it would in a real terminal (or over SSH), and the output is drained all the
time so the program never blocks on a full pty buffer.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

COLUMNS = 80
ROWS = 24
# Escape sequences, so that text split by colour changes can still be found.
_ESCAPE = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[@-Z\\-_])")


def plain_text(output: bytes) -> str:
    """What a person would read in ``output``: escape sequences removed."""
    return _ESCAPE.sub(b"", output).decode("utf-8", "replace")


def kneetui_home(root: Path, **settings: object) -> dict[str, str]:
    """Environment with fresh XDG folders under ``root`` and a ``config.toml`` of ``settings``.

    ``safety_acknowledged`` is true unless ``settings`` says otherwise, so the
    app opens on Home rather than on the first-run safety notice.
    """
    values = {"safety_acknowledged": True, **settings}
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        folder = root / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"XDG_{name}_HOME"] = str(folder)
    env["HOME"] = str(root)
    config = root / "config" / "kneetui"
    config.mkdir(parents=True, exist_ok=True)
    lines = [f"{key} = {_toml_value(value)}" for key, value in values.items()]
    (config / "config.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return env


def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return str(value)


def terminal_env(env: dict[str, str]) -> dict[str, str]:
    """``env`` made to look like an interactive 80x24 xterm."""
    env = dict(env)
    env.update(TERM="xterm-256color", COLUMNS=str(COLUMNS), LINES=str(ROWS), PYTHONIOENCODING="utf-8")
    for name in ("NO_COLOR", "TEXTUAL", "TEXTUAL_DRIVER", "TEXTUAL_ANIMATIONS", "SSH_CONNECTION"):
        env.pop(name, None)
    return env


def _become_terminal_session() -> None:
    # Runs in the child: a new session whose controlling terminal is the pty on fd 0.
    os.setsid()
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


@dataclass
class TerminalRun:
    """A program running in a pty: its output so far, with a timestamp per chunk."""

    process: subprocess.Popen
    master: int
    started: float
    chunks: list[tuple[float, bytes]] = field(default_factory=list)
    rusage: object | None = None
    #: Index into ``chunks`` where the current ``wait_for`` search begins.
    mark: int = 0

    @classmethod
    def start(cls, argv: Sequence[str], env: dict[str, str], cwd: str | None = None) -> TerminalRun:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        started = time.perf_counter()
        process = subprocess.Popen(
            list(argv),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=terminal_env(env),
            cwd=cwd,
            preexec_fn=_become_terminal_session,
            close_fds=True,
        )
        os.close(slave)
        return cls(process, master, started)

    def read_for(self, seconds: float) -> bool:
        """Collect output for up to ``seconds``; False once the program has closed the pty."""
        deadline = time.perf_counter() + seconds
        while True:
            left = deadline - time.perf_counter()
            if left <= 0:
                return True
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                return True
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: every copy of the slave side is closed
                return False
            if not data:
                return False
            self.chunks.append((time.perf_counter(), data))

    def text_since_mark(self) -> str:
        return plain_text(b"".join(data for _, data in self.chunks[self.mark :]))

    def wait_for(self, text: str, timeout: float = 60.0) -> float:
        """Wait until ``text`` appears in the output after the mark; return when it arrived.

        The time returned is that of the chunk which completed the text, so the
        moment of the check does not inflate it.
        """
        deadline = time.perf_counter() + timeout
        while True:
            chunks = self.chunks[self.mark :]
            if text in plain_text(b"".join(data for _, data in chunks)):
                # The first chunk after which the text is complete.
                low, high = 0, len(chunks) - 1
                while low < high:
                    middle = (low + high) // 2
                    if text in plain_text(b"".join(data for _, data in chunks[: middle + 1])):
                        high = middle
                    else:
                        low = middle + 1
                return chunks[low][0]
            if time.perf_counter() > deadline:
                tail = self.text_since_mark()[-400:]
                raise TimeoutError(f"{text!r} did not appear within {timeout:g} s; last output: {tail!r}")
            if not self.read_for(0.05) and self.process.poll() is not None:
                raise RuntimeError(f"the program exited ({self.process.returncode}) before {text!r} appeared")

    def set_mark(self) -> None:
        """Later ``wait_for`` calls look only at output written from now on."""
        self.mark = len(self.chunks)

    def send(self, keys: str | bytes) -> None:
        os.write(self.master, keys.encode() if isinstance(keys, str) else keys)

    def bytes_between(self, start: float, end: float) -> int:
        return sum(len(data) for when, data in self.chunks if start <= when < end)

    def finish(self, quit_keys: str | bytes | None = None, timeout: float = 10.0) -> object:
        """Send ``quit_keys``, wait for the program to end, and return its resource usage."""
        if quit_keys is not None and self.process.poll() is None:
            with contextlib.suppress(OSError):
                self.send(quit_keys)
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            self.read_for(0.05)
            pid, status, rusage = os.wait4(self.process.pid, os.WNOHANG)
            if pid:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                self.rusage = rusage
                break
        else:
            self.process.send_signal(signal.SIGKILL)
            _, status, rusage = os.wait4(self.process.pid, 0)
            self.process.returncode = os.waitstatus_to_exitcode(status)
            self.rusage = rusage
        os.close(self.master)
        return self.rusage
