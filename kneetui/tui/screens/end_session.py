"""Asks before a session ends early. ! here still means the pain is worse, and stops at once."""

from __future__ import annotations

from collections.abc import Callable

from textual.binding import Binding

from kneetui.tui.screens.confirm import ConfirmScreen

QUESTION = "End this session now? Everything you have done so far is kept."


class EndSessionScreen(ConfirmScreen):
    """y ends the session, n or Escape goes back to it, ! stops it because the pain is worse."""

    BINDINGS = [Binding("exclamation_mark", "worse", "Pain worse")]

    def __init__(self, on_pain_worse: Callable[[], None]) -> None:
        super().__init__(QUESTION, yes="End it")
        self.on_pain_worse = on_pain_worse

    def action_worse(self) -> None:
        self.dismiss(False)
        self.on_pain_worse()
