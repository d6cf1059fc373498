"""The header of every kneetui screen: a title that is never cut off, whatever the width."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.widgets import Header, Static

#: Between the title and the sub-title, as Textual's own header (App.format_title) shows them.
SEPARATOR = " — "


def fitted_title(title: str, sub_title: str, width: int) -> tuple[str, str]:
    """(title, sub-title) when 'title — sub-title' fits ``width``; else the title alone, never half a sub-title.

    A title longer than the width itself is left to the header's ellipsis; the screens keep theirs short.
    """
    fits = len(title) + len(SEPARATOR) + len(sub_title) <= width
    return (title, sub_title) if sub_title and fits else (title, "")


class TitleBar(Header):
    """Textual's header, narrower at the sides on a small terminal, showing as much of the title as fits."""

    DEFAULT_CSS = """
    TitleBar.-narrow-bar HeaderIcon { width: 3; padding: 0 1 0 0; }
    TitleBar.-narrow-bar HeaderClockSpace { width: 3; padding: 0; }
    """

    #: Below this width the icon and the space for a clock shrink to three columns each.
    NARROW_BELOW = 70

    def format_title(self) -> Content:
        titles = self.query("HeaderTitle")
        width = titles.first().size.width if titles else 0
        if width <= 0:
            return super().format_title()
        return self.app.format_title(*fitted_title(self.screen_title, self.screen_sub_title, width))

    def on_resize(self, event: events.Resize) -> None:
        self.set_class(event.size.width < self.NARROW_BELOW, "-narrow-bar")
        # The title's own width is known once the new layout is done.
        self.call_after_refresh(self.refit)

    def refit(self) -> None:
        titles = self.query("HeaderTitle").results(Static)
        for title in titles:
            title.update(self.format_title())
