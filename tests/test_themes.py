"""Themes load from TOML; a broken user theme becomes a readable failure, never a crash."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.app import App
from textual.color import Color
from textual.theme import Theme

from kneetui.storage import locations
from kneetui.tui.themes import DEFAULT_THEME, ThemeFailure, load_themes

BUILT_IN = ["kneetui-ansi", "kneetui-ansi-light", "kneetui-dark", "kneetui-high-contrast", "kneetui-light"]

GOOD = """
name = "{name}"
dark = true
primary = "#336699"
background = "#101010"
"""


def write(folder: Path, filename: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


def contrast(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (none) to 21 (black on white)."""

    def luminance(colour: Color) -> float:
        def channel(value: int) -> float:
            value /= 255
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)

    high, low = sorted((luminance(Color.parse(first)), luminance(Color.parse(second))), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_every_built_in_theme_loads_into_a_textual_theme(tmp_path):
    load = load_themes(tmp_path)
    assert load.failed == []
    assert sorted(load.names) == BUILT_IN
    assert DEFAULT_THEME in load.names
    for theme in load.loaded:
        assert isinstance(theme, Theme)
        colours = theme.to_color_system().generate()
        assert colours["primary"], theme.name


@pytest.mark.parametrize("name", BUILT_IN)
def test_every_built_in_theme_can_be_switched_to(name):
    async def switch() -> str:
        app = App[None]()
        for theme in load_themes().loaded:
            app.register_theme(theme)
        async with app.run_test() as pilot:
            app.theme = name
            await pilot.pause()
            return app.current_theme.name

    assert asyncio.run(switch()) == name


def test_the_ansi_themes_follow_the_terminals_palette():
    for theme in load_themes().loaded:
        if theme.name.startswith("kneetui-ansi"):
            assert theme.ansi
            assert theme.background == theme.foreground == "ansi_default"
            assert theme.primary.startswith("ansi_")


def test_the_high_contrast_theme_keeps_every_colour_far_from_the_background():
    theme = next(theme for theme in load_themes().loaded if theme.name == "kneetui-high-contrast")
    for key in ("foreground", "primary", "secondary", "accent", "success", "warning", "error"):
        for ground in (theme.background, theme.surface, theme.panel):
            assert contrast(getattr(theme, key), ground) >= 7, key


@pytest.mark.parametrize("name", ["kneetui-dark", "kneetui-light"])
def test_the_calm_themes_keep_text_readable(name):
    theme = next(theme for theme in load_themes().loaded if theme.name == name)
    for ground in (theme.background, theme.surface, theme.panel):
        assert contrast(theme.foreground, ground) >= 7
        for key in ("primary", "secondary", "accent", "success", "warning", "error"):
            assert contrast(getattr(theme, key), ground) >= 4.5, key


def test_a_user_theme_is_added_after_the_built_ins(tmp_path):
    write(tmp_path, "dusk.toml", GOOD.format(name="dusk") + '\n[variables]\nfooter-key-foreground = "#336699"\n')
    load = load_themes(tmp_path)
    assert load.failed == []
    assert load.names[-1] == "dusk"
    dusk = load.loaded[-1]
    assert dusk.primary == "#336699"
    assert dusk.variables == {"footer-key-foreground": "#336699"}


def test_the_example_theme_in_the_docs_loads(tmp_path):
    docs = (Path(__file__).parents[1] / "docs" / "themes.md").read_text(encoding="utf-8")
    example = docs.split("```toml\n", 1)[1].split("```", 1)[0]
    write(tmp_path, "dusk.toml", example)
    load = load_themes(tmp_path)
    assert load.failed == []
    assert load.names[-1] == "dusk"


def test_user_themes_come_from_the_user_theme_folder_by_default():
    write(locations.user_theme_dir(), "dusk.toml", GOOD.format(name="dusk"))
    assert "dusk" in load_themes().names


def test_a_missing_user_folder_adds_nothing_and_fails_nothing(tmp_path):
    load = load_themes(tmp_path / "not-there")
    assert load.failed == []
    assert sorted(load.names) == BUILT_IN


def test_files_that_are_not_toml_are_ignored(tmp_path):
    write(tmp_path, "notes.txt", "not a theme")
    assert load_themes(tmp_path).failed == []


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('name = "broken"\nprimary = "#fff', "not valid TOML"),
        ('primary = "#336699"', "name: missing"),
        ('name = ""\nprimary = "#336699"', "name: '' is not a theme name"),
        ('name = "no-primary"\nbackground = "#000000"', "primary: missing: the main colour"),
        ('name = "typo"\nprimry = "#336699"', "primry: unknown key; did you mean 'primary'?"),
        ('name = "bad-colour"\nprimary = "bluish"', "primary: 'bluish' is not a colour; did you mean 'blue'?"),
        ('name = "bad-colour"\nprimary = "#336699"\nerror = "#12345G"', "error: '#12345G' is not a colour"),
        ('name = "number-colour"\nprimary = 336699', "primary: expected text, got a whole number"),
        ('name = "dark-string"\nprimary = "#336699"\ndark = "yes"', "dark: expected true/false, got text"),
        ('name = 7\nprimary = "#336699"', "name: expected text, got a whole number"),
        ('name = "dusk,nord"\nprimary = "#336699"', "is not a theme name: use letters, digits, '-', '_' and '.'"),
        ('name = "my dusk"\nprimary = "#336699"', "is not a theme name: use letters, digits, '-', '_' and '.'"),
        ('name = "vars"\nprimary = "#336699"\nvariables = 3', "variables: expected a table, got a whole number"),
        (
            'name = "vars"\nprimary = "#336699"\n[variables]\nborder = 3',
            "variables.border: expected text, got a whole number",
        ),
        ('name = "kneetui-dark"\nprimary = "#336699"', "'kneetui-dark' is taken by a built-in kneetui theme"),
        ('name = "nord"\nprimary = "#336699"', "'nord' is taken by a theme built into Textual"),
    ],
)
def test_each_kind_of_bad_user_theme_becomes_a_failure_with_a_reason(tmp_path, text, reason):
    path = write(tmp_path, "bad.toml", text)
    load = load_themes(tmp_path)
    assert sorted(load.names) == BUILT_IN
    assert len(load.failed) == 1
    failure = load.failed[0]
    assert failure.path == path
    assert reason in failure.reason
    assert "\n" not in failure.reason


