"""A pre-warmed process that forks each patient's kneetui, so a login does not pay for imports.

``kneetui serve ssh`` starts one fork server: a fresh, isolated interpreter (``python -I``,
working folder ``/``, an environment built from nothing) that imports Python, Textual and
kneetui once and then waits, with no event loop and no other thread, for requests on a Unix
socket pair. For each patient the SSH server sends the slave side of the patient's pty (and
any other descriptor the child must have) with ``socket.send_fds``, and the child's
environment, working folder and limits as JSON. The fork server forks; the child:

* leads a new session and process group, with the pty as its controlling terminal and as
  its stdin, stdout and stderr;
* closes every other descriptor it inherited (the socket, the fork server's pipes);
* replaces its whole environment with the patient's, and shows that one in
  ``/proc/PID/environ`` too;
* sets the clinic's umask and rlimits (:class:`~kneetui.serve.terminal.ChildLimits`);
* runs ``kneetui`` and exits with its status.

The fork server reports the child's pid at once and its exit status when it has reaped it,
so the SSH server (:mod:`kneetui.serve.fork_client`) can signal the child's group and learn
how it ended, as with a spawned child. Patients share the imported modules' pages
copy-on-write. Every patient's kneetui forked from one server shares its hash seed and memory
layout (address-space randomisation is per fork server, not per patient); docs/serving.md
says so. If the fork server dies, the SSH server spawns each new kneetui afresh, as before.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import gc
import io
import json
import os
import select
import signal
import socket
import sys
import termios
import threading
import time
import traceback
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kneetui.serve.terminal import ChildLimits

#: How the SSH server starts the fork server: isolated, like every patient's kneetui.
FORK_SERVER_COMMAND = (sys.executable, "-I", "-m", "kneetui.serve.fork_server")
#: What the fork server imports before it forks anyone: all a patient's first Home needs, and the
#: screens of the way from Home to a guided hold (library, exercise, dose, safety check, session),
#: which every patient takes. Imported in each child instead, they cost each about 1 MiB more.
PRELOAD = (
    "kneetui.cli.main",
    "kneetui.tui.launch",
    "kneetui.tui.app",
    "kneetui.tui.screens.home",
    "kneetui.tui.screens.safety_notice",
    "kneetui.tui.themes",
    "kneetui.history.store",
    "kneetui.exchange.installed",
    "kneetui.plugin_host.loader",
    "kneetui.storage.config",
    "textual.drivers.linux_driver",
    "textual.widgets",
    "sqlite3",
    "ctypes",  # a child writes its command line and environment where ps reads them with it
    "kneetui.tui.screens.library",
    "kneetui.tui.screens.exercise_detail",
    "kneetui.tui.screens.dose_choice",
    "kneetui.tui.screens.safety_check",
    "kneetui.tui.screens.pain_question",
    "kneetui.tui.screens.session",
    "kneetui.tui.screens.end_session",
    "kneetui.tui.screens.confirm",
    "textual.widgets._checkbox",
)
#: The built-in content, imported by the loader through its entry point in each child anyway.
PRELOAD_PLUGINS = ("kneetui_medial_knee",)
#: Runs kneetui once, headless, to its first Home, so that what that fills (Textual's caches,
#: the interpreter's specialised code) is done once and shared, not redone at every login.
WARM_UP = "kneetui.tui.warm_up"
#: Room kept in the fork server's own environment block, overwritten in each child with the
#: patient's environment so that ``/proc/PID/environ`` (ps, the operator's tools) shows theirs.
ENVIRONMENT_ROOM = 8192
ROOM_VARIABLE = "KNEETUI_ENVIRONMENT_ROOM"
#: A request is a small JSON object; a reply smaller still.
MESSAGE_BYTES = 65536
#: Descriptors a request may pass: the pty's slave side and a few more.
MAX_FDS = 8


def preload() -> None:
    """Import everything a patient's kneetui needs up to its first Home, then run it there once."""
    import importlib

    for name in (*PRELOAD, *PRELOAD_PLUGINS):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    try:
        importlib.import_module(WARM_UP).warm_up()
    except Exception:  # noqa: BLE001 - a fork server that is less warm still works
        print("kneetui fork server: the warm-up failed; going on without it", file=sys.stderr)
        traceback.print_exc()


