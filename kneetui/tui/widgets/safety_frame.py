"""The bar kneetui adds to a plug-in's session screen: its own keys, whatever the plug-in binds."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Footer, Static

from kneetui.tui.widgets.key_footer import KeyFooter


class SafetyFrameBar(Static):
    """Says, on a plug-in's screen, how to stop: ``!`` the pain is worse, ``q`` end the session."""

    DEFAULT_CSS = """
    SafetyFrameBar {
        dock: bottom; height: 1; width: 1fr; padding: 0 1;
        background: $warning 35%; color: $text; text-style: bold;
    }
    """

    def __init__(self, plugin: str) -> None:
        super().__init__(
            Content.assemble(
                "! pain is worse  ·  q end the session  ·  ",
                (f"kneetui's frame around {plugin}", "not bold"),
            ),
            markup=False,
        )

    def on_mount(self) -> None:
        self.call_after_refresh(self.lift_footers)

    def lift_footers(self) -> None:
        """A footer of the plug-in's own moves up a line, so neither hides the other."""
        for footer in [*self.screen.query(Footer), *self.screen.query(KeyFooter)]:
            footer.styles.margin = (0, 0, 1, 0)
