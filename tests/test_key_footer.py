"""The footer: the keys that matter most on each screen, whole, with Help always on the right."""

from __future__ import annotations

from test_session_screen import session, session_app, start_single

from kneetui.tui.screens.help import HelpScreen
from kneetui.tui.screens.home import HomeScreen
from kneetui.tui.screens.session import SessionScreen
from kneetui.tui.widgets.key_footer import KeyFooter, KeyHint, fit_hints


def footer_text(app) -> str:
    return str(app.screen.query_one(KeyFooter).render())


def test_hints_that_do_not_fit_are_left_out_whole_and_help_keeps_its_place():
    hints = [KeyHint("a", "a", "First"), KeyHint("b", "b", "Second thing"), KeyHint("c", "c", "Third")]
    help_hint = KeyHint("question_mark", "?", "Help")

    placed = fit_hints(hints, help_hint, 24)

    assert [hint.description for _, hint in placed] == ["First", "Help"]
    assert placed[-1][0] + help_hint.width == 23, "Help ends one cell from the right edge"
    assert [hint.description for _, hint in fit_hints(hints, help_hint, 80)] == [
        "First",
        "Second thing",
        "Third",
        "Help",
    ]


async def test_home_footer_shows_the_main_keys_and_help_at_80_and_40_columns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        text = footer_text(app)
        assert text.split() == ["s", "Start", "e", "Exercises", "f", "FAQ", "!", "Safety", "q", "Quit", "?", "Help"]
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        text = footer_text(app)
        assert len(text) <= 40 and text.rstrip().endswith("? Help") and "e Exercises" in text


async def test_a_hold_at_40_columns_shows_how_to_stop_and_help_opens_over_the_running_session(make_app):
    app, _clock, _history = session_app(make_app, get_ready_seconds=0)
    async with app.run_test(size=(40, 12)) as pilot:
        await start_single(pilot, "sitting-adductor-stretch")
        text = footer_text(app)
        assert "! Pain worse" in text and "q Quit" in text and text.rstrip().endswith("? Help")
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "? Help" not in footer_text(app), "Help does not offer itself"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SessionScreen) and session(app).runner.state == "running"


async def test_going_back_and_forth_leaves_one_footer_per_screen(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        for _ in range(5):
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.screen is home
        assert len(home.query(KeyFooter)) == 1 and not home.query(KeyFooter).first().children
        assert footer_text(app).split()[:2] == ["s", "Start"]
