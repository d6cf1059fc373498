"""Lines in and out for plain mode: one line per thing said, one line per answer.

Every answer is a line. ``!`` (the pain is worse) and ``q`` (quit) are acted on
at every prompt, by raising; the session decides what they lead to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TextIO

from kneetui.content.text import typed_whole_number
from kneetui.engine.recording import SafetyAnswers

SKIP_WARNING = "Skipping means the stop rule cannot look at your pain now. Type s to skip, or your pain from 0 to 10."


class PainWorse(Exception):
    """The person typed '!'; ``answers`` are the questions before a session, when all were answered."""

    def __init__(self, answers: SafetyAnswers | None = None) -> None:
        super().__init__()
        self.answers = answers


class QuitRequested(Exception):
    """The person typed 'q'."""


class InputClosed(Exception):
    """Standard input reached its end."""


class PlainConsole:
    """Says lines on ``stdout`` (with a bell and speech when asked) and reads answers from ``stdin``."""

    def __init__(
        self, stdin: TextIO, stdout: TextIO, bell: bool = True, speak: Callable[[str], None] | None = None
    ) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.bell = bell
        self.speak = speak
        #: The last line said, so the same advice is not said twice in a row.
        self.last_said = ""
        # Without a terminal nothing echoes the Enter, so each answer would run
        # into the next line; write the line break ourselves.
        self._echo_newline = not is_terminal(stdin)

    def say(self, line: str, bell: bool = False, spoken: bool = False) -> None:
        """Write one line; ``bell`` rings it (unless bells are off), ``spoken`` speaks it too."""
        self.stdout.write(("\a" if bell and self.bell else "") + line + "\n")
        self.stdout.flush()
        self.last_said = line
        if spoken and self.speak is not None:
            self.speak(line)

    def read(self, prompt: str = "") -> str:
        """One line, stripped; '!' and 'q' are acted on at every prompt."""
        if prompt:
            self.stdout.write(prompt)
            self.stdout.flush()
        line = self.stdin.readline()
        if prompt and self._echo_newline:
            self.stdout.write("\n")
        if line == "":
            raise InputClosed
        text = line.strip().lower()
        if text and not text.strip("! "):  # "!", and "!!" or "! !" typed in a hurry
            raise PainWorse
        if text == "q":
            raise QuitRequested
        return text

    def ask_number(self, prompt: str, allow_skip: bool = False) -> int | None:
        """A score from 0 to 10; with ``allow_skip``, None when the person types s (never a bare Enter)."""
        while True:
            text = self.read(prompt)
            if text == "s" and allow_skip:
                return None
            score = typed_whole_number(text)
            if score is not None and score <= 10:
                return score
            self.say(SKIP_WARNING if allow_skip else "Please type a whole number from 0 to 10.")

    def ask_yes_no(self, prompt: str) -> bool:
        while True:
            text = self.read(prompt)
            if text in ("y", "yes"):
                return True
            if text in ("n", "no"):
                return False
            self.say("Please type y for yes or n for no.")


def is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
