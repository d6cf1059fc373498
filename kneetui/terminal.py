"""What kind of terminal kneetui is drawing on, read from the environment (no Textual).

Over SSH or on a limited terminal kneetui goes light: no animation and fewer
screen updates, because every byte crosses the network. A 16-colour terminal
gets the ANSI theme, which uses the terminal's own palette.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class ColorDepth(StrEnum):
    SIXTEEN = "16"
    TWO_FIFTY_SIX = "256"
    TRUECOLOR = "truecolor"


#: TERM values that can only show the 16 basic colours (the Linux console among them).
_SIXTEEN_COLOUR_TERMS = {"linux", "vt100", "vt102", "vt220", "xterm", "screen", "tmux", "ansi", "cons25", "dumb", ""}
#: TERM values on which motion and frequent redraws are a poor experience.
_LIMITED_TERMS = {"linux", "vt100", "vt102", "vt220", "dumb", "ansi", "cons25", ""}


_EXPLICIT_DEPTHS = {
    "truecolor": ColorDepth.TRUECOLOR,
    "256": ColorDepth.TWO_FIFTY_SIX,
    "standard": ColorDepth.SIXTEEN,
}


@dataclass(frozen=True)
class TerminalProfile:
    remote: bool
    limited: bool
    colors: ColorDepth

    @property
    def light(self) -> bool:
        """Whether kneetui should go light by default."""
        return self.remote or self.limited


def read_terminal(env: Mapping[str, str]) -> TerminalProfile:
    term = env.get("TERM", "").lower()
    colorterm = env.get("COLORTERM", "").lower()
    # Textual's own setting wins; textual-serve sets it for the browser's terminal.
    explicit = _EXPLICIT_DEPTHS.get(env.get("TEXTUAL_COLOR_SYSTEM", "").lower())
    in_browser = "web_driver" in env.get("TEXTUAL_DRIVER", "")
    if explicit is not None:
        colors = explicit
    elif colorterm in ("truecolor", "24bit"):
        colors = ColorDepth.TRUECOLOR
    elif "256color" in term or "256" in colorterm:
        colors = ColorDepth.TWO_FIFTY_SIX
    elif term in _SIXTEEN_COLOUR_TERMS or term.endswith("-16color"):
        colors = ColorDepth.SIXTEEN
    else:
        colors = ColorDepth.TWO_FIFTY_SIX
    remote = any(env.get(name) for name in ("SSH_CONNECTION", "SSH_CLIENT", "SSH_TTY"))
    return TerminalProfile(remote=remote, limited=not in_browser and term in _LIMITED_TERMS, colors=colors)


def should_go_light(profile: TerminalProfile, setting: str) -> bool:
    """``setting`` is 'auto' (light over SSH or on a limited terminal), 'on' or 'off'."""
    if setting == "on":
        return True
    if setting == "off":
        return False
    return profile.light


#: Sent to the client after a process was ended from outside, so its terminal is usable
#: again: leave the alternate screen, stop mouse and focus reporting, bracketed paste and
#: the kitty keyboard mode, show the cursor and reset colours.
TERMINAL_RESET = (
    b"\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1015l"
    b"\x1b[?1004l\x1b[?2004l\x1b[<u\x1b[?1049l\x1b[?25h\x1b[0m\r\n"
)
