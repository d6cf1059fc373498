"""How far through the session the person is: a bar whose cells change only when its filled width does."""

from __future__ import annotations

import math

from textual.app import ComposeResult
from textual.content import Content
from textual.widget import Widget

FILLED = "━"
EMPTY = "─"
#: The bar is drawn in this many pieces; Textual sends a changed piece from its own left edge,
#: so a cell that fills costs at most a tenth of the bar, not everything filled before it.
PIECES = 10


def filled_cells(progress: float, width: int) -> int:
    """Whole cells of a ``width``-cell bar filled at ``progress`` (0 to 1)."""
    return max(0, min(width, math.floor(progress * width + 1e-9)))


class ProgressPiece(Widget):
    """A tenth of the bar, filled from the left by its share of the progress."""

    DEFAULT_CSS = """
    ProgressPiece { width: 1fr; height: 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.fill = 0.0
        self._filled = 0

    def show(self, fill: float) -> None:
        """Fill ``fill`` (0 to 1) of this piece; drawn again only when a cell changes."""
        self.fill = fill
        filled = filled_cells(fill, self.size.width)
        if filled != self._filled:
            self._filled = filled
            self.refresh()

    def render(self) -> Content:
        width = self.size.width
        self._filled = filled = filled_cells(self.fill, width)
        return Content.assemble(FILLED * filled, (EMPTY * (width - filled), "dim"))


class SessionProgress(Widget):
    """A one-line bar of the whole session's progress.

    Textual's ``ProgressBar`` redraws its whole line on every change and runs a
    timer of its own every second; this one draws again only the piece whose
    filled cells changed, which during a hold is a few cells every few seconds.
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
        for _ in range(PIECES):
            yield ProgressPiece()

    def update(self, progress: float) -> None:
        """Show ``progress`` (0 to 1)."""
        self._progress = max(0.0, min(1.0, progress))
        for index, piece in enumerate(self.query_children(ProgressPiece)):
            piece.show(max(0.0, min(1.0, self._progress * PIECES - index)))
