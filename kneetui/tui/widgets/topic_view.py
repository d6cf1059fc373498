"""A titled block of literal paragraphs: one topic, aid or FAQ entry."""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content
from textual.widgets import Static

from kneetui.tui.hanging import Hanging
from kneetui.tui.literal import heading


class TopicView(Static):
    """A heading and its paragraphs; plug-in text is shown literally."""

    DEFAULT_CSS = """
    TopicView { margin-bottom: 1; height: auto; }
    """

    def __init__(self, title: str, paragraphs: Iterable[Content | str], *, id: str | None = None) -> None:
        body = [heading(title), *(part if isinstance(part, Content) else Content(part) for part in paragraphs)]
        super().__init__(Hanging(Content("\n").join(body)), id=id)
