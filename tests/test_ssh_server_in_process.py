"""The SSH server run inside the test process on 127.0.0.1, with asyncssh as the patient's client.

``test_ssh_server.py`` drives a real ``kneetui serve ssh`` with the OpenSSH client; these tests
start the same service in this process (so mutation testing sees its lines run) and give each
patient a small stand-in program instead of kneetui, which shows what it was given and exits
with the status it is typed.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import os
import re
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import asyncssh
import pytest

from kneetui.serve.audit import AuditLog
from kneetui.serve.clinic import SESSIONS_FILE, SessionBoard, read_sessions
from kneetui.serve.host_key import load_or_create_host_key
from kneetui.serve.ssh_server import (
    MAX_AUTH_FAILURES,
    MAX_REFUSALS,
    KneeSSHService,
    SshServeOptions,
    check_paths,
    default_max_connections,
)
from kneetui.serve.terminal import ChildLimits
from kneetui.serve.trust import TrustError

APP = r"""
import os, sys
print("home=" + os.environ["HOME"], "term=" + os.environ["TERM"], "user=" + os.environ["USER"], flush=True)
refusals = int(os.environ["KNEETUI_REFUSALS_FD"])
print("cwd=" + os.getcwd(), "refusals-blocking=" + str(os.get_blocking(refusals)), flush=True)
print("said on stderr", file=sys.stderr, flush=True)
os.write(refusals, b"export\toutside\t/etc/passwd\nbad\tline\n")
typed = sys.stdin.readline().strip()
print("typed=" + typed, flush=True)
sys.exit(int(typed))
"""
#: Long enough for a loaded machine; each test ends well before when it passes.
WAIT = 20.0


@dataclass
class Served:
    service: KneeSSHService
    options: SshServeOptions
    root: Path
    keys: dict[str, asyncssh.SSHKey]
    addresses: list[tuple[str, int]] = field(default_factory=list)

    def audit(self) -> list[str]:
        """The audit lines so far, without the time and process id."""
        path = self.options.audit_log
        return [line.split(": ", 1)[1] for line in path.read_text().splitlines()] if path.exists() else []

    async def audit_until(self, event: str) -> list[str]:
        """The audit lines once one is ``event`` (the server writes some after the client has gone)."""
        async with asyncio.timeout(WAIT):
            while not any(line.split()[0] == event for line in self.audit()):
                await asyncio.sleep(0.01)
        return self.audit()

    def add_patient(self, name: str) -> asyncssh.SSHKey:
        key = asyncssh.generate_private_key("ssh-ed25519")
        (self.options.authorized_keys_dir / name).write_bytes(key.export_public_key())
        self.keys[name] = key
        return key

    async def connect(
        self, name: str, key: asyncssh.SSHKey | None = None, client: Client | None = None
    ) -> asyncssh.SSHClientConnection:
        return await connect_as(
            self.options.host,
            self.service.port,
            name,
            [key or self.keys[name]],
            client_factory=lambda: client or Client(),
        )


async def connect_as(
    host: str, port: int, name: str, client_keys: list, **options: object
) -> asyncssh.SSHClientConnection:
    """A client connection as ``name`` with these keys only: no known hosts, no agent, no ssh config."""
    settings: dict[str, object] = {"known_hosts": None, "agent_path": None, "config": [], **options}
    return await asyncio.wait_for(
        asyncssh.connect(host, port, username=name, client_keys=client_keys, **settings), WAIT
    )


class Client(asyncssh.SSHClient):
    """The patient's side of a connection, keeping why the server closed it."""

    def __init__(self) -> None:
        self.closed: asyncio.Future[Exception | None] = asyncio.get_running_loop().create_future()

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.closed.done():
            self.closed.set_result(exc)


def server_options(root: Path, **changes: object) -> SshServeOptions:
    options = SshServeOptions(
        authorized_keys_dir=root / "keys",
        host_key_file=root / "host" / "host_key",
        users_dir=root / "users",
        state_dir=root / "state",
        audit_log=root / "log" / "audit.log",
        host="127.0.0.1",
        port=0,
        end_grace=2.0,
        app_command=(sys.executable, "-I", "-c", APP),
    )
    return replace(options, **changes)


@contextlib.asynccontextmanager
async def serving(
    tmp_path: Path, name: str, start: bool = True, fork_server: object = None, **changes: object
) -> AsyncIterator[Served]:
    """A whole server on its own folders under ``tmp_path`` (audit logger ``kneetui.audit.<name>``),
    listening when ``start``, with no patients yet; stopped at the end."""
    root = tmp_path / "server"
    (root / "keys").mkdir(parents=True)
    options = server_options(root, **changes)
    check_paths(options)
    audit = AuditLog.to_file(options.audit_log, name=f"kneetui.audit.{name}")
    board = SessionBoard.open(options.state_dir / SESSIONS_FILE)
    service = KneeSSHService(options, audit, board, fork_server=fork_server)  # type: ignore[arg-type]
    served = Served(service, options, root, {})
    try:
        if start:
            served.addresses = await service.start(load_or_create_host_key(options.host_key_file))
        yield served
    finally:
        await asyncio.wait_for(service.stop(), WAIT)
        audit.close()


@pytest.fixture
async def served(tmp_path):
    async with serving(tmp_path, "in-process") as served:
        assert served.addresses == [("127.0.0.1", served.service.port)] and served.service.port > 0
        served.add_patient("anna")
        yield served


