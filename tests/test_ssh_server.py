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
from fake_loop import FakeLoop

from kneetui.serve.host_key import HostKeyError, load_or_create_host_key
from kneetui.serve.idle import IdleWatch, duration
from kneetui.serve.patients import MAX_KEYS_FILE_BYTES, PatientHome, authorized_keys_for, is_valid_user_name

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
            "--host-key", str(root / "host_key"), "--audit-log", str(root / "audit.log"),
            "--state-dir", str(root / "state"), *options,
        ]  # fmt: skip
        with log_file.open("wb") as log:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=log, env=env)
        announced = read_lines_until(process, "Host key fingerprint:", START_TIMEOUT)
        port = int(re.search(r"listening on 127\.0\.0\.1 port (\d+)", announced).group(1))
        fingerprint = re.search(r"fingerprint: (SHA256:\S+)", announced).group(1)
        return cls(root, process, port, fingerprint, keys_dir, users_dir, log_file, root / "known_hosts")

    def log(self) -> str:
        return self.log_file.read_text()

    def audit(self) -> str:
        path = self.root / "audit.log"
        return path.read_text() if path.exists() else ""

    def audit_shows(self, *words: str, timeout: float = 5.0) -> str:
        """The first audit line holding every one of ``words``, waited for."""

        def find() -> str:
            return next((line for line in self.audit().splitlines() if all(word in line for word in words)), "")

        line = poll(find, timeout)
        assert line, f"no audit line with {words}; the audit log is:\n{self.audit()}"
        return line

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
    server.audit_shows("refused ", "user=hugo asked=subsystem name=sftp")
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
    if forwarding[0] == "-W":
        server.audit_shows("refused ", 'user=ines asked=port-forward to="127.0.0.1:22"')
    else:
        server.audit_shows("refused ", 'user=ines asked=remote-port-forward listen="localhost:0"')


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


def parent_of(pid: int) -> int:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"^PPid:\s+(\d+)", status, re.MULTILINE).group(1))


def fork_server_pid(server: Server) -> int:
    found = poll(lambda: re.search(r"fork server ready \(pid (\d+)\)", server.log()), 5)
    assert found, f"no fork server in the log:\n{server.log()}"
    return int(found.group(1))


@needs_ssh
def test_each_kneetui_is_forked_from_the_fork_server_and_its_exit_status_comes_back(server, terminals):
    key = server.add_patient("otto")
    terminal = terminals(server.ssh_command(key, "otto", "-tt"))
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(server.home_of("otto"))
    assert parent_of(pid) == fork_server_pid(server)
    terminal.type(b"\r")
    terminal.read_until("Start today's session")
    terminal.type(b"q")
    assert terminal.wait_closed() == 0
    assert poll(lambda: f"otto left kneetui (pid {pid}, exit status 0)" in server.log(), 5), server.log()


@needs_ssh
def test_when_the_fork_server_dies_it_is_logged_and_kneetui_is_spawned_as_before(own_server, terminals):
    server = own_server()
    key = server.add_patient("pia")
    first = terminals(server.ssh_command(key, "pia", "-tt"))
    first.read_until("Before you exercise")
    os.kill(fork_server_pid(server), signal.SIGKILL)
    assert poll(lambda: "has gone" in server.log(), 5), server.log()
    # The patient already in goes on; the next login gets a freshly spawned kneetui.
    first.type(b"\r")
    first.read_until("Start today's session")
    second = terminals(server.ssh_command(key, "pia", "-tt"))
    second.read_until("Start today's session")  # the safety notice was read in the first one
    pids = kneetui_pids(server.home_of("pia"))
    assert len(pids) == 2
    assert server.process.pid in {parent_of(pid) for pid in pids}
    second.type(b"q")
    assert second.wait_closed() == 0
    first.type(b"q")
    # Its fork server is gone, but the server adopted it (a subreaper): its real exit status comes back.
    assert first.wait_closed() == 0
    assert "its exit status is not known" not in server.log()
    assert poll(lambda: not kneetui_pids(server.home_of("pia")), 5)


