"""pytest helpers for kneetui plug-in authors.

    from kneetui.testing import assert_plugin_valid

    def test_my_plugin_loads_cleanly():
        loaded = assert_plugin_valid(my_plugin)
        assert loaded.catalog.exercise("my-exercise") is not None

Each helper uses a fresh plug-in manager, so tests never share state.
"""

from __future__ import annotations

from typing import Any

from kneetui.plugin_host.loader import LoadResult, load_plugins
from kneetui.plugin_host.records import Origin, PluginRecord

__all__ = ["assert_plugin_valid", "load_plugin", "make_test_app"]


def load_plugin(plugin: Any, name: str = "plugin-under-test", with_builtin: bool = True) -> LoadResult:
    """Load ``plugin`` (a module or object with hook implementations) into a fresh manager.

    ``with_builtin`` also loads kneetui's own content, so a plug-in's programmes
    may use the built-in exercises.
    """
    record = PluginRecord(name=name, origin=Origin.ENTRY_POINT)
    return load_plugins(entry_points=None if with_builtin else [], extra=[(record, lambda: plugin)])


def assert_plugin_valid(plugin: Any, name: str = "plugin-under-test", with_builtin: bool = True) -> LoadResult:
    """Load ``plugin`` and fail the test with every problem kneetui found in it."""
    loaded = load_plugin(plugin, name, with_builtin)
    record = loaded.record(name)
    assert record is not None
    problems = [record.failure] if record.failure else record.problems
    assert not problems, f"plug-in {name!r} has problems:\n  " + "\n  ".join(problems)
    assert sum(record.contributions.values()) > 0 or record.hooks, f"plug-in {name!r} contributes nothing"
    return loaded


def make_test_app(plugin: Any, name: str = "plugin-under-test", **options: Any):
    """A kneetui app with ``plugin`` loaded, a fake clock and no saving, for ``app.run_test()``."""
    from kneetui.engine.clock import FakeClock
    from kneetui.storage.config import LoadedSettings, Settings
    from kneetui.tui.app import KneeApp

    settings = options.pop("settings", None) or Settings(safety_acknowledged=True)
    clock = options.pop("clock", None) or FakeClock()
    return KneeApp(load_plugin(plugin, name), LoadedSettings(settings), clock=clock, save=False, **options)