async def read_until(process: asyncssh.SSHClientProcess, text: bytes) -> bytes:
    seen = b""
    while text not in seen:
        chunk = await asyncio.wait_for(process.stdout.read(4096), WAIT)
        assert chunk, f"the session ended before {text!r}; it showed {seen!r}"
        seen += chunk
    return seen


async def test_a_patient_logs_in_gets_their_own_app_and_its_exit_status(served):
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm-256color", term_size=(100, 30), encoding=None)
        home = served.options.users_dir / "anna"
        seen = await read_until(process, b"said on stderr")
        assert f"home={home} term=xterm-256color user=anna".encode() in seen
        live = read_sessions(served.options.state_dir / SESSIONS_FILE).live[0]
        assert (live.user, live.peer) == ("anna", "127.0.0.1")
        # In a folder no patient can write, on the patient's own terminal for errors too, and a
        # full refusals pipe makes its writes fail rather than stall it.
        assert b"cwd=/ refusals-blocking=False" in seen
        process.stdin.write(b"7\r")
        assert b"typed=7" in await read_until(process, b"typed=7")
        result = await asyncio.wait_for(process.wait(), WAIT)
        assert result.exit_status == 7
    fingerprint = served.keys["anna"].get_fingerprint("sha256")
    lines = await served.audit_until("logout")
    assert lines[0].startswith("login peer=127.0.0.1 port=") and lines[0].endswith(f" user=anna key={fingerprint}")
    assert " ".join(lines[1].split()[:1] + lines[1].split()[3:]) == (
        'path-refused user=anna purpose=export reason=outside path="/etc/passwd"'
    )
    assert " ".join(lines[2].split()[:1] + lines[2].split()[3:]) == (
        'path-refused user=anna purpose=path reason=unknown path=""'
    )
    assert lines[3].startswith("logout peer=127.0.0.1 port=") and re.fullmatch(
        r"user=anna duration=\d+s", " ".join(lines[3].split()[3:])
    )


@pytest.mark.parametrize(
    ("how", "said", "asked"),
    [
        ("command", b"kneetui runs no commands here. Connect without one: ssh -t -p {port} name@host", "command"),
        ("no terminal", b"kneetui needs a terminal. Connect with: ssh -t -p {port} name@host", "no-terminal"),
        ("subsystem", b"kneetui offers no 'backup' here, only its app.", "subsystem"),
        ("command with a terminal", b"kneetui runs no commands here.", "command"),
    ],
)
async def test_anything_but_a_terminal_for_the_app_is_refused_and_audited(served, how, said, asked):
    conn = await served.connect("anna")
    async with conn:
        if how == "command":
            process = await conn.create_process("ls /", encoding=None)
        elif how == "command with a terminal":
            process = await conn.create_process("ls /", term_type="xterm", encoding=None)
        elif how == "subsystem":
            process = await conn.create_process(subsystem="backup", encoding=None)
        else:
            process = await conn.create_process(encoding=None)
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 1
    assert said.replace(b"{port}", str(served.service.port).encode()) in result.stderr
    refused = [line for line in served.audit() if line.startswith("refused ")]
    assert len(refused) == 1 and refused[0].endswith(f" user=anna asked={asked}")


async def test_a_terminal_type_that_is_not_a_plain_name_is_refused_and_quoted_in_the_audit(served):
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm;rm -rf", encoding=None)
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 1
    assert result.stderr == (
        b"kneetui cannot use the terminal type your client sent. "
        b"Set TERM to a plain name such as xterm-256color and connect again.\r\n"
    )
    refused = [line for line in served.audit() if line.startswith("refused ")]
    assert refused[0].endswith(' user=anna asked=bad-terminal-type term="xterm;rm?-rf"')


async def test_a_key_not_listed_for_the_name_is_refused_and_audited_as_such(served):
    served.add_patient("bob")
    with pytest.raises(asyncssh.PermissionDenied):
        await served.connect("anna", served.keys["bob"])
    with pytest.raises(asyncssh.PermissionDenied):
        await served.connect("nobody", served.keys["bob"])
    fingerprint = served.keys["bob"].get_fingerprint("sha256")
    failed = [line for line in served.audit() if line.startswith("auth-failed ")]
    assert all(re.match(r"auth-failed peer=127\.0\.0\.1 port=\d+ ", line) for line in failed), failed
    assert [line.split(" ", 3)[3] for line in failed] == [
        f"user=anna key={fingerprint} reason=key-not-listed",
        f"user=nobody key={fingerprint} reason=no-such-patient",
    ]


async def test_a_connection_offering_key_after_key_is_closed_after_six_with_one_line_saying_so(served):
    strangers = [asyncssh.generate_private_key("ssh-ed25519") for _ in range(20)]
    with pytest.raises((asyncssh.PermissionDenied, asyncssh.DisconnectError)):
        await connect_as("127.0.0.1", served.service.port, "anna", [*strangers, served.keys["anna"]])
    lines = await served.audit_until("auth-too-many")
    failed = [line.split(" ", 3)[3] for line in lines if line.startswith("auth-failed ")]
    assert failed == [
        f"user=anna key={key.get_fingerprint('sha256')} reason=key-not-listed" for key in strangers[:MAX_AUTH_FAILURES]
    ]
    assert MAX_AUTH_FAILURES == 6
    assert [line.split(" ", 3)[3] for line in lines if line.startswith("auth-too-many ")] == ["user=anna limit=6"]
    async with asyncio.timeout(WAIT):
        while served.service._waiting:
            await asyncio.sleep(0.01)
    assert not any(line.startswith(("login ", "abandoned ")) for line in served.audit())


