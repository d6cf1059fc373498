"""The built-in SSH server: each patient logs in with their key and gets their own kneetui.

It serves nothing else. No shell and no commands, no SFTP or SCP, no forwarding of ports,
agents or X11, and no passwords. Each authenticated connection may run one kneetui, in a
pseudo-terminal, with its own config and data folders under the users dir. When the
connection goes, the kneetui process (and its process group) goes with it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from kneetui.serve.host_key import HostKey, load_or_create_host_key
from kneetui.serve.idle import IdleWatch, duration
from kneetui.serve.patients import PatientHome, authorized_keys_for
from kneetui.serve.session import GOODBYE_SECONDS, AppSession
from kneetui.serve.terminal import PtyChild, TerminalSize

log = logging.getLogger("kneetui.serve")

LOGIN_TIMEOUT_SECONDS = 30
KEEPALIVE_SECONDS = 30


@dataclass(frozen=True)
class SshServeOptions:
    authorized_keys_dir: Path
    host_key_file: Path
    users_dir: Path
    host: str = "127.0.0.1"
    port: int = 2222
    max_connections: int = 10
    idle_timeout: float = 1800.0
    #: How long a kneetui process has after SIGHUP before it gets SIGKILL.
    end_grace: float = 2.0
    app_command: tuple[str, ...] = field(default=(sys.executable, "-m", "kneetui"))


def refusal_for(process: asyncssh.SSHServerProcess[bytes], port: int) -> str | None:
    """Why this session request is not served, or None when it is a terminal for the app."""
    if process.command is not None:
        return f"kneetui runs no commands here. Connect without one: ssh -t -p {port} name@host"
    if process.subsystem is not None:
        return f"kneetui offers no {process.subsystem!r} here, only its app."
    if process.get_terminal_type() is None:
        return f"kneetui needs a terminal. Connect with: ssh -t -p {port} name@host"
    return None


def exit_quietly(process: asyncssh.SSHServerProcess[bytes], status: int) -> None:
    """Send the exit status and close, unless the client has already gone."""
    with contextlib.suppress(asyncssh.Error, OSError):
        process.exit(status)


class PatientConnection(asyncssh.SSHServer):
    """One client connection: authenticates against the login name's own keys file only."""

    def __init__(self, service: KneeSSHService) -> None:
        self._service = service
        self._conn: asyncssh.SSHServerConnection | None = None
        self.user = ""
        self.peer = "unknown"
        self.session: AppSession | None = None
        self._app_claimed = False
        self._idle: IdleWatch | None = None
        self._ending = False

    @property
    def conn(self) -> asyncssh.SSHServerConnection:
        assert self._conn is not None
        return self._conn

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        host, port = conn.get_extra_info("peername")[:2]
        self.peer = f"{host} port {port}"

    def connection_lost(self, exc: Exception | None) -> None:
        self._service.release(self)
        if self._idle is not None:
            self._idle.cancel()
        if self.session is not None:
            self.session.stop()

    def begin_auth(self, username: str) -> bool:
        lookup = authorized_keys_for(self._service.options.authorized_keys_dir, username)
        if lookup.problem:
            log.info("%s: %s", self.peer, lookup.problem)
        # Always set, even to None: a client may change login name between attempts, and
        # the keys of an earlier name must never count for a later one.
        self.conn.set_authorized_keys(lookup.keys)
        return True

    # Offered for every name, known or not, so the reply does not tell which names exist.
    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        return False

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def auth_completed(self) -> None:
        self.user = self.conn.get_extra_info("username")
        if not self._service.admit(self):
            log.info("%s: %s turned away, %d connections already", self.peer, self.user, len(self._service.admitted))
            self.conn.disconnect(
                asyncssh.DISC_TOO_MANY_CONNECTIONS,
                "kneetui is busy with other patients right now. Please try again in a few minutes.",
            )
            return
        log.info("%s: %s logged in", self.peer, self.user)
        self._idle = IdleWatch(self._service.options.idle_timeout, self._on_idle, asyncio.get_running_loop())

    def claim_app(self) -> bool:
        """True the first time only: one kneetui per connection, even with connection sharing."""
        claimed, self._app_claimed = self._app_claimed, True
        return not claimed

    def touch(self) -> None:
        if self._idle is not None:
            self._idle.touch()

    def end(self, message: str) -> None:
        """Close the connection, ending its kneetui first so the patient sees ``message``."""
        self._ending = True
        if self.session is not None:
            self.session.stop(message)
        else:
            self.conn.disconnect(asyncssh.DISC_BY_APPLICATION, message)

    def session_ended(self) -> None:
        self.session = None
        if self._ending:
            asyncio.get_running_loop().call_later(GOODBYE_SECONDS, self.conn.close)

    def _on_idle(self) -> None:
        log.info("%s: %s idle for %s", self.peer, self.user, duration(self._service.options.idle_timeout))
        self.end(f"kneetui closed this connection after {duration(self._service.options.idle_timeout)} without input.")

    # No forwarding of any kind; these are asyncssh's defaults, written out to be seen.
    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False

    def tun_requested(self, unit: int | None) -> bool:
        return False


