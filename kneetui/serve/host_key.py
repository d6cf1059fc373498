"""The SSH server's host key: read if present, made once if not, never left readable by others."""

from __future__ import annotations

import stat
from dataclasses import dataclass
from pathlib import Path

import asyncssh

from kneetui.serve.trust import make_private_folder
from kneetui.storage.atomic import write_atomic

KEY_TYPE = "ssh-ed25519"


class HostKeyError(Exception):
    """The host key cannot be used; the message says why and what to do."""


@dataclass(frozen=True)
class HostKey:
    key: asyncssh.SSHKey
    path: Path
    created: bool

    @property
    def fingerprint(self) -> str:
        return self.key.get_fingerprint("sha256")


def load_or_create_host_key(path: Path) -> HostKey:
    """Read the private host key at ``path``, or make an Ed25519 one there (mode 0600)."""
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return create_host_key(path)
    if stat.S_ISLNK(mode):
        raise HostKeyError(f"the host key {path} is a symbolic link; put the key file itself there and start again")
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise HostKeyError(
            f"the host key {path} can be read or changed by other users "
            f"(mode {stat.S_IMODE(mode):04o}); run 'chmod 600 {path}' and start again"
        )
    try:
        return HostKey(asyncssh.read_private_key(path), path, created=False)
    except (OSError, asyncssh.KeyImportError) as error:
        raise HostKeyError(f"cannot read the host key {path}: {error}") from error


def create_host_key(path: Path) -> HostKey:
    key = asyncssh.generate_private_key(KEY_TYPE, comment="kneetui serve")
    make_private_folder(path.parent)
    # write_atomic's temp file is made 0600 by mkstemp, so the key is never readable by others.
    write_atomic(path, key.export_private_key())
    return HostKey(key, path, created=True)