async def test_a_window_over_the_limits_is_capped_said_and_audited(served):
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", term_size=(900, 30), encoding=None)
        await read_until(process, b"user=anna")
        process.change_terminal_size(600, 40)
        process.change_terminal_size(700, 40)
        process.stdin.write(b"0\r")
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 0
    assert b"Your window is 900x30; kneetui uses at most 500x200 of it." in result.stderr
    limited = [line for line in served.audit() if line.startswith("window-limited ")]
    assert all(re.match(r"window-limited peer=127\.0\.0\.1 port=\d+ ", line) for line in limited), limited
    assert [line.split(" ", 3)[3] for line in limited] == ["user=anna asked=900x30", "user=anna asked=600x40"]


async def test_one_app_per_connection(served):
    conn = await served.connect("anna")
    async with conn:
        first = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(first, b"user=anna")
        second = await conn.create_process(term_type="xterm", encoding=None)
        result = await asyncio.wait_for(second.wait(), WAIT)
        assert result.exit_status == 1
        assert result.stderr == b"kneetui runs one app per connection; open a new connection for another.\r\n"
        first.stdin.write(b"0\r")
        assert (await asyncio.wait_for(first.wait(), WAIT)).exit_status == 0
    refused = [line for line in served.audit() if line.startswith("refused ")]
    assert len(refused) == 1
    assert re.fullmatch(r"refused peer=127\.0\.0\.1 port=\d+ user=anna asked=second-app", refused[0])
    assert served.service._sessions == set()  # a finished session is not kept


async def test_a_patient_who_quits_is_not_hung_up_on_by_the_server(served, monkeypatch):
    """Only an ending the server decided (idle, shutting down) closes the connection after the goodbye."""
    from kneetui.serve import ssh_server as ssh_server_module

    monkeypatch.setattr(ssh_server_module, "GOODBYE_SECONDS", 0.05)
    async with await served.connect("anna") as conn:
        first = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(first, b"user=anna")
        first.stdin.write(b"0\r")
        assert (await asyncio.wait_for(first.wait(), WAIT)).exit_status == 0
        await asyncio.sleep(0.3)  # six goodbyes' time: still connected
        second = await conn.create_process(term_type="xterm", encoding=None)
        assert (await asyncio.wait_for(second.wait(), WAIT)).exit_status == 1


async def test_a_client_that_vanishes_ends_its_session_with_no_error_left_in_the_servers_log(served, caplog):
    caplog.set_level(logging.DEBUG, logger="asyncio")
    conn = await served.connect("anna")
    process = await conn.create_process(term_type="xterm", encoding=None)
    await read_until(process, b"user=anna")
    conn.abort()
    for _ in range(1000):
        if not served.service._sessions and not served.service.admitted:
            break
        await asyncio.sleep(0.01)
    assert not served.service._sessions
    gc.collect()  # a task whose error nobody awaited says so when it is collected
    await asyncio.sleep(0)
    assert [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR] == []


async def test_an_app_ended_by_a_signal_exits_like_a_shell_would(served):
    served.service.options = replace(
        served.options,
        app_command=(sys.executable, "-I", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGTERM)"),
    )
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 128 + 15


async def test_an_app_that_cannot_start_is_said_and_the_connection_kept_safe(served):
    served.service.options = replace(served.options, app_command=(str(served.root / "no-such-program"),))
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 1
    assert result.stderr == b"kneetui could not start here; please tell the clinic.\r\n"


async def test_a_full_server_turns_the_next_patient_away(served):
    served.service.options = replace(served.options, max_connections=1)
    served.add_patient("bob")
    async with await served.connect("anna"):
        bob = Client()
        await served.connect("bob", client=bob)
        closed = await asyncio.wait_for(bob.closed, WAIT)
    assert isinstance(closed, asyncssh.DisconnectError)
    assert closed.code == asyncssh.DISC_TOO_MANY_CONNECTIONS
    assert closed.reason.startswith("kneetui is busy with other patients right now. Please try again in a few minutes.")
    turned_away = [line for line in served.audit() if line.startswith("turned-away ")]
    assert len(turned_away) == 1 and re.fullmatch(
        r"turned-away peer=127\.0\.0\.1 port=\d+ user=bob reason=server-full", turned_away[0]
    )


async def test_one_patient_cannot_take_more_than_their_places(served):
    served.service.options = replace(served.options, max_per_patient=2)
    served.add_patient("bob")
    async with await served.connect("anna"), await served.connect("anna"), await served.connect("bob"):
        again = Client()
        await served.connect("anna", client=again)
        closed = await asyncio.wait_for(again.closed, WAIT)
    assert isinstance(closed, asyncssh.DisconnectError)
    assert closed.code == asyncssh.DISC_TOO_MANY_CONNECTIONS
    assert closed.reason.startswith(
        "You are already connected to kneetui as many times as allowed; close another connection first."
    )
    turned_away = [line.split(" ", 3)[3] for line in served.audit() if line.startswith("turned-away ")]
    assert turned_away == ["user=anna reason=patient-limit"]


