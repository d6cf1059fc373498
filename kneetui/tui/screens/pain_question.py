"""Asks for a pain score (0–10) and returns it.

``!`` answers that the pain is worse (:data:`PAIN_WORSE`). Skipping is never
one slip of a key: the first Escape says what skipping means, the second
skips (None).
"""

from __future__ import annotations

from typing import Literal

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from kneetui.tui.literal import heading
from kneetui.tui.screens.dialog import Dialog
from kneetui.tui.widgets.pain_scale import PainScale

SCALE_HINT = "0 = no pain, 10 = the worst pain you can imagine. Type a number or use ←/→, then Enter."
#: The answer when the person presses ! instead of giving a score.
PAIN_WORSE: Literal["worse"] = "worse"
SKIP_WARNING = (
    "Skipping means the stop rule cannot look at your pain now. "
    "Press Escape again to skip, type your pain, or press ! if it is worse."
)

PainAnswer = int | Literal["worse"] | None


class PainQuestionScreen(Dialog[PainAnswer]):
    """A single pain question."""

    DEFAULT_CSS = """
    PainQuestionScreen > Vertical { width: 60; }
    PainQuestionScreen #pain-question { height: auto; max-height: 1fr; }
    PainQuestionScreen #skip-warning { display: none; color: $warning; text-style: bold; }
    PainQuestionScreen.-warned #skip-warning { display: block; }
    """
    BINDINGS = [
        Binding("escape", "skip", "Skip"),
        Binding("exclamation_mark", "worse", "Pain worse"),
    ]

    def __init__(self, question: str, note: str = "") -> None:
        super().__init__()
        self.question = question
        self.note = note

    def compose(self) -> ComposeResult:
        # On a small terminal the question scrolls: Page Down reads on while the scale keeps focus.
        with Vertical(), VerticalScroll(id="pain-question", can_focus=False):
            yield Static(heading(self.question))
            if self.note:
                yield Static(self.note, markup=False, classes="pain-note")
            yield PainScale()
            yield Static(SCALE_HINT, markup=False)
            yield Static(SKIP_WARNING, id="skip-warning", markup=False)

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()
        # Focusing the scale may scroll the question's first line away; a person reads from the top.
        self.call_after_refresh(self.query_one("#pain-question", VerticalScroll).scroll_home, animate=False)

    def on_pain_scale_chosen(self, event: PainScale.Chosen) -> None:
        self.dismiss(event.value)

    def action_worse(self) -> None:
        self.dismiss(PAIN_WORSE)

    def action_skip(self) -> None:
        if self.has_class("-warned"):
            self.dismiss(None)
        else:
            self.add_class("-warned")
            self.call_after_refresh(self.query_one("#skip-warning").scroll_visible, animate=False)
