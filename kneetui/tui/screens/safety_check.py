"""The checks before a session: pain now, swelling, instability; then the policy's advice, if any.

This screen only asks and shows. What the answers lead to is decided by the
engine's safety policy (:mod:`kneetui.engine.safety`), passed in as ``assess``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from kneetui.engine.recording import SafetyAnswers
from kneetui.engine.safety import CHOICE_LABELS, StartAdvice, StartChoice
from kneetui.tui.literal import heading
from kneetui.tui.screens.pain_question import SCALE_HINT
from kneetui.tui.widgets.pain_scale import PainScale


@dataclass(frozen=True)
class SafetyCheckResult:
    #: Every answer; None only when ! came before the questions were all answered.
    answers: SafetyAnswers | None
    #: True only when the policy advised against starting and the person chose to go on.
    go_on: bool
    #: True when ! was pressed: the pain is worse, and the session stops before it starts.
    worse: bool = False


class SafetyCheckScreen(ModalScreen[SafetyCheckResult | None]):
    """Three questions, one at a time; Escape cancels the session before it starts.

    Once answered, Escape chooses to stop, as the advice says. ``!`` at any moment answers
    that the pain is worse (``worse``), with the answers given if all were.
    """

    DEFAULT_CSS = """
    SafetyCheckScreen { align: center middle; }
    SafetyCheckScreen > Vertical {
        width: 68; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    SafetyCheckScreen VerticalScroll { height: auto; max-height: 1fr; }
    SafetyCheckScreen #rule { color: $text-muted; }
    SafetyCheckScreen #answers { height: auto; }
    SafetyCheckScreen Button { width: 100%; margin-top: 1; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("exclamation_mark", "worse", "Pain worse"),
    ]

    QUESTIONS = ("Is your knee swollen?", "Does your knee feel unstable, or does it give way?")

    def __init__(self, assess: Callable[[SafetyAnswers], StartAdvice], rule: str = "") -> None:
        super().__init__()
        self.assess = assess
        self.rule = rule
        self.pain: int | None = None
        self.yes_no: list[bool] = []
        self.advice: StartAdvice | None = None

    def compose(self) -> ComposeResult:
        with Vertical(), VerticalScroll():
            yield Static(heading("Before you start"), id="title")
            yield Static("How much does your knee hurt right now?", id="question", markup=False)
            yield Static(SCALE_HINT, id="hint", markup=False)
            yield PainScale()
            yield Static(self.rule, id="rule", markup=False)
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
            hint.update("Press y for yes or n for no; ! if the pain is worse now.")
            self.focus()
            return
        answers = SafetyAnswers(self.pain or 0, *self.yes_no)
        self.advice = self.assess(answers)
        if not self.advice.needs_choice:
            self.dismiss(SafetyCheckResult(answers, go_on=False))
            return
        question.update(
            Content("\n").join(
                Content.assemble((f"[{concern.source}] ", "bold"), concern.text) for concern in self.advice.concerns
            )
        )
        hint.update("")
        buttons = self.query_one("#answers")
        buttons.mount(Button(f"{CHOICE_LABELS[StartChoice.STOP]} (Escape)", id="stop", variant="primary"))
        buttons.mount(Button(CHOICE_LABELS[StartChoice.GO_ON], id="go-on"))
        # Stopping is the default: an Enter pressed by habit stops.
        self.call_after_refresh(self.query_one("#stop").focus)

    def action_answer(self, yes: bool) -> None:
        if self.pain is None or len(self.yes_no) >= len(self.QUESTIONS):
            return
        self.yes_no.append(yes)
        self.ask_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        assert self.advice is not None
        self.dismiss(SafetyCheckResult(self.advice.answers, go_on=event.button.id == "go-on"))

    def action_worse(self) -> None:
        answers = self.advice.answers if self.advice is not None else None
        self.dismiss(SafetyCheckResult(answers, go_on=False, worse=True))

    def action_cancel(self) -> None:
        if self.advice is not None:
            self.dismiss(SafetyCheckResult(self.advice.answers, go_on=False))
        else:
            self.dismiss(None)
