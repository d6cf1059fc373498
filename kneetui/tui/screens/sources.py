"""Sources: every citation, with the items that cite it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kneetui.content.model import Source
from kneetui.tui.literal import labelled
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.topic_view import TopicView

KIND_NAMES = {"exercises": "Exercises", "aids": "Aids", "faq": "FAQ", "topics": "Topics", "programs": "Programmes"}


def cited_by(items: Iterable[tuple[str, object]]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The items citing a source, as (kind, labels) in a fixed order, so equal lists compare equal."""
    grouped: dict[str, list[str]] = defaultdict(list)
    for kind, item in items:
        grouped[kind].append(item_label(item))
    return tuple((kind, tuple(labels)) for kind, labels in grouped.items())


def item_label(item: object) -> str:
    for name in ("name", "title", "question"):
        label = getattr(item, name, None)
        if isinstance(label, str):
            return label
    return str(getattr(item, "id", "?"))


class SourcesScreen(SectionScreen):
    """Each source, then what cites it, grouped by kind."""

    SECTION_TITLE = "Sources"

    def compose_body(self) -> ComposeResult:
        catalog = self.app.catalog
        citing = {source.id: cited_by(catalog.citing(source.id)) for source in catalog.sources}
        with VerticalScroll(classes="section-body", id="sources-scroll"):
            yield Static(
                "The built-in content follows an English-language article on medial knee pain (the source "
                "article). It lists the Danish sources below for its text as a whole, so every item taken "
                "from it cites all of them. What kneetui adds of its own cites none.",
                classes="item",
                markup=False,
            )
            # Sources cited by the very same items are listed together, with what cites them said once.
            groups: dict[tuple[tuple[str, tuple[str, ...]], ...], list[Source]] = defaultdict(list)
            for source in catalog.sources:
                groups[citing[source.id]].append(source)
            for cited, sources in groups.items():
                for source in sources:
                    parts = [labelled("Publisher", source.publisher)] if source.publisher else []
                    if source.url:
                        parts.append(labelled("Address", source.url))
                    yield TopicView(source.citation, parts)
                together = "each of the sources above" if len(sources) > 1 else "this source"
                lines = [
                    labelled(f"{KIND_NAMES.get(kind, kind)} ({len(labels)})", "; ".join(labels))
                    for kind, labels in cited
                ]
                heading_line = Content.styled(
                    f"Cited by {together}:" if lines else f"Nothing cites {together}.", "bold"
                )
                yield Static(Content("\n").join([heading_line, *lines]), classes="item cited-by")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sources-scroll").focus()
