"""``kneetui serve ssh``, driven by the real OpenSSH client as a patient would use it."""

from __future__ import annotations

import fcntl
import os
import re
import select
import shutil
import signal
import stat
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import asyncssh
import pytest

from kneetui.serve.host_key import HostKeyError, load_or_create_host_key
from kneetui.serve.idle import IdleWatch, duration
from kneetui.serve.patients import PatientHome, authorized_keys_for, is_valid_user_name

SSH = "/usr/bin/ssh"
needs_ssh = pytest.mark.skipif(not Path(SSH).exists(), reason="the OpenSSH client /usr/bin/ssh is not installed")
ESCAPES = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[=>78]")
START_TIMEOUT = 15.0


def poll(condition, timeout: float, interval: float = 0.05):
    """``condition()`` once it is truthy, or its last falsy value when ``timeout`` runs out."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(interval)


def make_key(folder: Path, name: str) -> Path:
    key = folder / f"id_{name}"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(key)], check=True, timeout=10)
    return key


def kneetui_pids(home: Path) -> list[int]:
    """Processes whose environment says their HOME is ``home``: a patient's kneetui."""
    wanted = f"HOME={home}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if wanted in (entry / "environ").read_bytes().split(b"\0"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def process_environment(pid: int) -> dict[str, str]:
    pairs = Path(f"/proc/{pid}/environ").read_bytes().decode().split("\0")
    return dict(pair.split("=", 1) for pair in pairs if "=" in pair)


@dataclass
class Server:
    """A ``kneetui serve ssh`` subprocess on a free loopback port."""

    root: Path
    process: subprocess.Popen
    port: int
    fingerprint: str
    keys_dir: Path
    users_dir: Path
    log_file: Path
    known_hosts: Path

    @classmethod
    def start(cls, root: Path, env: dict[str, str], *options: str) -> Server:
        keys_dir, users_dir = root / "keys", root / "users"
        keys_dir.mkdir(parents=True)
        log_file = root / "server.log"
        command = [
            sys.executable, "-m", "kneetui", "serve", "ssh", "--host", "127.0.0.1", "--port", "0",
            "--authorized-keys", str(keys_dir), "--users-dir", str(users_dir),
            "--host-key", str(root / "host_key"), *options,
        ]  # fmt: skip
        with log_file.open("wb") as log:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env)
        announced = read_lines_until(process, "Host key fingerprint:", START_TIMEOUT)
        port = int(re.search(r"listening on 127\.0\.0\.1 port (\d+)", announced).group(1))
        fingerprint = re.search(r"fingerprint: (SHA256:\S+)", announced).group(1)
        return cls(root, process, port, fingerprint, keys_dir, users_dir, log_file, root / "known_hosts")

    def log(self) -> str:
        return self.log_file.read_text()

    def add_patient(self, name: str) -> Path:
        """Make a key for ``name`` and list it in the keys folder; the private key's path."""
        key = self.root / f"id_{name}"
        if not key.exists():
            make_key(self.root, name)
        shutil.copy(key.with_suffix(".pub"), self.keys_dir / name)
        return key

    def home_of(self, name: str) -> Path:
        return PatientHome.of(self.users_dir, name).root

    def ssh_command(self, key: Path, user: str, *extra: str) -> list[str]:
        return [
            SSH, "-i", str(key), "-p", str(self.port),
            "-o", "StrictHostKeyChecking=accept-new", "-o", f"UserKnownHostsFile={self.known_hosts}",
            "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "PasswordAuthentication=no",
            "-o", "ConnectTimeout=5", "-F", "/dev/null", *extra, f"{user}@127.0.0.1",
        ]  # fmt: skip

    def run_ssh(self, key: Path, user: str, *extra: str, remote: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*self.ssh_command(key, user, *extra), *remote],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=10,
            env=client_env(),
        )

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise


def read_lines_until(process: subprocess.Popen, marker: str, timeout: float) -> str:
    """What ``process`` printed up to and including the line with ``marker``."""
    seen = b""
    deadline = time.monotonic() + timeout
    while marker.encode() not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or (process.poll() is not None and not select.select([process.stdout], [], [], 0)[0]):
            raise AssertionError(f"server did not announce {marker!r}; printed {seen!r}")
        if select.select([process.stdout], [], [], min(left, 0.2))[0]:
            chunk = os.read(process.stdout.fileno(), 4096)
            if not chunk and process.poll() is not None:
                continue
            seen += chunk
    while not seen.endswith(b"\n") and select.select([process.stdout], [], [], 1)[0]:
        seen += os.read(process.stdout.fileno(), 4096)
    return seen.decode()


def client_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("SSH_AUTH_SOCK", None)
    return env


@dataclass
class Terminal:
    """The OpenSSH client in a local 80 x 24 pty, as a patient's terminal window."""

    process: subprocess.Popen
    master: int
    output: bytearray = field(default_factory=bytearray)

    @classmethod
    def open(cls, command: list[str], columns: int = 80, rows: int = 24) -> Terminal:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        process = subprocess.Popen(
            command, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=client_env()
        )
        os.close(slave)
        return cls(process, master)

    def _read_some(self, timeout: float) -> bool:
        """Read what is there; False once the client has closed the terminal."""
        if not select.select([self.master], [], [], timeout)[0]:
            return True
        try:
            chunk = os.read(self.master, 65536)
        except OSError:
            return False
        self.output += chunk
        return bool(chunk)

    def text(self) -> str:
        return ESCAPES.sub(b"", bytes(self.output)).decode(errors="replace")

    def read_until(self, text: str, timeout: float = 10.0) -> str:
        deadline = time.monotonic() + timeout
        while text not in self.text():
            left = deadline - time.monotonic()
            if left <= 0 or not self._read_some(min(left, 0.2)):
                raise AssertionError(f"never saw {text!r}; the terminal showed {self.text()[-2000:]!r}")
        return self.text()

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def wait_closed(self, timeout: float = 10.0) -> int:
        deadline = time.monotonic() + timeout
        while self._read_some(0.1) and time.monotonic() < deadline:
            pass
        return self.process.wait(timeout=max(0.1, deadline - time.monotonic()))

    def kill_client(self) -> None:
        """The patient's side vanishes at once: no goodbye, no EOF."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=5)

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill_client()
        os.close(self.master)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One server shared by the tests that need nothing special of it; each uses its own patient."""
    if not Path(SSH).exists():
        pytest.skip("the OpenSSH client /usr/bin/ssh is not installed")
    root = tmp_path_factory.mktemp("clinic")
    started = Server.start(root, isolated_env(root))
    yield started
    assert started.stop() == 0, started.log()


def isolated_env(root: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        env[f"XDG_{name}_HOME"] = str(root / "server-home" / name.lower())
    env["HOME"] = str(root / "server-home")
    return env


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator:
    """Start a server with particular options for one test; stopped afterwards."""
    started: list[Server] = []

    def start(*options: str) -> Server:
        started.append(Server.start(tmp_path / f"clinic{len(started)}", isolated_env(tmp_path), *options))
        return started[-1]

    yield start
    for each in started:
        each.stop()


@pytest.fixture
def terminals() -> Iterator:
    opened: list[Terminal] = []

    def open_terminal(command: list[str]) -> Terminal:
        opened.append(Terminal.open(command))
        return opened[-1]

    yield open_terminal
    for terminal in opened:
        terminal.close()


@needs_ssh
def test_a_patient_with_a_listed_key_gets_the_app_and_its_home_screen(server, terminals):
    key = server.add_patient("anna")
    terminal = terminals(server.ssh_command(key, "anna", "-tt"))
    terminal.read_until("Before you exercise")
    terminal.type(b"\r")
    terminal.read_until("Start today's session")
    terminal.type(b"q")
    assert terminal.wait_closed() == 0
    assert poll(lambda: not kneetui_pids(server.home_of("anna")), 5)


@needs_ssh
def test_the_server_announces_the_fingerprint_of_its_host_key(server):
    listed = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(server.root / "host_key")], capture_output=True, text=True, check=True
    )
    assert server.fingerprint in listed.stdout
    assert stat.S_IMODE((server.root / "host_key").stat().st_mode) == 0o600