class KneeSSHService:
    """Listens, admits up to ``max_connections`` logged-in patients and runs their kneetui."""

    def __init__(self, options: SshServeOptions) -> None:
        self.options = options
        self.admitted: dict[asyncssh.SSHServerConnection, PatientConnection] = {}
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self.port = options.port
        self._sessions: set[asyncio.Task[None]] = set()

    def admit(self, patient: PatientConnection) -> bool:
        if len(self.admitted) >= self.options.max_connections:
            return False
        self.admitted[patient.conn] = patient
        return True

    def release(self, patient: PatientConnection) -> None:
        self.admitted.pop(patient.conn, None)

    async def start(self, host_key: HostKey) -> list[tuple[str, int]]:
        """Start listening; returns the addresses listened on."""
        self.options.users_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        self._acceptor = await asyncssh.create_server(
            lambda: PatientConnection(self),
            self.options.host,
            self.options.port,
            server_host_keys=[host_key.key],
            process_factory=self._serve_process,
            encoding=None,
            line_editor=False,
            allow_pty=True,
            sftp_factory=None,
            allow_scp=False,
            agent_forwarding=False,
            x11_forwarding=False,
            public_key_auth=True,
            password_auth=False,
            kbdint_auth=False,
            host_based_auth=False,
            gss_host=None,
            login_timeout=LOGIN_TIMEOUT_SECONDS,
            keepalive_interval=KEEPALIVE_SECONDS,
            keepalive_count_max=3,
        )
        self.port = self._acceptor.get_port()
        return [address[:2] for address in self._acceptor.get_addresses()]

    async def stop(self) -> None:
        """Stop listening, end every kneetui and close every connection."""
        if self._acceptor is not None:
            self._acceptor.close()
        for patient in list(self.admitted.values()):
            patient.end("The kneetui server is shutting down.")
        if self._sessions:
            await asyncio.wait(set(self._sessions), timeout=self.options.end_grace + GOODBYE_SECONDS)
        # Clients close by themselves once their kneetui has gone; closing first would cut
        # off the goodbye still on its way.
        closing = [asyncio.ensure_future(conn.wait_closed()) for conn in self.admitted]
        if closing:
            await asyncio.wait(closing, timeout=GOODBYE_SECONDS)
        for conn in list(self.admitted):
            conn.close()
        if self._acceptor is not None:
            await self._acceptor.wait_closed()

    async def _serve_process(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        patient = self.admitted.get(process.get_extra_info("connection"))
        refusal = refusal_for(process, self.port)
        if patient is None:
            refusal = "kneetui is not serving this connection."
        elif refusal is None and not patient.claim_app():
            refusal = "kneetui runs one app per connection; open a new connection for another."
        if refusal is not None:
            asked = process.command or process.subsystem or "a session"
            log.info("%s: refused %s", patient.peer if patient else "?", asked)
            process.stderr.write(refusal.encode() + b"\r\n")
            exit_quietly(process, 1)
            return
        assert patient is not None, "a refusal is set whenever there is no patient"
        task = asyncio.current_task()
        assert task is not None, "a served process always runs in a task"
        self._sessions.add(task)
        try:
            status = await self._run_app(patient, process)
        finally:
            self._sessions.discard(task)
        exit_quietly(process, status)

    async def _run_app(self, patient: PatientConnection, process: asyncssh.SSHServerProcess[bytes]) -> int:
        home = PatientHome.of(self.options.users_dir, patient.user)
        client_host, client_port = process.get_extra_info("peername")[:2]
        server_host, server_port = process.get_extra_info("sockname")[:2]
        env = home.environment(
            patient.user,
            term=process.get_terminal_type() or "xterm",
            ssh_connection=f"{client_host} {client_port} {server_host} {server_port}",
        )
        size = TerminalSize(*process.get_terminal_size())
        try:
            home.create()
            child = await PtyChild.start(self.options.app_command, env, size, cwd=home.root)
        except OSError as error:
            log.error("%s: cannot start kneetui for %s: %s", patient.peer, patient.user, error)
            process.stderr.write(b"kneetui could not start here; please tell the clinic.\r\n")
            return 1
        session = AppSession(process, child, on_input=patient.touch)
        patient.session = session
        log.info("%s: %s runs kneetui, pid %d", patient.peer, patient.user, session.pid)
        try:
            returncode = await session.run(self.options.end_grace)
        finally:
            patient.session_ended()
        # Like a shell: a process ended by signal N exits with 128 + N.
        status = returncode if returncode >= 0 else 128 - returncode
        log.info("%s: %s left kneetui (pid %d, exit status %d)", patient.peer, patient.user, session.pid, status)
        return status


async def serve_ssh(options: SshServeOptions, announce: Callable[[str], None]) -> int:
    """Run the SSH server until SIGINT or SIGTERM; ``announce`` prints where it listens."""
    host_key = load_or_create_host_key(options.host_key_file)
    service = KneeSSHService(options)
    addresses = await service.start(host_key)
    if host_key.created:
        announce(f"Made a new host key: {host_key.path}")
    for host, port in addresses:
        announce(f"kneetui SSH server listening on {host} port {port}")
    announce(f"Host key fingerprint: {host_key.fingerprint}")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
        announce("Stopping: ending every session")
        await service.stop()
    return 0