def third_party_code_loaded() -> list[str]:
    """Modules of third-party plug-ins (entry points or the plug-in folder) this process has imported."""
    from kneetui.plugin_host.loader import USER_FOLDER_PREFIX
    from kneetui.plugin_host.reserved import third_party_modules

    theirs = third_party_modules()
    return sorted(
        name for name in list(sys.modules) if name.split(".")[0] in theirs or name.startswith(USER_FOLDER_PREFIX)
    )


def serve(control: socket.socket) -> None:
    """Answer fork requests on ``control`` until the SSH server closes it."""
    preload()
    # A third party's module imported here would be shared by every patient: refuse to fork
    # anyone, so that the SSH server spawns each kneetui afresh (and logs why).
    loaded = third_party_code_loaded()
    if loaded:
        _send(control, {"refused": f"third-party plug-in code was imported before forking: {', '.join(loaded)}"})
        return
    # The garbage of the imports goes first; what is left is never collected in a child, so
    # the collector does not write to (and copy) the pages patients share. Measured: a child
    # at Home kept about 25 MiB shared with it this way, 13 MiB without.
    gc.collect()
    gc.freeze()
    wake_read, wake_write = os.pipe()
    for descriptor in (wake_read, wake_write):
        os.set_blocking(descriptor, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda signum, frame: None)
    _send(control, {"ready": os.getpid()})
    while True:
        readable, _, _ = select.select([control.fileno(), wake_read], [], [])
        if wake_read in readable:
            with contextlib.suppress(BlockingIOError):
                os.read(wake_read, 4096)
            _reap(control)
        if control.fileno() in readable:
            message, fds, _flags, _address = socket.recv_fds(control, MESSAGE_BYTES, MAX_FDS)
            if not message:
                return  # the SSH server has gone; the children it forked go on by themselves
            try:
                _fork_one(control, json.loads(message), fds)
            finally:
                for descriptor in fds:
                    os.close(descriptor)


def _send(control: socket.socket, message: Mapping[str, object]) -> None:
    with contextlib.suppress(OSError):
        control.send(json.dumps(message).encode())


def _reap(control: socket.socket) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _send(control, {"exited": pid, "returncode": os.waitstatus_to_exitcode(status)})


def _fork_one(control: socket.socket, request: dict[str, Any], fds: list[int]) -> None:
    number = request.get("id")
    if threading.active_count() != 1:
        _send(control, {"id": number, "error": "the fork server has a thread running; it cannot fork safely"})
        return
    if not fds:
        _send(control, {"id": number, "error": "no terminal was passed"})
        return
    try:
        pid = os.fork()
    except OSError as error:
        _send(control, {"id": number, "error": f"fork failed: {error}"})
        return
    if pid == 0:
        status = 1
        # The child must never close the fork server's socket through this object: its number
        # is closed below with every other descriptor, and may be reused by then.
        control.detach()
        try:
            become_patient(request, fds)
            status = run_kneetui(request.get("argv", ["kneetui"]))
        except BaseException:  # noqa: BLE001 - told on the patient's terminal, then the child ends
            with contextlib.suppress(BaseException):
                traceback.print_exc()
        finally:
            with contextlib.suppress(BaseException):
                end_as_an_interpreter_would()
            os._exit(status)
    _send(control, {"id": number, "pid": pid})


def end_as_an_interpreter_would() -> None:
    """What Python does at exit, which ``os._exit`` skips: wait for non-daemon threads, run atexit, flush."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            with contextlib.suppress(RuntimeError):
                thread.join()
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()


def become_patient(request: Mapping[str, Any], fds: Sequence[int]) -> None:
    """In the forked child: the patient's session, terminal, descriptors, environment and limits."""
    # What the fork server registered to run at its own exit is not the patient's to run;
    # logging's flush is, once the patient's kneetui has logged anything.
    atexit._clear()
    if "logging" in sys.modules:
        atexit.register(sys.modules["logging"].shutdown)
    os.setsid()
    signal.set_wakeup_fd(-1)
    for signum in (signal.SIGCHLD, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT, signal.SIGTSTP):
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    slave, *passed = fds
    targets = [int(target) for target in request.get("pass_fds", [])]
    _arrange_descriptors(slave, dict(zip(targets, passed, strict=True)))
    # The pty becomes the controlling terminal: the kernel sends SIGWINCH and SIGHUP to this group.
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    os.umask(int(request["umask"]))
    os.chdir(str(request["cwd"]))
    environment = {str(key): str(value) for key, value in dict(request["env"]).items()}
    os.environ.clear()
    os.environ.update(environment)
    time.tzset()
    _show_environment(environment)
    _show_command_line(request.get("argv", ["kneetui"]))
    limits = request.get("limits")
    if limits is not None:
        ChildLimits(**limits).apply()
    _fresh_standard_streams()


