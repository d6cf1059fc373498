"""How far through the session the person is: a bar whose cells change only when its filled width does."""

from __future__ import annotations

import math

from textual.content import Content
from textual.geometry import Region
from textual.widget import Widget

FILLED = "━"
EMPTY = "─"


def filled_cells(progress: float, width: int) -> int:
    """Whole cells of a ``width``-cell bar filled at ``progress`` (0 to 1)."""
    return max(0, min(width, math.floor(progress * width + 1e-9)))


class SessionProgress(Widget):
    """A one-line bar of the whole session's progress.

    Textual's ``ProgressBar`` redraws its whole line on every change and runs a
    timer of its own every second; this one draws again only the cells that
    turned from empty to filled (or back), which during a hold is a cell or two
    every few seconds.
    """

    DEFAULT_CSS = """
    SessionProgress { height: 1; width: 1fr; max-width: 60; color: $primary; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._progress = 0.0
        self._filled = 0

    @property
    def progress(self) -> float:
        """The progress shown, from 0 to 1."""
        return self._progress

    def update(self, progress: float) -> None:
        """Show ``progress`` (0 to 1); cells are drawn again only where the filled width changed."""
        self._progress = max(0.0, min(1.0, progress))
        filled = filled_cells(self._progress, self.size.width)
        if filled != self._filled:
            low, high = sorted((self._filled, filled))
            self._filled = filled
            self.refresh(Region(low, 0, high - low, 1))

    def on_resize(self) -> None:
        self._filled = filled_cells(self._progress, self.size.width)

    def render(self) -> Content:
        width = self.size.width
        filled = filled_cells(self._progress, width)
        return Content.assemble(FILLED * filled, (EMPTY * (width - filled), "dim"))
