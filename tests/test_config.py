"""Settings: defaults, atomic saves, and a broken file kept aside rather than overwritten."""

from __future__ import annotations

import subprocess
import sys

from kneetui.storage import locations
from kneetui.storage.config import Settings, load_settings, save_settings


def test_missing_config_gives_defaults_without_notices():
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert loaded.notices == []


def test_settings_round_trip_through_the_xdg_config_dir(isolated_home):
    save_settings(Settings(theme="kneetui-light", rest_seconds=45))
    assert locations.config_file().is_relative_to(isolated_home)
    assert load_settings().settings.theme == "kneetui-light"
    assert load_settings().settings.rest_seconds == 45
    assert [path.name for path in locations.config_dir().iterdir()] == ["config.toml"]


def test_an_unparseable_config_is_kept_as_a_backup_and_defaults_are_used():
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text("theme = [unclosed\n")
    loaded = load_settings()
    assert loaded.settings == Settings()
    backups = list(path.parent.glob("config.toml.broken-*"))
    assert len(backups) == 1
    assert backups[0].read_text() == "theme = [unclosed\n"
    assert str(backups[0]) in loaded.notices[0]
    assert not path.exists()


def test_a_truncated_binary_config_is_kept_aside_too():
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded = load_settings()
    assert "kept as" in loaded.notices[0]


def test_values_of_the_wrong_type_fall_back_one_by_one():
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "kneetui-light"\nbell = "loud"\nrest_seconds = -5\ndisabled_plugins = [1]\n')
    loaded = load_settings()
    assert loaded.settings.theme == "kneetui-light"
    assert loaded.settings.bell is True
    assert loaded.settings.rest_seconds == 30
    assert len([notice for notice in loaded.notices if "is not valid" in notice]) == 3


def test_a_config_that_is_a_directory_is_reported_not_raised():
    locations.config_file().mkdir(parents=True)
    loaded = load_settings()
    assert "cannot be opened" in loaded.notices[0]


def test_the_old_loose_stop_threshold_is_not_carried_over_and_the_person_is_told(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("pain_rise_to_stop = 2\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.settings.pain_rise_tolerance == 0
    assert any("stops at any rise in pain" in notice for notice in loaded.notices)


def test_a_tolerance_a_physiotherapist_allows_is_kept_and_reaches_the_runner(tmp_path):
    from kneetui.engine.settings import RunnerSettings

    path = tmp_path / "config.toml"
    path.write_text("pain_rise_tolerance = 1\n", encoding="utf-8")
    loaded = load_settings(path)
    assert loaded.notices == []
    assert RunnerSettings.from_settings(loaded.settings).pain_tolerance == 1


async def test_the_app_tells_once_and_drops_the_old_threshold_from_the_file(make_app):
    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    locations.config_file().write_text("pain_rise_to_stop = 2\nsafety_acknowledged = true\n", encoding="utf-8")
    loaded = load_settings()
    assert loaded.outdated
    app = make_app(settings=loaded.settings, notices=loaded.notices)
    app._settings_outdated = loaded.outdated
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
    again = load_settings()
    assert not again.outdated and again.notices == []


WRONG_TYPES = 'theme = "kneetui-light"\nrest_seconds = "long"\n'


def test_a_config_with_values_it_could_not_use_is_kept_aside_the_first_time_it_is_rewritten():
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text(WRONG_TYPES, encoding="utf-8")
    loaded = load_settings()
    assert loaded.notices[-1] == (
        f"The settings file {path} is left as it is until a setting is saved; it is then kept beside it as "
        "config.toml.broken-<date>-<time>."
    )
    assert path.read_text(encoding="utf-8") == WRONG_TYPES, "reading changes nothing"

    loaded.settings.bell = False
    kept = save_settings(loaded.settings)
    assert kept is not None and kept.parent == path.parent and kept.name.startswith("config.toml.broken-")
    assert kept.read_text(encoding="utf-8") == WRONG_TYPES
    again = load_settings()
    assert again.notices == [] and again.settings.bell is False and again.settings.theme == "kneetui-light"

    assert save_settings(again.settings) is None, "a file kneetui wrote itself is simply replaced"
    assert list(path.parent.glob("config.toml.broken-*")) == [kept]


def test_a_file_of_usable_settings_is_replaced_without_a_backup():
    save_settings(Settings(rest_seconds=45))
    assert save_settings(Settings(rest_seconds=50)) is None
    assert [path.name for path in locations.config_dir().iterdir()] == ["config.toml"]


def test_the_command_that_rewrites_the_config_says_where_the_old_one_is(subprocess_env):
    path = locations.config_file()
    path.parent.mkdir(parents=True)
    path.write_text(WRONG_TYPES, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "plugins", "disable", "medial-knee"],
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    [kept] = path.parent.glob("config.toml.broken-*")
    assert f"it was kept as {kept}" in result.stderr
    assert kept.read_text(encoding="utf-8") == WRONG_TYPES
