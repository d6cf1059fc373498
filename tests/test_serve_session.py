"""One patient's SSH session joined to their kneetui (kneetui.serve.session), driven in this process.

The SSH side is a stand-in with the stdin and stdout an ``asyncssh.SSHServerProcess`` gives; the
kneetui side is a stand-in ``PtyChild`` that records what it is typed and how it is ended.
"""

from __future__ import annotations

import asyncio

import asyncssh
import pytest
from fake_loop import FakeLoop

from kneetui.serve import session as session_module
from kneetui.serve.session import READ_SIZE, RESIZE_INTERVAL, AppSession, ResizePacer
from kneetui.serve.terminal import TerminalSize
from kneetui.terminal import TERMINAL_RESET


class Typed:
    """The patient's side: each ``read`` takes the next bytes or raises the next exception."""

    def __init__(self) -> None:
        self.queue: asyncio.Queue[bytes | BaseException] = asyncio.Queue()
        self.sizes: list[int] = []

    async def read(self, size: int) -> bytes:
        self.sizes.append(size)
        item = await self.queue.get()
        if isinstance(item, BaseException):
            raise item
        return item


class Screen:
    """What reaches the patient's terminal."""

    def __init__(self, drain_error: BaseException | None = None, drain_hangs: bool = False) -> None:
        self.written = b""
        self.drains = 0
        self.drain_error = drain_error
        self.drain_hangs = drain_hangs

    def write(self, data: bytes) -> None:
        self.written += data

    async def drain(self) -> None:
        self.drains += 1
        if self.drain_error is not None:
            raise self.drain_error
        if self.drain_hangs:
            await asyncio.Event().wait()


class Process:
    def __init__(self, screen: Screen | None = None) -> None:
        self.stdin = Typed()
        self.stdout = screen or Screen()


class Child:
    """kneetui in its pty: output handed out from a queue, ``b""`` when it exits."""

    pid = 4242

    def __init__(self, status: int = 0) -> None:
        self.output: asyncio.Queue[bytes] = asyncio.Queue()
        self.typed = b""
        self.sizes: list[TerminalSize] = []
        self.ended_with: list[float] = []
        self.status = status

    async def read(self) -> bytes:
        return await self.output.get()

    async def write(self, data: bytes) -> None:
        self.typed += data

    def resize(self, size: TerminalSize) -> None:
        self.sizes.append(size)

    async def end(self, grace: float) -> int:
        self.ended_with.append(grace)
        return self.status


class Joined:
    def __init__(self, screen: Screen | None = None, status: int = 0) -> None:
        self.process = Process(screen)
        self.child = Child(status)
        self.inputs = 0
        self.oversized: list[TerminalSize] = []
        self.clock = FakeLoop(1000.0)
        self.session = AppSession(
            self.process,  # type: ignore[arg-type]
            self.child,  # type: ignore[arg-type]
            self.count_input,
            self.oversized.append,
            resize_loop=self.clock,  # type: ignore[arg-type]
        )

    def count_input(self) -> None:
        self.inputs += 1

    def start(self, grace: float = 1.5) -> asyncio.Task[int]:
        return asyncio.create_task(self.session.run(grace))


async def settle() -> None:
    for _ in range(10):
        await asyncio.sleep(0)


async def test_what_the_patient_types_reaches_kneetui_and_what_it_shows_reaches_them():
    joined = Joined()
    running = joined.start()
    joined.process.stdin.queue.put_nowait(b"j")
    joined.process.stdin.queue.put_nowait(b"\r")
    joined.child.output.put_nowait(b"\x1b[2Jhello")
    await settle()
    assert joined.child.typed == b"j\r"
    assert joined.inputs == 2
    assert joined.process.stdin.sizes[0] == READ_SIZE == 65536
    assert joined.process.stdout.written == b"\x1b[2Jhello"
    assert joined.process.stdout.drains == 1
    joined.child.output.put_nowait(b"")
    assert await running == 0
    assert joined.child.ended_with == [1.5]


async def test_the_session_ends_with_kneetuis_own_exit_status_and_no_goodbye():
    joined = Joined(status=3)
    running = joined.start(grace=0.25)
    joined.child.output.put_nowait(b"bye")
    joined.child.output.put_nowait(b"")
    assert await running == 3
    assert joined.child.ended_with == [0.25]
    assert joined.process.stdout.written == b"bye"