@needs_ssh
def test_without_the_fork_server_each_kneetui_is_spawned(own_server, terminals):
    server = own_server("--no-fork-server")
    key = server.add_patient("quinn")
    terminal = terminals(server.ssh_command(key, "quinn", "-tt"))
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(server.home_of("quinn"))
    assert parent_of(pid) == server.process.pid
    assert "fork server" not in server.log()


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


def test_the_host_keys_folder_is_made_private_with_any_folder_above_it(tmp_path):
    path = tmp_path / "state" / "serve" / "host_key"
    made = load_or_create_host_key(path)
    assert made.path == path and made.created is True
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    again = load_or_create_host_key(path)
    assert again.path == path and again.created is False


def test_a_login_name_that_is_not_a_user_name_is_said_so():
    assert authorized_keys_for(Path("/nonexistent"), "../anna").problem == (
        "login name '../anna' is not a valid kneetui user name"
    )


def test_a_keys_file_that_is_a_link_or_not_a_file_is_never_followed(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    real = tmp_path / "elsewhere"
    real.write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    (keys / "anna").symlink_to(real)
    lookup = authorized_keys_for(keys, "anna")
    assert lookup.keys is None
    assert (
        lookup.problem == f"cannot read {keys / 'anna'}: Too many levels of symbolic links (a link is never followed)"
    )
    os.mkfifo(keys / "bob")
    lookup = authorized_keys_for(keys, "bob")
    assert lookup.keys is None and lookup.problem.endswith("is not a regular file"), "opening a pipe never waits"


def test_a_keys_file_of_up_to_64_kib_is_read_and_a_larger_one_refused(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    key = asyncssh.generate_private_key("ssh-ed25519").export_public_key()
    padding = b"#" * (MAX_KEYS_FILE_BYTES - len(key) - 1) + b"\n"
    (keys / "anna").write_bytes(padding + key)
    assert (keys / "anna").stat().st_size == MAX_KEYS_FILE_BYTES
    assert authorized_keys_for(keys, "anna").keys is not None
    (keys / "anna").write_bytes(b"#" + padding + key)
    assert authorized_keys_for(keys, "anna").problem == f"{keys / 'anna'} is larger than 64 KiB"


def test_a_patients_home_is_made_readable_by_the_server_only(tmp_path):
    home = PatientHome.of(tmp_path, "anna")
    home.create()
    assert stat.S_IMODE(home.root.stat().st_mode) == 0o700


def test_audit_lines_go_to_their_own_file_and_nowhere_else(tmp_path, caplog):
    from kneetui.serve.audit import AuditLog

    audit = AuditLog.to_file(tmp_path / "audit.log", name="kneetui.audit.only-here")
    with caplog.at_level("INFO"):
        audit.event("refused", "10.0.0.7", 2222, user="anna")
    audit.close()
    assert caplog.records == [], "the server's own log never repeats who was refused"
    line = (tmp_path / "audit.log").read_text(encoding="utf-8")
    assert line.rstrip().endswith("refused peer=10.0.0.7 port=2222 user=anna")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("anna", "anna"), ("x" * 63 + "!", '"' + "x" * 63 + '!"'), ("x" * 64 + "!", '"' + "x" * 64 + '..."')],
)
def test_what_a_client_sent_is_quoted_and_cut_at_64_characters(value, shown):
    from kneetui.serve.audit import client_text

    assert client_text(value) == shown


