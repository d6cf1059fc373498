"""FAQ: questions and answers searched as you type, matches highlighted, all offline."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from kneetui.content.search import Field, SearchIndex, words
from kneetui.content.model import FaqEntry
from kneetui.tui.literal import highlight_words
from kneetui.tui.screens.base import SectionScreen
from rich.text import Text


class FaqScreen(SectionScreen):
    """Type to search; Down moves into the answers, / back to the search box."""

    SECTION_TITLE = "Frequently asked questions"
    DEFAULT_CSS = """
    FaqScreen #query { margin: 0 1; }
    FaqScreen #answers { height: 1fr; padding: 0 1; }
    FaqScreen #status { color: $text-muted; padding: 0 1; }
    FaqScreen .faq-entry { margin-bottom: 1; }
    """
    BINDINGS = [
        Binding("slash", "focus_search", "Search"),
        Binding("down", "focus_answers", "Answers", show=False),
    ]

    def __init__(self, faq_id: str | None = None, query: str = "") -> None:
        super().__init__()
        self.faq_id = faq_id
        self.initial_query = query

    def compose_body(self) -> ComposeResult:
        yield Input(placeholder="Type to search the questions and answers", id="query")
        yield Static(id="status")
        yield VerticalScroll(id="answers")

    def on_mount(self) -> None:
        super().on_mount()
        entries = self.app.catalog.faq
        self.index: SearchIndex[FaqEntry] = SearchIndex(
            entries, lambda entry: (Field(entry.question, 2.0), Field(entry.answer, 1.0))
        )
        chosen = next((entry for entry in entries if entry.id == self.faq_id), None)
        query = self.initial_query or (chosen.question if chosen else "")
        search = self.query_one("#query", Input)
        search.value = query
        self.show_results(query)
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_results(event.value)

    def show_results(self, query: str) -> None:
        entries = self.index.search(query) if query.strip() else self.index.items
        query_words = words(query)
        answers = self.query_one("#answers", VerticalScroll)
        answers.remove_children()
        answers.mount_all(
            Static(
                Text("\n").join(
                    [highlight_words(entry.question, query_words, "bold"), highlight_words(entry.answer, query_words)]
                ),
                classes="faq-entry",
            )
            for entry in entries
        )
        total = len(self.index.items)
        if not query.strip():
            status = f"All {total} questions. Type to search."
        elif entries:
            status = f"{len(entries)} of {total} match, best first. Matches are underlined."
        else:
            status = "Nothing matches. Try fewer or other words."
        self.query_one("#status", Static).update(status)

    def action_focus_search(self) -> None:
        self.query_one("#query").focus()

    def action_focus_answers(self) -> None:
        self.query_one("#answers").focus()
