"""The fork server of ``serve ssh``: each patient's kneetui forked from one pre-warmed process.

Every isolation a freshly spawned child had must hold for a forked one: an environment with
nothing of the server's, its own session and controlling terminal, only the descriptors it
was given, the clinic's umask and limits, and an exit status the server learns. When the fork
server is gone, children are spawned as before.
"""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import json
import os
import signal
import socket
import sys
from pathlib import Path

import pytest

from kneetui.serve import fork_client as fork_client_module
from kneetui.serve import fork_server as fork_server_module
from kneetui.serve.fork_client import UNKNOWN_EXIT_STATUS, ForkServer, ForkServerGone
from kneetui.serve.fork_server import become_patient
from kneetui.serve.patients import PASSED_THROUGH, PatientHome
from kneetui.serve.terminal import ChildLimits, PtyChild, TerminalSize

SERVER_SECRET = "KNEETUI_TEST_SERVER_SECRET"
LIMITS = ChildLimits(memory_bytes=900 * 1024 * 1024, cpu_seconds=1200, open_files=200)


def patient_env(tmp_path: Path, name: str = "anna") -> dict[str, str]:
    home = PatientHome(tmp_path / name)
    home.create()
    return home.environment(name, "xterm-256color", "127.0.0.1 50000 127.0.0.1 2222")


async def read_until(child: PtyChild, text: bytes, timeout: float = 20.0) -> bytes:
    seen = b""

    async def collect() -> None:
        nonlocal seen
        while text not in seen:
            data = await child.read()
            if not data:
                raise AssertionError(f"the child closed its terminal before showing {text!r}: {seen[-500:]!r}")
            seen += data

    await asyncio.wait_for(collect(), timeout)
    return seen


async def forked_to_its_first_screen(forks: ForkServer, tmp_path: Path) -> PtyChild:
    """A patient's kneetui forked by ``forks``, once it shows its first screen."""
    child = await PtyChild.open(
        TerminalSize(80, 24), lambda terminal: forks.fork(terminal, patient_env(tmp_path), Path("/"), LIMITS)
    )
    await read_until(child, b"Before you exercise")
    return child