async def test_stopping_the_server_ends_each_app_and_tells_the_patient(served):
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        await asyncio.wait_for(served.service.stop(), WAIT)
        rest = b""
        while chunk := await asyncio.wait_for(process.stdout.read(4096), WAIT):
            rest += chunk
        assert re.search(rb"(^|\n)The kneetui server is shutting down\.\r\n", rest), rest
        result = await asyncio.wait_for(process.wait(), WAIT)
    # SIGHUP, or SIGKILL when it has not gone within the grace (a machine slowed by tracing).
    assert result.exit_status in (128 + 1, 128 + 9)
    assert (await served.audit_until("logout"))[-1].startswith("logout ")


def test_missing_folders_are_made_private_and_a_missing_keys_folder_is_explained(tmp_path):
    options = server_options(tmp_path / "server")
    with pytest.raises(TrustError) as refused:
        check_paths(options)
    assert refused.value.problems == [
        f"the keys folder {options.authorized_keys_dir} does not exist; "
        "add a patient with 'kneetui clinic add NAME KEYFILE' (see docs/serving.md)"
    ]
    for folder in (options.users_dir, options.state_dir, options.audit_log.parent):
        assert folder.is_dir() and (folder.stat().st_mode & 0o777) == 0o700


def test_a_keys_folder_others_can_change_stops_the_server(tmp_path):
    options = server_options(tmp_path / "server")
    options.authorized_keys_dir.mkdir(parents=True)
    options.authorized_keys_dir.chmod(0o777)
    with pytest.raises(TrustError, match="can be changed by other users"):
        check_paths(options)


def test_the_default_cap_is_half_the_memory_at_34_mib_a_patient_and_at_least_one():
    assert default_max_connections(8 * 1024**3) == 120
    assert default_max_connections(1024) == 1
    assert default_max_connections() == default_max_connections(
        os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    )


async def test_an_idle_patient_is_told_and_their_app_ended(served, caplog):
    caplog.set_level(logging.INFO, logger="kneetui.serve")
    served.service.options = replace(served.options, idle_timeout=0.3)
    client = Client()
    conn = await served.connect("anna", client=client)
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        seen = await read_until(process, b"without input.")
        result = await asyncio.wait_for(process.wait(), WAIT)
        # Then the server closes the connection itself: an idle patient does not keep a place.
        await asyncio.wait_for(client.closed, WAIT)
    assert b"kneetui closed this connection after 0.3 seconds without input.\r\n" in seen
    assert result.exit_status in (128 + 1, 128 + 9)
    said = [record.getMessage() for record in caplog.records if record.name == "kneetui.serve"]
    assert any(re.fullmatch(r"127\.0\.0\.1 port \d+: anna idle for 0\.3 seconds", line) for line in said), said


async def test_what_a_patient_types_counts_as_activity(served):
    """Each keystroke restarts the patient's idle time, so someone in a session is never cut off."""
    touched = asyncio.Event()

    class Watch:
        def touch(self) -> None:
            touched.set()

        def cancel(self) -> None:
            pass

    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        (patient,) = [patient for patient in served.service.admitted.values() if patient.user == "anna"]
        patient._idle = Watch()
        process.stdin.write(b"0\r")
        await asyncio.wait_for(touched.wait(), WAIT)
        await asyncio.wait_for(process.wait(), WAIT)


async def test_a_connection_that_leaves_before_logging_in_is_audited_as_abandoned(served):
    reader, writer = await asyncio.open_connection("127.0.0.1", served.service.port)
    assert (await asyncio.wait_for(reader.readline(), WAIT)).startswith(b"SSH-2.0-")
    writer.close()
    await writer.wait_closed()
    lines = await served.audit_until("abandoned")
    assert lines[-1].startswith("abandoned peer=127.0.0.1 port=") and lines[-1].endswith(" user=-")


async def test_too_many_connections_waiting_to_log_in_from_one_address_are_turned_away(served):
    served.service.options = replace(served.options, max_unauthenticated_per_address=1)
    reader, writer = await asyncio.open_connection("127.0.0.1", served.service.port)
    await asyncio.wait_for(reader.readline(), WAIT)
    try:
        second = Client()
        with pytest.raises((asyncssh.DisconnectError, ConnectionError)) as refused:
            await served.connect("anna", client=second)
    finally:
        writer.close()
        await writer.wait_closed()
    if isinstance(refused.value, asyncssh.DisconnectError):  # else the server closed before its reason arrived
        assert refused.value.code == asyncssh.DISC_TOO_MANY_CONNECTIONS
        assert refused.value.reason == "Too many connections from your address."
    lines = await served.audit_until("too-many-unauthenticated")
    assert any(re.fullmatch(r"too-many-unauthenticated peer=127\.0\.0\.1 port=\d+ limit=1", line) for line in lines)
    # Once the first has gone, the address may log in again; only the first counts as abandoned.
    await served.audit_until("abandoned")
    await asyncio.sleep(0.2)
    assert len([line for line in served.audit() if line.startswith("abandoned ")]) == 1
    async with await served.connect("anna"):
        pass


async def test_a_session_adds_at_most_fifty_refused_paths_and_counts_the_rest(served):
    many = "".join(f"import\tdot-dot\t../{n}\n" for n in range(53))
    app = f"import os\nos.write(int(os.environ['KNEETUI_REFUSALS_FD']), {many!r}.encode())\n"
    served.service.options = replace(served.options, app_command=(sys.executable, "-I", "-c", app))
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        assert (await asyncio.wait_for(process.wait(), WAIT)).exit_status == 0
    lines = await served.audit_until("logout")
    refused = [line.split(" ", 3)[3] for line in lines if line.startswith("path-refused ")]
    assert refused[0] == 'user=anna purpose=import reason=dot-dot path="../0"'
    assert len(refused) == 50 and refused[-1].endswith('path="../49"')
    assert [line.split(" ", 3)[3] for line in lines if line.startswith("path-refused-more ")] == ["user=anna count=3"]


