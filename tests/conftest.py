"""Shared fixtures: every test runs with its own XDG folders, never the real home."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURE_PLUGINS = Path(__file__).parent / "fixture_plugins"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point every XDG folder at a fresh temp dir for the test."""
    home = tmp_path_factory.mktemp("home")
    for name in ("CONFIG", "DATA", "CACHE", "STATE"):
        folder = home / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"XDG_{name}_HOME", str(folder))
    monkeypatch.setenv("HOME", str(home))
    # The same terminal everywhere, so CI (which may have no TERM) sees what a developer sees.
    monkeypatch.setenv("TERM", "xterm-256color")
    for name in (
        "NO_COLOR",
        "COLORTERM",
        "SSH_CONNECTION",
        "SSH_CLIENT",
        "SSH_TTY",
        "TEXTUAL_COLOR_SYSTEM",
        "TEXTUAL_DRIVER",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def subprocess_env(isolated_home: Path) -> dict[str, str]:
    """The environment for running ``kneetui`` as a subprocess inside the isolated home."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


def fixture_plugin(name: str):
    """A ``(record, load)`` pair for a plug-in module in tests/fixture_plugins."""
    import importlib
    import sys

    from kneetui.plugin_host.records import Origin, PluginRecord

    def load():
        sys.modules.pop(f"fixture_plugins.{name}", None)
        return importlib.import_module(f"fixture_plugins.{name}")

    return PluginRecord(name=name, origin=Origin.ENTRY_POINT), load


@pytest.fixture
def make_app():
    """Build a KneeApp over the installed plug-ins plus any fixture plug-ins named."""
    from kneetui.engine.clock import FakeClock
    from kneetui.exchange.user_programs import UserPrograms
    from kneetui.plugin_host.loader import load_plugins
    from kneetui.storage.config import LoadedSettings, Settings
    from kneetui.tui.app import KneeApp

    def build(
        *plugin_names: str,
        settings: Settings | None = None,
        notices=(),
        clock=None,
        user_programs: UserPrograms | None = None,
        **options,
    ):
        settings = settings or Settings(safety_acknowledged=True)
        own = (user_programs or UserPrograms()).candidate()
        plugins = load_plugins(extra=[*(fixture_plugin(name) for name in plugin_names), own])
        return KneeApp(plugins, LoadedSettings(settings, list(notices)), clock=clock or FakeClock(), **options)

    return build
