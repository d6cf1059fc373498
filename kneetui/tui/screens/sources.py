"""Sources: every citation, with the items that cite it."""

from __future__ import annotations

from collections import defaultdict

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from kneetui.tui.literal import labelled
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.topic_view import TopicView

KIND_NAMES = {"exercises": "Exercises", "aids": "Aids", "faq": "FAQ", "topics": "Topics", "programs": "Programmes"}


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
        with VerticalScroll(classes="section-body", id="sources-scroll"):
            yield Static(
                "The built-in content follows an article on medial knee pain, which lists these "
                "sources for its text as a whole.",
                classes="item",
                markup=False,
            )
            for source in catalog.sources:
                cited: dict[str, list[str]] = defaultdict(list)
                for kind, item in catalog.citing(source.id):
                    cited[kind].append(item_label(item))
                parts = [labelled("Publisher", source.publisher)] if source.publisher else []
                if source.url:
                    parts.append(labelled("Address", source.url))
                for kind, labels in cited.items():
                    parts.append(labelled(f"Cited by {KIND_NAMES.get(kind, kind)} ({len(labels)})", "; ".join(labels)))
                if not cited:
                    parts.append(Content("Not cited by any item."))
                yield TopicView(source.citation, parts)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#sources-scroll").focus()