async def test_the_servers_own_log_says_who_ran_kneetui_and_how_it_ended(served, caplog):
    caplog.set_level(logging.INFO, logger="kneetui.serve")
    conn = await served.connect("anna")
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        process.stdin.write(b"4\r")
        await asyncio.wait_for(process.wait(), WAIT)
    said = [record.getMessage() for record in caplog.records if record.name == "kneetui.serve"]
    peer = said[0].split(": ")[0]
    assert re.fullmatch(r"127\.0\.0\.1 port \d+", peer)
    pid = int(said[0].rsplit(" ", 1)[1])
    assert said == [f"{peer}: anna runs kneetui, pid {pid}", f"{peer}: anna left kneetui (pid {pid}, exit status 4)"]


async def test_the_servers_own_log_says_why_kneetui_could_not_start_and_why_a_name_has_no_keys(served, caplog):
    caplog.set_level(logging.INFO, logger="kneetui.serve")
    served.service.options = replace(served.options, app_command=(str(served.root / "no-such-program"),))
    with pytest.raises(asyncssh.PermissionDenied):
        await served.connect("nobody", served.keys["anna"])
    async with await served.connect("anna") as conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await asyncio.wait_for(process.wait(), WAIT)
    said = [record.getMessage() for record in caplog.records if record.name == "kneetui.serve"]
    peer = r"127\.0\.0\.1 port \d+"
    assert re.fullmatch(
        f"{peer}: no keys file for 'nobody' in {re.escape(str(served.options.authorized_keys_dir))}", said[0]
    )
    assert re.fullmatch(f"{peer}: cannot start kneetui for anna: \\[Errno 2\\] No such file or directory.*", said[1])


async def test_no_forwarding_of_any_kind_is_allowed(served, tmp_path):
    async with await served.connect("anna") as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_connection(asyncssh.SSHTCPSession, "127.0.0.1", served.service.port)
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_unix_connection(asyncssh.SSHUNIXSession, str(tmp_path / "socket"))
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_port("127.0.0.1", 0, "127.0.0.1", 9)
        with pytest.raises(asyncssh.ChannelListenError):
            await conn.forward_remote_path(str(tmp_path / "listen"), str(tmp_path / "socket"))
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.create_tun(None)
        # The connection is still good for the app.
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        process.stdin.write(b"0\r")
        assert (await asyncio.wait_for(process.wait(), WAIT)).exit_status == 0
    port = served.service.port
    assert [line.split(" ", 3)[3] for line in served.audit() if line.startswith("refused ")] == [
        f'user=anna asked=port-forward to="127.0.0.1:{port}"',
        f'user=anna asked=socket-forward to="{tmp_path / "socket"}"',
        'user=anna asked=remote-port-forward listen="127.0.0.1:0"',
        f'user=anna asked=remote-socket-forward listen="{tmp_path / "listen"}"',
        "user=anna asked=tunnel",
    ]


async def test_sftp_is_refused_and_audited(served):
    async with await served.connect("anna") as conn:
        with pytest.raises(asyncssh.ChannelOpenError):
            await asyncio.wait_for(conn.start_sftp_client(), WAIT)
        # Still good for the app.
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
    refused = [line.split(" ", 3)[3] for line in served.audit() if line.startswith("refused ")]
    assert refused == ["user=anna asked=subsystem name=sftp"]


async def test_a_connection_that_keeps_asking_for_what_is_not_served_is_closed_after_ten_refusals(served):
    client = Client()
    conn = await served.connect("anna", client=client)
    async with conn:
        for _ in range(MAX_REFUSALS):
            process = await conn.create_process(encoding=None)
            assert (await asyncio.wait_for(process.wait(), WAIT)).exit_status == 1
        await asyncio.wait_for(client.closed, WAIT)
        with pytest.raises((asyncssh.ChannelOpenError, asyncssh.DisconnectError, OSError)):
            await conn.create_process(encoding=None)
    lines = await served.audit_until("logout")
    assert MAX_REFUSALS == 10
    assert [line.split(" ", 3)[3] for line in lines if line.startswith("refused")] == [
        *["user=anna asked=no-terminal"] * 10,
        "user=anna limit=10",
    ]
    assert [line.split()[0] for line in lines if line.startswith("refused")][-1] == "refused-too-many"


async def test_refusals_sent_all_at_once_add_at_most_ten_lines(served):
    async with await served.connect("anna") as conn:
        for _ in range(40):
            conn.create_task(conn.create_process(encoding=None))
        lines = await served.audit_until("logout")
    assert len([line for line in lines if line.startswith("refused ")]) == MAX_REFUSALS
    assert len([line for line in lines if line.startswith("refused-too-many ")]) == 1


async def test_stopping_the_server_closes_a_connection_without_an_app(served):
    client = Client()
    await served.connect("anna", client=client)
    await asyncio.wait_for(served.service.stop(), WAIT)
    # Closed by the application: asyncssh gives the client no error for that, only the end.
    assert await asyncio.wait_for(client.closed, WAIT) is None
    assert (await served.audit_until("logout"))[-1].startswith("logout ")