def stat_fields(pid: int) -> list[str]:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def environment_of(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


def socket_inodes(pid: int) -> set[str]:
    found = set()
    for entry in Path(f"/proc/{pid}/fd").iterdir():
        try:
            target = os.readlink(entry)
        except OSError:
            continue
        if target.startswith("socket:"):
            found.add(target)
    return found


@pytest.fixture
def server_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    """Something in the SSH server's own environment that no patient may see."""
    monkeypatch.setenv(SERVER_SECRET, "the server's own")
    monkeypatch.setenv("PYTHONPATH", "/nowhere")
    return SERVER_SECRET


async def test_a_forked_kneetui_is_isolated_like_a_spawned_one(tmp_path, server_secret):
    env = patient_env(tmp_path)
    refusals_read, refusals_write = os.pipe()
    env["KNEETUI_REFUSALS_FD"] = str(refusals_write)  # as the SSH server passes its refusals pipe
    # Whatever the SSH server's own stdin is (here a pipe), the fork server does not hold it.
    stdin_read, stdin_write = os.pipe()
    own_stdin = os.dup(0)
    os.dup2(stdin_read, 0)
    try:
        forks = await ForkServer.start(PASSED_THROUGH)
    finally:
        os.dup2(own_stdin, 0)
        for descriptor in (own_stdin, stdin_read, stdin_write):
            os.close(descriptor)
    cwd = Path(env["HOME"])
    try:
        assert server_secret not in environment_of(forks.pid), "the fork server's environment is built from nothing"
        # Its own session (a Ctrl-C at the server's terminal does not reach it), no hold on the
        # server's folder or streams.
        assert int(stat_fields(forks.pid)[3]) == forks.pid
        assert os.readlink(f"/proc/{forks.pid}/cwd") == "/"
        assert [os.readlink(f"/proc/{forks.pid}/fd/{number}") for number in (0, 1)] == ["/dev/null"] * 2
        child = await PtyChild.open(
            TerminalSize(80, 24),
            lambda terminal: forks.fork(terminal, env, cwd, LIMITS, pass_fds=(refusals_write,)),
        )
        await read_until(child, b"Before you exercise")
        pid = child.pid
        assert environment_of(pid) == env, "the patient's environment, and nothing else"
        fields = stat_fields(pid)
        assert int(fields[3]) == pid == int(fields[2]), "it leads its own session and process group"
        assert int(fields[4]) != 0, "the pty is its controlling terminal"
        assert os.readlink(f"/proc/{pid}/fd/0").startswith("/dev/pts/")
        assert os.readlink(f"/proc/{pid}/cwd") == str(cwd)
        status = Path(f"/proc/{pid}/status").read_text()
        assert "Umask:\t0077" in status
        limits = Path(f"/proc/{pid}/limits").read_text()
        assert f"{LIMITS.memory_bytes}" in limits and "Max open files            200" in limits
        # ps and pkill -f see a patient's kneetui, not the fork server's command line.
        shown = Path(f"/proc/{pid}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")
        assert shown == [os.fsencode(sys.executable), b"-I", b"-m", b"kneetui"]
        # Not one of the fork server's descriptors reached the patient's process.
        assert not socket_inodes(forks.pid) & socket_inodes(pid)
        # The refusals pipe keeps the number the environment names.
        assert os.readlink(f"/proc/{pid}/fd/{refusals_write}").startswith("pipe:")
        # The server ends it as it ends a spawned child: SIGHUP to its group, then reaps it.
        assert await child.end(2.0) == -signal.SIGHUP
        assert not Path(f"/proc/{pid}").exists()
    finally:
        os.close(refusals_read)
        os.close(refusals_write)
        await forks.close()


@pytest.mark.parametrize(("argv", "expected"), [(["kneetui", "--version"], 0), (["kneetui", "no-such-command"], 2)])
async def test_the_exit_status_of_a_forked_child_is_reported(tmp_path, argv, expected):
    forks = await ForkServer.start(PASSED_THROUGH)
    try:
        child = await PtyChild.open(
            TerminalSize(80, 24),
            lambda terminal: forks.fork(terminal, patient_env(tmp_path), Path("/"), LIMITS, argv=argv),
        )
        while await child.read():
            pass
        assert await child.end(2.0) == expected
    finally:
        await forks.close()


async def test_a_child_forked_without_limits_runs_with_the_fork_servers_own(tmp_path):
    forks = await ForkServer.start(PASSED_THROUGH)
    try:
        child = await PtyChild.open(
            TerminalSize(80, 24),
            lambda terminal: forks.fork(
                terminal, patient_env(tmp_path), Path("/"), None, argv=["kneetui", "--version"]
            ),
        )
        while await child.read():
            pass
        assert await child.end(2.0) == 0
    finally:
        await forks.close()


def test_the_fork_servers_environment_is_built_from_nothing(monkeypatch):
    monkeypatch.setenv("HOME", "/home/clinic")
    monkeypatch.setenv(SERVER_SECRET, "the server's own")
    monkeypatch.delenv("LANG", raising=False)
    env = fork_client_module.fork_server_environment(["HOME", "LANG", "NOT_SET_ANYWHERE"])
    # Room for each child to write its patient's environment where ps reads it.
    assert env == {"HOME": "/home/clinic", "LANG": "C.UTF-8", fork_server_module.ROOM_VARIABLE: "x" * 8192}
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    assert fork_client_module.fork_server_environment(["LANG"])["LANG"] == "de_DE.UTF-8"


async def test_a_fork_server_that_never_gets_ready_is_killed_and_given_up(monkeypatch):
    monkeypatch.setattr(fork_client_module, "READY_TIMEOUT_SECONDS", 0.3)
    silent = (sys.executable, "-c", "import time; time.sleep(60)")
    with pytest.raises(ForkServerGone, match="did not get ready"):
        await asyncio.wait_for(ForkServer.start(PASSED_THROUGH, command=silent), 10)


def test_a_reply_to_a_server_that_has_gone_is_dropped_quietly():
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.close()
    try:
        fork_server_module._send(theirs, {"exited": 1, "returncode": 0})  # EPIPE, not an exception
    finally:
        theirs.close()


def test_becoming_a_patient_leaves_only_the_terminal_and_the_descriptors_passed(tmp_path, server_secret):
    """The child's side, in a real fork: what its own os.environ and descriptors are afterwards."""
    env = patient_env(tmp_path)
    master, slave = os.openpty()
    report_read, report_write = os.pipe()
    stray = os.open(tmp_path, os.O_RDONLY)  # stands in for the server's own files and sockets
    target = 9
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        try:
            become_patient({"env": env, "cwd": "/", "umask": 0o077, "pass_fds": [target]}, [slave, report_write])
            found = {
                "environ": dict(os.environ),
                "fds": sorted(int(name) for name in os.listdir("/proc/self/fd")),
                "stdout_is_tty": os.isatty(1),
                "sid": os.getsid(0),
                "umask": os.umask(0o077),
            }
            os.write(target, json.dumps(found).encode())
        finally:
            os._exit(0)
    os.close(slave)
    os.close(report_write)
    data = b""
    while chunk := os.read(report_read, 65536):
        data += chunk
    os.waitpid(pid, 0)
    os.close(report_read)
    os.close(master)
    os.close(stray)
    found = json.loads(data)
    assert found["environ"] == env and server_secret not in found["environ"] and "PYTHONPATH" not in found["environ"]
    # 0-2 the terminal, 9 the pipe passed, and the one /proc/self/fd listing itself: nothing else.
    assert found["fds"][:4] == [0, 1, 2, 3] and found["fds"][4:] == [target]
    assert found["stdout_is_tty"] and found["sid"] == pid and found["umask"] == 0o077


async def test_a_fork_server_that_has_died_says_so_and_refuses_new_children(tmp_path, caplog):
    forks = await ForkServer.start(PASSED_THROUGH)
    child = await forked_to_its_first_screen(forks, tmp_path)
    os.kill(forks.pid, signal.SIGKILL)
    await wait_for_condition(lambda: not forks.alive)
    assert said(caplog) == [
        f"the fork server (pid {forks.pid}) has gone (it closed its socket); each kneetui is now started afresh"
    ]
    with pytest.raises(ForkServerGone, match=r"^the fork server has gone$"):
        await forks.fork(0, patient_env(tmp_path, "bob"), Path("/"), LIMITS)
    # Closed while its child still runs: the child is watched once, not twice.
    await forks.close()
    # Its child goes on; its end is still noticed, though its status can no longer be known.
    assert Path(f"/proc/{child.pid}").exists()
    assert await child.end(2.0) == UNKNOWN_EXIT_STATUS
    await asyncio.sleep(0.1)
    assert said(caplog)[1:] == [
        f"kneetui pid {child.pid} ended after its fork server; its exit status is not known (given as 255)"
    ]
    assert not forks._pidfds and not open_pidfds(), "each child's pidfd is closed once it has ended"


async def test_a_fork_server_that_cannot_start_is_an_error_to_fall_back_on(monkeypatch):
    with pytest.raises(ForkServerGone, match=r"^the fork server did not get ready: it closed its socket$"):
        await ForkServer.start(PASSED_THROUGH, command=("/bin/false",))


def test_the_fork_server_refuses_to_fork_with_a_thread_running(monkeypatch):
    """Forking with another thread running could leave a lock held for ever in the child."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    monkeypatch.setattr(fork_server_module.threading, "active_count", lambda: 2)
    master, slave = os.openpty()
    try:
        fork_server_module._fork_one(theirs, {"id": 7, "env": {}}, [slave])
        assert json.loads(ours.recv(65536)) == {
            "id": 7,
            "error": "the fork server has a thread running; it cannot fork safely",
        }
    finally:
        for descriptor in (master, slave):
            os.close(descriptor)
        ours.close()
        theirs.close()


def test_the_warm_up_shows_home_and_leaves_no_thread_no_loop_and_the_environment_as_found(monkeypatch):
    import threading

    from kneetui.tui import warm_up as warm_up_module

    shown: list[str] = []
    real_show_home = warm_up_module._show_home

    async def show_home_and_note_where() -> None:
        shown.append(os.environ["XDG_DATA_HOME"])
        await real_show_home()

    monkeypatch.setattr(warm_up_module, "_show_home", show_home_and_note_where)
    before, threads = dict(os.environ), set(threading.enumerate())
    warm_up_module.warm_up()
    assert dict(os.environ) == before
    assert shown and not Path(shown[0]).exists(), "its throw-away folder is gone"
    assert set(threading.enumerate()) == threads
    with pytest.raises(RuntimeError):
        asyncio.get_running_loop()


def install_recording_plugin(site: Path, log: Path) -> str:
    """A third party's plug-in, installed as an entry point, that writes its pid and home to ``log`` at import."""
    module = "kneetui_import_recorder"
    (site / f"{module}.py").write_text(
        "import os\nfrom pathlib import Path\n"
        f"with open({str(log)!r}, 'a', encoding='utf-8') as log:\n"
        "    log.write(f'{os.getpid()} {Path.home()}\\n')\n"
    )
    dist_info = site / "kneetui_import_recorder-0.1.dist-info"
    dist_info.mkdir()
    (dist_info / "METADATA").write_text("Metadata-Version: 2.1\nName: kneetui-import-recorder\nVersion: 0.1\n")
    (dist_info / "entry_points.txt").write_text(f"[kneetui]\nimport-recorder = {module}\n")
    return module


def fork_server_seeing(site: Path, imported_first: str = "") -> tuple[str, ...]:
    """The fork server's command, with ``site`` on its path as a site-packages folder would be."""
    first = f"import {imported_first}; " if imported_first else ""
    return (
        *fork_server_module.FORK_SERVER_COMMAND[:2],
        "-c",
        f"import sys; sys.path.insert(0, {str(site)!r}); {first}"
        "from kneetui.serve.fork_server import main; sys.exit(main())",
    )


def imports_recorded(log: Path) -> dict[int, str]:
    if not log.exists():
        return {}
    return {int(pid): home for pid, home in (line.split(" ", 1) for line in log.read_text().splitlines())}


async def test_a_third_party_plugin_is_imported_in_each_patients_kneetui_never_in_the_fork_server(tmp_path):
    site, log = tmp_path / "site", tmp_path / "imports.log"
    site.mkdir()
    install_recording_plugin(site, log)
    forks = await ForkServer.start(PASSED_THROUGH, command=fork_server_seeing(site))
    children = {}
    try:
        assert imports_recorded(log) == {}, "the warm-up ran no third party's code"
        for name in ("anna", "bob"):
            env = patient_env(tmp_path, name)
            children[env["HOME"]] = await PtyChild.open(
                TerminalSize(80, 24), lambda terminal, env=env: forks.fork(terminal, env, Path("/"), LIMITS)
            )
        for _ in range(1000):
            if len(imports_recorded(log)) == 2:
                break
            await asyncio.sleep(0.02)
        assert imports_recorded(log) == {child.pid: home for home, child in children.items()}
    finally:
        for child in children.values():
            await child.end(2.0)
        await forks.close()


async def test_a_fork_server_with_a_third_party_plugin_imported_refuses_to_serve(tmp_path):
    site, log = tmp_path / "site", tmp_path / "imports.log"
    site.mkdir()
    module = install_recording_plugin(site, log)
    with pytest.raises(ForkServerGone, match=module):
        await ForkServer.start(PASSED_THROUGH, command=fork_server_seeing(site, imported_first=module))


def open_pidfds() -> list[str]:
    found = []
    for entry in Path("/proc/self/fd").iterdir():
        with contextlib.suppress(OSError):
            if os.readlink(entry) == "anon_inode:[pidfd]":
                found.append(entry.name)
    return found


def said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "kneetui.serve"]


