"""A settings file that cannot be used: defaults, a notice, and the file kept as a backup.

tests/test_config.py covers an unparseable file, a binary one, three wrong values and a
directory; these add the rest: every field, every cut, garbage, a FIFO, no permission,
and the app and CLI around them.
"""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
import tomllib

import pytest
from fault_helpers import notices
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kneetui.storage import config, locations
from kneetui.storage.config import Settings, load_settings, save_settings
from kneetui.tui.screens.home import HomeScreen

#: For each setting, values of the wrong type or out of range.
WRONG = {
    "theme": [3, True, ["kneetui-dark"]],
    "bell": ["yes", 1, 0.5],
    "flash": ["no", 0],
    "countdown_warning": [[], "true"],
    "get_ready_seconds": [-1, 61, "5", 5.0, True],
    "rest_seconds": [601, -30, 30.5, False],
    "animations": [{"on": True}, "off"],
    "pain_rise_tolerance": [-1, 3, 10, 1.0, True],
    "safety_acknowledged": ["yes", 1],
    "program": [7, ["chronic"]],
    "disabled_plugins": ["medial-knee", [1, 2], ["a", 3]],
    "light_mode": ["sometimes", True, 1],
    "plugin_screen_timeout_seconds": ["3", True, 0, 0.05, 61, float("nan"), float("inf"), -3.0],
}


def test_every_setting_has_wrong_values_to_try():
    assert set(WRONG) == {field.name for field in dataclasses.fields(Settings)}


def write(text: str | bytes) -> None:
    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    data = text.encode() if isinstance(text, str) else text
    locations.config_file().write_bytes(data)


def toml_value(value) -> str:
    import tomli_w

    if isinstance(value, dict):
        return "{ " + ", ".join(f"{key} = {toml_value(item)}" for key, item in value.items()) + " }"
    return tomli_w.dumps({"v": value}).partition("=")[2].strip()


@pytest.mark.parametrize(("name", "value"), [(name, value) for name, values in WRONG.items() for value in values])
def test_a_wrong_value_for_any_setting_falls_back_to_its_default_with_a_notice(name, value):
    write(
        f'theme = "kneetui-light"\n{name} = {toml_value(value)}\n'
        if name != "theme"
        else f"theme = {toml_value(value)}\n"
    )
    loaded = load_settings()
    assert getattr(loaded.settings, name) == getattr(Settings(), name)
    value_notice, file_notice = loaded.notices
    assert repr(name) in value_notice
    assert "is left as it is until a setting is saved" in file_notice
    if name != "theme":
        assert loaded.settings.theme == "kneetui-light", "the good values are kept"


def test_a_whole_number_is_taken_for_the_timeout_in_seconds():
    write("plugin_screen_timeout_seconds = 2\n")
    loaded = load_settings()
    assert loaded.settings.plugin_screen_timeout_seconds == 2.0 and loaded.notices == []


def full_config() -> bytes:
    return Settings(theme="kneetui-light", rest_seconds=45, disabled_plugins=["x", "y"]).to_toml()


def test_a_config_cut_anywhere_loads_or_is_kept_aside_and_never_raises():
    full = full_config()
    for cut in range(len(full)):
        for backup in locations.config_dir().glob("config.toml.broken-*"):
            backup.unlink()
        write(full[:cut])
        loaded = load_settings()
        backups = list(locations.config_dir().glob("config.toml.broken-*"))
        if loaded.notices and "kept as" in loaded.notices[0]:
            assert [path.read_bytes() for path in backups] == [full[:cut]], "kept byte for byte"
            assert loaded.settings == Settings()
        else:
            assert not backups and locations.config_file().read_bytes() == full[:cut], "a readable file stays"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(garbage=st.binary(max_size=300))
