"""A patient's kneetui on its pty, driven directly: resizing, waiting for output, and ending it."""

from __future__ import annotations

import asyncio
import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kneetui.serve.terminal import PtyChild, TerminalSize, spawn

WAIT = 20.0
#: Prints its window's size whenever it is sent a line, and stops at "q".
SIZES = r"""
import os, sys
for line in sys.stdin:
    if line.strip() == "q":
        break
    size = os.get_terminal_size(0)
    print(f"size={size.columns}x{size.lines}", flush=True)
"""


async def start(program: str) -> PtyChild:
    argv, env = (sys.executable, "-I", "-c", program), {"PATH": os.environ["PATH"]}
    return await PtyChild.open(TerminalSize(80, 24), lambda terminal: spawn(argv, env, terminal, Path("/"), None))


async def read_until(child: PtyChild, text: bytes) -> bytes:
    seen = b""
    while text not in seen:
        chunk = await asyncio.wait_for(child.read(), WAIT)
        assert chunk, f"the child ended before {text!r}; it showed {seen!r}"
        seen += chunk
    return seen


async def test_a_resize_reaches_the_childs_terminal():
    child = await start(SIZES)
    try:
        await child.write(b"x\n")
        await read_until(child, b"size=80x24")
        child.resize(TerminalSize(100, 30))
        await child.write(b"x\n")
        await read_until(child, b"size=100x30")
    finally:
        await child.end(grace=2.0)


async def test_waiting_for_a_silent_child_does_not_spin():
    """While the child shows nothing, reading waits for the terminal to be readable instead of polling it."""
    child = await start("import time; time.sleep(30)")
    waits = []
    until_ready = child._until_ready

    async def counted(readable: bool) -> None:
        waits.append(readable)
        await until_ready(readable)

    child._until_ready = counted  # type: ignore[method-assign]
    try:
        reading = asyncio.ensure_future(child.read())
        await asyncio.sleep(0.3)
        assert not reading.done()
        assert waits == [True]
        reading.cancel()
    finally:
        await child.end(grace=0.5)


async def test_an_ended_child_has_its_terminal_closed_and_reads_as_ended():
    child = await start("import time; time.sleep(30)")
    master = child._master
    status = await child.end(grace=0.5)
    assert status in (-1, -9)
    with pytest.raises(OSError, match="Bad file descriptor") as closed:
        os.fstat(master)
    assert closed.value.errno == errno.EBADF
    assert await asyncio.wait_for(child.read(), WAIT) == b""
    child.resize(TerminalSize(100, 30))  # nothing to resize, and no error
    assert await child.end(grace=0.5) == status  # ending twice closes nothing twice


def test_asking_whether_a_server_is_running_sends_it_no_signal():
    from kneetui.serve.clinic import pid_alive

    # SIGHUP at its default even under nohup, which the checks may run in.
    program = (
        "import signal, time; signal.signal(signal.SIGHUP, signal.SIG_DFL); print('ready', flush=True); time.sleep(30)"
    )
    sleeper = subprocess.Popen([sys.executable, "-c", program], stdout=subprocess.PIPE)
    try:
        assert sleeper.stdout is not None and sleeper.stdout.readline() == b"ready\n"
        assert pid_alive(sleeper.pid)
        with pytest.raises(subprocess.TimeoutExpired):
            sleeper.wait(timeout=0.3)  # a signal such as SIGHUP would have ended it
    finally:
        sleeper.kill()
        sleeper.wait()
        sleeper.stdout.close()
    assert not pid_alive(sleeper.pid)


async def test_typing_more_than_the_terminal_holds_waits_for_room_and_all_of_it_arrives():
    """The child reads nothing for a while and says nothing until it has all: the write waits for room."""
    child = await start(
        "import os, sys, time, tty\n"
        "tty.setraw(0)\n"
        "time.sleep(0.5)\n"
        "got = 0\n"
        "while got < 200000:\n"
        "    got += len(os.read(0, 65536))\n"
        "print('got', got, flush=True)\n"
    )
    try:
        await asyncio.sleep(0.2)  # raw mode set, so nothing is echoed or held back for a line
        await asyncio.wait_for(child.write(b"k" * 200_000), WAIT)
        await read_until(child, b"got 200000")
    finally:
        await child.end(grace=0.5)