def test_the_audit_log_and_its_folders_are_private_whatever_the_umask_and_after_rotating(tmp_path, monkeypatch):
    from kneetui.serve import audit as audit_module

    monkeypatch.setattr(audit_module, "ROTATE_BYTES", 200)
    path = tmp_path / "data" / "serve" / "audit.log"
    before = os.umask(0o022)
    try:
        audit = audit_module.AuditLog.to_file(path, name="kneetui.audit.private")
        for number in range(10):
            audit.event("login", "192.0.2.1", number, user="anna", key="SHA256:" + "x" * 43)
        audit.close()
    finally:
        os.umask(before)
    assert (tmp_path / "data" / "serve" / "audit.log.2").exists(), "it rotated"
    for folder in (tmp_path / "data", path.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    for log_file in path.parent.glob("audit.log*"):
        assert stat.S_IMODE(log_file.stat().st_mode) == 0o600, log_file


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


def test_a_watch_may_be_cancelled_again_and_after_it_fired():
    loop, idled = FakeLoop(), []
    watch = IdleWatch(60, lambda: idled.append(loop.now), loop)
    watch.cancel()
    watch.cancel()
    fired = IdleWatch(60, lambda: idled.append(loop.now), loop)
    loop.advance(60)
    fired.cancel()
    assert idled == [60]


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(1800, "30 minutes"), (60, "1 minute"), (1, "1 second"), (90, "90 seconds"), (2.5, "2.5 seconds")],
)
def test_idle_timeouts_are_told_in_words(seconds, said):
    assert duration(seconds) == said


# -- a clinic's hosting: the audit log, limits, the isolated child and hostile clients ------------


def fingerprint_of(key: Path) -> str:
    listed = subprocess.run(["ssh-keygen", "-l", "-f", f"{key}.pub"], capture_output=True, text=True, check=True)
    return listed.stdout.split()[1]


