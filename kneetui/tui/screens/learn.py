"""Learn: the causes, acute versus chronic approaches, and when to seek help."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static, TabbedContent, TabPane

from kneetui.content.model import TopicKind
from kneetui.tui.screens.base import SectionScreen
from kneetui.tui.widgets.topic_view import TopicView

#: The tabs, in order, and which topics each holds.
TABS = (
    (TopicKind.CAUSE, "Causes"),
    (TopicKind.APPROACH, "Acute vs chronic"),
    (TopicKind.SAFETY, "Seek help"),
    (TopicKind.ABOUT, "About"),
)


class LearnScreen(SectionScreen):
    """Education topics in tabs; ←/→ on the tab bar changes tab."""

    SECTION_TITLE = "Learn"
    DEFAULT_CSS = """
    LearnScreen TabbedContent { height: 1fr; }
    LearnScreen TabPane { padding: 0; }
    """

    def __init__(self, topic_id: str | None = None) -> None:
        super().__init__()
        self.topic_id = topic_id

    def compose_body(self) -> ComposeResult:
        topics = self.app.catalog.topics
        with TabbedContent():
            for kind, title in TABS:
                with TabPane(title, id=f"tab-{kind}"), VerticalScroll(classes="section-body"):
                    chosen = [topic for topic in topics if topic.kind is kind]
                    for topic in chosen:
                        yield TopicView(topic.title, topic.paragraphs, id=f"topic-{topic.id}")
                    if not chosen:
                        yield Static("No plug-in has added topics here.")

    def on_mount(self) -> None:
        super().on_mount()
        topic = next((t for t in self.app.catalog.topics if t.id == self.topic_id), None)
        if topic is not None:
            self.query_one(TabbedContent).active = f"tab-{topic.kind}"
            self.call_after_refresh(self.query_one(f"#topic-{topic.id}").scroll_visible, top=True, animate=False)
        self.query_one("Tabs").focus()
