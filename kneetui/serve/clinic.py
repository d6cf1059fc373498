"""The clinic's patients and who is connected: what ``kneetui clinic`` reads and changes.

A patient is a keys file in the keys folder (``keys/anna``) and a folder in the users folder
(``users/anna``). The SSH server keeps a small state file (``sessions.json`` in its state
folder) saying who is connected now and when each patient's last session was; the server is
its only writer, ``kneetui clinic`` only reads it.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncssh

from kneetui.serve.patients import MAX_KEYS_FILE_BYTES, PatientHome, is_valid_user_name
from kneetui.serve.trust import make_private_folder
from kneetui.storage.atomic import write_atomic

SESSIONS_FILE = "sessions.json"
#: Where ``clinic remove`` keeps a removed patient's folder; not a valid login name, so never served.
REMOVED_FOLDER = ".removed"


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

    def remove(self, name: str, delete_data: bool, now: datetime | None = None) -> Path | None:
        """Remove ``name``'s keys; their folder is moved aside (returned) or, if asked, deleted (None)."""
        self.check_name(name)
        keys = self.keys_dir / name
        home = PatientHome.of(self.users_dir, name).root
        if not os.path.lexists(keys) and not os.path.lexists(home):
            raise ClinicError(f"there is no patient {name!r} (no {keys}, no {home})")
        if os.path.lexists(keys):
            keys.unlink()
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