def memory_of(pid: int) -> dict[str, int]:
    """VmPeak, VmRSS and the like of ``pid``, in bytes."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name.startswith("Vm") and value.strip().endswith("kB"):
            found[name] = int(value.split()[0]) * 1024
    return found


async def hostile_connection(server: Server, user: str, key: Path) -> asyncssh.SSHClientConnection:
    """asyncssh as a client that sends whatever it likes."""
    return await asyncssh.connect(
        "127.0.0.1", server.port, username=user, client_keys=[str(key)], known_hosts=None, agent_path=None
    )


@needs_ssh
def test_a_login_is_audited_with_its_key_and_a_logout_with_its_duration(server, terminals):
    key = server.add_patient("abel")
    terminal = terminals(server.ssh_command(key, "abel", "-tt"))
    terminal.read_until("Before you exercise")
    line = server.audit_shows("login", "user=abel")
    assert re.search(
        r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4} kneetui\[\d+\]: login peer=127\.0\.0\.1 port=\d+ ", line
    )
    assert f"key={fingerprint_of(key)}" in line
    terminal.type(b"\r")
    terminal.read_until("Start today's session")
    terminal.type(b"q")
    terminal.wait_closed()
    assert re.search(r"duration=\d+s", server.audit_shows("logout", "user=abel"))


@needs_ssh
def test_a_wrong_key_for_a_real_patient_is_audited_as_failed(server, tmp_path):
    server.add_patient("bert")
    stranger = make_key(tmp_path, "stranger")
    assert server.run_ssh(stranger, "bert", "-T").returncode == 255
    line = server.audit_shows("auth-failed", "user=bert")
    assert "peer=127.0.0.1" in line and f"key={fingerprint_of(stranger)}" in line and "reason=key-not-listed" in line


@needs_ssh
def test_an_unknown_or_hostile_login_name_is_audited_quoted(server, tmp_path):
    stranger = make_key(tmp_path, "stranger")
    server.run_ssh(stranger, "nobody-here", "-T")
    assert "reason=no-such-patient" in server.audit_shows("auth-failed", "user=nobody-here")
    server.run_ssh(stranger, "x peer=6.6.6.6", "-T")
    line = server.audit_shows("auth-failed", 'user="x?peer=6.6.6.6"')
    assert line.split(": ", 1)[1].startswith("auth-failed peer=127.0.0.1 ")


@needs_ssh
def test_a_connection_that_never_logs_in_is_audited_as_abandoned(server):
    import socket

    with socket.create_connection(("127.0.0.1", server.port)) as connection:
        connection.recv(100)
    server.audit_shows("abandoned", "peer=127.0.0.1", "user=-")


@needs_ssh
def test_ssh_tt_with_a_command_is_refused_and_starts_no_kneetui(server):
    key = server.add_patient("carl")
    result = server.run_ssh(key, "carl", "-tt", remote=("python3", "-c", "print(1)"))
    assert result.returncode == 1
    assert "kneetui runs no commands here" in result.stdout + result.stderr
    assert not kneetui_pids(server.home_of("carl"))
    server.audit_shows("refused", "user=carl", "asked=command")


@needs_ssh
async def test_a_terminal_type_with_a_nul_gets_a_message_and_a_log_line(server):
    key = server.add_patient("dora")
    async with await hostile_connection(server, "dora", key) as connection:
        process = await connection.create_process(term_type="xterm\0evil", encoding=None)
        result = await asyncio_wait(process.wait(), 10)
    said = (result.stdout or b"") + (result.stderr or b"")
    assert b"cannot use the terminal type" in said
    assert result.exit_status == 1
    assert not kneetui_pids(server.home_of("dora"))
    server.audit_shows("refused", "user=dora", "asked=bad-terminal-type", 'term="xterm?evil"')


async def asyncio_wait(awaitable, timeout: float):
    import asyncio

    return await asyncio.wait_for(awaitable, timeout)


@needs_ssh
async def test_a_window_beyond_the_limits_gets_a_message_and_the_app_still_runs(server):
    key = server.add_patient("emil")
    async with await hostile_connection(server, "emil", key) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(70000, 70000), encoding=None)
        seen = b""
        while b"Before you exercise" not in seen:
            seen += await asyncio_wait(process.stdout.read(65536), 15)
        errors = await asyncio_wait(process.stderr.read(4096), 5)
        assert b"Your window is 70000x70000; kneetui uses at most 500x200" in errors + seen
        process.close()
    server.audit_shows("window-limited", "user=emil", "asked=70000x70000")


@needs_ssh
async def test_a_resize_storm_keeps_the_child_under_its_memory_limit(own_server):
    import asyncio

    limit_mib = 1024
    server = own_server("--child-memory", str(limit_mib))
    key = server.add_patient("fred")
    async with await hostile_connection(server, "fred", key) as connection:
        process = await connection.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None)
        seen = b""
        while b"Before you exercise" not in seen:
            seen += await asyncio_wait(process.stdout.read(65536), 15)
        [pid] = kneetui_pids(server.home_of("fred"))
        limits = Path(f"/proc/{pid}/limits").read_text()
        assert re.search(rf"Max address space\s+{limit_mib * 1024 * 1024}\s", limits)
        assert re.search(r"Max cpu time\s+3600\s", limits) and re.search(r"Max open files\s+256\s", limits)

        async def drain() -> None:
            while await process.stdout.read(65536):
                pass

        reader = asyncio.create_task(drain())
        for number in range(300):
            width, height = (5000, 5000) if number % 2 else (60000, 3)
            process.change_terminal_size(width, height)
            if number % 50 == 0:
                await asyncio.sleep(0.2)
        process.change_terminal_size(100, 30)
        await asyncio.sleep(3)
        assert Path(f"/proc/{pid}").exists(), "the child survived the storm"
        memory = memory_of(pid)
        assert memory["VmPeak"] <= limit_mib * 1024 * 1024
        assert memory["VmRSS"] < 400 * 1024 * 1024, memory
        process.close()
        reader.cancel()
    line = server.audit_shows("window-limited", "user=fred")
    assert server.audit().count("window-limited") == 1, "a storm is one line, not three hundred"
    assert "asked=" in line


@needs_ssh
def test_the_child_runs_isolated_in_a_clean_environment(server, terminals):
    key = server.add_patient("gina")
    home = server.home_of("gina")
    home.mkdir(mode=0o700, exist_ok=True)
    marker = server.root / "imported"
    # A file in a patient's folder that would run if that folder were on sys.path.
    (home / "kneetui.py").write_text(f"open({str(marker)!r}, 'w').write('ran')\n")
    command = server.ssh_command(
        key, "gina", "-tt", "-o", "SetEnv=KNEETUI_SERVED_HOME=/ PYTHONPATH=/tmp LD_PRELOAD=/tmp/x.so EVIL=1"
    )
    terminal = terminals(command)
    terminal.read_until("Before you exercise")
    [pid] = kneetui_pids(home)
    env = process_environment(pid)
    assert env["KNEETUI_SERVED_HOME"] == str(home)
    assert not {"PYTHONPATH", "LD_PRELOAD", "EVIL"} & set(env)
    assert set(env) <= {
        "PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "HOME", "USER", "LOGNAME", "TERM", "SSH_CONNECTION", "PWD",
        "KNEETUI_SERVED_HOME", "KNEETUI_REFUSALS_FD", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_STATE_HOME",
    }  # fmt: skip
    assert b"-I" in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    assert os.readlink(f"/proc/{pid}/cwd") == "/"
    assert not marker.exists()


@needs_ssh
def test_two_patients_at_once_each_see_only_their_own_programmes(server, terminals):
    from kneetui.content.model import Dose, Frequency, Program, ProgramStep
    from kneetui.exchange.user_programs import UserPrograms

    opened = {}
    for name in ("hana", "ivan"):
        key = server.add_patient(name)
        plan = Program(
            id=f"{name}-plan",
            name=f"Private plan of {name}",
            description="",
            steps=(ProgramStep("wall-slides", Dose(reps=12)),),
            frequency=Frequency.DAILY,
        )
        home = server.home_of(name)
        home.mkdir(mode=0o700, exist_ok=True)
        UserPrograms(home / "data" / "kneetui" / "programs").save(plan)
        opened[name] = terminals(server.ssh_command(key, name, "-tt"))
    for name, terminal in opened.items():
        terminal.read_until("Before you exercise")
        terminal.type(b"\r")
        terminal.read_until("Start today's session")
        terminal.type(b"r")
        terminal.read_until(f"Private plan of {name}")
    assert "Private plan of ivan" not in opened["hana"].text()
    assert "Private plan of hana" not in opened["ivan"].text()


@needs_ssh
def test_exporting_into_another_patients_folder_over_ssh_is_refused(server, terminals):
    key = server.add_patient("jana")
    other = server.home_of("karl")
    other.mkdir(mode=0o700, parents=True, exist_ok=True)
    terminal = terminals(server.ssh_command(key, "jana", "-tt"))
    terminal.read_until("Before you exercise")
    terminal.type(b"\r")
    terminal.read_until("Start today's session")
    terminal.type(b"r")
    terminal.read_until("Details")
    terminal.type(b"x")
    terminal.read_until("Enter to go on")
    terminal.type(b"../karl/programs.toml\r")
    terminal.read_until("'..' cannot be used here")
    terminal.type(str(other / "x.toml").encode() + b"\r")
    terminal.read_until("Only files in your own folder")
    assert list(other.iterdir()) == []
    line = server.audit_shows("path-refused", "user=jana", "reason=dot-dot")
    assert "purpose=export" in line and 'path="../karl/programs.toml"' in line
    server.audit_shows("path-refused", "user=jana", "reason=outside", f'path="{other / "x.toml"}"')


@needs_ssh
def test_one_patient_cannot_take_more_than_their_share_of_connections(own_server, terminals):
    server = own_server("--max-per-patient", "1")
    key = server.add_patient("lara")
    terminals(server.ssh_command(key, "lara", "-tt")).read_until("Before you exercise")
    second = server.run_ssh(key, "lara", "-tt")
    assert second.returncode == 255
    assert "already connected to kneetui as many times as allowed" in second.stderr
    server.audit_shows("turned-away", "user=lara", "reason=patient-limit")
    other = server.add_patient("mark")
    terminals(server.ssh_command(other, "mark", "-tt")).read_until("Before you exercise")


@needs_ssh
def test_connections_that_do_not_log_in_are_limited_per_address(own_server):
    import socket

    server = own_server("--max-unauthenticated", "2")
    waiting = [socket.create_connection(("127.0.0.1", server.port)) for _ in range(2)]
    try:
        for connection in waiting:
            assert connection.recv(100).startswith(b"SSH-2.0-")
        with socket.create_connection(("127.0.0.1", server.port)) as third:
            third.settimeout(5)
            received = b""
            while chunk := third.recv(4096):
                received += chunk
        server.audit_shows("too-many-unauthenticated", "peer=127.0.0.1", "limit=2")
    finally:
        for connection in waiting:
            connection.close()


@needs_ssh
def test_who_is_connected_is_in_the_state_file_while_they_are(server, terminals):
    import json

    key = server.add_patient("nina")
    terminal = terminals(server.ssh_command(key, "nina", "-tt"))
    terminal.read_until("Before you exercise")
    state = server.root / "state" / "sessions.json"
    live = json.loads(state.read_text())["live"]
    assert any(record["user"] == "nina" and record["peer"] == "127.0.0.1" for record in live)
    terminal.kill_client()

    def gone() -> bool:
        document = json.loads(state.read_text())
        return "nina" in document["last"] and not any(record["user"] == "nina" for record in document["live"])

    assert poll(gone, 8)


def start_refused(root: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", "serve", "ssh", "--port", "0", "--host-key", str(root / "host_key"),
         "--authorized-keys", str(root / "keys"), "--users-dir", str(root / "users"),
         "--state-dir", str(root / "state"), "--audit-log", str(root / "audit.log"), *options],
        capture_output=True, text=True, timeout=30, env=isolated_env(root),
    )  # fmt: skip


def untrusted_clinic(root: Path, how: str) -> tuple[Path, str]:
    """A clinic folder with one thing wrong; the path named and the fix expected in the refusal."""
    keys, users = root / "keys", root / "users"
    keys.mkdir(mode=0o700)
    users.mkdir(mode=0o700)
    (keys / "anna").write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    (users / "anna").mkdir(mode=0o700)
    elsewhere = root / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    if how == "world-writable users folder":
        users.chmod(0o777)
        return users, "chmod 700"
    if how == "symlinked patient folder":
        (users / "anna").rmdir()
        (users / "anna").symlink_to(elsewhere)
        return users / "anna", "symbolic link"
    if how == "0777 patient folder":
        (users / "anna").chmod(0o777)
        return users / "anna", "chmod 700"
    if how == "group-writable keys folder":
        keys.chmod(0o770)
        return keys, "chmod go-w"
    if how == "symlinked keys file":
        (elsewhere / "anna").write_bytes((keys / "anna").read_bytes())
        (keys / "anna").unlink()
        (keys / "anna").symlink_to(elsewhere / "anna")
        return keys / "anna", "symbolic link"
    if how == "symlinked host key":
        load_or_create_host_key(elsewhere / "key")
        (root / "host_key").symlink_to(elsewhere / "key")
        return root / "host_key", "symbolic link"
    if how == "keys file owned by someone else":
        os.chown(keys / "anna", 65534, 65534)
        return keys / "anna", "chown"
    raise AssertionError(how)


@pytest.mark.parametrize(
    "how",
    [
        "world-writable users folder",
        "symlinked patient folder",
        "0777 patient folder",
        "group-writable keys folder",
        "symlinked keys file",
        "symlinked host key",
        "keys file owned by someone else",
    ],
)
def test_the_server_refuses_to_start_on_anything_others_could_change(tmp_path, how):
    if how == "keys file owned by someone else" and os.geteuid() != 0:
        pytest.skip("only root can give a file to another user")
    path, fix = untrusted_clinic(tmp_path, how)
    result = start_refused(tmp_path)
    assert result.returncode == 1, result.stdout
    assert f"{path} " in result.stderr and fix in result.stderr, result.stderr
    assert "listening" not in result.stdout


def test_the_server_says_how_to_add_a_patient_when_the_keys_folder_is_missing(tmp_path):
    result = start_refused(tmp_path)
    assert result.returncode == 1
    assert "kneetui clinic add" in result.stderr


@needs_ssh
def test_a_relative_users_folder_is_made_absolute(tmp_path, terminals):
    root = tmp_path / "clinic"
    root.mkdir()
    (root / "keys").mkdir(mode=0o700)
    key = make_key(tmp_path, "olaf")
    shutil.copy(f"{key}.pub", root / "keys" / "olaf")
    command = [
        sys.executable, "-m", "kneetui", "serve", "ssh", "--host", "127.0.0.1", "--port", "0",
        "--authorized-keys", "keys", "--users-dir", "users", "--host-key", "host_key",
        "--state-dir", "state", "--audit-log", "audit.log",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=isolated_env(root)
    )
    try:
        announced = read_lines_until(process, "Host key fingerprint:", START_TIMEOUT)
        port = re.search(r"port (\d+)", announced).group(1)
        ssh = [SSH, "-i", str(key), "-p", port, "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
               "-o", "BatchMode=yes", "-F", "/dev/null", "-tt", "olaf@127.0.0.1"]  # fmt: skip
        terminal = terminals(ssh)
        terminal.read_until("Before you exercise")
        [pid] = kneetui_pids(root / "users" / "olaf")
        env = process_environment(pid)
        assert env["XDG_CONFIG_HOME"] == str(root / "users" / "olaf" / "config")
        terminal.type(b"\r")
        terminal.read_until("Start today's session")
        assert (root / "users" / "olaf" / "config" / "kneetui" / "config.toml").exists()
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_a_host_key_that_is_a_link_is_refused(tmp_path):
    load_or_create_host_key(tmp_path / "real_key")
    (tmp_path / "host_key").symlink_to(tmp_path / "real_key")
    with pytest.raises(HostKeyError, match="symbolic link"):
        load_or_create_host_key(tmp_path / "host_key")


async def test_a_kneetui_that_cannot_be_spawned_gets_the_patient_a_message_not_a_dropped_connection(
    tmp_path, monkeypatch
):
    """A child whose set-up fails before it runs (a SubprocessError, not an OSError) is told and logged."""
    import logging

    from kneetui.serve import ssh_server
    from kneetui.serve.audit import AuditLog
    from kneetui.serve.clinic import SessionBoard

    async def fails_to_start(*args, **kwargs):
        raise subprocess.SubprocessError("Exception occurred in preexec_fn.")

    class FakeProcess:
        """What _run_app asks of asyncssh's process: where from, which terminal, and where to write."""

        def __init__(self) -> None:
            self.stderr = self
            self.written = b""

        def get_extra_info(self, name: str) -> tuple[str, int]:
            return ("127.0.0.1", 50000) if name == "peername" else ("127.0.0.1", 2222)

        def get_terminal_type(self) -> str:
            return "xterm"

        def get_terminal_size(self) -> tuple[int, int, int, int]:
            return (80, 24, 0, 0)

        def write(self, data: bytes) -> None:
            self.written += data

    users = tmp_path / "users"
    users.mkdir(mode=0o700)
    options = ssh_server.SshServeOptions(
        tmp_path / "keys", tmp_path / "host_key", users, tmp_path / "state", tmp_path / "audit.log", fork_server=False
    )
    (tmp_path / "state").mkdir(mode=0o700)
    (tmp_path / "keys").mkdir(mode=0o700)
    (tmp_path / "keys" / "anna").write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    (tmp_path / "keys" / "anna").chmod(0o600)
    monkeypatch.setattr(ssh_server, "spawn", fails_to_start)
    service = ssh_server.KneeSSHService(
        options, AuditLog(logging.getLogger("kneetui.test-audit")), SessionBoard.open(tmp_path / "state" / "s.json")
    )
    patient = ssh_server.PatientConnection(service)
    patient.user, patient.host, patient.port = "anna", "127.0.0.1", 50000
    process = FakeProcess()
    assert await service._run_app(patient, process) == 1
    assert b"kneetui could not start here" in process.written


