"""Atomic file writes and keeping unreadable files aside instead of replacing them."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from kneetui.content.text import reason


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` so that ``path`` holds either the old or the new content, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(data)
            temp.flush()
            os.fsync(temp.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    try:
        directory = os.open(path.parent, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(directory)
    except OSError:
        pass
    finally:
        os.close(directory)


def what_is_in_the_way(path: Path) -> str | None:
    """What stands at ``path`` that a write must not replace (a link, a device, a pipe), or None.

    ``write_atomic`` renames a new file over ``path``: over a link or a device node that would
    swap it for an ordinary file. A regular file, or nothing, is None; OSError if it cannot be told.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return None
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "a link"
    return "a folder" if stat.S_ISDIR(mode) else "not a regular file (a device or a pipe)"


def why_it_cannot_be_written(path: Path, example_name: str, shown: Callable[[Path], str] = str) -> str | None:
    """Why a file the person named cannot be written at ``path``, starting in lower case; None when it can.

    No folder is made for a typed path (a typo would make one), and nothing but a regular file is
    replaced. ``shown`` writes a path as the person knows it.
    """
    try:
        if not path.parent.is_dir():
            return f"there is no folder {shown(path.parent)}; give a file in a folder that exists"
        if path.is_dir():
            return f"{shown(path)} is a folder; give a file name, e.g. {shown(path / example_name)}"
        in_the_way = what_is_in_the_way(path)
    except OSError as error:  # a name too long, a folder that cannot be read
        return f"cannot write {shown(path)}: {reason(error)}"
    if in_the_way:
        return f"{shown(path)} is {in_the_way}; kneetui replaces only regular files, give another name"
    return None


def keep_aside(path: Path, now: datetime | None = None) -> Path:
    """Move an unreadable file to a timestamped backup beside it and return the backup's path."""
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    backup = path.with_name(f"{path.name}.broken-{stamp}")
    counter = 1
    while backup.exists():
        backup = path.with_name(f"{path.name}.broken-{stamp}-{counter}")
        counter += 1
    os.replace(path, backup)
    return backup
