"""Checking, before pip changes anything, that a plug-in can live beside this kneetui.

A plug-in that pins another kneetui or Textual would make pip replace them,
and kneetui could then fail to start at all. So kneetui reads what the plug-in
requires (from its wheel, sdist or project folder, and from pip's dry-run
report) and refuses it before the real install.
"""

from __future__ import annotations

import email.parser
import importlib.metadata
import re
import tarfile
import tomllib
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from packaging.requirements import InvalidRequirement, Requirement
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

#: Distributions a plug-in must never make pip change: kneetui and what its screens are made of.
GUARDED = ("kneetui", "textual")


class Incompatible(Exception):
    """The plug-in cannot be installed beside this kneetui; the message says why and what to do."""


def installed_version(name: str) -> Version | None:
    try:
        return Version(importlib.metadata.version(name))
    except (importlib.metadata.PackageNotFoundError, InvalidVersion):
        return None


def check_requirements(plugin: str, requirements: Iterable[str]) -> None:
    """Raise :class:`Incompatible` when ``requirements`` pin a kneetui or Textual other than the installed one."""
    for text in requirements:
        try:
            requirement = Requirement(text)
        except InvalidRequirement:
            continue
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name not in GUARDED:
            continue
        version = installed_version(name)
        if version is None or not requirement.specifier or requirement.specifier.contains(version, prereleases=True):
            continue
        raise Incompatible(
            f"{plugin} requires {requirement}, but this kneetui runs with {name} {version}; "
            f"installing it would replace {name} and could stop kneetui from starting. "
            f"Nothing was changed. Ask for a version of {plugin} that supports {name} {version}."
        )


def _metadata_requirements(text: str) -> tuple[str, list[str]]:
    message = email.parser.Parser().parsestr(text, headersonly=True)
    return str(message.get("Name", "")), [str(value) for value in message.get_all("Requires-Dist") or []]


def local_requirements(spec: str) -> tuple[str, list[str]] | None:
    """The name and requirements of a local wheel, sdist or project folder; None for anything else."""
    path = Path(spec)
    if not path.exists():
        return None
    if path.is_dir():
        pyproject = path / "pyproject.toml"
        if not pyproject.is_file():
            return None
        try:
            project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
            return None
        if "dependencies" in project.get("dynamic", []):
            return None
        return str(project.get("name", path.name)), [str(dep) for dep in project.get("dependencies", [])]
    try:
        if path.suffix == ".whl":
            with zipfile.ZipFile(path) as wheel:
                metadata = next(n for n in wheel.namelist() if re.fullmatch(r"[^/]+\.dist-info/METADATA", n))
                return _metadata_requirements(wheel.read(metadata).decode("utf-8", "replace"))
        if path.name.endswith((".tar.gz", ".tgz")):
            with tarfile.open(path) as sdist:
                member = next(m for m in sdist.getmembers() if re.fullmatch(r"[^/]+/PKG-INFO", m.name))
                extracted = sdist.extractfile(member)
                if extracted is not None:
                    return _metadata_requirements(extracted.read().decode("utf-8", "replace"))
    except (OSError, zipfile.BadZipFile, tarfile.TarError, StopIteration, KeyError):
        return None
    return None


def check_report(report: dict[str, Any]) -> list[tuple[str, str]]:
    """Check pip's ``--dry-run --report`` and return the ``(name, version)`` pairs it would install."""
    planned = []
    for item in report.get("install", []):
        metadata = item.get("metadata", {})
        name, version = str(metadata.get("name", "?")), str(metadata.get("version", "?"))
        canonical = canonicalize_name(name)
        if canonical in GUARDED:
            current = installed_version(canonical)
            raise Incompatible(
                f"installing this would replace {canonical} {current or '(not installed)'} with {version}, "
                "which could stop kneetui from starting. Nothing was changed."
            )
        check_requirements(name, metadata.get("requires_dist", []) or [])
        planned.append((name, version))
    return planned