class FakeProcess:
    """Stands in for the fork server's process where only the socket's messages matter."""

    pid = 4000

    def __init__(self, already_reaped: bool = False) -> None:
        self.already_reaped, self.killed = already_reaped, False

    def kill(self) -> None:
        if self.already_reaped:
            raise ProcessLookupError  # as asyncio's Process.kill() for a process it has reaped
        self.killed = True

    async def wait(self) -> int:
        return -signal.SIGKILL


async def test_messages_in_any_order_reach_the_right_child_and_nothing_goes_wrong_in_the_loop(tmp_path, caplog):
    """An exit read before the reply with its pid, a reply to a request given up, an exit of no one known."""
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    ours.setblocking(False)
    forks = ForkServer(FakeProcess(already_reaped=True), ours)
    master, slave = os.openpty()
    try:
        for message in (
            {"ready": 4000},
            {"exited": 42, "returncode": 3},
            {"id": 99, "pid": 7},
        ):
            theirs.send(json.dumps(message).encode())
        asked = asyncio.ensure_future(forks.fork(slave, patient_env(tmp_path), Path("/"), None))
        await wait_for_condition(lambda: forks._requests)
        request = json.loads(theirs.recv(65536))
        assert request["cwd"] == "/" and request["umask"] == 0o077 and request["limits"] is None
        theirs.send(json.dumps({"id": request["id"], "pid": 42}).encode())
        child = await asyncio.wait_for(asked, 5)
        assert (child.pid, child.returncode) == (42, 3)
        # Its socket closed with the process already reaped: given up without an error.
        theirs.close()
        await wait_for_condition(lambda: not forks.alive)
        await forks.close()
    finally:
        for descriptor in (master, slave):
            os.close(descriptor)
        with contextlib.suppress(OSError):
            theirs.close()
    assert not [record for record in caplog.records if record.levelname == "ERROR" and record.name == "asyncio"]
    assert not forks._children and not forks._requests and not forks._early_exits