async def test_the_patient_closing_the_connection_ends_kneetui():
    joined = Joined(status=-1)
    running = joined.start()
    joined.process.stdin.queue.put_nowait(b"")
    assert await running == -1
    assert joined.child.ended_with == [1.5]
    assert joined.inputs == 0


@pytest.mark.parametrize("error", [asyncssh.ConnectionLost("gone"), BrokenPipeError()], ids=["ssh", "os"])
async def test_a_connection_lost_while_reading_ends_the_session(error):
    joined = Joined()
    running = joined.start()
    joined.process.stdin.queue.put_nowait(error)
    assert await running == 0
    assert joined.child.ended_with == [1.5]


async def test_a_break_or_signal_from_the_client_is_ignored_and_reading_goes_on():
    joined = Joined()
    running = joined.start()
    joined.process.stdin.queue.put_nowait(asyncssh.BreakReceived(500))
    joined.process.stdin.queue.put_nowait(asyncssh.SignalReceived("INT"))
    joined.process.stdin.queue.put_nowait(b"q")
    await settle()
    assert not running.done()
    assert joined.child.typed == b"q"
    assert joined.inputs == 1
    joined.session.stop()
    assert await running == 0


async def test_a_resized_window_resizes_kneetuis_terminal_and_only_an_oversized_one_is_reported():
    joined = Joined()
    running = joined.start()
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(100, 30, 800, 600))
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(501, 30, 0, 0))
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(500, 201, 0, 0))
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(500, 200, 0, 0))
    joined.process.stdin.queue.put_nowait(b"x")
    await settle()
    # The first at once; the rest came in the same instant, so only the latest follows, a moment later.
    assert joined.child.sizes == [TerminalSize(100, 30, 800, 600)]
    joined.clock.advance(RESIZE_INTERVAL)
    assert joined.child.sizes == [TerminalSize(100, 30, 800, 600), TerminalSize(500, 200, 0, 0)]
    assert joined.oversized == [TerminalSize(501, 30, 0, 0), TerminalSize(500, 201, 0, 0)]
    # A resize is not the patient typing: only the key counts as input.
    assert joined.inputs == 1
    joined.session.stop()
    await running


async def test_a_storm_of_window_changes_reaches_kneetui_at_most_ten_times_a_second_ending_with_the_latest():
    joined = Joined()
    running = joined.start()
    for width in range(1, 2001):
        joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(width, 40, 0, 0))
        await settle()
        joined.clock.advance(0.001)
    joined.clock.advance(RESIZE_INTERVAL)
    assert RESIZE_INTERVAL == 0.1
    assert 20 <= len(joined.child.sizes) <= 21, "2000 changes over 2 seconds"
    assert joined.child.sizes[0] == TerminalSize(1, 40) and joined.child.sizes[-1] == TerminalSize(2000, 40)
    joined.session.stop()
    await running


async def test_a_window_change_after_a_quiet_moment_is_applied_at_once():
    joined = Joined()
    running = joined.start()
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(100, 30, 0, 0))
    await settle()
    joined.clock.advance(RESIZE_INTERVAL)
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(120, 40, 0, 0))
    await settle()
    assert joined.child.sizes == [TerminalSize(100, 30), TerminalSize(120, 40)]
    joined.session.stop()
    await running


async def test_a_window_change_still_waiting_when_the_session_ends_is_dropped():
    joined = Joined()
    running = joined.start()
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(100, 30, 0, 0))
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(120, 40, 0, 0))
    await settle()
    joined.session.stop()
    await running
    joined.clock.advance(1)
    assert joined.child.sizes == [TerminalSize(100, 30)]
    assert joined.clock.timers == []


def test_the_pacer_applies_the_latest_size_of_each_burst_once_the_interval_has_passed():
    loop, applied = FakeLoop(1000.0), []
    pacer = ResizePacer(applied.append, loop, interval=0.05)  # type: ignore[arg-type]
    pacer.resize(TerminalSize(1, 1))
    pacer.resize(TerminalSize(2, 2))
    loop.advance(0.03)
    pacer.resize(TerminalSize(3, 3))
    assert applied == [TerminalSize(1, 1)]
    loop.advance(0.02)
    assert applied == [TerminalSize(1, 1), TerminalSize(3, 3)]
    loop.advance(1)
    assert applied == [TerminalSize(1, 1), TerminalSize(3, 3)], "nothing more without a change"
    pacer.cancel()
    pacer.cancel()