async def test_each_patients_app_has_its_terminal_a_private_umask_and_the_servers_limits(served):
    app = (
        "import os, resource\n"
        "print('tty', os.tcgetpgrp(0) == os.getpgrp(), 'umask', oct(os.umask(0)),"
        " 'files', resource.getrlimit(resource.RLIMIT_NOFILE)[0], 'cpu', resource.getrlimit(resource.RLIMIT_CPU),"
        " 'core', resource.getrlimit(resource.RLIMIT_CORE)[1], 'end', flush=True)\n"
    )
    limits = ChildLimits(memory_bytes=2 * 1024**3, cpu_seconds=77, open_files=48)
    served.service.options = replace(served.options, child_limits=limits, app_command=(sys.executable, "-I", "-c", app))
    async with await served.connect("anna") as conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        seen = await read_until(process, b"end")
    assert b"tty True umask 0o77 files 48 cpu (77, 82) core 0 end" in seen


async def test_a_failed_or_turned_away_connection_is_not_also_counted_as_abandoned(served):
    served.add_patient("bob")
    with pytest.raises(asyncssh.PermissionDenied):
        await served.connect("anna", served.keys["bob"])
    served.service.options = replace(served.options, max_connections=1)
    async with await served.connect("anna"):
        bob = Client()
        await served.connect("bob", client=bob)
        await asyncio.wait_for(bob.closed, WAIT)
    lines = await served.audit_until("logout")
    # fail2ban counts each of these lines against the address: one failure is one line.
    assert [line.split()[0] for line in lines] == ["auth-failed", "login", "turned-away", "logout"]


async def test_a_client_that_gives_a_name_but_no_key_is_audited_as_abandoned_under_that_name(served):
    with pytest.raises(asyncssh.PermissionDenied):
        await connect_as("127.0.0.1", served.service.port, "anna", [])
    lines = await served.audit_until("abandoned")
    assert re.fullmatch(r"abandoned peer=127\.0\.0\.1 port=\d+ user=anna", lines[-1])


async def test_a_logout_says_from_where_and_how_long_the_patient_was_connected(served):
    loop = asyncio.get_running_loop()
    began = loop.time()
    async with await served.connect("anna"):
        pass
    lines = await served.audit_until("logout")
    seconds = int(lines[-1].rsplit("duration=", 1)[1].rstrip("s"))
    assert 0 <= seconds <= round(loop.time() - began) + 1
    login, logout = lines[0].split(), lines[-1].split()
    assert (login[0], logout[0]) == ("login", "logout") and logout[1:3] == login[1:3], "the same peer and port"


async def test_the_board_has_each_running_kneetuis_process_id_so_clinic_remove_can_end_it(served):
    async with await served.connect("anna") as conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        [record] = read_sessions(served.options.state_dir / SESSIONS_FILE).live
        assert record.user == "anna" and record.pid > 0
        environment = Path(f"/proc/{record.pid}/environ").read_bytes().split(b"\0")
        assert f"KNEETUI_SERVED_HOME={served.options.users_dir / 'anna'}".encode() in environment
        process.stdin.write(b"0\r")
        await asyncio.wait_for(process.wait(), WAIT)


async def test_a_patient_removed_while_logged_in_gets_no_kneetui_and_no_folder(served):
    async with await served.connect("anna") as conn:
        (served.options.authorized_keys_dir / "anna").unlink()
        process = await conn.create_process(term_type="xterm", encoding=None)
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 1
    assert result.stderr == b"You are no longer a patient here; please contact the clinic.\r\n"
    assert not (served.options.users_dir / "anna").exists()


async def test_a_logged_out_patient_is_no_longer_on_the_board_and_their_session_is_their_last(served):
    async with await served.connect("anna"):
        assert [record.user for record in read_sessions(served.options.state_dir / SESSIONS_FILE).live] == ["anna"]
    await served.audit_until("logout")
    sessions = read_sessions(served.options.state_dir / SESSIONS_FILE)
    assert sessions.live == [] and sessions.last["anna"].until != ""
    assert served.service.admitted == {}


class Waiting:
    """A connection not logged in yet, as far as the service's count per address goes."""

    def __init__(self, host: str) -> None:
        self.host = host


def test_connections_waiting_to_log_in_are_counted_per_address_until_each_logs_in(tmp_path):
    options = server_options(tmp_path, max_unauthenticated_per_address=2)
    service = KneeSSHService(
        options, AuditLog(logging.getLogger("kneetui.audit.counting")), SessionBoard.open(tmp_path / "s.json")
    )
    first, second, third, fourth = (Waiting("192.0.2.1") for _ in range(4))
    assert service.arrive(first) and service.arrive(second)
    assert not service.arrive(Waiting("192.0.2.1")), "a third waiting from one address is turned away"
    assert service.arrive(Waiting("192.0.2.9")), "another address has its own count"
    service.authenticated(first)
    service.authenticated(first)  # said twice (logged in, then gone): counted once
    assert service.arrive(third), "the place first held is free again"
    assert not service.arrive(fourth), "second and third still wait"
    service.authenticated(second)
    service.authenticated(third)
    assert service.arrive(fourth) and service.arrive(Waiting("192.0.2.1"))


async def test_a_connection_that_does_not_log_in_in_time_is_closed(tmp_path, monkeypatch):
    from kneetui.serve import ssh_server

    monkeypatch.setattr(ssh_server, "LOGIN_TIMEOUT_SECONDS", 0.3)
    async with serving(tmp_path, "login-timeout") as served:
        reader, writer = await asyncio.open_connection("127.0.0.1", served.service.port)
        assert (await asyncio.wait_for(reader.readline(), WAIT)).startswith(b"SSH-2.0-")
        # The client says nothing more; the server must not keep its place for ever.
        while await asyncio.wait_for(reader.read(4096), WAIT):
            pass
        writer.close()