async def wait_for_condition(condition, tries: int = 1000) -> None:
    for _ in range(tries):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("the condition never held")


async def test_a_busy_fork_server_is_waited_for_not_taken_for_gone(tmp_path):
    """Requests beyond what its socket holds wait until it reads them; none is lost or spawned twice."""
    forks = await ForkServer.start(PASSED_THROUGH)
    # A small buffer, so that a few requests fill it as many logins at once would fill the default one.
    forks._control.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4096)
    os.kill(forks.pid, signal.SIGSTOP)
    terminals: list[tuple[int, int]] = []
    env = patient_env(tmp_path)
    try:
        # One request more than the socket holds, so that exactly one waits for room.
        asked = []
        while not forks._send_waiters:
            assert len(asked) < 100, "the socket never filled"
            terminals.append(os.openpty())
            fork = forks.fork(terminals[-1][1], env, Path("/"), LIMITS, argv=["kneetui", "--version"])
            asked.append(asyncio.ensure_future(fork))
            for _ in range(5):
                await asyncio.sleep(0)
        assert len(forks._send_waiters) == 1
        os.kill(forks.pid, signal.SIGCONT)
        children = await asyncio.wait_for(asyncio.gather(*asked), 15)
        assert forks.alive
        assert [await asyncio.wait_for(child.wait(), 30) for child in children] == [0] * len(terminals)
        assert not forks._requests and not forks._children, "nothing is kept of a request answered, a child reaped"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(forks.pid, signal.SIGCONT)
        for master, slave in terminals:
            os.close(master)
            os.close(slave)
        await forks.close()


