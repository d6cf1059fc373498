"""Screens hidden under a guided session keep nothing they can draw again when they are shown.

Textual keeps the lines each widget has rendered, each with a few small caches of its own, for
as long as the widget lives. A session lasts minutes, and the screens beneath it (Home, the
library, the exercise) are not drawn meanwhile, yet kept all their lines: about 1 MiB for those
three, which counts for every patient of ``kneetui serve`` in a session at once. Only beneath
a session: between Home and a section, drawing a screen again would cost each key press more.
"""

from __future__ import annotations

from textual.widget import Widget


def forget_rendered_lines(screen: Widget) -> None:
    """Drop the lines every widget of ``screen`` has rendered; they are rendered again when it is shown."""
    for widget in screen.walk_children(with_self=True):
        widget.refresh()