async def test_an_oversized_window_is_not_reported_without_a_listener():
    joined = Joined()
    joined.session = AppSession(joined.process, joined.child, joined.count_input)  # type: ignore[arg-type]
    running = joined.start()
    joined.process.stdin.queue.put_nowait(asyncssh.TerminalSizeChanged(900, 900, 0, 0))
    await settle()
    assert joined.child.sizes == [TerminalSize(900, 900, 0, 0)]
    joined.session.stop()
    assert await running == 0


async def test_stopping_from_outside_ends_kneetui_and_says_why_after_resetting_the_terminal():
    joined = Joined(status=-9)
    running = joined.start()
    joined.child.output.put_nowait(b"screen")
    await settle()
    joined.session.stop("Your session was idle for 30 minutes.")
    joined.session.stop("a second reason is not shown")
    assert await running == -9
    assert joined.child.ended_with == [1.5]
    assert joined.process.stdout.written == b"screen" + TERMINAL_RESET + b"Your session was idle for 30 minutes.\r\n"


async def test_stopping_without_a_message_writes_nothing_more():
    joined = Joined()
    running = joined.start()
    await settle()
    joined.session.stop()
    assert await running == 0
    assert joined.process.stdout.written == b""
    assert joined.process.stdout.drains == 0


async def test_the_session_knows_its_kneetuis_process_id():
    assert Joined().session.pid == 4242


@pytest.mark.parametrize(
    "screen",
    [Screen(drain_error=asyncssh.ConnectionLost("gone")), Screen(drain_error=BrokenPipeError())],
    ids=["ssh", "os"],
)
async def test_a_goodbye_to_a_patient_already_gone_is_dropped(screen):
    joined = Joined(screen, status=5)
    running = joined.start()
    await settle()
    joined.session.stop("Goodbye")
    assert await running == 5
    assert joined.process.stdout.written.endswith(b"Goodbye\r\n")


async def test_a_goodbye_that_cannot_leave_is_given_up_on(monkeypatch):
    monkeypatch.setattr(session_module, "GOODBYE_SECONDS", 0.01)
    joined = Joined(Screen(drain_hangs=True), status=7)
    running = joined.start()
    await settle()
    joined.session.stop("Goodbye")
    assert await asyncio.wait_for(running, 5) == 7


async def test_a_cancelled_server_still_ends_kneetui():
    joined = Joined()
    running = joined.start(grace=0.5)
    await settle()
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    await settle()
    assert joined.child.ended_with == [0.5]


def test_a_patients_environment_is_exactly_their_own_folders_and_nothing_from_the_server(tmp_path, monkeypatch):
    from kneetui.serve.patients import PatientHome
    from kneetui.served import SERVED_HOME_VARIABLE

    for key, value in {
        "PATH": "/usr/bin",
        "SECRET_TOKEN": "x",
        "XDG_DATA_HOME": "/srv/clinic",
        "HOME": "/root",
    }.items():
        monkeypatch.setenv(key, value)
    for key in ("LANG", "LC_ALL", "LC_CTYPE", "TZ"):
        monkeypatch.delenv(key, raising=False)
    home = PatientHome.of(tmp_path, "anna")
    root = str(home.root)

    assert home.environment("anna", "xterm-256color", "127.0.0.1 50000 127.0.0.1 2222") == {
        "PATH": "/usr/bin",
        "LANG": "C.UTF-8",
        "HOME": root,
        "USER": "anna",
        "LOGNAME": "anna",
        "TERM": "xterm-256color",
        "SSH_CONNECTION": "127.0.0.1 50000 127.0.0.1 2222",
        "PWD": "/",
        SERVED_HOME_VARIABLE: root,
        "XDG_CONFIG_HOME": f"{root}/config",
        "XDG_DATA_HOME": f"{root}/data",
        "XDG_CACHE_HOME": f"{root}/cache",
        "XDG_STATE_HOME": f"{root}/state",
    }
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert home.environment("anna", "xterm", "")["LANG"] == "de_DE.UTF-8"
