"""The example plug-in's own tests, written with kneetui.testing as any plug-in author would."""

from __future__ import annotations

import kneetui_paced_bends
from kneetui_paced_bends.metronome import Metronome
from kneetui_paced_bends.screen import BEATS_PER_BEND

from kneetui.testing import assert_plugin_valid, run_plugin_screen


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def now(self) -> float:
        return self.t


def test_the_plugin_contributes_a_valid_exercise():
    loaded = assert_plugin_valid(kneetui_paced_bends, name="paced-bends")
    assert loaded.catalog.exercise("paced-knee-bends").dosage.reps.low == 10


def test_the_metronome_counts_from_its_start_and_pausing_keeps_its_place():
    clock = Clock()
    metronome = Metronome(clock, 1.0)
    clock.t = 3.99
    assert metronome.beats() == 3
    metronome.toggle_pause()
    clock.t = 100
    assert metronome.beats() == 3
    metronome.toggle_pause()
    clock.t = 101.0
    assert metronome.beats() == 4


async def test_the_screen_paces_every_bend_and_records_the_set():
    async with run_plugin_screen(kneetui_paced_bends, "paced-knee-bends", name="paced-bends") as run:
        assert "DOWN" in str(run.screen.query_one("#phase-title").render())
        for _ in range(2 * BEATS_PER_BEND):
            run.clock.advance(1.0)
            run.screen.tick()
        assert run.screen.clock.value == "2"
        for _ in range(8 * BEATS_PER_BEND):
            run.clock.advance(1.0)
            run.screen.tick()
        assert run.guide.finished
        assert [(block.planned, block.done) for _, block in run.recorder.blocks] == [(10, 10)]


async def test_pain_worse_stops_and_keeps_the_bends_done():
    async with run_plugin_screen(kneetui_paced_bends, "paced-knee-bends", name="paced-bends") as run:
        for _ in range(3 * BEATS_PER_BEND):
            run.clock.advance(1.0)
            run.screen.tick()
        await run.pilot.press("exclamation_mark")
        assert run.guide.stopped
        assert run.recorder.blocks[0][1].done == 3


async def test_pausing_stops_the_beat_and_shows_it():
    async with run_plugin_screen(kneetui_paced_bends, "paced-knee-bends") as run:
        run.clock.advance(1.0 * BEATS_PER_BEND)
        run.screen.tick()
        await run.pilot.press("space")
        assert run.screen.has_class("-paused")
        run.clock.advance(60)
        run.screen.tick()
        assert run.screen.clock.value == "1" and not run.guide.finished