def test_a_file_that_is_not_utf8_is_a_failure(tmp_path):
    (tmp_path / "latin.toml").write_bytes('name = "bl\xe5"\n'.encode("latin-1"))
    assert load_themes(tmp_path).failed == [
        ThemeFailure(tmp_path / "latin.toml", "the file is not UTF-8 text (byte 10)")
    ]


def test_a_second_user_theme_with_the_same_name_is_a_failure_naming_the_first(tmp_path):
    write(tmp_path, "a.toml", GOOD.format(name="dusk"))
    write(tmp_path, "b.toml", GOOD.format(name="dusk"))
    load = load_themes(tmp_path)
    assert load.names.count("dusk") == 1
    assert [failure.path.name for failure in load.failed] == ["b.toml"]
    assert "taken by a.toml" in load.failed[0].reason


def test_one_bad_file_does_not_stop_the_good_ones(tmp_path):
    write(tmp_path, "a-bad.toml", "this is = = not toml")
    write(tmp_path, "b-good.toml", GOOD.format(name="dusk"))
    load = load_themes(tmp_path)
    assert "dusk" in load.names
    assert [failure.path.name for failure in load.failed] == ["a-bad.toml"]


def test_a_user_theme_folder_that_is_a_file_is_a_failure(tmp_path):
    not_a_folder = write(tmp_path, "themes", "oops")
    load = load_themes(not_a_folder)
    assert sorted(load.names) == BUILT_IN
    assert load.failed == [ThemeFailure(not_a_folder, "the theme folder is a file, not a folder")]
