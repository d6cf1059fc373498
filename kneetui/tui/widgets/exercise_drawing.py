"""Shows an exercise's drawing: its first frame (the still image) and caption."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from kneetui.content.model import Drawing


class ExerciseDrawing(Static):
    """The still first frame of a drawing, shown literally."""

    DEFAULT_CSS = """
    ExerciseDrawing { height: auto; border: round $secondary; padding: 0 1; }
    """

    def __init__(self, drawing: Drawing | None, animate: bool = False) -> None:
        super().__init__()
        self.drawing = drawing

    def on_mount(self) -> None:
        if self.drawing is None:
            self.update(Text("No drawing"))
            return
        caption = self.drawing.captions[0] if self.drawing.captions else ""
        self.update(Text(self.drawing.frames[0] + ("\n" + caption if caption else "")))
