"""Atomic writes under failure: the write, the fsync and the replace each fail in turn.

Whatever fails, the old file is unchanged and no temporary file is left behind;
when nothing fails, the data reaches the disk (fsync) before it replaces the old file.
"""

from __future__ import annotations

import errno
import os

import pytest

from kneetui.storage import atomic
from kneetui.storage.atomic import write_atomic

OLD, NEW = b"the person's settings\n", b"new settings\n"


def disk_full(*args: object) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def target(tmp_path):
    path = tmp_path / "config.toml"
    path.write_bytes(OLD)
    return path


def left_in(folder):
    return sorted(path.name for path in folder.iterdir())


class FailingFile:
    """A file whose write fails half-way: part of the data is written, then the disk is full."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        disk_full()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()

    def __getattr__(self, name):
        return getattr(self.real, name)


def test_a_write_that_fails_half_way_leaves_the_old_file_and_no_temporary_file(target, monkeypatch):
    real_fdopen = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda *args, **kwargs: FailingFile(real_fdopen(*args, **kwargs)))
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD
    assert left_in(target.parent) == ["config.toml"]


def test_an_fsync_that_fails_leaves_the_old_file_and_no_temporary_file(target, monkeypatch):
    monkeypatch.setattr(atomic.os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space left"):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD
    assert left_in(target.parent) == ["config.toml"]


def test_a_replace_that_fails_leaves_the_old_file_and_no_temporary_file(target, monkeypatch):
    def refuse(*args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(PermissionError):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD
    assert left_in(target.parent) == ["config.toml"]


def test_an_interrupt_while_writing_leaves_the_old_file_and_no_temporary_file(target, monkeypatch):
    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(atomic.os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    assert target.read_bytes() == OLD
    assert left_in(target.parent) == ["config.toml"]


def test_the_new_data_reaches_the_disk_in_another_file_before_it_replaces_the_old(target, monkeypatch):
    events: list[tuple[str, object]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        # What the descriptor is: the file being written (not the target), or the folder.
        name = os.readlink(f"/proc/self/fd/{descriptor}") if os.path.exists("/proc/self/fd") else "?"
        if not events:
            assert target.read_bytes() == OLD, "the old file must not be touched before the replace"
            if name != "?":
                # Beside the target, so the replace never crosses file systems, and recognisable.
                assert os.path.dirname(name) == str(target.parent), name
                assert name.endswith(".tmp"), name
        events.append(("fsync", os.path.basename(name)))
        real_fsync(descriptor)

    def replace(source, destination) -> None:
        events.append(("replace", os.path.basename(destination)))
        real_replace(source, destination)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "replace", replace)
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert left_in(target.parent) == ["config.toml"]
    kinds = [kind for kind, _ in events]
    assert kinds[:2] == ["fsync", "replace"], events
    if os.path.exists("/proc/self/fd"):
        written = events[0][1]
        assert written != "config.toml" and str(written).startswith(".config.toml."), events
        assert events[-1] == ("fsync", target.parent.name), "the folder is synced so the new name survives"
