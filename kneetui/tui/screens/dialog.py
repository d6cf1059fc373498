"""The box every dialog of kneetui is drawn in: centred, on the surface colour, never wider than the terminal."""

from __future__ import annotations

from typing import TypeVar

from textual import getters
from textual.screen import ModalScreen

from kneetui.tui.app import KneeApp

ResultType = TypeVar("ResultType")


class Dialog(ModalScreen[ResultType]):
    """A modal screen whose content is one ``Vertical``, shown as a box in the middle.

    A subclass sets its width in its own CSS (``ConfirmScreen > Vertical { width: 64; }``)
    and adds the class ``-warning`` for a box that warns.
    """

    app = getters.app(KneeApp)

    DEFAULT_CSS = """
    Dialog { align: center middle; }
    Dialog > Vertical {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $primary; background: $surface; padding: 0 1;
    }
    Dialog.-warning > Vertical { border: thick $warning; }
    """
