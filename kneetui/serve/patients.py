"""Who may log in to the SSH server, and where each patient's own kneetui files live.

The clinic keeps one OpenSSH ``authorized_keys`` file per patient in a keys folder, named
after the SSH login name (``keys/anna``). A key is only checked against the file of the
name being logged in as, so a key listed for anna can never open bob's folder.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from kneetui.served import SERVED_HOME_VARIABLE

USER_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")

#: Taken from the server's own environment; everything else a patient's process sees is set here.
PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ")
#: A keys file is a few lines; reading stops here.
MAX_KEYS_FILE_BYTES = 64 * 1024


def is_valid_user_name(name: str) -> bool:
    """A lower-case POSIX-style login name: no dots, slashes or anything else a path could use."""
    return USER_NAME.fullmatch(name) is not None


class PatientKeys(asyncssh.SSHAuthorizedKeys):
    """One patient's authorized keys, remembering which of them was last accepted (for the audit log)."""

    accepted: asyncssh.SSHKey | None = None

    def validate(
        self,
        key: asyncssh.SSHKey,
        client_host: str,
        client_addr: str,
        cert_principals: Sequence[str] | None = None,
        ca: bool = False,
    ) -> Mapping[str, object] | None:
        options = super().validate(key, client_host, client_addr, cert_principals, ca)
        if options is not None and not ca:
            self.accepted = key
        return options


@dataclass(frozen=True)
class KeysLookup:
    """The outcome of looking up one login name: the keys, or why there are none."""

    keys: PatientKeys | None
    problem: str | None = None


def authorized_keys_for(keys_dir: Path, name: str) -> KeysLookup:
    """Read ``keys_dir/<name>`` without following a link; refuse files others own or can change."""
    if not is_valid_user_name(name):
        return KeysLookup(None, f"login name {name!r} is not a valid kneetui user name")
    path = keys_dir / name
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        return KeysLookup(None, f"no keys file for {name!r} in {keys_dir}")
    except OSError as error:
        return KeysLookup(None, f"cannot read {path}: {error.strerror or error} (a link is never followed)")
    with os.fdopen(descriptor, "rb") as file:
        info = os.fstat(file.fileno())
        if not stat.S_ISREG(info.st_mode):
            return KeysLookup(None, f"{path} is not a regular file")
        if info.st_uid != os.geteuid():
            return KeysLookup(None, f"{path} belongs to another user; run 'chown' to give it to the server's user")
        if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return KeysLookup(None, f"{path} can be changed by other users; run 'chmod 644 {path}'")
        data = file.read(MAX_KEYS_FILE_BYTES + 1)
    if len(data) > MAX_KEYS_FILE_BYTES:
        return KeysLookup(None, f"{path} is larger than {MAX_KEYS_FILE_BYTES // 1024} KiB")
    try:
        return KeysLookup(PatientKeys(data.decode("utf-8")))
    except (UnicodeDecodeError, ValueError, asyncssh.KeyImportError) as error:
        return KeysLookup(None, f"cannot read {path}: {error}")


@dataclass(frozen=True)
class PatientHome:
    """One patient's folder under the users dir; their kneetui sees it as home and XDG dirs."""

    root: Path

    @classmethod
    def of(cls, users_dir: Path, name: str) -> PatientHome:
        if not is_valid_user_name(name):
            raise ValueError(f"not a valid kneetui user name: {name!r}")
        return cls(users_dir / name)

    @property
    def config_home(self) -> Path:
        return self.root / "config"

    @property
    def data_home(self) -> Path:
        return self.root / "data"

    def create(self) -> None:
        """Make the folder (0700) if it is missing; raises OSError when it exists but is not a plain folder."""
        try:
            self.root.mkdir(mode=0o700)
        except FileExistsError:
            info = os.lstat(self.root)
            if not stat.S_ISDIR(info.st_mode):
                raise NotADirectoryError(f"{self.root} is not a real folder (a link or a file)") from None

    def environment(self, name: str, term: str, ssh_connection: str) -> dict[str, str]:
        """The whole environment of the patient's kneetui process; nothing else leaks in.

        COLUMNS and LINES are left out on purpose: Textual sizes itself through
        ``shutil.get_terminal_size()``, which prefers them to the pty's size and would then
        never follow a window resize.
        """
        env = {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
        env.setdefault("LANG", "C.UTF-8")
        env.update(
            HOME=str(self.root),
            USER=name,
            LOGNAME=name,
            TERM=term,
            SSH_CONNECTION=ssh_connection,
            PWD="/",
            **{SERVED_HOME_VARIABLE: str(self.root)},
            XDG_CONFIG_HOME=str(self.config_home),
            XDG_DATA_HOME=str(self.data_home),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_STATE_HOME=str(self.root / "state"),
        )
        return env
