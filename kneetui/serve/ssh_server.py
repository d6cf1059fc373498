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
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh

from kneetui.serve.audit import AuditLog, client_text
from kneetui.serve.clinic import SESSIONS_FILE, SessionBoard, now_utc
from kneetui.serve.fork_client import ForkServer, ForkServerGone, become_subreaper
from kneetui.serve.host_key import HostKey, load_or_create_host_key
from kneetui.serve.idle import IdleWatch, duration
from kneetui.serve.patients import (
    PASSED_THROUGH,
    PatientHome,
    PatientKeys,
    authorized_keys_for,
    is_valid_user_name,
)
from kneetui.serve.session import GOODBYE_SECONDS, AppSession
from kneetui.serve.terminal import MAX_COLUMNS, MAX_ROWS, ChildLimits, ChildProcess, PtyChild, TerminalSize, spawn
from kneetui.serve.trust import Kind, ServerPaths, TrustError, distrust, make_private_folder
from kneetui.served import REASONS, REFUSALS_FD_VARIABLE

log = logging.getLogger("kneetui.serve")

LOGIN_TIMEOUT_SECONDS = 30
KEEPALIVE_SECONDS = 30
#: Measured: one patient's kneetui in a hold takes about 33 MiB (PSS) of the host's memory when
#: forked from the fork server (20 patients; benchmarks/README.md), about 54 MiB when spawned.
PATIENT_COST_BYTES = 34 * 1024 * 1024
#: The share of the host's memory the default cap lets patients take, leaving the rest to the system.
MEMORY_SHARE = 0.5
#: A terminal type is a short name (xterm-256color, screen.linux); anything else is refused.
TERMINAL_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
#: Refused paths one session may add to the audit log; more are counted in one line at its end.
MAX_REFUSAL_LINES = 50
REFUSAL_PURPOSES = ("export", "import", "report", "path")
#: Keys one connection may offer that are not listed before it is closed (OpenSSH's MaxAuthTries).
MAX_AUTH_FAILURES = 6
#: Requests one connection may have refused (each an audit line) before it is closed.
MAX_REFUSALS = 10
#: The interpreter runs isolated (-I): no current folder, PYTHON* variables or user site on sys.path.
APP_COMMAND = (sys.executable, "-I", "-m", "kneetui")


