"""The names that belong to kneetui itself, and plug-ins that would take them.

A distribution that installs a module under one of kneetui's own names
(``kneetui_medial_knee``, say) replaces kneetui's content or code for every
command; one that reuses the entry-point name of kneetui's own content hides it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from kneetui.plugin_host.discovery import FoundDistribution, record_paths

if TYPE_CHECKING:
    import importlib.metadata

#: Top-level modules that kneetui's own distribution installs.
RESERVED_MODULES = frozenset({"kneetui", "kneetui_medial_knee", "kneetui_themes"})
#: Entry-point names kneetui's own content uses, when kneetui's metadata cannot be read.
OWN_ENTRY_POINTS = frozenset({"medial-knee"})
OWN_DISTRIBUTION = "kneetui"


def own_entry_point_names() -> frozenset[str]:
    """The entry-point names of kneetui's own distribution in the ``kneetui`` group."""
    import importlib.metadata

    try:
        found = importlib.metadata.distribution(OWN_DISTRIBUTION).entry_points
    except importlib.metadata.PackageNotFoundError:
        return OWN_ENTRY_POINTS
    return OWN_ENTRY_POINTS | {entry_point.name for entry_point in found if entry_point.group == "kneetui"}


def is_own(entry_point: importlib.metadata.EntryPoint) -> bool:
    """Whether ``entry_point`` is one kneetui's own distribution declares."""
    dist = getattr(entry_point, "dist", None)
    return dist is not None and (dist.metadata["Name"] or "").lower() == OWN_DISTRIBUTION


def own_entry_points() -> list[importlib.metadata.EntryPoint]:
    """The ``kneetui`` entry points of kneetui's own distribution (its built-in content); read, not loaded."""
    import importlib.metadata

    return [entry_point for entry_point in importlib.metadata.entry_points(group="kneetui") if is_own(entry_point)]


def third_party_modules() -> set[str]:
    """Top-level modules of every other distribution with a ``kneetui`` entry point, and of the plug-in folder.

    Read from the distributions' metadata only: nothing of theirs is imported to find them.
    """
    import importlib.metadata

    found = set()
    for entry_point in importlib.metadata.entry_points(group="kneetui"):
        if is_own(entry_point):
            continue
        found.add(entry_point.value.split(":")[0].split(".")[0].strip())
        for file in getattr(entry_point.dist, "files", None) or ():
            parts = Path(str(file)).parts
            if parts and not parts[0].endswith((".dist-info", ".egg-info")) and parts[0] != "..":
                found.add(parts[0].removesuffix(".py"))
    return found


def module_for(name: str) -> str:
    """The package a plug-in named ``name`` gets from ``kneetui plugin new``."""
    return "kneetui_" + name.replace("-", "_")


def reserved_name_reason(name: str) -> str:
    """Why a plug-in may not be called ``name`` ('' when it may)."""
    module = module_for(name)
    if name in own_entry_point_names() or module in RESERVED_MODULES:
        return (
            f"{name!r} is kneetui's own (its package would be {module!r}, which would replace kneetui's content): "
            "choose another name"
        )
    if name == "kneetui" or name.startswith("kneetui-"):
        return f"{name!r} would be confused with kneetui itself: choose a name without 'kneetui'"
    return ""


#: Where a path's first part can end: at a "/", at the end of the ``RECORD``'s first column, or at a line's end
#: (as ``str.splitlines`` ends lines).
_PART_ENDS = '/,"\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029'
#: A reserved module's name where it could be a path's first part: a ``RECORD`` without one lists none of them.
_MAY_LIST_RESERVED = re.compile(
    f"(?:{'|'.join(map(re.escape, sorted(RESERVED_MODULES)))})(?:\\.py)?(?:[{re.escape(_PART_ENDS)}]|$)"
)


def shadowed_modules(distribution: importlib.metadata.Distribution | FoundDistribution) -> list[str]:
    """kneetui's own top-level modules that ``distribution`` installs (none for kneetui itself)."""
    name = (distribution.metadata["Name"] or "").lower()
    if name == OWN_DISTRIBUTION:
        return []
    if isinstance(distribution, FoundDistribution):
        # Its RECORD's lines are parsed only when one of kneetui's names appears where a listed path could begin.
        text = distribution.record()
        if text is None or not _MAY_LIST_RESERVED.search(text):
            return []
        listed = record_paths(text)
    else:
        listed = [str(file) for file in distribution.files or ()]
    # A listed path's first part: a module (its ".py" taken off), or what can never be one of kneetui's
    # (a *.dist-info folder, "..", nothing).
    tops = {_top(file).removesuffix(".py") for file in listed}
    return sorted(tops & RESERVED_MODULES)


def _top(file: object) -> str:
    """The first part of a path a distribution's ``RECORD`` lists ('' for an empty one)."""
    parts = str(file).split("/")
    return next((part for part in parts if part not in ("", ".")), "")


def file_of(distribution: importlib.metadata.Distribution, module: str) -> set[Path]:
    """The files ``distribution`` installs for the top-level ``module``, resolved."""
    found = set()
    for file in distribution.files or ():
        if _top(file) in (module, f"{module}.py"):
            found.add(Path(str(distribution.locate_file(file))).resolve())
    return found
