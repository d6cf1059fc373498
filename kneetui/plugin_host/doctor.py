"""Loading one plug-in on its own, to show an author everything kneetui sees in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kneetui.plugin_host.loader import (
    LoadResult,
    _entry_point_candidates,
    _folder_candidates,
    load_plugins,
)
from kneetui.plugin_host.records import Origin, PluginRecord


@dataclass
class Diagnosis:
    """One plug-in loaded alone (beside kneetui's own content, which its programmes may use)."""

    record: PluginRecord
    loaded: LoadResult

    @property
    def healthy(self) -> bool:
        return not (self.record.failure or self.record.problems or self.record.slow)


def find_candidate(
    name: str, user_plugin_dir: Path | None, packs: list[tuple[Any, Any]]
) -> tuple[PluginRecord, Any] | None:
    """The ``(record, load)`` pair of the plug-in called ``name``, wherever it comes from."""
    for record, load in _entry_point_candidates(None) + _folder_candidates(user_plugin_dir) + packs:
        if record.name == name:
            return record, load
    return None


def known_names(user_plugin_dir: Path | None, packs: list[tuple[Any, Any]]) -> list[str]:
    candidates = _entry_point_candidates(None) + _folder_candidates(user_plugin_dir) + packs
    return sorted({record.name for record, _ in candidates})


def diagnose(candidate: tuple[PluginRecord, Any], log_file: Path | None = None) -> Diagnosis:
    """Import and call only this plug-in (and kneetui's own content), timing its import afresh."""
    record, _ = candidate
    builtins = [
        (own, own_load)
        for own, own_load in _entry_point_candidates(None)
        if own.origin is Origin.BUILT_IN and own.name != record.name
    ]
    loaded = load_plugins(entry_points=[], extra=[*builtins, candidate], log_file=log_file)
    found = next(r for r in loaded.plugins if r is record)
    return Diagnosis(found, loaded)
