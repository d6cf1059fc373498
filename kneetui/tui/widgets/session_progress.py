"""How far through the session the person is: a bar of twenty pieces, each drawn only when it fills."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget

FILLED = "━"
EMPTY = "─"
#: One piece per 5% of the session. Textual sends a changed widget's line from its left edge,
#: so a piece that fills sends its own few cells and nothing else of the bar.
PIECES = 20


def filled_pieces(progress: float) -> int:
    """How many of the bar's pieces are filled at ``progress`` (0 to 1)."""
    return max(0, min(PIECES, math.floor(progress * PIECES + 1e-9)))


class ProgressPiece(Widget):
    """One twentieth of the bar: filled or not."""

    DEFAULT_CSS = """
    ProgressPiece { width: 1fr; height: 1; }
    ProgressPiece.-empty { color: $foreground 30%; }
    """

    def render(self) -> Content:
        return Content((EMPTY if self.has_class("-empty") else FILLED) * self.size.width)


class SessionProgress(Widget):
    """A one-line bar of the whole session's progress, in 5% pieces.

    Textual's ``ProgressBar`` redraws its whole line on every change and runs a
    timer of its own every second; here only the piece that fills is drawn
    again, once per 5% of the session.
    """

    DEFAULT_CSS = """
    SessionProgress { height: 1; width: 1fr; max-width: 60; layout: horizontal; color: $primary; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._progress = 0.0

    @property
    def progress(self) -> float:
        """The progress shown, from 0 to 1."""
        return self._progress

    def compose(self) -> ComposeResult:
        filled = filled_pieces(self._progress)
        for index in range(PIECES):
            yield ProgressPiece(classes="" if index < filled else "-empty")

    def update(self, progress: float) -> None:
        """Show ``progress`` (0 to 1); only pieces that change are drawn again."""
        self._progress = max(0.0, min(1.0, progress))
        filled = filled_pieces(self._progress)
        for index, piece in enumerate(self.query_children(ProgressPiece)):
            piece.set_class(index >= filled, "-empty")