def host_memory_bytes() -> int:
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def default_max_connections(memory_bytes: int | None = None) -> int:
    """How many patients the host holds at once: half its memory at the measured cost each."""
    memory = host_memory_bytes() if memory_bytes is None else memory_bytes
    return max(1, int(memory * MEMORY_SHARE) // PATIENT_COST_BYTES)


@dataclass(frozen=True)
class SshServeOptions:
    authorized_keys_dir: Path
    host_key_file: Path
    users_dir: Path
    state_dir: Path
    audit_log: Path
    host: str = "127.0.0.1"
    port: int = 2222
    max_connections: int = 10
    #: Connections one patient may have at once (one key cannot take every place).
    max_per_patient: int = 2
    #: Connections from one address that have not logged in yet.
    max_unauthenticated_per_address: int = 10
    idle_timeout: float = 1800.0
    #: How long a kneetui process has after SIGHUP before it gets SIGKILL.
    end_grace: float = 2.0
    child_limits: ChildLimits = field(default_factory=ChildLimits)
    app_command: tuple[str, ...] = APP_COMMAND
    #: Fork each patient's kneetui from a pre-warmed process (only for the default command).
    fork_server: bool = True

    @property
    def paths(self) -> ServerPaths:
        return ServerPaths(self.authorized_keys_dir, self.users_dir, self.host_key_file, self.state_dir, self.audit_log)


def refusal_for(process: asyncssh.SSHServerProcess[bytes], port: int) -> str | None:
    """Why this session request is not served, or None when it is a terminal for the app."""
    if process.command is not None:
        return f"kneetui runs no commands here. Connect without one: ssh -t -p {port} name@host"
    if process.subsystem is not None:
        return f"kneetui offers no {process.subsystem!r} here, only its app."
    term = process.get_terminal_type()
    if term is None:
        return f"kneetui needs a terminal. Connect with: ssh -t -p {port} name@host"
    if not TERMINAL_TYPE.fullmatch(term):
        return (
            "kneetui cannot use the terminal type your client sent. "
            "Set TERM to a plain name such as xterm-256color and connect again."
        )
    return None


def what_was_asked(process: asyncssh.SSHServerProcess[bytes]) -> str:
    if process.command is not None:
        return "command"
    if process.subsystem is not None:
        return "subsystem"
    if process.get_terminal_type() is None:
        return "no-terminal"
    return "bad-terminal-type"


def exit_quietly(process: asyncssh.SSHServerProcess[bytes], status: int) -> None:
    """Send the exit status and close, unless the client has already gone."""
    with contextlib.suppress(asyncssh.Error, OSError):
        process.exit(status)


class AppProcess(asyncssh.SSHServerProcess[bytes]):
    """asyncssh's server process, except that a request for SFTP is audited before it is declined.

    asyncssh declines SFTP itself when the server offers none, before any process starts, so
    without this the refusal would never reach the audit log.
    """

    def __init__(
        self, patient: PatientConnection, serve: Callable[[asyncssh.SSHServerProcess[bytes]], Awaitable[None]]
    ):
        super().__init__(serve, None, 0, False)
        self._patient = patient

    def subsystem_requested(self, subsystem: str) -> bool:
        if subsystem == "sftp":
            self._patient.refused("subsystem", name="sftp")
            return False
        return super().subsystem_requested(subsystem)


class PatientConnection(asyncssh.SSHServer):
    """One client connection: authenticates against the login name's own keys file only."""

    def __init__(self, service: KneeSSHService) -> None:
        self._service = service
        self._conn: asyncssh.SSHServerConnection | None = None
        self.user = ""
        self.tried_user = ""
        self.host = "?"
        self.port = 0
        self.session: AppSession | None = None
        self.key_fingerprint = ""
        self.authenticated = False
        self.failed_attempts = 0
        self.refusals = 0
        self._keys_problem: str | None = None
        self._keys: PatientKeys | None = None
        self._app_claimed = False
        self._idle: IdleWatch | None = None
        self._ending = False
        self._turned_away = False
        self._since = 0.0

    @property
    def conn(self) -> asyncssh.SSHServerConnection:
        assert self._conn is not None
        return self._conn

    @property
    def peer(self) -> str:
        return f"{self.host} port {self.port}"

    @property
    def audit(self) -> AuditLog:
        return self._service.audit

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        self._conn = conn
        self.host, self.port = conn.get_extra_info("peername")[:2]
        if not self._service.arrive(self):
            self._turned_away = True
            self.audit.event(
                "too-many-unauthenticated",
                self.host,
                self.port,
                limit=self._service.options.max_unauthenticated_per_address,
            )
            conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, "Too many connections from your address.")

    def connection_lost(self, exc: Exception | None) -> None:
        self._service.release(self)
        if self._idle is not None:
            self._idle.cancel()
        if self.session is not None:
            self.session.stop()
        if self.authenticated:
            seconds = round(asyncio.get_running_loop().time() - self._since)
            self.audit.event("logout", self.host, self.port, user=self.user, duration=f"{seconds}s")
        elif not self._turned_away and self.failed_attempts == 0:
            user = client_text(self.tried_user) if self.tried_user else "-"
            self.audit.event("abandoned", self.host, self.port, user=user)

    def begin_auth(self, username: str) -> bool:
        self.tried_user = username
        lookup = authorized_keys_for(self._service.options.authorized_keys_dir, username)
        self._keys_problem = lookup.problem
        if lookup.problem:
            log.info("%s: %s", self.peer, lookup.problem)
        self._keys = lookup.keys
        # Always set, even to None: a client may change login name between attempts, and
        # the keys of an earlier name must never count for a later one.
        self.conn.set_authorized_keys(lookup.keys)
        return True

    # Offered for every name, known or not, so the reply does not tell which names exist.
    def public_key_auth_supported(self) -> bool:
        return True

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        """Called only for a key the name's keys file does not list: a failed attempt.

        After MAX_AUTH_FAILURES the connection is closed, so one connection cannot fill the audit log.
        """
        if self.failed_attempts >= MAX_AUTH_FAILURES:
            return False
        self.failed_attempts += 1
        reason = "key-not-listed" if self._keys_problem is None else "no-such-patient"
        self.audit.event(
            "auth-failed",
            self.host,
            self.port,
            user=client_text(username),
            key=key.get_fingerprint("sha256"),
            reason=reason,
        )
        if self.failed_attempts == MAX_AUTH_FAILURES:
            self.audit.event("auth-too-many", self.host, self.port, user=client_text(username), limit=MAX_AUTH_FAILURES)
            self.conn.disconnect(asyncssh.DISC_NO_MORE_AUTH_METHODS_AVAILABLE, "Too many authentication failures.")
        return False

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    def auth_completed(self) -> None:
        self.user = self.conn.get_extra_info("username")
        assert self._keys is not None, "a login completes only with keys read by begin_auth"
        accepted = self._keys.accepted
        self.key_fingerprint = accepted.get_fingerprint("sha256") if accepted is not None else "certificate"
        self._service.authenticated(self)
        why_not = self._service.admit(self)
        if why_not:
            self._turned_away = True
            self.audit.event("turned-away", self.host, self.port, user=self.user, reason=why_not)
            message = (
                "kneetui is busy with other patients right now. Please try again in a few minutes."
                if why_not == "server-full"
                else "You are already connected to kneetui as many times as allowed; close another connection first."
            )
            self.conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, message)
            return
        self.authenticated = True
        self._since = asyncio.get_running_loop().time()
        self.audit.event("login", self.host, self.port, user=self.user, key=self.key_fingerprint)
        self._service.board.started(self.peer, self.user, self.host, now_utc())
        self._idle = IdleWatch(self._service.options.idle_timeout, self._on_idle, asyncio.get_running_loop())

    def refused(self, asked: str, **details: object) -> None:
        """Audit a request kneetui does not serve; the MAX_REFUSALS-th closes the connection.

        So a client that keeps asking (thousands of sessions without a terminal, forwardings)
        adds at most MAX_REFUSALS + 1 lines to the audit log.
        """
        if not self.authenticated or self.refusals >= MAX_REFUSALS:
            return
        self.refusals += 1
        self.audit.event("refused", self.host, self.port, user=self.user, asked=asked, **details)
        if self.refusals == MAX_REFUSALS:
            self.audit.event("refused-too-many", self.host, self.port, user=self.user, limit=MAX_REFUSALS)
            self.end("kneetui closed this connection: it asked too many times for what kneetui does not serve.")

    def session_requested(self) -> AppProcess:
        return AppProcess(self, self._service.serve_process)

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

    # No forwarding of any kind (asyncssh's defaults), each refusal audited.
    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        self.refused("port-forward", to=client_text(f"{dest_host}:{dest_port}"))
        return False

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        self.refused("remote-port-forward", listen=client_text(f"{listen_host}:{listen_port}"))
        return False

    def unix_connection_requested(self, dest_path: str) -> bool:
        self.refused("socket-forward", to=client_text(dest_path, 120))
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        self.refused("remote-socket-forward", listen=client_text(listen_path, 120))
        return False

    def tun_requested(self, unit: int | None) -> bool:
        self.refused("tunnel")
        return False


