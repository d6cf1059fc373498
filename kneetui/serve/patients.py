"""Who may log in to the SSH server, and where each patient's own kneetui files live.

The clinic keeps one OpenSSH ``authorized_keys`` file per patient in a keys folder, named
after the SSH login name (``keys/anna``). A key is only checked against the file of the
name being logged in as, so a key listed for anna can never open bob's folder.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

import asyncssh

USER_NAME = re.compile(r"[a-z_][a-z0-9_-]{0,31}")

#: Taken from the server's own environment; everything else a patient's process sees is set here.
PASSED_THROUGH = ("PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "PYTHONPATH")


def is_valid_user_name(name: str) -> bool:
    """A lower-case POSIX-style login name: no dots, slashes or anything else a path could use."""
    return USER_NAME.fullmatch(name) is not None


@dataclass(frozen=True)
class KeysLookup:
    """The outcome of looking up one login name: the keys, or why there are none."""

    keys: asyncssh.SSHAuthorizedKeys | None
    problem: str | None = None


def authorized_keys_for(keys_dir: Path, name: str) -> KeysLookup:
    """Read ``keys_dir/<name>``, refusing names that are not plain and files others can change."""
    if not is_valid_user_name(name):
        return KeysLookup(None, f"login name {name!r} is not a valid kneetui user name")
    path = keys_dir / name
    try:
        mode = path.stat().st_mode
        if mode & (stat.S_IWGRP | stat.S_IWOTH):
            return KeysLookup(None, f"{path} can be changed by other users; run 'chmod 644 {path}'")
        return KeysLookup(asyncssh.read_authorized_keys(path))
    except FileNotFoundError:
        return KeysLookup(None, f"no keys file for {name!r} in {keys_dir}")
    except (OSError, ValueError) as error:
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
        self.root.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.root.mkdir(mode=0o700, exist_ok=True)

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
            XDG_CONFIG_HOME=str(self.config_home),
            XDG_DATA_HOME=str(self.data_home),
            XDG_CACHE_HOME=str(self.root / "cache"),
            XDG_STATE_HOME=str(self.root / "state"),
        )
        return env
