"""How kneetui words text it did not write: control characters, values and errors in one line."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

# C0 and C1 control characters other than newline and tab: they would let text move the
# cursor or change colours behind the app's back. Lone surrogates cannot be written as UTF-8.
_CONTROL_CHARACTERS = r"\x00-\x08\x0b-\x1f\x7f-\x9f"
_SURROGATES = r"\ud800-\udfff"
#: What :func:`clean_text` replaces in text shown in the terminal.
CONTROL = re.compile(f"[{_CONTROL_CHARACTERS}]")
#: What a field of a file a person writes must not contain, on one line or on several.
NOT_ONE_LINE = re.compile(f"[{_CONTROL_CHARACTERS}\n\t{_SURROGATES}]")
NOT_MULTILINE = re.compile(f"[{_CONTROL_CHARACTERS}{_SURROGATES}]")


def clean_text(text: str) -> str:
    """Replace control characters with U+FFFD so text is shown, never obeyed."""
    if type(text) is str and text.isprintable():  # no control character: the common case, told quickest
        return text
    return CONTROL.sub("\ufffd", text)


#: The digits a typed number may have: ``str.isdigit`` also says yes to ² and ①, which ``int`` refuses.
_WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")


def typed_whole_number(text: str) -> int | None:
    """The whole number a person typed (ASCII digits only, at most nine), or None."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


def one_line(error: BaseException) -> str:
    """An exception as a single line a person can read, cleaned of control characters."""
    text = str(error).strip().splitlines()
    return clean_text(f"{type(error).__name__}: {text[0]}" if text else type(error).__name__)


def reason(error: BaseException) -> str:
    """Why something failed: for an operating-system call, in the system's words ('No such file or directory')."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def kind(value: Any) -> str:
    """What a TOML value is, in the words of kneetui's file-format documentation."""
    # bool before int: True is an int to Python, never to a person writing TOML.
    for types, words in _KINDS:
        if isinstance(value, types):
            return words
    return type(value).__name__


_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "true/false"),
    (int, "a whole number"),
    (float, "a decimal number"),
    (str, "text"),
    ((list, tuple), "an array"),
    (dict, "a table"),
    (datetime, "a date-time"),
    (date, "a date"),
    (time, "a time"),
)


def shown(value: Any, limit: int = 60) -> str:
    """``value`` quoted for a message: repr() escapes control characters, so it never steers the terminal."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def control_character(text: str, multiline: bool = False) -> str:
    """'' when ``text`` may be shown as it is, else what is wrong, e.g. 'contains a line break at position 4'."""
    bad = (NOT_MULTILINE if multiline else NOT_ONE_LINE).search(text)
    if bad is None:
        return ""
    what = "a line break" if bad.group() in "\r\n" else f"the control character U+{ord(bad.group()):04X}"
    return f"contains {what} at position {bad.start() + 1}"
