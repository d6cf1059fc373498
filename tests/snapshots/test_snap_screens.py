"""What a person sees on every screen, as SVG snapshots (review the report before updating)."""

from __future__ import annotations

import pytest

from kneetui.engine.clock import FakeClock
from kneetui.history.store import open_history_store
from kneetui.storage.config import Settings

STILL = {"safety_acknowledged": True, "animations": False, "flash": False, "get_ready_seconds": 3}
SECTION_KEYS = {
    "library": ["e"],
    "exercise-detail": ["e", "enter"],
    "learn": ["l"],
    "aids": ["a"],
    "faq": ["f"],
    "faq-search": ["f", *"swelling"],
    "sources": ["c"],
    "plugins": ["p"],
    "settings": ["o"],
    "help": ["question_mark"],
    "safety-notice": ["exclamation_mark"],
}


def still_app(make_app, *plugins, **settings):
    return make_app(
        *plugins, settings=Settings(**{**STILL, **settings}), clock=FakeClock(), history=open_history_store().store
    )


def test_home(make_app, snap_compare):
    assert snap_compare(still_app(make_app), terminal_size=(80, 24))


def test_first_run_safety_notice(make_app, snap_compare):
    assert snap_compare(still_app(make_app, safety_acknowledged=False), terminal_size=(80, 24))


@pytest.mark.parametrize("name", SECTION_KEYS)
def test_section_at_80x24(make_app, snap_compare, name):
    assert snap_compare(still_app(make_app), terminal_size=(80, 24), press=SECTION_KEYS[name])


@pytest.mark.parametrize("name", ["home", "library", "learn", "aids", "faq", "sources", "plugins", "settings", "help"])
def test_small_terminal_40x12(make_app, snap_compare, name):
    assert snap_compare(still_app(make_app), terminal_size=(40, 12), press=SECTION_KEYS.get(name, []))


def test_plugin_failure_and_literal_markup(make_app, snap_compare):
    app = still_app(make_app, "broken_import", "markup_text")

    async def open_library(pilot):
        app.clear_notifications()
        await pilot.press("e")

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_library)


async def start_exercise(pilot, exercise_id: str, pain: str = "2") -> None:
    """Choose the low dose of ``exercise_id`` and answer the safety questions: pain, no, no."""
    pilot.app.action_guide_exercise(exercise_id)
    await pilot.pause()
    await pilot.press("enter", *pain, "enter", "n", "n")
    await pilot.pause()


async def into_the_left_hold(pilot) -> None:
    app = pilot.app
    await start_exercise(pilot, "sitting-adductor-stretch")
    app.clock.advance(3 + 5.5)
    app.screen.tick()
    app.clear_notifications()
    await pilot.pause()


def test_session_hold_on_the_left_side(make_app, snap_compare):
    assert snap_compare(still_app(make_app), terminal_size=(80, 24), run_before=into_the_left_hold)


def test_session_safety_check(make_app, snap_compare):
    app = still_app(make_app)
    assert snap_compare(app, terminal_size=(80, 24), press=["s"])


def test_session_stopped_for_pain(make_app, snap_compare):
    app = still_app(make_app)

    async def stop(pilot):
        app.action_guide_exercise("adductor-squeeze")
        await pilot.pause()
        await pilot.press("enter", "2", "enter", "n", "n")
        app.clock.advance(3.5)
        app.screen.tick()
        await pilot.press("enter", "enter", "exclamation_mark")
        await pilot.pause()
        await pilot.press("5", "enter")
        await pilot.pause()
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(80, 24), run_before=stop)


@pytest.fixture
def utc(monkeypatch):
    """Dates on screen read the same on every machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_home_after_a_stop_for_pain(make_app, snap_compare, utc):
    app = still_app(make_app, get_ready_seconds=0)

    async def stop_then_go_home(pilot):
        await start_exercise(pilot, "wall-slides")
        await pilot.press(*["enter"] * 10)
        await pilot.press("3", "enter")  # the check after the last exercise: a rise of 1
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(80, 24), run_before=stop_then_go_home)


def test_a_pain_check_shows_the_starting_score_and_the_rule(make_app, snap_compare):
    app = still_app(make_app, get_ready_seconds=0)

    async def reach_the_check(pilot):
        await start_exercise(pilot, "wall-slides", pain="4")
        await pilot.press(*["enter"] * 10)
        await pilot.pause()
        app.clear_notifications()

    assert snap_compare(app, terminal_size=(80, 24), run_before=reach_the_check)


def test_session_at_40x12_keeps_what_to_do_the_clock_and_how_to_stop(make_app, snap_compare):
    assert snap_compare(still_app(make_app), terminal_size=(40, 12), run_before=into_the_left_hold)


def test_safety_check_at_40x12_shows_the_whole_scale(make_app, snap_compare):
    assert snap_compare(still_app(make_app), terminal_size=(40, 12), press=["s"])
