"""The checks before a session: pain now, swelling, instability; advice on a yes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kneetui.engine.recording import SafetyAnswers
from kneetui.tui.literal import heading
from kneetui.tui.screens.pain_question import SCALE_HINT
from kneetui.tui.widgets.pain_scale import PainScale

RED_FLAG_ADVICE = (
    "Swelling or a knee that feels unstable or gives way are reasons to have a healthcare "
    "professional evaluate your knee before you continue. You may stop here, or continue with "
    "only the gentlest exercises (those suited to the acute phase)."
)


class Choice(StrEnum):
    """What the person chose after the checks."""

    CONTINUE = "continue"
    GENTLEST_ONLY = "gentlest only"
    STOP = "stop"


@dataclass(frozen=True)
class SafetyCheckResult:
    answers: SafetyAnswers
    choice: Choice


class SafetyCheckScreen(ModalScreen[SafetyCheckResult | None]):
    """Three questions, one at a time; Escape cancels the session before it starts."""

    DEFAULT_CSS = """
    SafetyCheckScreen { align: center middle; }
    SafetyCheckScreen > Vertical {
        width: 68; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SafetyCheckScreen VerticalScroll { height: auto; max-height: 1fr; }
    SafetyCheckScreen #answers { height: auto; }
    SafetyCheckScreen Button { width: 100%; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
    ]

    QUESTIONS = ("Is your knee swollen?", "Does your knee feel unstable, or does it give way?")

    def __init__(self) -> None:
        super().__init__()
        self.pain: int | None = None
        self.yes_no: list[bool] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(heading("Before you start"), id="title")
                yield Static("How much does your knee hurt right now?", id="question", markup=False)
                yield Static(SCALE_HINT, id="hint", markup=False)
                yield PainScale()
                yield Vertical(id="answers")

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()

    def on_pain_scale_chosen(self, event: PainScale.Chosen) -> None:
        self.pain = event.value
        event.scale.display = False
        self.ask_next()

    def ask_next(self) -> None:
        question = self.query_one("#question", Static)
        hint = self.query_one("#hint", Static)
        if len(self.yes_no) < len(self.QUESTIONS):
            question.update(self.QUESTIONS[len(self.yes_no)])
            hint.update("Press y for yes or n for no.")
            self.focus()
            return
        answers = SafetyAnswers(self.pain or 0, *self.yes_no)
        if not answers.advised_professional:
            self.dismiss(SafetyCheckResult(answers, Choice.CONTINUE))
            return
        question.update(RED_FLAG_ADVICE)
        hint.update("")
        buttons = self.query_one("#answers")
        buttons.mount(Button("Stop here (Escape)", id="stop", variant="primary"))
        buttons.mount(Button("Continue with the gentlest exercises only", id="gentlest"))
        self.call_after_refresh(self.query_one("#stop").focus)

    def action_answer(self, yes: bool) -> None:
        if self.pain is None or len(self.yes_no) >= len(self.QUESTIONS):
            return
        self.yes_no.append(yes)
        self.ask_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        answers = SafetyAnswers(self.pain or 0, *self.yes_no)
        choice = Choice.GENTLEST_ONLY if event.button.id == "gentlest" else Choice.STOP
        self.dismiss(SafetyCheckResult(answers, choice))

    def action_cancel(self) -> None:
        if len(self.yes_no) == len(self.QUESTIONS) and self.pain is not None:
            self.dismiss(SafetyCheckResult(SafetyAnswers(self.pain, *self.yes_no), Choice.STOP))
        else:
            self.dismiss(None)
