"""Helpers shared by the fault-injection tests: polling with deadlines, starting sessions."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable

from kneetui.tui.screens.session import SessionScreen


async def wait_until(pilot, predicate: Callable[[], object], timeout: float = 5.0, what: str = "condition") -> None:
    """Let the app run until ``predicate()`` holds; fail after ``timeout`` real seconds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} not met within {timeout} s")
        await pilot.pause(0.02)


async def start_exercise(pilot, exercise_id: str, pain: str = "1") -> None:
    """Choose the lowest dose of ``exercise_id`` and answer kneetui's safety check calmly."""
    pilot.app.action_guide_exercise(exercise_id)
    await pilot.pause()
    await pilot.press("enter", *pain, "enter", "n", "n")
    await pilot.pause()


def back_on_kneetuis_session(app) -> bool:
    screen = app.screen
    return (
        isinstance(screen, SessionScreen)
        and screen.runner is not None
        and app.plugin_screen_guard is None
        and not screen.asking
    )


def notices(app) -> str:
    return "\n".join(str(notification.message) for notification in app._notifications)


def screen_lines(app) -> list[str]:
    """The text of every cell of the active screen as drawn, one string per line."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


# -- the real app in a pseudo-terminal ------------------------------------------------

_ESCAPES = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[PX^_][^\x1b]*\x1b\\|\x1b[@-Z\\-_=>78]"
)


class PtyApp:
    """``python -m kneetui ARGS`` in its own pseudo-terminal, read as it draws."""

    def __init__(self, *args: str, env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        master, slave = pty.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kneetui", *args],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw = bytearray()

    @property
    def text(self) -> str:
        """Everything drawn so far with the escape sequences taken out."""
        return _ESCAPES.sub(b"", bytes(self.raw)).decode("utf-8", "replace")

    def read(self, seconds: float = 0.05) -> None:
        """Take in what the app wrote within ``seconds`` (the app blocks if nobody reads)."""
        deadline = time.monotonic() + seconds
        while True:
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                return
            try:
                data = os.read(self.master, 65536)
            except OSError:  # the app closed the terminal
                return
            if not data:
                return
            self.raw += data

    def wait_for(self, predicate: Callable[[], object] | str, timeout: float = 20.0) -> None:
        check = (lambda: predicate in self.text) if isinstance(predicate, str) else predicate
        deadline = time.monotonic() + timeout
        while not check():
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {timeout} s for {predicate!r}; the screen shows:\n{self.text[-3000:]}")
            if self.process.poll() is not None:
                self.read(0.2)
                if check():
                    return
                raise AssertionError(
                    f"kneetui exited ({self.process.returncode}) while waiting for {predicate!r}:\n{self.text[-3000:]}"
                )
            self.read()

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def exit_code(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self.read()
        self.read(0.1)
        return self.process.wait(timeout=1)

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        os.close(self.master)


def write_config(**values: object) -> None:
    """The person's settings file, as kneetui reads it at start."""
    import tomli_w

    from kneetui.storage import locations

    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    locations.config_file().write_bytes(tomli_w.dumps(values).encode())


def write_program(program_id: str, *steps: dict[str, object]) -> None:
    """A saved programme of ``steps`` (``{"exercise": id, ...dose}``) in the person's programmes."""
    import tomli_w

    from kneetui.storage import locations

    body = {"id": program_id, "name": program_id.title(), "description": "For a fault test.", "steps": list(steps)}
    text = tomli_w.dumps({"format": "kneetui-program", "version": 1, "program": body})
    locations.programs_dir().mkdir(parents=True, exist_ok=True)
    (locations.programs_dir() / f"{program_id}.toml").write_text(text)


async def short_session(pilot, exercise_id: str = "wall-slides", reps: int = 10) -> None:
    """A whole single-exercise session of reps, from the dose to the summary (get-ready 0)."""
    from kneetui.tui.screens.pain_question import PainQuestionScreen

    app = pilot.app
    await start_exercise(pilot, exercise_id)
    await wait_until(
        pilot, lambda: getattr(app.screen, "runner", None) and app.screen.runner.phase.kind == "reps", what="reps"
    )
    for _ in range(reps):
        app.screen.action_count_rep()  # what Enter does; pressing it ten times only takes longer
    await pilot.pause()
    # The check after the last exercise is the pain after the session: asked once.
    await wait_until(pilot, lambda: isinstance(app.screen, PainQuestionScreen), what="the pain question")
    await pilot.press("2", "enter")
    await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.over, what="the summary")
