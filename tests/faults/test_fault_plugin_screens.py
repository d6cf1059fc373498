"""A plug-in's own session screen that hangs or fails to draw: kneetui closes it and guides on."""

from __future__ import annotations

import sys

import pytest
from fault_helpers import back_on_kneetuis_session, notices, start_exercise, wait_until

from kneetui.engine.clock import FakeClock
from kneetui.history.store import HistoryStore
from kneetui.storage.config import Settings


def settings(**changes) -> Settings:
    return Settings(safety_acknowledged=True, get_ready_seconds=0, **changes)


async def test_an_endless_loop_in_a_plugin_screens_timer_is_interrupted_and_kneetui_guides_on(make_app):
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = make_app("hanging_screen", settings=settings(plugin_screen_timeout_seconds=0.3), clock=clock, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_exercise(pilot, "endless-hold")
        await wait_until(pilot, lambda: back_on_kneetuis_session(app), timeout=10, what="kneetui's own screen back")
        assert app.is_running
        assert "PluginScreenTimeout: it stopped responding" in notices(app)
        screen = app.screen
        assert screen.runner.phase.kind == "hold"
        clock.advance(10)
        screen.tick()
        await pilot.pause()
        assert history.sessions()[0].blocks[0].done == 10, "kneetui guided the hold to its end"


@pytest.mark.parametrize("how", ["compose", "render"])
async def test_a_plugin_screen_that_fails_while_drawing_is_closed_and_kneetui_guides_on(make_app, how):
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = make_app("failing_draw", settings=settings(), clock=clock, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_exercise(pilot, f"fails-in-{how}")
        await wait_until(pilot, lambda: back_on_kneetuis_session(app), what="kneetui's own screen back")
        assert app.is_running
        assert "cannot compose itself" in notices(app) or "cannot draw itself" in notices(app)
        clock.advance(10)
        app.screen.tick()
        await pilot.pause()
        assert history.sessions()[0].blocks[0].done == 10


LATE_RAISER = """
from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


FIRED = []


def late(app):
    FIRED.append(True)
    raise RuntimeError("a callback the plug-in left behind")


@hookimpl
def kneetui_register_exercises(register):
    register(Exercise("late-hold", "Late hold", "s", ("Hold.",), Dosage(hold_seconds=Range(10, 20)), Category.STRETCH, "b"))


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widgets import Static

    class LateScreen(Screen):
        def compose(self):
            yield Static("Holding...")

        def on_mount(self):
            # On the app, so it outlives the screen: it fires after kneetui closed it.
            self.app.set_timer(0.3, lambda: late(self.app))
            self.set_timer(0.01, self.explode)

        def explode(self):
            raise ZeroDivisionError("the plug-in's timer broke")

    return LateScreen()
"""


async def test_a_user_folder_plugins_callback_that_raises_after_its_screen_closed_is_contained(tmp_path):
    from kneetui.plugin_host.loader import load_plugins
    from kneetui.storage.config import LoadedSettings
    from kneetui.tui.app import KneeApp

    (tmp_path / "late_raiser.py").write_text(LATE_RAISER)
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = KneeApp(load_plugins(tmp_path), LoadedSettings(settings()), clock=clock, history=history, save=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await start_exercise(pilot, "late-hold")
        await wait_until(pilot, lambda: back_on_kneetuis_session(app), what="kneetui's own screen back")
        plugin_module = sys.modules["kneetui_user_plugin_late_raiser"]
        await wait_until(pilot, lambda: plugin_module.FIRED, what="the left-behind callback fired")
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert back_on_kneetuis_session(app), "its error did not close kneetui's own session"
        clock.advance(10)
        app.screen.tick()
        await pilot.pause()
        assert history.sessions()[0].blocks[0].done == 10
