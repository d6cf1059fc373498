"""Going light over SSH and on limited terminals; the ANSI theme on 16 colours."""

from __future__ import annotations

import pytest

from kneetui.storage.config import Settings
from kneetui.terminal import ColorDepth, read_terminal, should_go_light


@pytest.mark.parametrize(
    ("env", "colors"),
    [
        ({"TERM": "xterm-256color", "COLORTERM": "truecolor"}, ColorDepth.TRUECOLOR),
        ({"TERM": "xterm-256color"}, ColorDepth.TWO_FIFTY_SIX),
        ({"TERM": "linux"}, ColorDepth.SIXTEEN),
        ({"TERM": "xterm"}, ColorDepth.SIXTEEN),
        ({}, ColorDepth.SIXTEEN),
    ],
)
def test_colour_depth_is_read_from_term_and_colorterm(env, colors):
    assert read_terminal(env).colors is colors


def test_ssh_or_a_limited_terminal_goes_light_unless_asked_otherwise():
    ssh = read_terminal({"TERM": "xterm-256color", "SSH_CONNECTION": "10.0.0.2 5000 10.0.0.1 22"})
    local = read_terminal({"TERM": "xterm-256color"})
    console = read_terminal({"TERM": "linux"})
    assert should_go_light(ssh, "auto") and should_go_light(console, "auto")
    assert not should_go_light(local, "auto")
    assert not should_go_light(ssh, "off")
    assert should_go_light(local, "on")


async def test_over_ssh_the_app_turns_animation_off(make_app, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 5000 10.0.0.1 22")
    monkeypatch.setenv("TERM", "xterm-256color")
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.light
        assert app.animation_level == "none"
        assert not app.animate_drawings


async def test_light_mode_off_keeps_animations_over_ssh(make_app, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.2 5000 10.0.0.1 22")
    app = make_app(settings=Settings(safety_acknowledged=True, light_mode="off"))
    async with app.run_test(size=(80, 24)):
        assert not app.light
        assert app.animate_drawings


async def test_a_sixteen_colour_terminal_gets_the_ansi_theme(make_app, monkeypatch):
    monkeypatch.setenv("TERM", "linux")
    monkeypatch.delenv("COLORTERM", raising=False)
    app = make_app()
    async with app.run_test(size=(80, 24)):
        assert app.theme == "kneetui-ansi"


def test_the_browser_terminal_of_textual_serve_is_full_colour_and_not_limited():
    profile = read_terminal(
        {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver", "TEXTUAL_COLOR_SYSTEM": "truecolor"}
    )
    assert profile.colors is ColorDepth.TRUECOLOR
    assert not profile.light


def test_textuals_own_colour_setting_wins():
    assert read_terminal({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}).colors is ColorDepth.SIXTEEN


@pytest.mark.parametrize("animations", [False, True])
async def test_a_text_fields_cursor_blinks_only_with_animations_on(make_app, animations):
    app = make_app(settings=Settings(safety_acknowledged=True, animations=animations, light_mode="off"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f")  # the FAQ opens with its search field focused
        await pilot.pause()
        field = app.screen.query_one("#query")
        assert app.focused is field
        assert field.cursor_blink is animations
        assert field._cursor_visible, "a cursor that does not blink is shown"
        app.settings = Settings(safety_acknowledged=True, animations=not animations, light_mode="off")
        app.apply_animation_setting()
        assert field.cursor_blink is not animations, "a change of the setting reaches the field in use"