def test_binary_garbage_never_raises_and_is_kept_byte_for_byte(garbage):
    for backup in locations.config_dir().glob("config.toml.broken-*") if locations.config_dir().exists() else ():
        backup.unlink()
    write(garbage)
    loaded = load_settings()
    backups = list(locations.config_dir().glob("config.toml.broken-*"))
    try:
        tomllib.loads(garbage.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        readable = False
    else:
        readable = True
    if readable:
        # Bytes that happen to be TOML (b"", b"#...", b"a=1"): read, nothing moved aside.
        assert backups == [] and locations.config_file().read_bytes() == garbage
    else:
        assert [backup.read_bytes() for backup in backups] == [garbage], "kept byte for byte"
        assert loaded.settings == Settings() and not locations.config_file().exists()
        assert "kept as" in loaded.notices[0]


def test_a_config_that_cannot_be_opened_is_kept_aside_so_a_later_save_does_not_replace_it(monkeypatch):
    write(full_config())
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path) == str(locations.config_file()):
            raise PermissionError(13, "Permission denied", str(path))  # what chmod 000 gives a non-root user
        return real_open(path, *args, **kwargs)

    with monkeypatch.context() as patched:
        patched.setattr(config.os, "open", refuse)
        loaded = load_settings()
    assert loaded.settings == Settings()
    assert "cannot be opened (Permission denied)" in loaded.notices[0], loaded.notices
    [backup] = locations.config_dir().glob("config.toml.broken-*")
    save_settings(loaded.settings)
    assert backup.read_bytes() == full_config(), "the person's settings are still there to restore"


def test_a_config_that_cannot_be_moved_aside_either_is_left_alone_with_a_notice(monkeypatch):
    write("theme = [unclosed\n")
    monkeypatch.setattr(
        config, "keep_aside", lambda path: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
    )
    loaded = load_settings()
    assert loaded.settings == Settings()
    assert "nor moved aside (Permission denied)" in loaded.notices[0]
    assert locations.config_file().read_text() == "theme = [unclosed\n"


def run_cli(env, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=30)


def test_a_fifo_in_place_of_the_config_does_not_make_kneetui_wait_for_a_writer(subprocess_env):
    locations.config_dir().mkdir(parents=True)
    os.mkfifo(locations.config_file())
    result = run_cli(subprocess_env, "exercises")  # before the fix: blocked in open() until the timeout
    assert result.returncode == 0
    assert "cannot be opened (not a regular file)" in result.stderr and "Traceback" not in result.stderr
    assert "wall-slides" in result.stdout


def test_a_file_where_the_config_folder_should_be_gives_defaults_and_clear_failures(subprocess_env):
    locations.config_dir().parent.mkdir(parents=True, exist_ok=True)
    locations.config_dir().write_text("not a folder\n")
    listed = run_cli(subprocess_env, "exercises")
    assert listed.returncode == 0 and "wall-slides" in listed.stdout
    assert "cannot be opened (Not a directory)" in listed.stderr
    disabled = run_cli(subprocess_env, "plugins", "disable", "medial-knee")
    assert disabled.returncode == 1
    assert "kneetui: cannot save the settings" in disabled.stderr and "Traceback" not in disabled.stderr
    assert locations.config_dir().read_text() == "not a folder\n"


@pytest.mark.parametrize("content", [b"\x00\xff\xfe garbage", b'theme = "kneetui-li', b"rest_seconds = 'long'\n"])
async def test_the_app_starts_with_defaults_and_says_what_happened(make_app, content):
    write(content)
    loaded = load_settings()
    loaded.settings.safety_acknowledged = True  # past the first-run notice, to reach Home
    app = make_app(settings=loaded.settings, notices=loaded.notices, save=True)
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        shown = notices(app)
        assert "settings file" in shown or "'rest_seconds'" in shown
        await pilot.press("o")
        await pilot.pause()
        app.screen.query_one("#bell").focus()
        await pilot.press("space")  # the bell off: saved at once
        await pilot.pause()
        # Kept aside at loading when unreadable; when it only held a value kneetui could not use, now.
        assert ("it was kept as config.toml.broken-" in notices(app)) is (b"long" in content)
    assert load_settings().settings.bell is False
    backups = list(locations.config_dir().glob("config.toml.broken-*"))
    # Unreadable, or holding a value kneetui could not use: either way kept byte for byte before the save.
    assert [path.read_bytes() for path in backups] == [content]
