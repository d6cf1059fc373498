"""kneetui's big session clock: two rows of half blocks, readable across a room, cheap to keep counting."""

from __future__ import annotations

import math

from rich.segment import Segment
from rich.style import Style
from textual.app import ComposeResult
from textual.geometry import Region, Size
from textual.strip import Strip
from textual.widget import Widget

#: Each character two rows high, drawn with half and full blocks (four "pixels" high, three wide).
#: Two rows rather than Textual's three ``Digits`` rows: a second that passes changes at most two
#: rows of one digit, and a block character needs no bold to look bold.
FONT: dict[str, tuple[str, str]] = {
    "0": ("█▀█", "█▄█"),
    "1": ("▀█ ", "▄█▄"),
    "2": ("▀▀█", "█▄▄"),
    "3": ("▀▀█", "▄██"),
    "4": ("█ █", "▀▀█"),
    "5": ("█▀▀", "▄▄█"),
    "6": ("█▄▄", "█▄█"),
    "7": ("▀▀█", "  █"),
    "8": ("█▀█", "█▀█"),
    "9": ("█▀█", "▀▀█"),
    ":": ("▀", "▀"),
    ".": (" ", "▄"),
    "-": ("▄▄", "  "),
    "+": ("▄█▄", " ▀ "),
    " ": (" ", " "),
}
ROWS = 2
#: A blank column after each character: letters need room between them to be read from afar, and a
#: changed row then ends inside the character's own widget, so Textual sends only its glyph cells.
GAP = 1


def clock_face(seconds: float) -> str:
    """Whole seconds, rounded up, as ``m:ss``: what kneetui's clock shows (``clock_face(65.2) == "1:06"``)."""
    whole = max(0, math.ceil(seconds - 1e-9))
    return f"{whole // 60}:{whole % 60:02d}"


def glyph_rows(character: str) -> tuple[str, str]:
    """The two rows of ``character`` in the clock's font; a character not in it is shown as itself."""
    return FONT.get(character, (character, " " * len(character)))


def glyph_width(character: str) -> int:
    return len(glyph_rows(character)[0])


class ClockCharacter(Widget):
    """One character of the big clock: its own widget, so that Textual sends it alone when it changes."""

    DEFAULT_CSS = """
    ClockCharacter { width: auto; height: 2; }
    """

    def __init__(self, character: str) -> None:
        super().__init__()
        self.character = character

    def show(self, character: str) -> None:
        """Show ``character`` (of the same width), marking only the rows that look different."""
        if character == self.character:
            return
        before, after = glyph_rows(self.character), glyph_rows(character)
        self.character = character
        if not self.size:
            self.refresh()
            return
        # The region stops before the gap, which never changes (see GAP).
        width = min(glyph_width(character), self.size.width)
        changed = [
            Region(0, row, width, 1) for row, (old, new) in enumerate(zip(before, after, strict=True)) if old != new
        ]
        if changed:
            self.refresh(*changed)

    def render_line(self, y: int) -> Strip:
        rows = glyph_rows(self.character)
        text = rows[y] if 0 <= y < len(rows) else ""
        width = self.size.width
        # Colours only: a block is as heavy without bold (which focus passes down), and each
        # changed row then starts with a shorter escape code.
        style = Style.from_color(self.rich_style.color, self.rich_style.bgcolor)
        return Strip([Segment(text.ljust(width)[:width], style)], width)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return glyph_width(self.character) + GAP

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return ROWS


def same_layout(old: str, new: str) -> bool:
    """Whether ``new`` has a character of the same width wherever ``old`` has one."""
    return len(old) == len(new) and all(glyph_width(a) == glyph_width(b) for a, b in zip(old, new, strict=True))


class SessionClock(Widget):
    """kneetui's big session clock: :meth:`show_seconds` for time left, :meth:`show_count` for reps.

    Two rows of large block digits. Each character is a widget of its own and
    only the rows of the digits that changed are sent (``0:14`` to ``0:13``
    sends the last digit's changed rows), so a countdown over SSH costs a few
    cells a second.
    """

    DEFAULT_CSS = """
    SessionClock { width: auto; height: 2; layout: horizontal; }
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
