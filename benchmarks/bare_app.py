"""The reference for start-up, memory and key-to-screen: a bare Textual app.

A Header, a Static and a Footer, started exactly as kneetui is, so that the
ratio between the two is what kneetui adds to Textual's own cost. ``x`` pushes
a second screen of the same three widgets (Escape pops it), the reference for a
screen change.
"""

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

#: What the start-up benchmark waits for to call the screen painted.
READY_TEXT = "Bare Textual app ready"


class BareScreen(Screen[None]):
    BINDINGS = [("escape", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Another bare screen")
        yield Footer()


class BareApp(App[None]):
    BINDINGS = [("q", "quit", "Quit"), ("x", "next_screen", "Next screen")]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(READY_TEXT)
        yield Footer()

    def action_next_screen(self) -> None:
        # A new screen each time, as kneetui makes a new screen for each section it opens.
        self.push_screen(BareScreen())


if __name__ == "__main__":
    BareApp().run()