class KneeSSHService:
    """Listens, admits logged-in patients within the limits and runs their kneetui."""

    def __init__(
        self, options: SshServeOptions, audit: AuditLog, board: SessionBoard, fork_server: ForkServer | None = None
    ) -> None:
        self.options = options
        self.fork_server = fork_server
        self.audit = audit
        self.board = board
        self.admitted: dict[asyncssh.SSHServerConnection, PatientConnection] = {}
        self._unauthenticated: Counter[str] = Counter()
        self._waiting: set[PatientConnection] = set()
        self._acceptor: asyncssh.SSHAcceptor | None = None
        self.port = options.port
        self._sessions: set[asyncio.Task[None]] = set()

    def arrive(self, patient: PatientConnection) -> bool:
        """Count a new connection against its address; False when that address has too many waiting."""
        if self._unauthenticated[patient.host] >= self.options.max_unauthenticated_per_address:
            return False
        self._unauthenticated[patient.host] += 1
        self._waiting.add(patient)
        return True

    def authenticated(self, patient: PatientConnection) -> None:
        if patient in self._waiting:
            self._waiting.discard(patient)
            self._unauthenticated[patient.host] -= 1
            if self._unauthenticated[patient.host] <= 0:
                del self._unauthenticated[patient.host]

    def admit(self, patient: PatientConnection) -> str:
        """'' when ``patient`` may stay, else why not: 'server-full' or 'patient-limit'."""
        if len(self.admitted) >= self.options.max_connections:
            return "server-full"
        same = sum(1 for other in self.admitted.values() if other.user == patient.user)
        if same >= self.options.max_per_patient:
            return "patient-limit"
        self.admitted[patient.conn] = patient
        return ""

    def release(self, patient: PatientConnection) -> None:
        self.authenticated(patient)
        if self.admitted.pop(patient.conn, None) is not None:
            self.board.ended(patient.peer, now_utc())

    async def start(self, host_key: HostKey) -> list[tuple[str, int]]:
        """Start listening; returns the addresses listened on."""
        self._acceptor = await asyncssh.create_server(
            lambda: PatientConnection(self),
            self.options.host,
            self.options.port,
            server_host_keys=[host_key.key],
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
        if self.fork_server is not None:
            await self.fork_server.close()

    async def serve_process(self, process: asyncssh.SSHServerProcess[bytes]) -> None:
        patient = self.admitted.get(process.get_extra_info("connection"))
        refusal = refusal_for(process, self.port)
        if patient is None:
            refusal = "kneetui is not serving this connection."
        elif refusal is None and not patient.claim_app():
            refusal = "kneetui runs one app per connection; open a new connection for another."
        if refusal is not None:
            process.stderr.write(refusal.encode() + b"\r\n")
            exit_quietly(process, 1)
            # After the message: the refusal that reaches the limit closes the connection.
            if patient is not None:
                asked = what_was_asked(process) if refusal_for(process, self.port) else "second-app"
                details = (
                    {"term": client_text(process.get_terminal_type() or "")} if asked == "bad-terminal-type" else {}
                )
                patient.refused(asked, **details)
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
        if authorized_keys_for(self.options.authorized_keys_dir, patient.user).keys is None:
            # Removed ('clinic remove') since logging in: a kneetui now would make their folder again.
            log.info("%s: %s is no longer listed; kneetui not started", patient.peer, patient.user)
            process.stderr.write(b"You are no longer a patient here; please contact the clinic.\r\n")
            return 1
        home = PatientHome.of(self.options.users_dir, patient.user)
        client_host, client_port = process.get_extra_info("peername")[:2]
        server_host, server_port = process.get_extra_info("sockname")[:2]
        env = home.environment(
            patient.user,
            term=process.get_terminal_type() or "xterm",
            ssh_connection=f"{client_host} {client_port} {server_host} {server_port}",
        )
        size = TerminalSize(*process.get_terminal_size())
        if size.is_over_limits:
            self.audit.event("window-limited", patient.host, patient.port, user=patient.user, asked=str(size))
            process.stderr.write(
                f"Your window is {size}; kneetui uses at most {MAX_COLUMNS}x{MAX_ROWS} of it.\r\n".encode()
            )
        refusals_read, refusals_write = os.pipe()
        # A full pipe must never stall the patient's app: its writes fail instead.
        os.set_blocking(refusals_write, False)
        env[REFUSALS_FD_VARIABLE] = str(refusals_write)
        try:
            home.create()
            problem = distrust(home.root, Kind.FOLDER, private=True)
            if problem:
                raise PermissionError(problem)
            child = await PtyChild.open(size, self._launcher(patient, env, (refusals_write,)))
        except (OSError, subprocess.SubprocessError) as error:
            # SubprocessError: the spawned child's set-up failed before it ran (its terminal, its limits).
            os.close(refusals_read)
            log.error("%s: cannot start kneetui for %s: %s", patient.peer, patient.user, error)
            process.stderr.write(b"kneetui could not start here; please tell the clinic.\r\n")
            return 1
        finally:
            os.close(refusals_write)
        session = AppSession(process, child, on_input=patient.touch, on_oversize=self._oversize_noticer(patient))
        patient.session = session
        self.board.running(patient.peer, session.pid)
        log.info("%s: %s runs kneetui, pid %d", patient.peer, patient.user, session.pid)
        refusals = RefusalNotes(refusals_read, patient, self.audit)
        try:
            returncode = await session.run(self.options.end_grace)
        finally:
            refusals.close()
            patient.session_ended()
        # Like a shell: a process ended by signal N exits with 128 + N.
        status = returncode if returncode >= 0 else 128 - returncode
        log.info("%s: %s left kneetui (pid %d, exit status %d)", patient.peer, patient.user, session.pid, status)
        return status

    def _launcher(
        self, patient: PatientConnection, env: dict[str, str], pass_fds: tuple[int, ...]
    ) -> Callable[[int], Awaitable[ChildProcess]]:
        """Starts the patient's kneetui on a pty: forked by the fork server, or spawned when it is gone."""
        # The working folder is one no patient can write; with -I it is not on sys.path anyway.
        cwd, limits = Path("/"), self.options.child_limits

        async def launch(terminal: int) -> ChildProcess:
            fork_server = self.fork_server
            if fork_server is not None and fork_server.alive:
                try:
                    return await fork_server.fork(terminal, env, cwd, limits, pass_fds)
                except ForkServerGone as gone:
                    log.error("%s: the fork server could not start kneetui (%s); spawning it", patient.peer, gone)
            return await spawn(self.options.app_command, env, terminal, cwd, limits, pass_fds)

        return launch

    def _oversize_noticer(self, patient: PatientConnection) -> Callable[[TerminalSize], None]:
        """Logs the first window change beyond the limits in a session; a storm of them is one line."""
        noticed = False

        def notice(size: TerminalSize) -> None:
            nonlocal noticed
            if not noticed:
                noticed = True
                self.audit.event("window-limited", patient.host, patient.port, user=patient.user, asked=str(size))

        return notice


class RefusalNotes:
    """Reads the paths a patient's kneetui refused (one ``purpose<TAB>reason<TAB>path`` line each) into the audit log.

    The patient chooses what is in those lines, so only known purposes and reasons are taken,
    the path is quoted, and a session adds at most MAX_REFUSAL_LINES lines.
    """

    def __init__(self, descriptor: int, patient: PatientConnection, audit: AuditLog) -> None:
        self._descriptor = descriptor
        self._patient = patient
        self._audit = audit
        self._pending = b""
        self._written = 0
        self._dropped = 0
        os.set_blocking(descriptor, False)
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(descriptor, self._read)

    def _read(self) -> None:
        try:
            data = os.read(self._descriptor, 65536)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._loop.remove_reader(self._descriptor)
            return
        self._pending += data
        *lines, self._pending = self._pending.split(b"\n")
        self._pending = self._pending[-1024:]
        for line in lines:
            self._note(line.decode("utf-8", "replace"))

    def _note(self, line: str) -> None:
        purpose, _, rest = line.partition("\t")
        reason, _, typed = rest.partition("\t")
        if purpose not in REFUSAL_PURPOSES or reason not in REASONS:
            purpose, reason = "path", "unknown"
        if self._written >= MAX_REFUSAL_LINES:
            self._dropped += 1
            return
        self._written += 1
        patient = self._patient
        self._audit.event(
            "path-refused",
            patient.host,
            patient.port,
            user=patient.user,
            purpose=purpose,
            reason=reason,
            path=client_text(typed, 120),
        )

    def close(self) -> None:
        self._read()
        self._loop.remove_reader(self._descriptor)
        os.close(self._descriptor)
        if self._dropped:
            patient = self._patient
            self._audit.event("path-refused-more", patient.host, patient.port, user=patient.user, count=self._dropped)


def check_paths(options: SshServeOptions) -> None:
    """Make the server's folders if missing, then refuse to start on anything others could change."""
    for folder in (options.users_dir, options.state_dir, options.audit_log.parent):
        make_private_folder(folder)
    if not options.authorized_keys_dir.is_dir():
        missing = (
            f"the keys folder {options.authorized_keys_dir} does not exist; "
            "add a patient with 'kneetui clinic add NAME KEYFILE' (see docs/serving.md)"
        )
        raise TrustError([missing])
    problems = options.paths.problems(is_valid_user_name)
    if problems:
        raise TrustError(problems)


async def start_fork_server(options: SshServeOptions) -> ForkServer | None:
    """The pre-warmed process each patient's kneetui is forked from; None (logged) when it cannot start."""
    if not options.fork_server or options.app_command != APP_COMMAND:
        return None
    if not become_subreaper():
        log.info("not a subreaper here: a kneetui that outlives its fork server ends with its status unknown")
    try:
        fork_server = await ForkServer.start(PASSED_THROUGH)
    except ForkServerGone as error:
        log.error("%s; each kneetui is started afresh instead", error)
        return None
    log.info("fork server ready (pid %d): each kneetui is forked from it", fork_server.pid)
    return fork_server


async def serve_ssh(options: SshServeOptions, announce: Callable[[str], None]) -> int:
    """Run the SSH server until SIGINT or SIGTERM; ``announce`` prints where it listens."""
    check_paths(options)
    host_key = load_or_create_host_key(options.host_key_file)
    audit = AuditLog.to_file(options.audit_log)
    board = SessionBoard.open(options.state_dir / SESSIONS_FILE)
    fork_server = await start_fork_server(options)
    service = KneeSSHService(options, audit, board, fork_server)
    try:
        addresses = await service.start(host_key)
    except BaseException:
        if fork_server is not None:
            await fork_server.close()
        audit.close()
        raise
    if host_key.created:
        announce(f"Made a new host key: {host_key.path}")
    for host, port in addresses:
        announce(f"kneetui SSH server listening on {host} port {port}")
    announce(f"Audit log: {options.audit_log}; at most {options.max_connections} patients at once")
    if os.geteuid() == 0:
        announce("Warning: running as root; run the server as its own user (see docs/serving.md)")
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
        audit.close()
    return 0
