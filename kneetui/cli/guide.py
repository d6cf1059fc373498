"""``kneetui guide [PROGRAMME] --plain``: a guided session, line by line, for screen readers.

The session itself is :class:`kneetui.cli.plain_session.PlainSession`; this
module picks the programme or exercise, the settings, the recorder, the
clock and the way of waiting, so that :func:`run_guide` can be driven by
tests with a fake clock, in-memory streams and a memory recorder.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import queue
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from typing import TextIO

from kneetui.cli.plain_console import is_terminal
from kneetui.cli.plain_session import PlainSession, Wait
from kneetui.content.catalog import Catalog
from kneetui.content.model import Dose, Exercise
from kneetui.engine.clock import Clock, SystemClock
from kneetui.engine.plan import UnknownExercise, build_plan, items_from_program
from kneetui.engine.recording import SessionRecorder
from kneetui.engine.session import SessionRunner
from kneetui.engine.settings import RunnerSettings
from kneetui.history.store import HistoryStore, open_history_store
from kneetui.plugin_host.loader import LoadResult

NEEDS_PLAIN = (
    "kneetui guide: the guided session here is the plain, line-by-line one. Add --plain "
    "(e.g. 'kneetui guide chronic --plain'), or run 'kneetui' for the full-screen app."
)


def open_recorder() -> tuple[SessionRecorder, str]:
    """The history store, and anything the person should be told about opening it."""
    opened = open_history_store()
    return opened.store, " ".join(opened.notices)


def find_target(target: str, catalog: Catalog) -> tuple[list[tuple[Exercise, Dose | None]], str, str | None] | str:
    """(items, title, programme id) for a programme or exercise id, or why not."""
    program = catalog.program(target)
    if program is not None:
        try:
            items = items_from_program(program, catalog.exercise)
        except UnknownExercise as error:
            return str(error)
        return items, f"Programme: {program.name}, {len(items)} exercises.", program.id
    exercise = catalog.exercise(target)
    if exercise is not None:
        return [(exercise, None)], f"Exercise: {exercise.name}.", None
    programs = ", ".join(program.id for program in catalog.programs) or "none"
    exercises = ", ".join(exercise.id for exercise in catalog.exercises) or "none"
    return f"No programme or exercise is called {target!r}. Programmes: {programs}. Exercises: {exercises}."


class LineReader:
    """Standard input read line by line on a thread of its own.

    A countdown waits on it and comes back the moment a line arrives, from a
    terminal or a pipe alike, so ``!`` and ``q`` work at any time. The end of
    input is not a line: the countdown goes on, and the next read says so.
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self._arrived: queue.Queue[str] = queue.Queue()
        self._waiting: list[str] = []
        threading.Thread(target=self._pump, name="kneetui-stdin", daemon=True).start()

    def _pump(self) -> None:
        try:
            for line in iter(self.stream.readline, ""):
                self._arrived.put(line)
        except (OSError, ValueError):
            pass  # a closed or broken stream is the end of input
        self._arrived.put("")

    def isatty(self) -> bool:
        return is_terminal(self.stream)

    def readline(self) -> str:
        """The next line, waiting for it; '' at the end of input (and every time after)."""
        line = self._waiting.pop(0) if self._waiting else self._arrived.get()
        if line == "":
            self._waiting.insert(0, "")
        return line

    def wait(self, seconds: float) -> bool:
        """Let ``seconds`` pass, or less: True as soon as a line is there to read."""
        deadline = time.monotonic() + max(0.0, seconds)
        if not self._waiting:
            try:
                self._waiting.append(self._arrived.get(timeout=max(0.0, seconds)))
            except queue.Empty:
                return False
        if self._waiting[0] != "":
            return True
        time.sleep(max(0.0, deadline - time.monotonic()))
        return False


def espeak_speaker(notices: list[str]) -> Callable[[str], None] | None:
    """Speak with espeak-ng without waiting for it; None (and a notice) when it is missing."""
    program = shutil.which("espeak-ng")
    if program is None:
        notices.append("Speech: espeak-ng is not installed, so nothing will be spoken.")
        return None

    def speak(text: str) -> None:
        # Speech is a help, never a reason to stop the session.
        with contextlib.suppress(OSError):
            subprocess.Popen(
                [program, text], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )

    return speak