def test_the_key_listed_is_the_one_accepted_and_remembered_and_another_is_not(tmp_path):
    keys = tmp_path / "keys"
    keys.mkdir()
    listed = asyncssh.generate_private_key("ssh-ed25519")
    other = asyncssh.generate_private_key("ssh-ed25519")
    (keys / "anna").write_bytes(listed.export_public_key())
    patient = authorized_keys_for(keys, "anna").keys
    assert patient.validate(other.convert_to_public(), "host", "127.0.0.1") is None
    assert patient.accepted is None
    assert patient.validate(listed.convert_to_public(), "host", "127.0.0.1") is not None
    assert patient.accepted == listed.convert_to_public()


def test_a_keys_file_of_another_user_or_that_others_can_change_is_refused_with_its_fix(tmp_path, monkeypatch):
    from kneetui.serve import patients

    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "anna").write_bytes(asyncssh.generate_private_key("ssh-ed25519").export_public_key())
    (keys / "anna").chmod(0o620)
    assert authorized_keys_for(keys, "anna").problem == (
        f"{keys / 'anna'} can be changed by other users; run 'chmod 644 {keys / 'anna'}'"
    )
    (keys / "anna").chmod(0o602)
    assert authorized_keys_for(keys, "anna").keys is None
    (keys / "anna").chmod(0o644)
    monkeypatch.setattr(patients.os, "geteuid", lambda: os.getuid() + 1)
    lookup = authorized_keys_for(keys, "anna")
    assert (lookup.keys, lookup.problem) == (
        None,
        f"{keys / 'anna'} belongs to another user; run 'chown' to give it to the server's user",
    )


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"ssh-ed25519 not-a-key\n", "cannot read {path}: "), (b"\xff\xfe\n", "cannot read {path}: 'utf-8' codec")],
)
def test_a_keys_file_that_is_not_public_keys_is_refused(tmp_path, content, said):
    keys = tmp_path / "keys"
    keys.mkdir()
    (keys / "anna").write_bytes(content)
    lookup = authorized_keys_for(keys, "anna")
    assert lookup.keys is None and lookup.problem.startswith(said.format(path=keys / "anna"))


def test_a_missing_keys_file_or_folder_is_named(tmp_path):
    assert authorized_keys_for(tmp_path, "anna").problem == f"no keys file for 'anna' in {tmp_path}"
    (tmp_path / "file").write_text("")
    assert authorized_keys_for(tmp_path / "file", "anna").problem == (
        f"cannot read {tmp_path / 'file' / 'anna'}: Not a directory (a link is never followed)"
    )


def test_a_host_key_that_cannot_be_read_is_said_so(tmp_path):
    path = tmp_path / "host_key"
    path.write_text("not a key")
    path.chmod(0o600)
    with pytest.raises(HostKeyError, match=f"^cannot read the host key {re.escape(str(path))}: "):
        load_or_create_host_key(path)
    path.chmod(0o604)
    with pytest.raises(HostKeyError) as refused:
        load_or_create_host_key(path)
    assert str(refused.value) == (
        f"the host key {path} can be read or changed by other users (mode 0604); run 'chmod 600 {path}' and start again"
    )