@needs_ssh
def test_an_unknown_key_is_refused(server, tmp_path):
    server.add_patient("bea")
    stranger = make_key(tmp_path, "stranger")
    result = server.run_ssh(stranger, "bea", "-T")
    assert result.returncode == 255
    assert "Permission denied (publickey)" in result.stderr
    assert not server.home_of("bea").exists()


@needs_ssh
def test_a_key_listed_for_one_patient_cannot_log_in_as_another(server):
    carl = server.add_patient("carl")
    server.add_patient("dora")
    result = server.run_ssh(carl, "dora", "-T")
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    assert not server.home_of("dora").exists()


@needs_ssh
@pytest.mark.parametrize("name", ["../outside", "Carl", "carl.old"])
def test_login_names_that_are_not_plain_are_refused_even_with_a_keys_file(server, name):
    carl = server.add_patient("carl2")
    # A keys file where the name, taken as a path, would lead: it must not count.
    shutil.copy(carl.with_suffix(".pub"), server.keys_dir / name)
    result = server.run_ssh(carl, name, "-T")
    assert result.returncode == 255
    assert "Permission denied" in result.stderr
    assert f"login name {name!r} is not a valid kneetui user name" in server.log()


@needs_ssh
def test_passwords_are_refused_and_only_keys_are_offered(server):
    server.add_patient("emil")
    result = server.run_ssh(
        Path("/dev/null"),
        "emil",
        "-v",
        "-o", "PreferredAuthentications=password,keyboard-interactive",
        "-o", "NumberOfPasswordPrompts=1",
        remote=("true",),
    )  # fmt: skip
    assert result.returncode == 255
    offered = set(re.findall(r"Authentications that can continue: (\S+)", result.stderr))
    assert offered == {"publickey"}


@needs_ssh
def test_a_command_is_refused_with_exit_status_1(server):
    key = server.add_patient("finn")
    result = server.run_ssh(key, "finn", remote=("cat", "/etc/passwd"))
    assert result.returncode == 1
    assert "kneetui runs no commands here" in result.stderr
    assert "root:" not in result.stdout
    assert not kneetui_pids(server.home_of("finn"))


@needs_ssh
def test_a_session_without_a_terminal_is_told_to_use_ssh_t(server):
    key = server.add_patient("gail")
    result = server.run_ssh(key, "gail", "-T")
    assert result.returncode == 1
    assert f"ssh -t -p {server.port}" in result.stderr


@needs_ssh
def test_sftp_and_scp_are_refused(server, tmp_path):
    key = server.add_patient("hugo")
    options = ["-i", str(key), "-P", str(server.port), "-F", "/dev/null", "-o", "BatchMode=yes",
               "-o", "IdentitiesOnly=yes", "-o", f"UserKnownHostsFile={server.known_hosts}",
               "-o", "StrictHostKeyChecking=accept-new"]  # fmt: skip
    if Path("/usr/bin/sftp").exists():
        sftp = subprocess.run(
            ["/usr/bin/sftp", "-b", "-", *options, "hugo@127.0.0.1"],
            input="ls\n", capture_output=True, text=True, timeout=10, env=client_env(),
        )  # fmt: skip
    else:
        sftp = server.run_ssh(key, "hugo", "-s", remote=("sftp",))
    assert sftp.returncode != 0
    assert "subsystem request failed" in sftp.stderr
    if Path("/usr/bin/scp").exists():
        scp = subprocess.run(
            ["/usr/bin/scp", "-O", *options, "hugo@127.0.0.1:/etc/passwd", str(tmp_path / "copied")],
            capture_output=True, text=True, timeout=10, env=client_env(),
        )  # fmt: skip
        assert scp.returncode != 0
        assert not (tmp_path / "copied").exists()


