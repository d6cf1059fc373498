"""The building blocks for a plug-in's own screen: kneetui's clock, drawing and layout in a few lines."""

from __future__ import annotations

from types import SimpleNamespace

from kneetui.api import Category, Dosage, Dose, Drawing, Exercise, Range, hookimpl
from kneetui.engine.clock import FakeClock
from kneetui.screen_kit import ExerciseDrawing, PluginSessionScreen, SessionClock, Stopwatch, clock_face
from kneetui.testing import run_plugin_screen

EXERCISE = Exercise(
    id="kit-hold",
    name="Kit [bold]hold[/bold]",
    summary="s",
    steps=("Hold.",),
    dosage=Dosage(hold_seconds=Range(5, 20)),
    category=Category.STRETCH,
    benefits="b",
    drawing=Drawing(frames=(" o\n/|\\", " o\n ||"), captions=("up", "down")),
)


class KitHoldScreen(PluginSessionScreen):
    def tick(self) -> None:
        left = self.stopwatch.remaining(self.guide.dose.hold_seconds)
        self.clock.show_seconds(left)
        if left == 0:
            self.record("hold", planned=self.guide.dose.hold_seconds, done=self.guide.dose.hold_seconds)
            self.finish()


plugin = SimpleNamespace(
    kneetui_register_exercises=hookimpl(lambda register: register(EXERCISE)),
    kneetui_session_screen=hookimpl(lambda exercise, guide: KitHoldScreen(guide)),
)


def test_the_clock_face_rounds_up_like_kneetuis_own():
    assert [clock_face(s) for s in (0, 0.2, 9.0, 59.5, 65.2, -3)] == ["0:00", "0:01", "0:09", "1:00", "1:06", "0:00"]


def test_the_stopwatch_counts_from_its_start_and_pausing_stops_it():
    clock = FakeClock()
    watch = Stopwatch(clock)
    clock.advance(3)
    watch.pause()
    clock.advance(100)
    assert watch.elapsed() == 3 and watch.paused
    watch.toggle_pause()
    clock.advance(2)
    assert watch.elapsed() == 5 and watch.remaining(4) == 0 and watch.remaining(10) == 5
    watch.restart()
    assert watch.elapsed() == 0


async def test_a_screen_of_a_few_lines_shows_kneetuis_clock_drawing_and_name_literally():
    async with run_plugin_screen(plugin, "kit-hold", name="kit", dose=Dose(hold_seconds=10)) as run:
        assert run.screen.query_one(SessionClock).value == "0:10"
        assert run.screen.query_one(ExerciseDrawing).drawing == EXERCISE.drawing
        assert str(run.screen.query_one("#where").render()) == "Kit [bold]hold[/bold]"
        run.clock.advance(4.5)
        run.screen.tick()
        assert run.screen.clock.value == "0:06"


async def test_space_pauses_the_stopwatch_and_shows_it():
    async with run_plugin_screen(plugin, "kit-hold", name="kit", dose=Dose(hold_seconds=10)) as run:
        await run.pilot.press("space")
        assert run.screen.has_class("-paused") and run.screen.stopwatch.paused
        run.clock.advance(30)
        run.screen.tick()
        assert run.screen.clock.value == "0:10" and not run.guide.finished
        await run.pilot.press("space")
        run.clock.advance(10)
        run.screen.tick()
        assert run.guide.finished


async def test_record_spans_the_block_from_its_start_to_now():
    async with run_plugin_screen(plugin, "kit-hold", name="kit", dose=Dose(hold_seconds=10)) as run:
        started = run.clock.wall()
        run.clock.advance(10)
        run.screen.tick()
        [block] = run.blocks
        assert (block.kind, block.planned, block.done, block.plugin) == ("hold", 10, 10, "kit")
        assert (block.started_at, block.ended_at) == (started, started + 10)
        assert run.recorder.blocks == [(1, block)]


def test_the_base_screen_leaves_pain_worse_and_quit_to_kneetuis_frame():
    keys = {binding.key for binding in PluginSessionScreen.BINDINGS}
    assert keys == {"space"}
