"""The exercise drawing: a still first frame, or key poses in turn, always shown literally.

Time is never waited for: animated drawings use a frame time of an hour, and the
tests step the frames with ``advance()``, which is what the widget's timer calls.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from kneetui.content.model import Drawing
from kneetui.tui.widgets.exercise_drawing import NO_DRAWING, ExerciseDrawing
from kneetui_medial_knee.drawings import DRAWINGS

AN_HOUR = 3600.0
THREE_POSES = Drawing(
    frames=(" o \n/|\\\n/ \\", "\\o/\n | \n/ \\", "_o_\n | \n| |"),
    frame_seconds=AN_HOUR,
    captions=("Stand", "Reach up", "Arms out"),
)


class DrawingApp(App[None]):
    def __init__(self, drawing: Drawing | None, animate: bool, animation_level: str = "full") -> None:
        super().__init__()
        self.animation_level = animation_level
        self.drawing = drawing
        self.animate_drawing = animate

    def compose(self) -> ComposeResult:
        yield ExerciseDrawing(self.drawing, self.animate_drawing)


def run(
    app: DrawingApp,
    check: Callable[[DrawingApp, ExerciseDrawing, Pilot[None]], Awaitable[None]],
    size: tuple[int, int] = (80, 24),
) -> None:
    async def main() -> None:
        async with app.run_test(size=size) as pilot:
            await pilot.pause()
            await check(app, app.query_one(ExerciseDrawing), pilot)

    asyncio.run(main())


def shown(widget: ExerciseDrawing) -> tuple[str, str]:
    """The frame and caption the widget shows, as plain text."""
    frame = widget.query_one(".exercise-drawing--frame", Static).visual
    caption = widget.query_one(".exercise-drawing--caption", Static).visual
    return frame.plain, caption.plain


def test_with_animation_off_the_first_frame_stays():
    async def check(app, widget, pilot):
        assert not widget.animating
        assert shown(widget) == (THREE_POSES.frames[0], "Stand")
        await pilot.pause()
        assert widget.frame_index == 0

    run(DrawingApp(THREE_POSES, animate=False), check)


def test_with_animation_on_the_frames_advance_in_turn_and_wrap_round():
    async def check(app, widget, pilot):
        assert widget.animating
        assert shown(widget) == (THREE_POSES.frames[0], "Stand")
        widget.advance()
        await pilot.pause()
        assert shown(widget) == (THREE_POSES.frames[1], "Reach up")
        widget.advance()
        widget.advance()
        await pilot.pause()
        assert widget.frame_index == 0
        assert shown(widget) == (THREE_POSES.frames[0], "Stand")

    run(DrawingApp(THREE_POSES, animate=True), check)


def test_the_timer_ticks_every_frame_seconds_and_advances():
    scheduled: list[tuple[float, Callable[[], object]]] = []

    class RecordingDrawing(ExerciseDrawing):
        def set_interval(self, interval, callback=None, **options):
            scheduled.append((interval, callback))
            return super().set_interval(AN_HOUR, callback, **options)

    class RecordingApp(DrawingApp):
        def compose(self) -> ComposeResult:
            yield RecordingDrawing(self.drawing, self.animate_drawing)

    cycling = DRAWINGS["gentle-cycling"]

    async def check(app, widget, pilot):
        assert [interval for interval, _ in scheduled] == [cycling.frame_seconds]
        _, tick = scheduled[0]
        tick()
        await pilot.pause()
        assert shown(widget) == (cycling.frames[1], cycling.captions[1])

    run(RecordingApp(cycling, animate=True), check)


def test_textual_animations_none_keeps_the_first_frame_even_when_asked_to_animate():
    async def check(app, widget, pilot):
        assert not widget.animating
        assert shown(widget) == (THREE_POSES.frames[0], "Stand")

    run(DrawingApp(THREE_POSES, animate=True, animation_level="none"), check)


def test_basic_animations_still_animate_the_drawing():
    async def check(app, widget, pilot):
        assert widget.animating

    run(DrawingApp(THREE_POSES, animate=True, animation_level="basic"), check)


def test_turning_animation_off_goes_back_to_the_first_frame_and_on_again_resumes():
    async def check(app, widget, pilot):
        widget.advance()
        widget.set_animate(False)
        await pilot.pause()
        assert not widget.animating
        assert shown(widget) == (THREE_POSES.frames[0], "Stand")
        widget.set_animate(True)
        assert widget.animating

    run(DrawingApp(THREE_POSES, animate=True), check)


def test_animation_can_be_switched_off_before_the_widget_is_shown():
    class StillApp(DrawingApp):
        def compose(self) -> ComposeResult:
            widget = ExerciseDrawing(self.drawing, animate=True)
            widget.set_animate(False)
            yield widget

    async def check(app, widget, pilot):
        assert not widget.animating

    run(StillApp(THREE_POSES, animate=True), check)


def test_a_single_frame_never_animates():
    still = Drawing(frames=("o\n|",), captions=("Stand",))

    async def check(app, widget, pilot):
        assert not widget.animating
        widget.advance()
        assert widget.frame_index == 0

    run(DrawingApp(still, animate=True), check)


def test_an_exercise_without_a_drawing_says_so():
    async def check(app, widget, pilot):
        assert widget.query_one(".exercise-drawing--none", Static).visual.plain == NO_DRAWING
        assert not widget.animating
        widget.advance()
        widget.set_animate(False)

    run(DrawingApp(None, animate=True), check)


def test_markup_in_a_plugin_drawing_is_shown_literally():
    sneaky = Drawing(frames=("[bold red]o[/]\n[link=x]|[/link]",), captions=("[blink]Squeeze[/blink]",))

    async def check(app, widget, pilot):
        frame, caption = shown(widget)
        assert frame.splitlines() == ["[bold red]o[/]  ", "[link=x]|[/link]"]
        assert caption == "[blink]Squeeze[/blink]"
        screenshot = app.export_screenshot()
        assert "[bold&#160;red]o[/]" in screenshot  # the SVG writes spaces as &#160;
        assert "[link=x]|[/link]" in screenshot
        assert "[blink]Squeeze[/blink]" in screenshot

    run(DrawingApp(sneaky, animate=False), check)


def test_control_characters_in_a_plugin_drawing_never_reach_the_terminal():
    escaping = Drawing(frames=("\x1b[2Jo\x07\n|\tx",), captions=("Go\x1b]0;title\x07 on",))

    async def check(app, widget, pilot):
        frame, caption = shown(widget)
        assert "\x1b" not in frame + caption and "\x07" not in frame + caption
        assert frame.splitlines() == ["[2Jo", "| x "]
        assert caption == "Go]0;title on"

    run(DrawingApp(escaping, animate=False), check)


def test_frames_of_different_sizes_and_missing_captions_are_evened_out():
    uneven = Drawing(frames=("o", "\\o/\n |\n/ \\"), captions=("Stand",), frame_seconds=AN_HOUR)

    async def check(app, widget, pilot):
        assert shown(widget) == ("o  \n   \n   ", "Stand")
        widget.advance()
        await pilot.pause()
        assert shown(widget) == ("\\o/\n | \n/ \\", "")

    run(DrawingApp(uneven, animate=True), check)


def test_every_builtin_drawing_fits_a_tiny_terminal_without_crashing():
    oversized = Drawing(frames=("#" * 90 + "\n" * 30,), captions=("A caption far too long " * 5,))

    for drawing in [*DRAWINGS.values(), oversized]:

        async def check(app, widget, pilot, drawing=drawing):
            widget.advance()
            await pilot.pause()
            assert app.export_screenshot()

        run(DrawingApp(drawing, animate=True), check, size=(40, 12))


def test_textual_can_still_animate_the_widget_itself():
    async def check(app, widget, pilot):
        widget.animate("scroll_y", 0.0, duration=0.0)
        await pilot.pause()
        assert widget.scroll_y == 0.0

    run(DrawingApp(THREE_POSES, animate=True), check)
