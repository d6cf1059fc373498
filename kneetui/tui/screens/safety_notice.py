"""The safety notice: acknowledged on first run, one key away afterwards."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Static

from kneetui.tui.hanging import Hanging
from kneetui.tui.literal import bullets, heading
from kneetui.tui.screens.dialog import Dialog

SAFETY_POINTS = (
    "Have your knee assessed by a healthcare professional, such as a physiotherapist, "
    "before you start an exercise programme.",
    "Stop straight away and consult a healthcare professional if the pain gets worse during or after the exercises.",
    "Seek a professional evaluation if the pain persists, gets worse, or comes with "
    "swelling or instability (the knee giving way).",
    "kneetui guides exercises; it does not diagnose or replace your physiotherapist.",
)


class SafetyNoticeScreen(Dialog[bool]):
    """Shows the safety notice; dismisses with True once acknowledged."""

    DEFAULT_CLASSES = "-warning"
    DEFAULT_CSS = """
    SafetyNoticeScreen > Vertical { width: 72; }
    SafetyNoticeScreen VerticalScroll { height: auto; max-height: 1fr; }
    SafetyNoticeScreen #acknowledge { width: 100%; margin-top: 1; }
    """
    BINDINGS = [Binding("escape", "close", "Close"), Binding("enter", "acknowledge", "Read on / I understand")]

    def __init__(self, first_run: bool = False) -> None:
        super().__init__()
        self.first_run = first_run

    def compose(self) -> ComposeResult:
        # The button comes after the notice, inside the same scroll: it is reached by reading.
        with Vertical(), VerticalScroll(id="notice"):
            yield Static(heading("Before you exercise"))
            yield Static(Hanging(bullets(SAFETY_POINTS)))
            label = "I understand (Enter)" if self.first_run else "Close (Enter)"
            yield Button(label, id="acknowledge", variant="warning")

    def on_mount(self) -> None:
        # The notice has focus, so ↓, Page Down and End scroll it on a small terminal.
        self.query_one("#notice", VerticalScroll).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(True)

    def action_acknowledge(self) -> None:
        """Enter reads on while there is more of the notice below; at its end it acknowledges."""
        notice = self.query_one("#notice", VerticalScroll)
        if notice.scroll_y < notice.max_scroll_y:
            notice.scroll_page_down(animate=False)
            return
        self.dismiss(True)

    def action_close(self) -> None:
        # On first run the notice must be acknowledged; Escape does not skip it.
        if not self.first_run:
            self.dismiss(False)
