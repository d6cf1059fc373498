"""Everything installed, each loaded as a plug-in: entry points, the plug-in folder, packs, the person's programmes."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kneetui.exchange.user_programs import UserPrograms
from kneetui.plugin_host.loader import LoadResult, load_plugins
from kneetui.plugin_host.records import PluginRecord
from kneetui.plugin_host.reserved import own_entry_points
from kneetui.storage import locations


def load_installed_plugins(disabled: Iterable[str] = (), extra: Iterable[tuple[PluginRecord, Any]] = ()) -> LoadResult:
    """Load the entry points, the user plug-in folder, the installed content packs and the person's programmes."""
    packs_dir = locations.packs_dir()
    packs: list[tuple[PluginRecord, Any]] = []
    if packs_dir.is_dir() and any(packs_dir.glob("*.toml")):  # the pack format is imported only for packs
        from kneetui.exchange.pack_file import pack_candidates

        packs = pack_candidates(packs_dir)
    return load_plugins(
        locations.user_plugin_dir(),
        disabled,
        extra=[*packs, UserPrograms().candidate(), *extra],
        log_file=locations.plugin_log_file(),
    )


def load_own_plugins() -> LoadResult:
    """kneetui's own content only (its distribution's entry points and the person's programmes): no third party's code."""
    return load_plugins(None, entry_points=own_entry_points(), extra=[UserPrograms().candidate()])
