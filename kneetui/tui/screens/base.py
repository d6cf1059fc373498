"""The frame every section screen shares: header, a scrolling body, footer, Escape to go back."""

from __future__ import annotations

from textual import getters
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from kneetui.tui.app import KneeApp
from kneetui.tui.widgets.key_footer import KeyFooter
from kneetui.tui.widgets.title_bar import TitleBar


class SectionScreen(Screen[None]):
    """A screen reached from Home; Escape returns to where the person came from."""

    app = getters.app(KneeApp)

    #: The title shown in the header and in Help.
    SECTION_TITLE = ""
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield from self.compose_body()
        yield KeyFooter()

    def compose_body(self) -> ComposeResult:
        yield from ()

    def on_mount(self) -> None:
        # Textual calls this after a subclass's own on_mount too, so it must not undo a sub-title set there.
        self.title = self.SECTION_TITLE

    def action_back(self) -> None:
        if len(self.app.screen_stack) > 2:
            self.app.pop_screen()
        else:
            self.app.action_home()
