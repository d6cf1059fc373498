"""What the server trusts must be changeable by its own user only: checked before it starts.

Every patient's kneetui runs as the server's user, so a folder or key another user can change,
or a link that leads elsewhere, would let someone else decide who logs in or where a patient's
data goes. Each check uses ``lstat`` and never follows a link.
"""

from __future__ import annotations

import os
import pwd
import stat
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path


class Kind(Enum):
    FOLDER = "folder"
    FILE = "file"


class TrustError(Exception):
    """One or more paths the server must not trust; the message names each and its fix."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def make_private_folder(folder: Path) -> None:
    """Make ``folder`` and any missing folder above it, each 0700 whatever the umask; existing ones are left as they are."""
    missing = [folder, *folder.parents]
    missing = [path for path in missing if not os.path.lexists(path)]
    for path in reversed(missing):
        try:
            path.mkdir(mode=0o700)
        except FileExistsError:
            continue
        os.chmod(path, 0o700)


def user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return str(uid)


def distrust(path: Path, kind: Kind, private: bool = False) -> str | None:
    """Why ``path`` cannot be trusted, with the command that fixes it; None when it can.

    ``private``: nobody else may even read it (0700 folders, 0600 files).
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return f"{path} does not exist"
    me = os.geteuid()
    if stat.S_ISLNK(info.st_mode):
        return (
            f"{path} is a symbolic link; kneetui follows no links here. "
            f"Put the real {kind.value} at {path} (mv its target there)."
        )
    if kind is Kind.FOLDER and not stat.S_ISDIR(info.st_mode):
        return f"{path} is not a folder"
    if kind is Kind.FILE and not stat.S_ISREG(info.st_mode):
        return f"{path} is not a regular file"
    if info.st_uid != me:
        return (
            f"{path} belongs to {user_name(info.st_uid)}, not to {user_name(me)} who runs the server; "
            f"run 'chown {user_name(me)} {path}'"
        )
    mode = stat.S_IMODE(info.st_mode)
    if private and mode & (stat.S_IRWXG | stat.S_IRWXO):
        wanted = "700" if kind is Kind.FOLDER else "600"
        return f"{path} can be used by other users (mode {mode:04o}); run 'chmod {wanted} {path}'"
    if mode & (stat.S_IWGRP | stat.S_IWOTH):
        return f"{path} can be changed by other users (mode {mode:04o}); run 'chmod go-w {path}'"
    return None


@dataclass(frozen=True)
class ServerPaths:
    """Everything the SSH server reads or writes, all absolute."""

    keys_dir: Path
    users_dir: Path
    host_key: Path
    state_dir: Path
    audit_log: Path

    def problems(self, is_patient_name: Callable[[str], bool]) -> list[str]:
        """Every reason not to start, checked on what exists now (missing files are made later)."""
        found = [
            distrust(self.keys_dir, Kind.FOLDER),
            distrust(self.users_dir, Kind.FOLDER, private=True),
            distrust(self.state_dir, Kind.FOLDER),
            distrust(self.audit_log.parent, Kind.FOLDER),
        ]
        if os.path.lexists(self.host_key):
            found.append(distrust(self.host_key, Kind.FILE, private=True))
        if os.path.lexists(self.audit_log):
            found.append(distrust(self.audit_log, Kind.FILE))
        for folder, kind, private in ((self.keys_dir, Kind.FILE, False), (self.users_dir, Kind.FOLDER, True)):
            try:
                entries = sorted(os.listdir(folder))
            except OSError:
                continue
            for name in entries:
                if is_patient_name(name):
                    found.append(distrust(folder / name, kind, private))
        return [problem for problem in found if problem]