async def test_a_stuck_fork_server_is_killed_and_given_up_after_a_timeout(tmp_path, monkeypatch, caplog):
    monkeypatch.setattr(fork_client_module, "REPLY_TIMEOUT_SECONDS", 0.5)
    forks = await ForkServer.start(PASSED_THROUGH)
    os.kill(forks.pid, signal.SIGSTOP)
    master, slave = os.openpty()
    try:
        with pytest.raises(ForkServerGone, match=r"^the fork server did not answer in time$"):
            await asyncio.wait_for(forks.fork(slave, patient_env(tmp_path), Path("/"), LIMITS), 10)
        assert not forks.alive
        assert said(caplog) == [
            f"the fork server (pid {forks.pid}) has gone (it did not answer a request in 0.5 s); "
            "each kneetui is now started afresh"
        ]
        # Killed, so that it can never fork the request it had queued onto a terminal given to another.
        assert await asyncio.wait_for(forks._process.wait(), 10) == -signal.SIGKILL
    finally:
        os.close(master)
        os.close(slave)
        await forks.close()


async def test_children_still_running_when_the_fork_server_is_closed_are_noticed_when_they_end(tmp_path):
    forks = await ForkServer.start(PASSED_THROUGH)
    child = await forked_to_its_first_screen(forks, tmp_path)
    await forks.close()
    # No one can reap it once its fork server is gone (this test process is no subreaper), but its end is seen.
    assert await asyncio.wait_for(child.end(2.0), 10) == UNKNOWN_EXIT_STATUS


