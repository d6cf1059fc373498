"""kneetui's big session clock: three rows high, readable across a room, cheap to keep counting."""

from __future__ import annotations

import math

from textual.app import RenderResult
from textual.geometry import Region, Size
from textual.renderables.digits import Digits as DigitsRenderable
from textual.widget import Widget


def clock_face(seconds: float) -> str:
    """Whole seconds, rounded up, as ``m:ss``: what kneetui's clock shows (``clock_face(65.2) == "1:06"``)."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def changed_columns(old: str, new: str) -> list[tuple[int, int]]:
    """``(first cell, width)`` of each character of ``new`` that differs from ``old``, when both have the same
    layout; ``[]`` when they do not (the whole clock must be drawn again)."""
    if len(old) != len(new) or DigitsRenderable.get_width(old) != DigitsRenderable.get_width(new):
        return []
    spans = []
    x = 0
    for before, after in zip(old, new, strict=True):
        width = DigitsRenderable.get_width(after)
        if DigitsRenderable.get_width(before) != width:
            return []
        if before != after:
            spans.append((x, width))
        x += width
    return spans


class SessionClock(Widget):
    """kneetui's big session clock: :meth:`show_seconds` for time left, :meth:`show_count` for reps.

    Three rows of large digits, as Textual's ``Digits`` draws them; it is drawn again
    only when the face changes, and then only from its left edge to the last digit
    that changed (Textual sends a widget's line from its start).
    """

    DEFAULT_CSS = """
    SessionClock { width: auto; height: 3; }
    """

    def __init__(self, value: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._face = value

    @property
    def value(self) -> str:
        """What the clock shows."""
        return self._face

    def show_seconds(self, seconds: float) -> None:
        """Show ``seconds`` as ``m:ss``, rounded up, as kneetui's own clock does."""
        self._show(clock_face(seconds))

    def show_count(self, count: int) -> None:
        """Show a whole number, such as the reps done."""
        self._show(str(int(count)))

    def _show(self, text: str) -> None:
        # Redraw only when the face changes: over SSH every redraw costs bytes.
        if self._face != text:
            self.update(text)

    def update(self, value: str) -> None:
        """Show ``value`` (digits, ``:`` and a few signs), marking only the changed digits to be drawn again."""
        spans = changed_columns(self._face, value)
        self._face = value
        if not spans or not self.size:
            self.refresh(layout=True)
        else:
            self.refresh(*(Region(x, 0, width, self.size.height) for x, width in spans))

    def render(self) -> RenderResult:
        return DigitsRenderable(self._face, self.rich_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return DigitsRenderable.get_width(self._face)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 3
