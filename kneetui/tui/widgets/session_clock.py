"""kneetui's big session clock: three rows high, readable across a room, cheap to keep counting."""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult, RenderResult
from textual.geometry import Region, Size
from textual.renderables.digits import Digits as DigitsRenderable
from textual.widget import Widget


def clock_face(seconds: float) -> str:
    """Whole seconds, rounded up, as ``m:ss``: what kneetui's clock shows (``clock_face(65.2) == "1:06"``)."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def glyph_rows(character: str, bold: bool) -> tuple[str, ...]:
    """The three rows of ``character`` as Textual's ``Digits`` draws it."""
    rendered = DigitsRenderable(character).render(Style(bold=bold))
    return tuple(part.text for part in rendered if isinstance(part, Segment) and part.text != "\n")


class ClockCharacter(Widget):
    """One character of the big clock: its own widget, so that Textual sends it alone when it changes."""

    DEFAULT_CSS = """
    ClockCharacter { width: auto; height: 3; }
    """

    def __init__(self, character: str) -> None:
        super().__init__()
        self.character = character

    def show(self, character: str) -> None:
        """Show ``character`` (of the same width), marking only the rows that look different."""
        if character == self.character:
            return
        bold = bool(self.rich_style.bold)
        before, after = glyph_rows(self.character, bold), glyph_rows(character, bold)
        self.character = character
        if not self.size or len(before) != len(after):
            self.refresh()
            return
        changed = [
            Region(0, row, self.size.width, 1)
            for row, (old, new) in enumerate(zip(before, after, strict=True))
            if old != new
        ]
        if changed:
            self.refresh(*changed)

    def render(self) -> RenderResult:
        return DigitsRenderable(self.character, self.rich_style)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return DigitsRenderable.get_width(self.character)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 3


def same_layout(old: str, new: str) -> bool:
    """Whether ``new`` has a character of the same width wherever ``old`` has one."""
    return len(old) == len(new) and all(
        DigitsRenderable.get_width(a) == DigitsRenderable.get_width(b) for a, b in zip(old, new, strict=True)
    )


class SessionClock(Widget):
    """kneetui's big session clock: :meth:`show_seconds` for time left, :meth:`show_count` for reps.

    Three rows of large digits, as Textual's ``Digits`` draws them. Each character
    is a widget of its own and only the rows of the digits that changed are sent
    (``0:14`` to ``0:13`` sends the last digit's changed rows), so a countdown over
    SSH costs a few cells a second.
    """

    DEFAULT_CSS = """
    SessionClock { width: auto; height: 3; layout: horizontal; }
    """

    def __init__(self, value: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._face = value

    @property
    def value(self) -> str:
        """What the clock shows."""
        return self._face

    def compose(self) -> ComposeResult:
        for character in self._face:
            yield ClockCharacter(character)

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
        """Show ``value`` (digits, ``:`` and a few signs); only the characters that changed are drawn again."""
        old, self._face = self._face, value
        characters = list(self.query_children(ClockCharacter))
        if not same_layout(old, value) or len(characters) != len(value):
            self.refresh(recompose=True)
            return
        for widget, character in zip(characters, value, strict=True):
            widget.show(character)
