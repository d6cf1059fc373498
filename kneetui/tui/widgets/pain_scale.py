"""A 0–10 pain scale chosen from the keyboard: digits, arrows, Enter."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from kneetui.content.text import typed_whole_number

#: Columns the whole scale takes with room around each number: 0 to 9 and 10, each padded.
FULL_WIDTH = 34


class PainScale(Widget, can_focus=True):
    """Pick a pain score. Typing 1 then 0 gives 10 (a 0 more keeps 10); the choice is shown in brackets, not just colour."""

    DEFAULT_CSS = """
    PainScale { height: 3; width: auto; max-width: 100%; padding: 0 1; border: round $primary; }
    PainScale:focus { border: round $accent; }
    """
    BINDINGS = [
        Binding("left,h", "move(-1)", "Less", show=False),
        Binding("right,l", "move(1)", "More", show=False),
        Binding("enter", "choose", "Choose"),
    ]

    value: reactive[int | None] = reactive(None)
    #: Whether the 10 shown was typed as "1", "0" (a 0 more keeps it) rather than reached with the arrows.
    _typed_ten = False

    class Chosen(Message):
        """Posted when a score is confirmed with Enter."""

        def __init__(self, scale: PainScale, value: int) -> None:
            super().__init__()
            self.scale = scale
            self.value = value

    def render(self) -> Content:
        # Where the full scale does not fit (a 40-column terminal), the numbers close up, so 10 is
        # always there to see.
        compact = 0 < self.size.width < FULL_WIDTH
        parts: list[tuple[str, str] | str] = []
        for score in range(11):
            if score == self.value:
                parts.append((f"[{score}]", "bold reverse"))
            elif compact:
                parts.append(f"{score}" if score == 10 or self.value == score + 1 else f"{score} ")
            else:
                parts.append((f" {score} ", ""))
        return Content.assemble(*parts)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return FULL_WIDTH

    def on_key(self, event: events.Key) -> None:
        if event.character and typed_whole_number(event.character) is not None:
            digit = int(event.character)
            # "1" then "0" means ten, and a "0" more keeps a typed ten: a key pressed twice in a hurry
            # never turns the worst pain into none. Any other digit replaces the score.
            ten = digit == 0 and (self.value == 1 or (self.value == 10 and self._typed_ten))
            self.value = 10 if ten else digit
            self._typed_ten = ten
            event.stop()

    def action_move(self, step: int) -> None:
        self._typed_ten = False
        start = self.value if self.value is not None else (0 if step > 0 else 10)
        self.value = max(0, min(10, start + step if self.value is not None else start))

    def action_choose(self) -> None:
        if self.value is not None:
            self.post_message(self.Chosen(self, self.value))
