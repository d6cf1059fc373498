"""The SSH server's handle on its fork server: start it, ask it for children, notice if it dies.

:mod:`kneetui.serve.fork_server` is the process itself. Here, in the SSH server's event loop:
:meth:`ForkServer.start` starts it with an environment built from nothing and waits until it
is warm; :meth:`ForkServer.fork` sends it a patient's pty slave and gets back a
:class:`ForkedChild` (pid at once, exit status once reaped). When it dies, that is logged,
:attr:`ForkServer.alive` turns false (the server then spawns each kneetui as before), and the
children it had forked are still noticed when they end, through a pidfd, with their exit
status given as unknown.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import logging
import os
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kneetui.serve.fork_server import (
    ENVIRONMENT_ROOM,
    FORK_SERVER_COMMAND,
    MESSAGE_BYTES,
    ROOM_VARIABLE,
)
from kneetui.serve.terminal import ChildLimits

log = logging.getLogger("kneetui.serve")

READY_TIMEOUT_SECONDS = 60.0
#: How long a login waits for the fork server to take its request and answer with a pid; after
#: that the fork server is taken for stuck, killed, and every kneetui is spawned instead.
REPLY_TIMEOUT_SECONDS = 10.0
#: prctl(2) option: orphaned descendants are re-parented to this process instead of to init.
PR_SET_CHILD_SUBREAPER = 36
#: The exit status given for a child whose fork server died first, when this process could not
#: reap it (it is not a subreaper: the child was adopted by init instead).
UNKNOWN_EXIT_STATUS = 255


class ForkServerGone(RuntimeError):
    """The fork server is not there (it died or never started): spawn the child instead."""


def fork_server_environment(passed_through: Sequence[str]) -> dict[str, str]:
    """The fork server's own environment, built from nothing (its children replace it anyway)."""
    env = {key: os.environ[key] for key in passed_through if key in os.environ}
    env.setdefault("LANG", "C.UTF-8")
    env[ROOM_VARIABLE] = "x" * ENVIRONMENT_ROOM
    return env


class ForkedChild:
    """A patient's kneetui forked by the fork server: its pid and, once reaped, its exit status."""

    def __init__(self, pid: int, ended: asyncio.Future[int]) -> None:
        self.pid = pid
        self._ended = ended

    @property
    def returncode(self) -> int | None:
        return self._ended.result() if self._ended.done() else None

    async def wait(self) -> int:
        return await asyncio.shield(self._ended)


