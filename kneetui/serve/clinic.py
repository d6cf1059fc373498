"""The clinic's patients and who is connected: what ``kneetui clinic`` reads and changes.

A patient is a keys file in the keys folder (``keys/anna``) and a folder in the users folder
(``users/anna``). The SSH server keeps a small state file (``sessions.json`` in its state
folder) saying who is connected now and when each patient's last session was; the server is
its only writer, ``kneetui clinic`` only reads it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncssh

from kneetui.serve.patients import MAX_KEYS_FILE_BYTES, PatientHome, is_valid_user_name
from kneetui.serve.trust import make_private_folder
from kneetui.served import SERVED_HOME_VARIABLE
from kneetui.storage.atomic import write_atomic

SESSIONS_FILE = "sessions.json"
#: Where ``clinic remove`` keeps a removed patient's folder; not a valid login name, so never served.
REMOVED_FOLDER = ".removed"
#: How long ``clinic remove --force`` gives a patient's kneetui after SIGHUP, and then after SIGKILL.
ENDING_SECONDS = 5.0


class ClinicError(Exception):
    """A clinic command that cannot be done; the message says why and what to do."""


def now_utc() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class SessionRecord:
    user: str
    peer: str
    since: str
    until: str = ""
    #: The process id of the patient's kneetui while it runs (it leads its own process group); 0 before.
    pid: int = 0


@dataclass
class SessionBoard:
    """The server's record of live sessions and each patient's last one, saved atomically on each change."""

    path: Path
    live: dict[str, SessionRecord]
    last: dict[str, SessionRecord]

    @classmethod
    def open(cls, path: Path) -> SessionBoard:
        """Start a board at ``path``: nobody is connected yet; the last sessions are kept from before."""
        board = cls(path, {}, read_sessions(path).last)
        board.save()
        return board

    def started(self, key: str, user: str, peer: str, when: datetime) -> None:
        self.live[key] = SessionRecord(user, peer, when.isoformat())
        self.save()

    def running(self, key: str, pid: int) -> None:
        """The session ``key`` now runs kneetui as ``pid``, so ``clinic remove --force`` can end it."""
        record = self.live.get(key)
        if record is not None:
            self.live[key] = SessionRecord(record.user, record.peer, record.since, pid=pid)
            self.save()

    def ended(self, key: str, when: datetime) -> None:
        record = self.live.pop(key, None)
        if record is not None:
            self.last[record.user] = SessionRecord(record.user, record.peer, record.since, when.isoformat())
        self.save()

    def save(self) -> None:
        document = {
            "server_pid": os.getpid(),
            "live": [asdict(record) for record in self.live.values()],
            "last": {user: asdict(record) for user, record in sorted(self.last.items())},
        }
        write_atomic(self.path, json.dumps(document, indent=1).encode("utf-8"))


@dataclass(frozen=True)
class SessionsRead:
    live: list[SessionRecord]
    last: dict[str, SessionRecord]
    server_running: bool


def read_sessions(path: Path) -> SessionsRead:
    """What the server last wrote to ``path``; empty when there is no (readable) file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        live = [SessionRecord(**record) for record in document.get("live", [])]
        last = {user: SessionRecord(**record) for user, record in document.get("last", {}).items()}
        pid = int(document.get("server_pid", 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return SessionsRead([], {}, False)
    return SessionsRead(live, last, pid > 0 and pid_alive(pid))


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def runs_in(pid: int, home: Path) -> bool:
    """Whether ``pid`` is a live kneetui served with ``home`` as its folder (its environment says so).

    Checked before any signal, so a process id the board kept after its process ended, and
    the system gave to another process since, is never signalled.
    """
    try:
        environment = Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return False
    return f"{SERVED_HOME_VARIABLE}={home}".encode() in environment.split(b"\0")


def end_kneetuis(
    pids: Iterable[int],
    home: Path,
    grace: float = ENDING_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
) -> list[int]:
    """End each patient's kneetui in ``pids`` served in ``home`` (SIGHUP to its process group, then SIGKILL,
    as the server does when a connection drops); the ones still running after both, if any."""
    running = [pid for pid in pids if pid > 0 and runs_in(pid, home)]
    for signum in (signal.SIGHUP, signal.SIGKILL):
        for pid in running:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signum)
        deadline = clock() + grace
        while running and clock() < deadline:
            sleep(0.05)
            running = [pid for pid in running if runs_in(pid, home)]
        if not running:
            break
    return running


@dataclass(frozen=True)
class PatientListing:
    name: str
    keys: int
    has_folder: bool
    last: SessionRecord | None
    connected: bool


def read_public_keys(text: str, source: str) -> list[str]:
    """The public key lines in ``text``, each checked; raises ClinicError naming ``source``."""
    if "PRIVATE KEY" in text:
        raise ClinicError(f"{source} is a private key; give the patient's public key (the .pub file)")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        raise ClinicError(f"{source} holds no public key")
    for number, line in enumerate(lines, 1):
        try:
            asyncssh.SSHAuthorizedKeys(line)
        except (ValueError, asyncssh.KeyImportError) as error:
            raise ClinicError(f"{source}, key {number}: not an OpenSSH public key ({error})") from error
        if line.split()[0].startswith("command="):
            raise ClinicError(f"{source}, key {number}: a command= option would refuse every login")
    return lines


@dataclass(frozen=True)
class Clinic:
    keys_dir: Path
    users_dir: Path
    state_dir: Path

    def check_name(self, name: str) -> None:
        if not is_valid_user_name(name):
            raise ClinicError(
                f"{name!r} cannot be a patient's name: use lower-case letters, digits, '_' and '-', "
                "starting with a letter or '_', at most 32 characters"
            )

    def add(self, name: str, key_text: str, source: str) -> tuple[Path, int]:
        """List the keys in ``key_text`` for ``name`` (added to any already listed); the file and keys added."""
        self.check_name(name)
        new_lines = read_public_keys(key_text, source)
        make_private_folder(self.keys_dir)
        make_private_folder(self.users_dir)
        path = self.keys_dir / name
        existing = self.listed_keys(name)
        known = {line.split()[1] if len(line.split()) > 1 else line for line in existing}
        added = [line for line in new_lines if (line.split()[1] if len(line.split()) > 1 else line) not in known]
        text = "".join(f"{line}\n" for line in [*existing, *added])
        if len(text.encode()) > MAX_KEYS_FILE_BYTES:
            raise ClinicError(f"{path} would be larger than {MAX_KEYS_FILE_BYTES // 1024} KiB")
        write_atomic(path, text.encode("utf-8"))
        os.chmod(path, 0o600)
        PatientHome.of(self.users_dir, name).create()
        return path, len(added)

    def listed_keys(self, name: str) -> list[str]:
        path = self.keys_dir / name
        if path.is_symlink():
            raise ClinicError(f"{path} is a symbolic link; replace it with a real file")
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as error:
            raise ClinicError(f"cannot read {path}: {error}") from error
        return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]

    def patients(self) -> list[PatientListing]:
        names: set[str] = set()
        for folder in (self.keys_dir, self.users_dir):
            try:
                names |= {entry for entry in os.listdir(folder) if is_valid_user_name(entry)}
            except FileNotFoundError:
                continue
        sessions = self.sessions()
        connected = {record.user for record in sessions.live} if sessions.server_running else set()
        listing = []
        for name in sorted(names):
            try:
                keys = len(self.listed_keys(name))
            except ClinicError:
                keys = 0
            home = PatientHome.of(self.users_dir, name).root
            listing.append(PatientListing(name, keys, home.is_dir(), sessions.last.get(name), name in connected))
        return listing

    def sessions(self) -> SessionsRead:
        return read_sessions(self.state_dir / SESSIONS_FILE)

    def connected(self, name: str) -> list[SessionRecord]:
        """``name``'s live sessions, while the server that recorded them runs."""
        sessions = self.sessions()
        return [record for record in sessions.live if record.user == name] if sessions.server_running else []

    def remove(
        self,
        name: str,
        delete_data: bool,
        now: datetime | None = None,
        force: bool = False,
        end: Callable[[list[int], Path], list[int]] = end_kneetuis,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Path | None:
        """Remove ``name``'s keys; their folder is moved aside (returned) or, if asked, deleted (None).

        While they are connected their kneetui would go on writing to their folder after it had
        moved, making a new one under their name; so that is refused unless ``force``, which
        ends their kneetui (with ``end``) after removing their keys and before moving the folder.
        """
        self.check_name(name)
        keys = self.keys_dir / name
        home = PatientHome.of(self.users_dir, name).root
        if not os.path.lexists(keys) and not os.path.lexists(home):
            raise ClinicError(f"there is no patient {name!r} (no {keys}, no {home})")
        live = self.connected(name)
        if live and not force:
            raise ClinicError(
                f"{name} is connected now (since {live[0].since}, from {live[0].peer}), and their kneetui would go on "
                "writing to their folder after it is moved; run this again once they have left "
                "('kneetui clinic sessions' shows who is connected), or add --force to end their session first"
            )
        if os.path.lexists(keys):
            keys.unlink()
        if live:
            # A login whose kneetui is still starting has no process id yet: it is given a moment
            # to get one, so it is ended too instead of making their folder again once it is moved.
            # (One that starts after the keys went is refused by the server.)
            deadline = clock() + ENDING_SECONDS
            while any(record.pid == 0 for record in live) and clock() < deadline:
                sleep(0.05)
                live = self.connected(name)
            left = end([record.pid for record in live], home)
            if left:
                raise ClinicError(
                    f"{name}'s keys are removed, but their kneetui (process {', '.join(map(str, left))}) did not end; "
                    f"their folder {home} is left where it is; run this again to move it"
                )
        if not os.path.lexists(home):
            return None
        if delete_data:
            if home.is_symlink() or not home.is_dir():
                home.unlink()
            else:
                shutil.rmtree(home)
            return None
        stamp = (now or now_utc()).strftime("%Y%m%d-%H%M%S")
        aside = self.users_dir / REMOVED_FOLDER
        aside.mkdir(mode=0o700, exist_ok=True)
        target = aside / f"{name}-{stamp}"
        counter = 1
        while os.path.lexists(target):
            target = aside / f"{name}-{stamp}-{counter}"
            counter += 1
        os.replace(home, target)
        return target