@needs_ssh
@pytest.mark.parametrize("forwarding", [["-W", "127.0.0.1:22"], ["-N", "-R", "0:127.0.0.1:22"]])
def test_port_forwarding_is_refused(server, forwarding):
    key = server.add_patient("ines")
    result = server.run_ssh(key, "ines", "-o", "ExitOnForwardFailure=yes", *forwarding)
    assert result.returncode == 255
    assert re.search(r"open failed|forwarding failed", result.stderr), result.stderr


@needs_ssh
def test_a_dropped_connection_leaves_no_kneetui_behind(server, terminals):
    key = server.add_patient("jack")
    terminal = terminals(server.ssh_command(key, "jack", "-tt"))
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(server.home_of("jack"))
    terminal.kill_client()
    assert poll(lambda: not Path(f"/proc/{pid}").exists(), 8), f"kneetui {pid} outlived its connection"
    assert "exit status" in poll(lambda: "jack left kneetui" in server.log() and server.log(), 3)


@needs_ssh
def test_each_patient_gets_their_own_folders(server, terminals):
    for name in ("kate", "liam"):
        key = server.add_patient(name)
        terminal = terminals(server.ssh_command(key, name, "-tt"))
        terminal.read_until("Before you exercise")
        [pid] = kneetui_pids(server.home_of(name))
        env = process_environment(pid)
        home = server.home_of(name)
        assert env["XDG_CONFIG_HOME"] == str(home / "config")
        assert env["XDG_DATA_HOME"] == str(home / "data")
        assert env["USER"] == name
        assert stat.S_IMODE(home.stat().st_mode) == 0o700
        if name == "kate":
            terminal.type(b"\r")
            terminal.read_until("Start today's session")
            assert (home / "config" / "kneetui" / "config.toml").exists()
        terminal.kill_client()
    # liam was shown the first-run notice: kate's acknowledgement was hers alone.
    assert not (server.home_of("liam") / "config" / "kneetui" / "config.toml").exists()


@needs_ssh
def test_a_window_resize_reaches_the_app(server, terminals):
    key = server.add_patient("mona")
    terminal = terminals(server.ssh_command(key, "mona", "-tt"))
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(server.home_of("mona"))
    fcntl.ioctl(terminal.master, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 132, 0, 0))
    os.kill(terminal.process.pid, signal.SIGWINCH)
    # The app redraws at the new size: a full-width line of 132 columns appears.
    terminal.output.clear()
    assert poll(lambda: terminal._read_some(0.1) and b"\x1b[40;" in terminal.output, 8)
    assert Path(f"/proc/{pid}").exists()


@needs_ssh
def test_connections_beyond_the_cap_get_a_polite_message(own_server, terminals):
    server = own_server("--max-connections", "1")
    first, second = server.add_patient("nils"), server.add_patient("olga")
    terminals(server.ssh_command(first, "nils", "-tt")).read_until("Before you exercise")
    turned_away = server.run_ssh(second, "olga", "-tt")
    assert turned_away.returncode == 255
    assert "kneetui is busy with other patients right now" in turned_away.stderr
    assert not kneetui_pids(server.home_of("olga"))


@needs_ssh
def test_an_idle_connection_is_closed_and_its_kneetui_ended(own_server, terminals):
    server = own_server("--idle-timeout", "1")
    key = server.add_patient("pia")
    terminal = terminals(server.ssh_command(key, "pia", "-tt"))
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(server.home_of("pia"))
    terminal.read_until("closed this connection after 1 second without input", timeout=8)
    terminal.wait_closed(timeout=5)
    assert poll(lambda: not Path(f"/proc/{pid}").exists(), 5)