@pytest.fixture
def subreaper():
    """This test process adopts orphaned descendants, as the SSH server does, until the test ends."""
    assert fork_client_module.become_subreaper()
    yield
    libc = ctypes.CDLL(None)
    assert libc.prctl(fork_client_module.PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0) == 0


async def test_a_server_that_adopts_orphans_learns_their_real_exit_status(tmp_path, subreaper):
    forks = await ForkServer.start(PASSED_THROUGH)
    child = await forked_to_its_first_screen(forks, tmp_path)
    os.kill(forks.pid, signal.SIGKILL)
    await wait_for_condition(lambda: not forks.alive)
    assert await asyncio.wait_for(child.end(2.0), 10) == -signal.SIGHUP
    assert not Path(f"/proc/{child.pid}").exists(), "reaped, not left a zombie"
    await forks.close()


async def test_an_adopted_child_that_exits_after_its_fork_server_gives_its_own_status(tmp_path, subreaper):
    forks = await ForkServer.start(PASSED_THROUGH)
    master, slave = os.openpty()
    try:
        # Ctrl-S: the terminal takes no output, so the child's usage message (and its exit) waits.
        os.write(master, b"\x13")
        child = await forks.fork(slave, patient_env(tmp_path), Path("/"), LIMITS, argv=["kneetui", "no-such-command"])
        os.kill(forks.pid, signal.SIGKILL)
        await wait_for_condition(lambda: not forks.alive)
        os.write(master, b"\x11")  # Ctrl-Q: it may write, then exit
        assert await asyncio.wait_for(child.wait(), 30) == 2
    finally:
        os.close(master)
        os.close(slave)
        await forks.close()


def test_a_forked_child_ends_as_an_interpreter_would(tmp_path, monkeypatch):
    """Its own atexit handlers and non-daemon threads run before it exits; the fork server's handlers do not."""
    import atexit
    import threading

    ran = tmp_path / "ran"
    ran.mkdir()

    def note(name: str) -> None:
        (ran / name).write_text(name)

    go_on_read, go_on_write = os.pipe()
    target = 9

    def kneetui_with_a_thread_and_an_exit_handler(argv):
        atexit.register(note, "patient-atexit")
        # The thread finishes only once the test says so, after kneetui itself has returned.
        threading.Thread(target=lambda: (os.read(target, 1), note("thread-finished"))).start()
        return 3

    monkeypatch.setattr(fork_server_module, "run_kneetui", kneetui_with_a_thread_and_an_exit_handler)
    monkeypatch.setattr(fork_server_module.threading, "active_count", lambda: 1)
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    master, slave = os.openpty()
    atexit.register(note, "fork-server-atexit")
    try:
        request = {"id": 1, "env": patient_env(tmp_path), "cwd": "/", "umask": 0o077, "pass_fds": [target]}
        fork_server_module._fork_one(theirs, request, [slave, go_on_read])
        reply = json.loads(ours.recv(65536))
        assert sorted(reply) == ["id", "pid"] and reply["id"] == 1
        pid = reply["pid"]
        os.write(go_on_write, b"x")
        _, status = os.waitpid(pid, 0)
    finally:
        atexit.unregister(note)
        for descriptor in (master, slave, go_on_read, go_on_write):
            os.close(descriptor)
        ours.close()
        theirs.close()
    assert os.waitstatus_to_exitcode(status) == 3
    assert sorted(path.name for path in ran.iterdir()) == ["patient-atexit", "thread-finished"]
