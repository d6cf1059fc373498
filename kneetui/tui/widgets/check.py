"""A checkbox whose state shows as a mark, not only as a colour."""

from __future__ import annotations

from textual.widgets import Checkbox


class Check(Checkbox):
    """Shows ``X`` when ticked and a blank when not, so the high-contrast and 16-colour themes stay readable."""

    BUTTON_INNER = " "

    def watch_value(self) -> None:
        self.BUTTON_INNER = "X" if self.value else " "
        super().watch_value()
