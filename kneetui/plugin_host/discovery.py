"""Finds the entry points of a group by reading ``entry_points.txt`` files, without ``importlib.metadata``.

Importing ``importlib.metadata`` (with its ``email``, ``zipfile`` and ``csv``)
costs more than all of kneetui's own start-up work, and its distributions read
more than discovery needs. A few directory listings and small text files give
each plug-in's name, module, distribution and version; the one check that needs
a distribution's installed files (does it install a module of kneetui's own?)
reads its ``RECORD`` when asked. Only an install that these files cannot
describe (an egg or a zip on the path, an unreadable file) hands over to
``importlib.metadata``.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any


@dataclass(frozen=True)
class FoundDistribution:
    """What the loader reads of an installed distribution: its name, its version and, when asked, its files.

    ``info`` is the path of its ``*.dist-info`` (or ``*.egg-info``) folder, as text (a ``Path``
    for each of fifty plug-ins costs more than reading their files); the files it lists are
    relative to the folder that holds it, as ``importlib.metadata``'s are.
    """

    name: str
    version: str
    info: str | None = None

    @property
    def metadata(self) -> dict[str, str]:
        return {"Name": self.name}

    @property
    def files(self) -> list[PurePosixPath] | None:
        """The paths its ``RECORD`` lists (None when it has none, as ``importlib.metadata`` says)."""
        listed = self.listed_paths()
        return None if listed is None else [PurePosixPath(path) for path in listed]

    def listed_paths(self) -> list[str] | None:
        """:attr:`files` as the strings its ``RECORD`` has, without making a path of each."""
        text = self.record()
        return None if text is None else record_paths(text)

    def record(self) -> str | None:
        """The text of its ``RECORD`` (None when it has none or it cannot be read)."""
        if self.info is None:
            return None
        try:
            return _read_text(os.path.join(self.info, "RECORD"))
        except (OSError, UnicodeDecodeError):
            return None

    def locate_file(self, path: PurePosixPath | str) -> Path:
        base = Path(self.info).parent if self.info is not None else Path()
        return base / path


@dataclass(frozen=True)
class FoundEntryPoint:
    """An entry point read from an ``entry_points.txt``: ``name = module[:attribute]``."""

    name: str
    value: str
    group: str
    dist: FoundDistribution

    def load(self) -> Any:
        module_name, _, attribute = self.value.partition(":")
        loaded: Any = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            loaded = getattr(loaded, part)
        return loaded


_DIST_INFO = re.compile(r"^(?P<name>[^-]+)-(?P<version>[^-]+?)\.dist-info$")
#: ``name.egg-info`` (a source checkout's) or ``name-version[-pyX.Y].egg-info``.
_EGG_INFO = re.compile(r"^(?P<name>[^-]+)(?:-(?P<version>[^-]+?))?(?:-py[0-9.]+)?\.egg-info$")


def _read_text(path: str) -> str:
    """A small UTF-8 file's text, read with the fewest objects and system calls: discovery reads two or three
    for every installed plug-in (its lines are left as written; every reader here splits them itself)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        chunks = []
        while chunk := os.read(descriptor, 65536):
            chunks.append(chunk)
    finally:
        os.close(descriptor)
    return b"".join(chunks).decode("utf-8")


def _headers(metadata: str) -> dict[str, str]:
    """The ``Name:`` and ``Version:`` headers of a ``METADATA``/``PKG-INFO`` file (those it has)."""
    found: dict[str, str] = {}
    try:
        text = _read_text(metadata)
    except FileNotFoundError:
        return found
    # Lines as a file opened as text splits them; the headers end at the first blank one.
    lines = text.partition("\n\n")[0].replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for line in lines:
        if not line.strip():
            break
        key, colon, value = line.partition(":")
        if colon and key in ("Name", "Version"):
            found.setdefault(key, value.strip())
            if len(found) == 2:  # later lines would change neither, and they are usually the first
                break
    return found


def record_paths(text: str) -> list[str]:
    """The first column of each line of a ``RECORD`` (a CSV file: a path with a comma is quoted)."""
    if '"' not in text:
        return [line.partition(",")[0] for line in text.splitlines() if line.strip()]
    import csv

    return [row[0] for row in csv.reader(text.splitlines()) if row]


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _group_lines(text: str, group: str) -> list[tuple[str, str]]:
    """``(name, value)`` of each entry in section ``[group]`` of an ``entry_points.txt``."""
    found = []
    inside = False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            inside = line == f"[{group}]"
            continue
        if inside and "=" in line:
            name, _, value = line.partition("=")
            found.append((name.strip(), value.strip()))
    return found


def read_entry_points(group: str, paths: Iterable[str]) -> list[FoundEntryPoint] | None:
    """The ``group``'s entry points of the ``*.dist-info`` distributions on ``paths`` (first of a name wins),
    or None when something there needs ``importlib.metadata`` (an egg, a zip, an unreadable name)."""
    seen: set[str] = set()
    found: list[FoundEntryPoint] = []
    for entry in paths:
        folder = entry or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):  # a zip or egg on the path: importlib.metadata reads those
                return None
            continue
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for child in names:
            if not child.endswith((".dist-info", ".egg-info")):  # most of a folder on the path, told cheaply
                continue
            matched = _DIST_INFO.match(child) or _EGG_INFO.match(child)
            if matched is None:
                continue
            name = _normalised(matched["name"])
            if name in seen:
                continue
            seen.add(name)
            info = os.path.join(folder, child)
            try:
                text = _read_text(os.path.join(info, "entry_points.txt"))
                if f"[{group}]" not in text:
                    continue
                headers = _headers(os.path.join(info, "METADATA" if child.endswith(".dist-info") else "PKG-INFO"))
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError):
                return None
            dist = FoundDistribution(
                headers.get("Name") or matched["name"], headers.get("Version") or matched["version"] or "", info
            )
            found.extend(FoundEntryPoint(ep_name, value, group, dist) for ep_name, value in _group_lines(text, group))
    return found


def entry_points(group: str) -> Iterable[Any]:
    """The group's entry points: read from the files when they can be, else by ``importlib.metadata``."""
    found = read_entry_points(group, sys.path)
    if found is not None:
        return found
    import importlib.metadata

    return importlib.metadata.entry_points(group=group)
