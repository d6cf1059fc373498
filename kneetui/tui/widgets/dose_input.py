"""A whole-number Input for one quantity of a dose, kept inside its range; + and - step it."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.validation import Integer
from textual.widgets import Input

from kneetui.content.model import Range
from kneetui.content.text import typed_whole_number

#: How each quantity of a dose is labelled.
QUANTITY_LABELS = {
    "hold_seconds": "Hold (s)",
    "reps": "Reps",
    "duration_minutes": "Minutes",
    "sets": "Sets",
}


class DoseInput(Input):
    """A whole number meant to lie in ``span``; + and - ask for a step of ``step``.

    The screen decides what to do with a number outside the range: this widget
    only marks it invalid.
    """

    DEFAULT_CSS = """
    DoseInput { width: 10; }
    """
    # Priority: checked before Input would type the key, so + and - always step the dose.
    BINDINGS = [
        Binding("plus", "step(1)", "Dose", key_display="+/-", priority=True),
        Binding("minus", "step(-1)", "Less", show=False, priority=True),
    ]

    class Stepped(Message):
        """+ or - was pressed; ``value`` is where it would go, which may be outside the range."""

        def __init__(self, dose_input: DoseInput, value: int) -> None:
            super().__init__()
            self.dose_input = dose_input
            self.value = value

        @property
        def control(self) -> DoseInput:
            return self.dose_input

    def __init__(self, quantity: str, span: Range, value: int, step: int = 1, **options: object) -> None:
        super().__init__(
            str(value),
            # Digits only: a dose is never negative, and + and - are the step keys.
            restrict=r"[0-9]*",
            validators=[Integer(minimum=span.low, maximum=span.high)],
            id=f"dose-{quantity}",
            **options,  # type: ignore[arg-type]
        )
        self.quantity = quantity
        self.span = span
        self.step = step

    def show(self, span: Range, value: int) -> None:
        """Ask for a number in ``span`` from now on, starting from ``value``."""
        self.span = span
        self.validators = [Integer(minimum=span.low, maximum=span.high)]
        self.value = str(value)

    def action_step(self, direction: int) -> None:
        typed = typed_whole_number(self.value)
        current = self.span.low if typed is None else typed
        self.post_message(self.Stepped(self, current + direction * self.step))