def _arrange_descriptors(slave: int, passed: Mapping[int, int]) -> None:
    """The pty on 0, 1 and 2, each passed descriptor at its number in the SSH server, nothing else."""
    everything = [slave, *passed.values(), *passed.keys(), 2]
    # Out of the way first, so that no target is overwritten before it has been moved.
    above = max(everything) + 1
    moved = {target: fcntl.fcntl(source, fcntl.F_DUPFD, above) for target, source in passed.items()}
    terminal = fcntl.fcntl(slave, fcntl.F_DUPFD, above)
    for number in (0, 1, 2):
        os.dup2(terminal, number)
    for target, source in moved.items():
        os.dup2(source, target)  # dup2 clears close-on-exec; kneetui writes to it by number
    keep = sorted({0, 1, 2, *passed})
    start = 0
    for number in [*keep, _highest_descriptor() + 1]:
        # Never an empty range: Python 3.11 passes closerange(n, n) to close_range(n, n - 1),
        # which the kernel reads as "from n to the last descriptor".
        if start < number:
            os.closerange(start, number)
        start = number + 1


def _highest_descriptor() -> int:
    try:
        return max(int(name) for name in os.listdir("/proc/self/fd"))
    except (OSError, ValueError):
        return os.sysconf("SC_OPEN_MAX")


def _show_environment(environment: Mapping[str, str]) -> None:
    """Write the patient's environment over the fork server's own block, where /proc/PID/environ reads it."""
    # Fields 50 and 51 of stat (env_start, env_end).
    _overwrite_block(50, [f"{key}={value}" for key, value in environment.items()])


def _show_command_line(argv: Sequence[str]) -> None:
    """Show ``python -I -m kneetui ARGS`` in /proc/PID/cmdline (ps, pkill -f), not the fork server's own."""
    # Fields 48 and 49 of stat (arg_start, arg_end). The fork server's command line is longer
    # than a patient's, so this fits; ``pkill -f kneetui.serve.fork_server`` then ends only it.
    _overwrite_block(48, [*FORK_SERVER_COMMAND[:2], "-m", "kneetui", *[str(part) for part in argv[1:]]])


def _overwrite_block(start_field: int, strings: Sequence[str]) -> None:
    """Write NUL-ended ``strings`` over the memory between stat's fields ``start_field`` and the next."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        # This list starts at field 3.
        start, end = int(fields[start_field - 3]), int(fields[start_field - 2])
    except (OSError, IndexError, ValueError):
        return
    block = b"".join(string.encode() + b"\0" for string in strings)
    if len(block) > end - start:
        block = block[: end - start - 1] + b"\0"
    import ctypes

    ctypes.memmove(start, block + b"\0" * (end - start - len(block)), end - start)


def _fresh_standard_streams() -> None:
    """stdin, stdout and stderr on the terminal, as Python sets them up for a terminal at start.

    The fork server's own streams were made for /dev/null (block-buffered); the encoding and
    error handlers stay those its locale gave, which is the patient's locale too.
    """
    for number, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        old = getattr(sys, f"__{name}__", None)
        raw = io.FileIO(number, "r" if number == 0 else "w", closefd=False)
        buffered = io.BufferedReader(raw) if number == 0 else io.BufferedWriter(raw)
        stream = io.TextIOWrapper(
            buffered,
            encoding=getattr(old, "encoding", None) or "utf-8",
            errors=getattr(old, "errors", None) or "strict",
            line_buffering=number > 0,
        )
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)


def run_kneetui(argv: Sequence[str]) -> int:
    """What ``python -I -m kneetui ARGS`` runs, in this process; its exit status."""
    import runpy

    sys.argv = [str(part) for part in argv]
    try:
        runpy.run_module("kneetui", run_name="__main__", alter_sys=True)
    except SystemExit as exit_:
        code = exit_.code
        if code is None or isinstance(code, int):
            return code or 0
        print(code, file=sys.stderr)
        return 1
    return 0


def main() -> int:
    descriptor = int(sys.argv[1])
    os.environ.pop(ROOM_VARIABLE, None)
    control = socket.socket(fileno=descriptor)
    try:
        serve(control)
    finally:
        control.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
