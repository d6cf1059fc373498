"""Text whose wrapped bullets hang: a bullet's second line starts under its text, not under the bullet.

Textual wraps every line from the left edge, so a long bullet reads as a new
paragraph on a narrow terminal. :class:`Hanging` wraps each line itself,
indenting what follows a line's own indent, a bullet, a number or a
provenance mark by that marker's width, and hands the result to Textual's own :class:`Content`.
"""

from __future__ import annotations

import re

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.selection import Selection
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

#: What a line may start with to hang: its own indent, a bullet, a tick or a number, then a provenance mark.
MARKER = re.compile(r" *(?:(?:[•*✓-]|\d{1,3}[.)]) )?(?:[◆◇○●] )?")


def marker_width(line: str) -> int:
    """How many characters of ``line`` are its marker ('• ◆ ' is 4); 0 when it has none."""
    found = MARKER.match(line)
    width = found.end() if found else 0
    # A marker with nothing after it is the text itself, not a marker.
    return width if width < len(line.rstrip()) else 0


def hang(content: Content, width: int, fixed_indent: int | None = None) -> list[Content]:
    """``content`` wrapped to ``width``, each marked line's continuation indented under its text.

    ``fixed_indent`` fixes the indent of every line instead, for text whose marker is its own (a key, say).
    """
    lines: list[Content] = []
    for line in content.split("\n", allow_blank=True):
        indent = marker_width(line.plain) if fixed_indent is None else fixed_indent
        if indent == 0 or width - indent < 8:
            lines.extend(line.wrap(width) or [line])
            continue
        body = line[indent:].wrap(width - indent) or [Content("")]
        lines.append(line[:indent] + body[0])
        lines.extend(Content.assemble(" " * indent, rest) for rest in body[1:])
    return lines


class Hanging(Visual):
    """A :class:`Visual` of ``content`` in which marked lines wrap with a hanging indent."""

    def __init__(self, content: Content | Text | str, indent: int | None = None) -> None:
        """``indent`` fixes how far every wrapped line hangs; by default each line's marker decides."""
        self.indent = indent
        if isinstance(content, Text):
            content = Content.from_rich_text(content)
        self.content = Content(content) if isinstance(content, str) else content
        self._wrapped: tuple[int, Content] | None = None

    def __str__(self) -> str:
        return self.content.plain

    def wrapped(self, width: int) -> Content:
        """The content with its line breaks put in for ``width``."""
        if self._wrapped is None or self._wrapped[0] != width:
            self._wrapped = (width, Content("\n").join(hang(self.content, max(width, 1), self.indent)))
        return self._wrapped[1]

    def render_strips(self, width: int, height: int | None, style: Style, options: RenderOptions) -> list[Strip]:
        # Selection offsets are in the original text, so a selection drops back to plain wrapping.
        if isinstance(options.selection, Selection):
            return self.content.render_strips(width, height, style, options)
        return self.wrapped(width).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return self.content.get_optimal_width(rules, container_width)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return self.content.get_minimal_width(rules)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.wrapped(width).get_height(rules, width)