@needs_ssh
def test_stopping_the_server_ends_every_session(own_server, terminals):
    server = own_server()
    key = server.add_patient("rosa")
    terminal = terminals(server.ssh_command(key, "rosa", "-tt"))
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(server.home_of("rosa"))
    assert server.stop() == 0
    terminal.read_until("The kneetui server is shutting down.", timeout=5)
    assert not Path(f"/proc/{pid}").exists()


@needs_ssh
def test_a_host_key_others_can_read_stops_the_server(tmp_path):
    host_key = tmp_path / "host_key"
    load_or_create_host_key(host_key)
    host_key.chmod(0o644)
    (tmp_path / "keys").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "serve", "ssh", "--port", "0", "--host-key", str(host_key),
         "--authorized-keys", str(tmp_path / "keys"), "--users-dir", str(tmp_path / "users")],
        capture_output=True, text=True, timeout=20,
    )  # fmt: skip
    assert result.returncode == 1
    assert "chmod 600" in result.stderr


def test_the_host_key_is_made_once_readable_by_its_owner_only(tmp_path):
    path = tmp_path / "serve" / "host_key"
    made = load_or_create_host_key(path)
    assert made.created
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = load_or_create_host_key(path)
    assert not again.created
    assert again.fingerprint == made.fingerprint


def test_a_host_key_others_can_read_is_refused(tmp_path):
    path = tmp_path / "host_key"
    load_or_create_host_key(path)
    path.chmod(0o640)
    with pytest.raises(HostKeyError, match="chmod 600"):
        load_or_create_host_key(path)


@pytest.mark.parametrize("name", ["anna", "_svc", "ole-2", "a" * 32])
def test_plain_login_names_are_valid(name):
    assert is_valid_user_name(name)


@pytest.mark.parametrize("name", ["", "..", "../anna", "anna/..", "Anna", "anna.old", "-anna", "a" * 33, "an na"])
def test_login_names_that_could_be_paths_are_not_valid(name):
    assert not is_valid_user_name(name)
    assert authorized_keys_for(Path("/nonexistent"), name).keys is None
    with pytest.raises(ValueError, match="not a valid kneetui user name"):
        PatientHome.of(Path("/users"), name)


def test_a_keys_file_others_can_change_is_not_trusted(tmp_path):
    listed = tmp_path / "keys" / "anna"
    listed.parent.mkdir()
    listed.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    assert authorized_keys_for(listed.parent, "anna").keys is not None
    listed.chmod(0o666)
    lookup = authorized_keys_for(listed.parent, "anna")
    assert lookup.keys is None
    assert "changed by other users" in lookup.problem


class FakeLoop:
    """The two things IdleWatch asks of an event loop, on a clock that moves only when told."""

    def __init__(self) -> None:
        self.now = 0.0
        self.timers: list[tuple[float, object]] = []

    def time(self) -> float:
        return self.now

    def call_at(self, when: float, callback):
        loop = self

        class Handle:
            def cancel(self) -> None:
                loop.timers = [timer for timer in loop.timers if timer[1] is not callback]

        self.timers.append((when, callback))
        return Handle()

    def advance(self, seconds: float) -> None:
        self.now += seconds
        while due := [timer for timer in self.timers if timer[0] <= self.now]:
            self.timers.remove(due[0])
            due[0][1]()


def test_typing_keeps_a_connection_from_going_idle():
    loop, idled = FakeLoop(), []
    watch = IdleWatch(60, lambda: idled.append(loop.now), loop)
    loop.advance(50)
    watch.touch()
    loop.advance(50)
    assert idled == []
    loop.advance(10)
    assert idled == [110]
    loop.advance(600)
    assert idled == [110], "it fires once"


def test_a_cancelled_watch_never_fires():
    loop, idled = FakeLoop(), []
    IdleWatch(60, lambda: idled.append(loop.now), loop).cancel()
    loop.advance(600)
    assert idled == []


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(1800, "30 minutes"), (60, "1 minute"), (1, "1 second"), (90, "90 seconds"), (2.5, "2.5 seconds")],
)
def test_idle_timeouts_are_told_in_words(seconds, said):
    assert duration(seconds) == said
