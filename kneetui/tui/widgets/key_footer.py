"""The bottom line of every screen: the keys that matter most here, and ``? Help`` for the rest.

One widget drawing one line, rather than Textual's ``Footer`` (a widget per key,
recomposed whenever the bindings change): it costs nothing when the keys stay
the same, and leaves nothing behind when they change. It shows the screen's
shown bindings in the order they are declared (most important first), as many
whole hints as fit the width, never a hint cut in two; ``? Help`` keeps its place
on the right, because Help lists every key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.screen import Screen

HELP_KEY = "question_mark"
LEFT_PAD = 1
GAP = 2


@dataclass(frozen=True)
class KeyHint:
    """One key as the footer shows it: what to press, what it does, whether it works now."""

    key: str
    shown: str
    description: str
    enabled: bool = True

    @property
    def width(self) -> int:
        return cell_len(self.shown) + 1 + cell_len(self.description)

    def content(self) -> Content:
        if not self.enabled:
            return Content.assemble((f"{self.shown} {self.description}", "dim"))
        return Content.assemble(
            (self.shown, "bold $footer-key-foreground"), " ", (self.description, "$footer-description-foreground")
        )


def fit_hints(hints: list[KeyHint], help_hint: KeyHint | None, width: int) -> list[tuple[int, KeyHint]]:
    """Where each hint goes on a line ``width`` cells wide: whole hints in order while they fit, Help on the right."""
    room = width - 2 * LEFT_PAD - (help_hint.width + GAP if help_hint is not None else 0)
    placed: list[tuple[int, KeyHint]] = []
    x = LEFT_PAD
    for hint in hints:
        end = x + hint.width
        if end - LEFT_PAD > room:
            break
        placed.append((x, hint))
        x = end + GAP
    if help_hint is not None and help_hint.width + LEFT_PAD <= width:
        placed.append((width - help_hint.width - LEFT_PAD, help_hint))
    return placed


class KeyFooter(Widget):
    """Key hints from the screen's bindings on one line; a click on a hint presses its key."""

    DEFAULT_CSS = """
    KeyFooter {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $footer-background;
        color: $footer-foreground;
    }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._hints: tuple[list[KeyHint], KeyHint | None] = ([], None)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed)
        self.bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def bindings_changed(self, screen: Screen[object]) -> None:
        hints = self.hints(screen)
        if hints != self._hints:
            self._hints = hints
            self.refresh()

    def hints(self, screen: Screen[object]) -> tuple[list[KeyHint], KeyHint | None]:
        """The shown bindings of ``screen``, one per action, and the Help key if it is bound."""
        shown: list[KeyHint] = []
        actions: set[str] = set()
        help_hint = None
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if key == HELP_KEY:
                if active.enabled:
                    help_hint = KeyHint(key, self.app.get_key_display(binding), binding.description or "Help")
                continue
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append(KeyHint(key, self.app.get_key_display(binding), binding.description, active.enabled))
        return shown, help_hint

    def placed(self) -> list[tuple[int, KeyHint]]:
        hints, help_hint = self._hints
        return fit_hints(hints, help_hint, self.size.width)

    def render(self) -> Content:
        line = Content()
        x = 0
        for start, hint in self.placed():
            line += Content(" " * (start - x)) + hint.content()
            x = start + hint.width
        return line

    def on_click(self, event: events.Click) -> None:
        for start, hint in self.placed():
            if start <= event.x < start + hint.width and hint.enabled:
                event.stop()
                self.app.simulate_key(hint.key)
                return
