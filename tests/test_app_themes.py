"""Themes in the app: chosen, kept across restarts, overridden for one run, bad files harmless."""

from __future__ import annotations

import subprocess
import sys

from textual.widgets import Select

from kneetui.storage.config import Settings, load_settings, save_settings
from kneetui.tui.themes import load_themes


async def test_changing_the_theme_in_settings_is_kept_after_a_restart(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.theme == "kneetui-dark"
        await pilot.press("o")
        app.screen.query_one("#theme", Select).value = "kneetui-high-contrast"
        await pilot.pause()
        assert app.theme == "kneetui-high-contrast"
    assert load_settings().settings.theme == "kneetui-high-contrast"
    restarted = make_app(settings=load_settings().settings)
    async with restarted.run_test(size=(80, 24)):
        assert restarted.theme == "kneetui-high-contrast"


async def test_the_theme_option_overrides_for_one_run_without_being_saved(make_app):
    save_settings(Settings(theme="kneetui-light", safety_acknowledged=True))
    app = make_app(settings=load_settings().settings, theme_override="kneetui-ansi")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "kneetui-ansi"
    assert load_settings().settings.theme == "kneetui-light"


async def test_a_broken_user_theme_is_reported_once_and_skipped(make_app, isolated_home):
    theme_dir = isolated_home / "config" / "kneetui" / "themes"
    theme_dir.mkdir(parents=True)
    (theme_dir / "mine.toml").write_text('name = "mine"\nprimary = "not-a-colour"\n')
    app = make_app(themes=load_themes(theme_dir))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        messages = [str(n.message) for n in app._notifications if "mine.toml" in str(n.message)]
        assert len(messages) == 1
        assert "mine" not in app.available_themes


async def test_an_unknown_saved_theme_falls_back_to_the_default(make_app):
    app = make_app(settings=Settings(theme="gone-theme", safety_acknowledged=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "kneetui-dark"


async def test_no_color_never_gives_black_on_black_with_an_ansi_theme(make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(settings=Settings(theme="kneetui-ansi", safety_acknowledged=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color
        assert app.theme == "kneetui-dark"


def test_an_unknown_theme_option_is_a_usage_error(subprocess_env):
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "--theme", "nope"],
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=60,
    )
    assert result.returncode == 2
    assert "no theme called 'nope'" in result.stderr and "kneetui-high-contrast" in result.stderr
