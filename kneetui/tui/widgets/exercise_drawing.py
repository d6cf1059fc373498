"""Shows an exercise's drawing: one key pose and its caption, in turn when animated.

Drawings come from plug-ins, so their text is shown literally (never parsed as
markup) and stripped of control characters before it reaches the terminal.
"""

from __future__ import annotations

import unicodedata

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from kneetui.content.model import Drawing

NO_DRAWING = "No drawing"


class ExerciseDrawing(Widget):
    """A drawing's frames with their captions.

    The frames change every ``drawing.frame_seconds`` only when ``animate`` is
    true and the app's animation level is not ``"none"`` (``TEXTUAL_ANIMATIONS=none``);
    otherwise the first frame stays, because it tells the story on its own.
    """

    DEFAULT_CSS = """
    ExerciseDrawing {
        width: auto;
        max-width: 100%;
        height: auto;
    }
    ExerciseDrawing > .exercise-drawing--frame {
        width: auto;
        text-wrap: nowrap;
        text-overflow: clip;
        color: $text;
    }
    ExerciseDrawing > .exercise-drawing--caption {
        width: auto;
        max-width: 100%;
        color: $text-muted;
        text-style: italic;
    }
    ExerciseDrawing > .exercise-drawing--none {
        width: auto;
        color: $text-muted;
    }
    """

    def __init__(
        self,
        drawing: Drawing | None,
        animate: bool,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.drawing = drawing
        self._frames = _even_frames(drawing.frames) if drawing else ()
        self._captions = _captions_for(drawing, len(self._frames))
        self._frame_seconds = drawing.frame_seconds if drawing else 0.0
        self._wants_animation = animate
        self._frame_index = 0
        self._timer: Timer | None = None

    @property
    def frame_index(self) -> int:
        """Which frame is showing, counting from 0."""
        return self._frame_index

    @property
    def animating(self) -> bool:
        """Whether the frames are currently changing on their own."""
        return self._timer is not None

    def compose(self) -> ComposeResult:
        if not self._frames:
            yield Static(Text(NO_DRAWING), classes="exercise-drawing--none")
            return
        yield Static(self._frame_text(), classes="exercise-drawing--frame")
        yield Static(self._caption_text(), classes="exercise-drawing--caption")

    def on_mount(self) -> None:
        # One width for every frame and caption, so the drawing keeps still beside the clock
        # instead of moving sideways as captions of different lengths take turns.
        if self._frames:
            widest_caption = max((cell_len(caption) for caption in self._captions), default=0)
            self.styles.width = max(cell_len(self._frames[0].split("\n")[0]), widest_caption)
        self._sync_timer()

    def set_animate(self, animate: bool) -> None:
        """Start or stop cycling the frames; stopping goes back to the first frame."""
        self._wants_animation = animate
        if self.is_mounted:
            self._sync_timer()

    def advance(self) -> None:
        """Show the next frame (after the last comes the first again)."""
        if len(self._frames) < 2:
            return
        self._show(self._frame_index + 1)

    def _sync_timer(self) -> None:
        should_animate = self._wants_animation and len(self._frames) > 1 and self.app.animation_level != "none"
        if should_animate and self._timer is None:
            self._timer = self.set_interval(self._frame_seconds, self.advance, name="exercise-drawing")
        elif not should_animate:
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            self._show(0)

    def _show(self, index: int) -> None:
        if not self._frames:
            return
        self._frame_index = index % len(self._frames)
        if self.is_mounted:
            self.query_one(".exercise-drawing--frame", Static).update(self._frame_text(), layout=False)
            self.query_one(".exercise-drawing--caption", Static).update(self._caption_text())

    def _frame_text(self) -> Text:
        return Text(self._frames[self._frame_index], no_wrap=True, overflow="crop")

    def _caption_text(self) -> Text:
        return Text(self._captions[self._frame_index])


def _printable(text: str) -> str:
    """``text`` without control characters (escape codes could steer the terminal)."""
    text = text.replace("\t", " ")
    return "".join(char for char in text if char == "\n" or unicodedata.category(char) != "Cc")


def _even_frames(frames: tuple[str, ...]) -> tuple[str, ...]:
    """Frames padded to one width and height, so the widget keeps still as they change."""
    lines = [_printable(frame).split("\n") for frame in frames]
    height = max((len(frame) for frame in lines), default=0)
    width = max((cell_len(line) for frame in lines for line in frame), default=0)
    return tuple(
        "\n".join(line + " " * (width - cell_len(line)) for line in frame + [""] * (height - len(frame)))
        for frame in lines
    )


def _captions_for(drawing: Drawing | None, count: int) -> tuple[str, ...]:
    """One single-line caption per frame; a missing caption is empty."""
    captions = drawing.captions if drawing else ()
    given = [" ".join(_printable(caption).split()) for caption in captions[:count]]
    return tuple(given + [""] * (count - len(given)))