async def test_the_server_listens_on_the_port_it_is_given(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    async with serving(tmp_path, "port", port=free) as served:
        assert served.addresses == [("127.0.0.1", free)]


async def test_a_patient_whose_client_stops_answering_is_let_go(tmp_path, monkeypatch):
    from kneetui.serve import ssh_server

    monkeypatch.setattr(ssh_server, "KEEPALIVE_SECONDS", 0.2)
    async with serving(tmp_path, "keepalive") as served:
        served.add_patient("anna")
        conn = await served.connect("anna")
        # A client that has gone without a word (its machine asleep, its network gone) reads nothing.
        conn._transport.pause_reading()
        lines = await served.audit_until("logout")
        assert lines[-1].startswith("logout ") and served.service.admitted == {}
        conn.abort()


async def test_listening_on_ipv6_gives_each_address_as_host_and_port(tmp_path):
    async with serving(tmp_path, "ipv6", host="::1") as served:
        assert served.addresses == [("::1", served.service.port)]


async def test_a_patients_ssh_agent_is_never_made_reachable_on_the_server(served, tmp_path):
    # Every patient's kneetui runs as the server's user: a forwarded agent's socket on the
    # server could be used by another patient's process to log in wherever this patient can.
    conn = await connect_as(
        "127.0.0.1", served.service.port, "anna", [served.keys["anna"]],
        agent_path=str(tmp_path / "agent.sock"), agent_forwarding=True,
    )  # fmt: skip
    async with conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        [server_side] = served.service.admitted
        assert server_side.get_agent_path() is None
        process.stdin.write(b"0\r")
        await asyncio.wait_for(process.wait(), WAIT)


async def test_an_x11_request_is_refused_and_opens_no_display_on_the_server(served, tmp_path):
    # An X11 display on the server would be a listener every patient's kneetui (same user) could reach.
    authority = tmp_path / "Xauthority"
    authority.write_bytes(b"")
    conn = await connect_as("127.0.0.1", served.service.port, "anna", [served.keys["anna"]])
    async with conn:
        with pytest.raises(asyncssh.ChannelOpenError, match="X11"):
            await conn.create_process(
                term_type="xterm", encoding=None, x11_forwarding=True, x11_display="127.0.0.1:9",
                x11_auth_path=str(authority),
            )  # fmt: skip


async def test_a_unix_socket_on_the_server_cannot_be_reached_through_the_connection(served, tmp_path):
    # Every patient's kneetui runs as the server's user: a forwarded Unix socket could reach another patient's.
    conn = await connect_as("127.0.0.1", served.service.port, "anna", [served.keys["anna"]])
    listening = await asyncio.start_unix_server(lambda reader, writer: writer.close(), str(tmp_path / "other.sock"))
    async with conn, listening:
        with pytest.raises(asyncssh.ChannelOpenError):
            await conn.open_unix_connection(str(tmp_path / "other.sock"))


async def test_a_patient_logging_in_over_ipv6_gets_their_app(tmp_path):
    async with serving(tmp_path, "ipv6-login", host="::1") as served:
        served.add_patient("anna")
        async with await served.connect("anna") as conn:
            process = await conn.create_process(term_type="xterm", encoding=None)
            await read_until(process, b"user=anna")
            process.stdin.write(b"0\r")
            assert (await asyncio.wait_for(process.wait(), WAIT)).exit_status == 0
        assert (await served.audit_until("logout"))[0].startswith("login peer=::1 port=")


class StandInForkServer:
    """Forks nothing: starts the stand-in app as the SSH server would spawn it, or says it is gone."""

    alive = True

    def __init__(self, command: tuple[str, ...], gone: bool = False) -> None:
        self.command, self.gone, self.asked = command, gone, 0
        self.cwd = self.limits = None

    async def fork(self, terminal, env, cwd, limits, pass_fds):
        from kneetui.serve.fork_client import ForkServerGone
        from kneetui.serve.terminal import spawn

        self.asked += 1
        self.cwd, self.limits = cwd, limits
        if self.gone:
            raise ForkServerGone("its socket is closed")
        return await spawn(self.command, env, terminal, cwd, limits, pass_fds)

    async def close(self) -> None:
        pass


@pytest.mark.parametrize("gone", [False, True])
async def test_each_kneetui_comes_from_the_fork_server_and_is_spawned_when_it_has_gone(served, caplog, gone):
    caplog.set_level(logging.INFO, logger="kneetui.serve")
    forks = StandInForkServer(served.options.app_command, gone=gone)
    served.service.fork_server = forks
    async with await served.connect("anna") as conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        await read_until(process, b"user=anna")
        process.stdin.write(b"3\r")
        assert (await asyncio.wait_for(process.wait(), WAIT)).exit_status == 3
    assert forks.asked == 1
    # The same folder and limits as a spawned kneetui.
    assert (forks.cwd, forks.limits) == (Path("/"), served.options.child_limits)
    said = [record.getMessage() for record in caplog.records if record.name == "kneetui.serve"]
    fell_back = [line for line in said if "fork server" in line]
    if gone:
        assert len(fell_back) == 1
        assert re.fullmatch(
            r"127\.0\.0\.1 port \d+: the fork server could not start kneetui \(its socket is closed\); spawning it",
            fell_back[0],
        )
    else:
        assert fell_back == []


async def test_a_patients_folder_others_can_read_is_not_used(served, caplog):
    caplog.set_level(logging.INFO, logger="kneetui.serve")
    home = served.options.users_dir / "anna"
    home.mkdir(parents=True)
    home.chmod(0o755)
    async with await served.connect("anna") as conn:
        process = await conn.create_process(term_type="xterm", encoding=None)
        result = await asyncio.wait_for(process.wait(), WAIT)
    assert result.exit_status == 1
    assert b"kneetui could not start here; please tell the clinic." in result.stderr
    said = [record.getMessage() for record in caplog.records if record.name == "kneetui.serve"]
    wanted = f"cannot start kneetui for anna: {home} can be used by other users (mode 0755); run 'chmod 700 {home}'"
    assert any(line.endswith(wanted) for line in said), said


async def test_a_patient_logged_in_no_longer_counts_as_waiting_to_log_in(served):
    """With one connection allowed to wait per address, a second patient logs in beside one logged in."""
    served.service.options = replace(served.options, max_unauthenticated_per_address=1)
    served.add_patient("bob")
    async with await served.connect("anna"), await served.connect("bob"):
        pass


@pytest.mark.parametrize("error", [asyncssh.ChannelOpenError(1, "gone"), BrokenPipeError()])
def test_an_exit_status_for_a_client_already_gone_is_dropped(error):
    from kneetui.serve.ssh_server import exit_quietly

    class Gone:
        def exit(self, status: int) -> None:
            raise error

    exit_quietly(Gone(), 3)  # type: ignore[arg-type]


def test_the_sessions_board_keeps_times_in_utc_to_the_second():
    from datetime import UTC

    from kneetui.serve.clinic import now_utc

    now = now_utc()
    assert now.tzinfo is UTC and now.microsecond == 0


async def test_a_service_stopped_before_it_started_stops_quietly_and_keeps_its_fork_server(tmp_path):
    forks = StandInForkServer(server_options(tmp_path).app_command)
    async with serving(tmp_path, "unstarted", start=False, fork_server=forks) as served:
        assert served.service.fork_server is forks


def test_the_server_starts_again_on_its_own_folders(tmp_path):
    """A restart finds the folders it made and a patient's folder in place, and checks them again."""
    root = tmp_path / "server"
    (root / "keys").mkdir(parents=True)
    options = server_options(root)
    check_paths(options)
    (options.users_dir / "anna").mkdir(mode=0o700)
    check_paths(options)
    (options.users_dir / "anna").chmod(0o777)
    with pytest.raises(TrustError):
        check_paths(options)


async def test_the_servers_ssh_options_allow_a_terminal_and_keys_and_nothing_else(tmp_path, monkeypatch):
    """What asyncssh is asked for, pinned whole. Each option's effect is tested above where a client can
    show it; here the values themselves, so that no default of asyncssh's, which may change, is relied on."""
    asked: dict[str, object] = {}
    create_server = asyncssh.create_server

    async def recorded(*args, **options):
        asked.update(options)
        return await create_server(*args, **options)

    monkeypatch.setattr(asyncssh, "create_server", recorded)
    async with serving(tmp_path, "options"):
        left_to_other_tests = ("server_host_keys", "process_factory", "login_timeout", "keepalive_interval")
        assert {name: value for name, value in asked.items() if name not in left_to_other_tests} == {
            "encoding": None,
            "line_editor": False,
            "allow_pty": True,
            "sftp_factory": None,
            "allow_scp": False,
            "agent_forwarding": False,
            "x11_forwarding": False,
            "public_key_auth": True,
            "password_auth": False,
            "kbdint_auth": False,
            "host_based_auth": False,
            "gss_host": None,
            "keepalive_count_max": 3,
        }


@pytest.mark.parametrize(("allowed_from", "admitted"), [("127.0.0.1", True), ("192.0.2.1", False)])
async def test_a_keys_from_option_is_honoured(served, allowed_from, admitted):
    key = asyncssh.generate_private_key("ssh-ed25519")
    line = f'from="{allowed_from}" '.encode() + key.export_public_key()
    (served.options.authorized_keys_dir / "carl").write_bytes(line)
    if admitted:
        async with await served.connect("carl", key):
            pass
    else:
        with pytest.raises(asyncssh.PermissionDenied):
            await served.connect("carl", key)


@pytest.mark.parametrize(("principals", "admitted"), [("", True), (',principals="carl-phone"', False)])
async def test_a_certificate_from_a_listed_authority_logs_in_and_is_audited_as_such(served, principals, admitted):
    authority = asyncssh.generate_private_key("ssh-ed25519")
    (served.options.authorized_keys_dir / "carl").write_bytes(
        f"cert-authority{principals} ".encode() + authority.export_public_key()
    )
    key = asyncssh.generate_private_key("ssh-ed25519")
    certificate = authority.generate_user_certificate(key, "carl", principals=["carl"])
    connecting = connect_as("127.0.0.1", served.service.port, "carl", [(key, certificate)])
    if not admitted:
        with pytest.raises(asyncssh.PermissionDenied):
            await connecting
        return
    async with await connecting:
        pass
    logins = [line for line in await served.audit_until("logout") if line.startswith("login ")]
    assert logins[0].endswith(" user=carl key=certificate")
