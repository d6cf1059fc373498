"""The two lists of the programme builder, each with the keys that matter while it has focus."""

from __future__ import annotations

from textual.binding import Binding
from textual.widgets import OptionList


class ExercisePicker(OptionList):
    """The exercises to choose from; Enter adds the highlighted one to the programme."""

    BINDINGS = [Binding("enter", "select", "Add", show=True)]


class StepList(OptionList):
    """The programme's exercises in order; the keys act on the highlighted one."""

    BINDINGS = [
        Binding("enter", "select", "Type", show=True),
        Binding("plus,equals_sign", "screen.change_dose(1)", "Dose", key_display="+/-"),
        Binding("minus", "screen.change_dose(-1)", "Less", show=False),
        Binding("shift+up", "screen.move_step(-1)", "Up", key_display="⇧↑"),
        Binding("shift+down", "screen.move_step(1)", "Down", key_display="⇧↓"),
        Binding("delete,backspace", "screen.remove_step", "Remove", key_display="del"),
    ]
