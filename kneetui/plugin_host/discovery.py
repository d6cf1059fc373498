"""Finds the entry points of a group by reading ``entry_points.txt`` files, without ``importlib.metadata``.

Importing ``importlib.metadata`` (with its ``email``, ``zipfile`` and ``csv``)
costs more than all of kneetui's own start-up work. For the usual install,
where the only plug-in is kneetui's own content, these few directory listings
and small text files are all discovery needs. As soon as another distribution
declares an entry point in the group, :func:`entry_points` hands over to
``importlib.metadata``, whose distributions the loader's checks (shadowed
modules, versions, names) need.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FoundDistribution:
    """The little the loader reads of kneetui's own distribution: its name and version."""

    name: str
    version: str

    @property
    def metadata(self) -> dict[str, str]:
        return {"Name": self.name}


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


def _version_in(metadata: Path) -> str:
    """The ``Version:`` header of a ``PKG-INFO``/``METADATA`` file ('' if it has none)."""
    with metadata.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                break
            if line.startswith("Version:"):
                return line.partition(":")[2].strip()
    return ""


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
        folder = Path(entry or ".")
        if not folder.is_dir():
            if folder.exists():  # a zip or egg on the path: importlib.metadata reads those
                return None
            continue
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for child in names:
            matched = _DIST_INFO.match(child) or _EGG_INFO.match(child)
            if matched is None:
                continue
            name = _normalised(matched["name"])
            if name in seen:
                continue
            seen.add(name)
            try:
                text = (folder / child / "entry_points.txt").read_text(encoding="utf-8")
                if f"[{group}]" not in text:
                    continue
                version = matched["version"] or _version_in(folder / child / "PKG-INFO")
            except FileNotFoundError:
                continue
            except (OSError, UnicodeDecodeError):
                return None
            dist = FoundDistribution(matched["name"], version)
            found.extend(FoundEntryPoint(ep_name, value, group, dist) for ep_name, value in _group_lines(text, group))
    return found


def entry_points(group: str, own_distribution: str) -> Iterable[Any]:
    """The group's entry points: read cheaply when they are all ``own_distribution``'s, else by ``importlib.metadata``."""
    found = read_entry_points(group, sys.path)
    if found is not None and all(_normalised(point.dist.name) == own_distribution for point in found):
        return found
    import importlib.metadata

    return importlib.metadata.entry_points(group=group)
