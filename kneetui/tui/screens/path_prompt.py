"""Asks for a file path in an Input; shows why the last try failed, if it did."""

from __future__ import annotations

import contextlib
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from kneetui.served import served_home
from kneetui.tui.screens.dialog import Dialog


class PathPromptScreen(Dialog[Path | None]):
    """Dismisses with the path typed (``~`` expanded) on Enter, or None on Escape.

    A relative path starts at the home folder, as the ``~/`` the prompt offers does: the
    person's working folder is wherever kneetui happened to be started, and a name typed over
    the offered ``~/`` should not land there. When served, it is left relative:
    :func:`kneetui.served.confine` starts it at the patient's own folder.
    """

    DEFAULT_CSS = """
    PathPromptScreen > Vertical { width: 72; }
    PathPromptScreen #problem { color: $error; text-style: bold; margin-top: 1; }
    PathPromptScreen #keys { color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, question: str, value: str = "", problem: Content | str = "") -> None:
        super().__init__()
        self.question = question
        self.value = value
        self.problem = problem

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.question, id="question", markup=False)
            yield Input(self.value, placeholder="~/my-programme.toml", id="path")
            yield Static("Enter to go on, Escape to cancel.", id="keys", markup=False)
            if self.problem:
                yield Static(self.problem, id="problem", markup=False)

    def on_mount(self) -> None:
        self.query_one("#path", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if not text:
            return
        try:
            path = Path(text).expanduser()
        except RuntimeError:
            # "~name" for a user this system does not know.
            self.show_problem(f"There is no home folder {text.split('/')[0]}; give a path such as ~/file.toml")
            return
        if not path.is_absolute() and served_home() is None:
            with contextlib.suppress(RuntimeError):  # no home folder at all: the working folder is all there is
                path = Path.home() / path
        self.dismiss(path)

    def show_problem(self, problem: str) -> None:
        shown = self.query("#problem")
        if shown:
            shown.first(Static).update(problem)
        else:
            self.query_one(Vertical).mount(Static(problem, id="problem", markup=False))

    def action_cancel(self) -> None:
        self.dismiss(None)
