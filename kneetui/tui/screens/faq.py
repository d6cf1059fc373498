"""FAQ: questions and answers, with Learn and the aids, searched as you type, matches highlighted, offline."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from kneetui.content.answers import KIND_LABELS, Answer, AnswerKind, answer_index
from kneetui.content.search import SearchIndex, words
from kneetui.tui.hanging import Hanging
from kneetui.tui.literal import highlight_words
from kneetui.tui.screens.base import SectionScreen


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
        yield Input(placeholder="Type to search the FAQ, Learn and the aids", id="query")
        yield Static(id="status")
        yield VerticalScroll(id="answers")

    def on_mount(self) -> None:
        super().on_mount()
        self.index: SearchIndex[Answer] = answer_index(self.app.catalog)
        chosen = next((entry for entry in self.app.catalog.faq if entry.id == self.faq_id), None)
        query = self.initial_query or (chosen.question if chosen else "")
        search = self.query_one("#query", Input)
        search.value = query
        self.show_results(query)
        search.focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.show_results(event.value)

    def show_results(self, query: str) -> None:
        questions = [answer for answer in self.index.items if answer.kind is AnswerKind.FAQ]
        entries = self.index.search(query) if query.strip() else questions
        query_words = words(query)
        answers = self.query_one("#answers", VerticalScroll)
        answers.remove_children()
        answers.mount_all(
            Static(
                Hanging(Text("\n").join([self.title_of(entry, query_words), highlight_words(entry.text, query_words)])),
                classes="faq-entry",
            )
            for entry in entries
        )
        if not query.strip():
            status = f"All {len(questions)} questions. Type to search them, Learn and the aids."
        elif entries:
            status = f"{len(entries)} found, best first. Matches are underlined."
        else:
            status = "Nothing matches. Try fewer or other words, or Ctrl+P to jump to any exercise or topic."
        self.query_one("#status", Static).update(status)

    @staticmethod
    def title_of(answer: Answer, query_words: list[str]) -> Text:
        """The question or title in bold, with where it comes from when it is not a question."""
        title = highlight_words(answer.title, query_words, "bold")
        if answer.kind is AnswerKind.FAQ:
            return title
        return Text.assemble((f"{KIND_LABELS[answer.kind]}: ", "bold dim"), title)

    def action_focus_search(self) -> None:
        self.query_one("#query").focus()

    def action_focus_answers(self) -> None:
        self.query_one("#answers").focus()
