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
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("SSH_CONNECTION", raising=False)
    return home


@pytest.fixture
def subprocess_env(isolated_home: Path) -> dict[str, str]:
    """The environment for running ``kneetui`` as a subprocess inside the isolated home."""
    env = dict(os.environ)
    env["PYTHONIOENCODING"] = "utf-8"
    return env
