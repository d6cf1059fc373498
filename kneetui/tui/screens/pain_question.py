"""Asks for a pain score (0–10) and returns it; Escape returns None (not answered)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kneetui.tui.literal import heading
from kneetui.tui.widgets.pain_scale import PainScale

SCALE_HINT = "0 = no pain, 10 = the worst pain you can imagine. Type a number or use ←/→, then Enter."


class PainQuestionScreen(ModalScreen[int | None]):
    """A single pain question."""

    DEFAULT_CSS = """
    PainQuestionScreen { align: center middle; }
    PainQuestionScreen > Vertical {
        width: 60; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape", "skip", "Skip")]

    def __init__(self, question: str, note: str = "") -> None:
        super().__init__()
        self.question = question
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(heading(self.question))
            if self.note:
                yield Static(self.note, markup=False, classes="pain-note")
            yield PainScale()
            yield Static(SCALE_HINT, markup=False)

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def on_pain_scale_chosen(self, event: PainScale.Chosen) -> None:
        self.dismiss(event.value)

    def action_skip(self) -> None:
        self.dismiss(None)
