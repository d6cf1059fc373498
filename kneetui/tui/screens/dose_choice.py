"""Choose the dose for one exercise inside its range; the low end is where to start."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kneetui.content.model import Dose, Exercise, Range
from kneetui.tui.literal import heading
from kneetui.tui.screens.dialog import Dialog

QUANTITIES = (
    ("hold_seconds", "Hold", "s"),
    ("reps", "Reps", ""),
    ("sets", "Sets", ""),
    ("duration_minutes", "Duration", "min"),
)


class DoseChoiceScreen(Dialog[Dose | None]):
    """↑/↓ picks a quantity, ←/→ changes it within the range, Enter starts, Escape cancels."""

    DEFAULT_CSS = """
    DoseChoiceScreen OptionList { height: auto; max-height: 8; }
    """
    BINDINGS = [
        Binding("left,minus", "change(-1)", "Less"),
        Binding("right,plus,equals_sign", "change(1)", "More"),
        Binding("enter", "start", "Start"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, exercise: Exercise, dose: Dose | None = None) -> None:
        super().__init__()
        self.exercise = exercise
        self.dose = dose or exercise.dosage.lowest()

    def ranges(self) -> list[tuple[str, str, str, Range]]:
        dosage = self.exercise.dosage
        return [(name, label, unit, getattr(dosage, name)) for name, label, unit in QUANTITIES if getattr(dosage, name)]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(heading(self.exercise.name))
            yield Static("Start at the low end of each range and build up gradually.", markup=False)
            yield OptionList(id="quantities", markup=False)
            yield Static("←/→ change · Enter start · Escape cancel", markup=False)

    def on_mount(self) -> None:
        self.refill()
        self.query_one(OptionList).focus()

    def refill(self) -> None:
        quantities = self.query_one(OptionList)
        highlighted = quantities.highlighted or 0
        quantities.clear_options()
        for name, label, unit, span in self.ranges():
            value = getattr(self.dose, name)
            quantities.add_option(
                Option(
                    Content.assemble(
                        (f"{label}: ", "bold"), f"◀ {value} {unit} ▶".replace("  ", " "), (f"   range {span}", "dim")
                    ),
                    id=name,
                )
            )
        quantities.highlighted = min(highlighted, quantities.option_count - 1)

    def action_change(self, step: int) -> None:
        quantities = self.query_one(OptionList)
        if quantities.highlighted is None:
            return
        name = quantities.get_option_at_index(quantities.highlighted).id
        if name is None:
            return
        span: Range = getattr(self.exercise.dosage, name)
        value = max(span.low, min(span.high, getattr(self.dose, name) + step))
        self.dose = dataclasses.replace(self.dose, **{name: value})
        self.refill()

    def on_option_list_option_selected(self) -> None:
        self.action_start()

    def action_start(self) -> None:
        self.dismiss(self.dose)

    def action_cancel(self) -> None:
        self.dismiss(None)
