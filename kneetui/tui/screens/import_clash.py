"""Asked when an imported programme has the id of one that exists: replace it, keep both, or cancel."""

from __future__ import annotations

from enum import Enum

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kneetui.tui.hanging import Hanging
from kneetui.tui.screens.dialog import Dialog


class ClashChoice(Enum):
    """What to do with an imported programme whose id is taken."""

    REPLACE = "replace"
    KEEP_BOTH = "keep-both"
    CANCEL = "cancel"


class ImportClashScreen(Dialog[ClashChoice]):
    """Dismisses with the person's choice; Cancel comes first and is highlighted, so Enter by habit changes nothing."""

    DEFAULT_CLASSES = "-warning"
    DEFAULT_CSS = """
    ImportClashScreen #clash-text { height: auto; max-height: 1fr; }
    /* No box around three lines (-boxless, in app.tcss): on a small terminal every row is needed. */
    ImportClashScreen #choices { height: auto; margin-top: 1; padding: 0; }
    """
    BINDINGS = [
        Binding("r", "choose('replace')", "Replace"),
        Binding("k", "choose('keep-both')", "Keep both"),
        Binding("c,escape", "choose('cancel')", "Cancel"),
        # The choices are three lines; Page Up and Page Down read the question instead.
        Binding("pageup", "read('up')", show=False, priority=True),
        Binding("pagedown", "read('down')", show=False, priority=True),
    ]

    def __init__(self, question: Content, kept_as: Content) -> None:
        """``question`` says what clashes; ``kept_as`` names what the imported one would be called if both are kept."""
        super().__init__()
        self.question = question
        self.kept_as = kept_as

    def compose(self) -> ComposeResult:
        with Vertical():
            # The question scrolls on a small terminal (Page Up / Page Down); the choices stay below it.
            with VerticalScroll(id="clash-text", can_focus=False):
                yield Static(self.question, id="question")
            yield OptionList(
                Option(Hanging(Content.assemble(("c", "bold underline"), "  Cancel: import nothing"), 3), id="cancel"),
                Option(
                    Hanging(Content.assemble(("k", "bold underline"), "  Keep both: add it as ", self.kept_as), 3),
                    id="keep-both",
                ),
                Option(Hanging(Content.assemble(("r", "bold underline"), "  Replace it"), 3), id="replace"),
                id="choices",
                classes="-boxless",
            )

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = 0
        choices.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(ClashChoice(event.option.id))

    def action_choose(self, choice: str) -> None:
        self.dismiss(ClashChoice(choice))

    def action_read(self, direction: str) -> None:
        text = self.query_one("#clash-text", VerticalScroll)
        if direction == "up":
            text.scroll_page_up(animate=False)
        else:
            text.scroll_page_down(animate=False)
