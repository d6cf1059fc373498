"""What a person sees on a plug-in's screen built from kneetui.screen_kit (review the report before updating)."""

from __future__ import annotations

import importlib

import pytest
from textual.app import App

from kneetui.api import FakeClock, SessionGuide
from kneetui.engine.recording import MemoryRecorder, SessionStart


def kit_hold_app() -> App[None]:
    plugin = importlib.import_module("fixture_plugins.kit_hold")
    clock, recorder = FakeClock(), MemoryRecorder()
    session_id = recorder.start_session(SessionStart(clock.wall(), None, ("kit-hold",)))
    exercise = plugin.EXERCISE
    guide = SessionGuide(
        exercise=exercise,
        dose=exercise.dosage.lowest(),
        clock=clock,
        recorder=recorder,
        session_id=session_id,
        plugin="kit-hold",
        animations=False,
    )
    screen = plugin.kneetui_session_screen(exercise=exercise, guide=guide)

    class Harness(App[None]):
        def on_mount(self) -> None:
            self.push_screen(screen)

    app = Harness()
    app.guide = guide
    return app


@pytest.mark.parametrize("size", [(80, 24), (40, 12)])
def test_a_screen_kit_hold_looks_like_kneetuis_own_session(snap_compare, size):
    app = kit_hold_app()

    async def seven_seconds_in(pilot):
        await pilot.pause()
        app.guide.clock.advance(7.5)
        app.screen.tick()
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=seven_seconds_in)
