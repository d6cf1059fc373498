"""Where kneetui keeps things, and how it keeps what it cannot read: exact names, in-process."""

from __future__ import annotations

import os
import threading
import tomllib
from datetime import datetime

from kneetui.storage import locations
from kneetui.storage.atomic import keep_aside
from kneetui.storage.config import is_light_mode, load_settings


def test_each_folder_has_the_name_the_documentation_gives():
    assert locations.data_dir().name == "kneetui"
    assert locations.config_dir().name == "kneetui"
    assert locations.user_theme_dir() == locations.config_dir() / "themes"
    assert locations.programs_dir() == locations.data_dir() / "programs"


def test_a_file_kept_aside_is_named_for_the_second_it_was_found_and_never_replaces_another(tmp_path):
    found = datetime(2026, 1, 2, 3, 4, 5)
    for content in (b"first", b"second", b"third"):
        (tmp_path / "config.toml").write_bytes(content)
        keep_aside(tmp_path / "config.toml", now=found)
    kept = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    assert kept == {
        "config.toml.broken-20260102-030405": b"first",
        "config.toml.broken-20260102-030405-1": b"second",
        "config.toml.broken-20260102-030405-2": b"third",
    }


def test_light_mode_takes_only_its_three_choices():
    assert all(is_light_mode(choice) for choice in ("auto", "on", "off"))
    assert not any(is_light_mode(other) for other in ("dim", "", None, 1, "AUTO"))


def test_the_notice_for_a_file_that_is_not_toml_says_it_cannot_be_read_and_why(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("theme = [unclosed\n")
    try:
        tomllib.loads("theme = [unclosed\n")
    except tomllib.TOMLDecodeError as error:
        why = str(error)
    [notice] = load_settings(path).notices
    [backup] = tmp_path.glob("config.toml.broken-*")
    assert notice == f"The settings file {path} cannot be read ({why}); it was kept as {backup}. Using defaults."


def test_the_notice_for_the_old_stop_threshold_is_a_sentence(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("pain_rise_to_stop = 2\n", encoding="utf-8")
    assert load_settings(path).notices == [
        "The setting 'pain_rise_to_stop' is no longer used: a session now stops at any rise in pain, "
        "as the source article advises. If your physiotherapist allows a small rise, set it under Settings (o)."
    ]


def test_a_fifo_in_place_of_the_settings_is_refused_without_waiting_for_a_writer(tmp_path):
    path = tmp_path / "config.toml"
    os.mkfifo(path)
    result: list[object] = []
    reader = threading.Thread(target=lambda: result.append(load_settings(path)), daemon=True)
    reader.start()
    reader.join(timeout=10)
    assert result, "load_settings waited for a writer"
    assert "cannot be opened (not a regular file)" in result[0].notices[0]