class ForkServer:
    """The SSH server's handle on its fork server: start it, ask it for children, notice its death."""

    def __init__(self, process: asyncio.subprocess.Process, control: socket.socket) -> None:
        self._process = process
        self._control = control
        self._loop = asyncio.get_running_loop()
        self._requests: dict[int, asyncio.Future[int]] = {}
        self._children: dict[int, asyncio.Future[int]] = {}
        self._early_exits: dict[int, int] = {}
        self._pidfds: dict[int, int] = {}
        self._numbers = iter(range(1, sys.maxsize))
        self._send_waiters: list[asyncio.Future[None]] = []
        self._ready: asyncio.Future[None] = self._loop.create_future()
        self.alive = True
        self._loop.add_reader(control.fileno(), self._read)

    @classmethod
    async def start(cls, passed_through: Sequence[str], command: Sequence[str] = FORK_SERVER_COMMAND) -> ForkServer:
        """Start the fork server and wait until it has imported everything; ForkServerGone if it cannot."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            process = await asyncio.create_subprocess_exec(
                *command,
                str(theirs.fileno()),
                stdin=asyncio.subprocess.DEVNULL,
                stdout=asyncio.subprocess.DEVNULL,
                pass_fds=(theirs.fileno(),),
                env=fork_server_environment(passed_through),
                cwd="/",
                # Its own session: a Ctrl-C meant for the server does not reach it or its children.
                start_new_session=True,
            )
        except OSError as error:
            ours.close()
            raise ForkServerGone(f"cannot start the fork server: {error}") from error
        finally:
            theirs.close()
        ours.setblocking(False)
        server = cls(process, ours)
        try:
            await asyncio.wait_for(asyncio.shield(server._ready), READY_TIMEOUT_SECONDS)
        except (TimeoutError, ForkServerGone) as error:
            await server.close()
            raise ForkServerGone(f"the fork server did not get ready: {error}") from error
        return server

    @property
    def pid(self) -> int:
        return self._process.pid

    async def fork(
        self,
        terminal: int,
        env: Mapping[str, str],
        cwd: Path,
        limits: ChildLimits | None,
        pass_fds: Sequence[int] = (),
        argv: Sequence[str] = ("kneetui",),
    ) -> ForkedChild:
        """A new child on the pty slave ``terminal``; ``pass_fds`` keep their numbers in it."""
        if not self.alive:
            raise ForkServerGone("the fork server has gone")
        number = next(self._numbers)
        request = {
            "id": number,
            "env": dict(env),
            "cwd": str(cwd),
            "umask": 0o077,
            "limits": asdict(limits) if limits is not None else None,
            "pass_fds": list(pass_fds),
            "argv": list(argv),
        }
        started: asyncio.Future[int] = self._loop.create_future()
        # Forgotten when its reply is read, or all at once when the fork server is given up.
        self._requests[number] = started
        try:
            pid = await asyncio.wait_for(
                self._ask(json.dumps(request).encode(), [terminal, *pass_fds], started), REPLY_TIMEOUT_SECONDS
            )
        except TimeoutError:
            self._gone(f"it did not answer a request in {REPLY_TIMEOUT_SECONDS:g} s")
            raise ForkServerGone("the fork server did not answer in time") from None
        ended: asyncio.Future[int] = self._loop.create_future()
        if pid in self._early_exits:
            ended.set_result(self._early_exits.pop(pid))
        else:
            self._children[pid] = ended
        return ForkedChild(pid, ended)

    async def _ask(self, message: bytes, fds: list[int], started: asyncio.Future[int]) -> int:
        """Send one request, waiting while the socket is full, and wait for the pid in the reply."""
        while True:
            if not self.alive:
                raise ForkServerGone("the fork server has gone")
            try:
                socket.send_fds(self._control, [message], fds)
                break
            except BlockingIOError:
                # The fork server is busy, not gone: its socket is full until it reads.
                await self._writable()
            except OSError as error:
                self._gone(f"sending a request failed: {error}")
                raise ForkServerGone(f"the fork server has gone: {error}") from error
        return await started

    async def _writable(self) -> None:
        waiter: asyncio.Future[None] = self._loop.create_future()
        if not self._send_waiters:
            self._loop.add_writer(self._control.fileno(), self._wake_senders)
        self._send_waiters.append(waiter)
        await waiter

    def _wake_senders(self) -> None:
        self._loop.remove_writer(self._control.fileno())
        waiters, self._send_waiters = self._send_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _read(self) -> None:
        while True:
            try:
                data = self._control.recv(MESSAGE_BYTES)
            except BlockingIOError:
                return
            except OSError as error:
                self._gone(f"reading from it failed: {error}")
                return
            if not data:
                self._gone("it closed its socket")
                return
            self._answer(json.loads(data))

    def _answer(self, message: Mapping[str, Any]) -> None:
        if "ready" in message:
            if not self._ready.done():
                self._ready.set_result(None)
        elif "refused" in message:
            if not self._ready.done():
                self._ready.set_exception(ForkServerGone(f"it refused to serve: {message['refused']}"))
        elif "exited" in message:
            pid, returncode = int(message["exited"]), int(message["returncode"])
            ended = self._children.get(pid)
            if ended is None:  # reaped before the reply with its pid was read
                self._early_exits[pid] = returncode
            elif not ended.done():
                ended.set_result(returncode)
            self._children.pop(pid, None)
        elif "id" in message:
            started = self._requests.pop(int(message["id"]), None)
            if started is None or started.done():
                return
            if "pid" in message:
                started.set_result(int(message["pid"]))
            else:
                started.set_exception(ForkServerGone(str(message.get("error", "no reason given"))))

    def _gone(self, why: str) -> None:
        if not self.alive:
            return
        self._stop()
        if self._ready.done():
            log.error("the fork server (pid %d) has gone (%s); each kneetui is now started afresh", self.pid, why)
        else:
            self._ready.set_exception(ForkServerGone(why))
        for started in self._requests.values():
            if not started.done():
                started.set_exception(ForkServerGone(f"the fork server has gone ({why})"))
        self._requests.clear()
        # Children it forked are no longer anyone's to reap here: notice their end without a status.
        for pid, ended in self._children.items():
            self._watch_orphan(pid, ended)

    def _stop(self) -> None:
        """Give up on the fork server: kill it first, so it forks nothing still queued, then drop the socket."""
        self.alive = False
        # SIGKILL, not a closed socket: a fork server that is merely slow would otherwise go
        # on forking the requests already queued, onto terminals given to spawned children.
        with contextlib.suppress(ProcessLookupError):
            self._process.kill()
        # The socket is still open here: only this method closes it, and only once.
        self._loop.remove_reader(self._control.fileno())
        self._loop.remove_writer(self._control.fileno())
        waiters, self._send_waiters = self._send_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_exception(ForkServerGone("the fork server has gone"))
        self._control.close()

    def _watch_orphan(self, pid: int, ended: asyncio.Future[int]) -> None:
        try:
            pidfd = os.pidfd_open(pid)
        except OSError:
            if not ended.done():
                ended.set_result(UNKNOWN_EXIT_STATUS)
            return
        self._pidfds[pid] = pidfd

        def exited() -> None:
            self._loop.remove_reader(pidfd)
            returncode = _reap_orphan(self._pidfds.pop(pid))
            if returncode is None:
                returncode = UNKNOWN_EXIT_STATUS
                log.warning(
                    "kneetui pid %d ended after its fork server; its exit status is not known (given as %d)",
                    pid,
                    returncode,
                )
            if not ended.done():
                ended.set_result(returncode)

        self._loop.add_reader(pidfd, exited)

    async def close(self) -> None:
        """Kill the fork server; the children it forked are the SSH server's to end, not this one's."""
        if self.alive:
            self._stop()  # alive is false first, so that its end is not taken for a death
        for started in self._requests.values():
            if not started.done():
                started.set_exception(ForkServerGone("the server is stopping"))
        self._requests.clear()
        await self._process.wait()
        # Children still running are noticed when they end, as after the fork server's death.
        for pid, ended in self._children.items():
            if pid not in self._pidfds and not ended.done():
                self._watch_orphan(pid, ended)


def become_subreaper() -> bool:
    """Adopt this process's orphaned descendants (Linux's PR_SET_CHILD_SUBREAPER); False where it cannot.

    Children the fork server forked then become this process's own when the fork server dies,
    so it can learn their real exit status, and no zombie is left even when it runs as PID 1.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None)
        return bool(libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0)
    except (OSError, AttributeError):
        return False


def _reap_orphan(pidfd: int) -> int | None:
    """The exit status (negative for a signal) of the ended process ``pidfd`` refers to, if it is ours to reap."""
    try:
        result = os.waitid(os.P_PIDFD, pidfd, os.WEXITED | os.WNOHANG)
    except (OSError, AttributeError):  # not our child (no subreaper here), or no P_PIDFD
        result = None
    finally:
        os.close(pidfd)
    if result is None:
        return None
    return result.si_status if result.si_code == os.CLD_EXITED else -result.si_status
