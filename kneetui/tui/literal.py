"""Building styled text in which plug-in text is always literal, never markup."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.text import Text
from textual.content import Content

#: How a search match is shown: underlined and reversed, so it does not rely on colour.
MATCH_STYLE = "bold underline reverse"


def heading(text: str) -> Content:
    return Content.assemble((text, "bold $accent"))


def labelled(label: str, text: str) -> Content:
    """'Label: text' with the label bold and the text literal."""
    return Content.assemble((f"{label}: ", "bold"), text)


def _text(line: object) -> str | Content:
    # Steps and advice are Step and Advice objects; their text is what a person reads.
    return line if isinstance(line, (str, Content)) else str(line)


def bullets(lines: Iterable[object], marker: str = "•") -> Content:
    """One line each (text, Content, or a Step or Advice) after ``marker``."""
    return Content("\n").join(Content.assemble(f"{marker} ", _text(line)) for line in lines)


def numbered(lines: Iterable[object]) -> Content:
    """One line each (text, Content, or a Step or Advice), numbered from 1."""
    return Content("\n").join(
        Content.assemble((f"{number}. ", "bold"), _text(line)) for number, line in enumerate(lines, 1)
    )


def highlight_words(text: str, query_words: Iterable[str], style: str = "") -> Text:
    """``text`` (literal) with every word that starts with one of ``query_words`` highlighted.

    Rich ``Text`` rather than ``Content``: its spans stay on the right letters
    when a long answer wraps.
    """
    highlighted = Text(text, style=style)
    prefixes = sorted({word for word in query_words if word}, key=len, reverse=True)
    if prefixes:
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, prefixes)) + r")\w*", re.IGNORECASE)
        for match in pattern.finditer(text):
            highlighted.stylize(MATCH_STYLE, match.start(), match.end())
    return highlighted