def run_guide(
    args: argparse.Namespace,
    loaded: LoadResult,
    *,
    recorder: SessionRecorder | None = None,
    clock: Clock | None = None,
    wait: Wait | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
) -> int:
    """The ``guide`` command, with everything that touches the world injectable."""
    stdout = stdout or sys.stdout
    if wait is None:
        reader = LineReader(stdin or sys.stdin)
        stdin, wait = reader, reader.wait  # type: ignore[assignment]
    stdin = stdin or sys.stdin
    if not args.plain:
        print(NEEDS_PLAIN, file=sys.stderr)
        return 2
    from kneetui.storage.config import load_settings

    settings = load_settings().settings
    found = find_target(args.target or settings.program, loaded.catalog)
    if isinstance(found, str):
        print(f"kneetui guide: {found}", file=sys.stderr)
        return 2
    items, title, program_id = found
    runner_settings = RunnerSettings.from_settings(settings, tempo_seconds=args.tempo)
    if args.get_ready is not None:
        runner_settings = dataclasses.replace(runner_settings, get_ready_seconds=args.get_ready)
    if args.rest is not None:
        runner_settings = dataclasses.replace(runner_settings, rest_seconds=args.rest)
    notices: list[str] = []
    if recorder is None:
        recorder, notice = open_recorder()
        notices += [notice] if notice else []
    speak = espeak_speaker(notices) if args.speak else None
    clock = clock or SystemClock()
    previous_stop = recorder.previous_stop() if isinstance(recorder, HistoryStore) else None
    runner = SessionRunner(build_plan(items, runner_settings), clock, recorder, runner_settings, previous_stop)
    session = PlainSession(
        runner,
        title,
        clock=clock,
        wait=wait,
        stdin=stdin,
        stdout=stdout,
        program_id=program_id,
        bell=settings.bell and not args.no_bell,
        speak=speak,
        notices=notices,
    )
    if isinstance(recorder, HistoryStore):
        recorder.on_problem = session.say  # a write that fails mid-session is said at once
    try:
        return session.run()
    finally:
        close = getattr(recorder, "close", None)
        if callable(close):
            close()


def guide(args: argparse.Namespace, loaded: LoadResult) -> int:
    return run_guide(args, loaded)


def _whole_seconds(option: str, most: int) -> Callable[[str], int]:
    """The argument type of ``option``: whole seconds from 0 to ``most``, as its setting allows."""

    def seconds(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = -1
        if not 0 <= value <= most:
            raise argparse.ArgumentTypeError(f"{text!r}: give {option} a whole number of seconds from 0 to {most}")
        return value

    return seconds


def _tempo(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if not 0.5 <= value <= 60:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text!r}: give --tempo in seconds per rep, from 0.5 to 60")
    return value


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``guide`` to the ``kneetui`` parser."""
    parser = commands.add_parser(
        "guide",
        help="a guided session, line by line (--plain), for screen readers and braille displays",
        description="Guide a programme or a single exercise. Runs the 'program' setting when none is given.",
    )
    parser.add_argument("target", nargs="?", metavar="PROGRAMME", help="a programme id, or a single exercise id")
    parser.add_argument("--plain", action="store_true", help="plain lines on stdin/stdout (required for now)")
    parser.add_argument("--no-bell", action="store_true", help="do not ring the terminal bell at each change")
    parser.add_argument("--speak", action="store_true", help="also speak each cue with espeak-ng, if installed")
    parser.add_argument(
        "--get-ready",
        type=_whole_seconds("--get-ready", 60),
        metavar="SECONDS",
        help="seconds to get ready, 0 to 60 (overrides Settings)",
    )
    parser.add_argument(
        "--rest",
        type=_whole_seconds("--rest", 600),
        metavar="SECONDS",
        help="seconds of rest between sets, 0 to 600 (overrides Settings)",
    )
    parser.add_argument(
        "--tempo", type=_tempo, metavar="SECONDS", help="pace reps: one every SECONDS (0.5 to 60), counted for you"
    )
    parser.set_defaults(run=guide)
