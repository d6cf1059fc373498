"""What a session asks the UI to announce: a bell, a 3-2-1, a side switch, a stop."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from kneetui.engine.safety import STOP_ADVICE

#: STOP_ADVICE lives with the rest of the safety policy; it is named here too for older imports.
__all__ = ["STOP_ADVICE", "Cue", "CueKind"]


class CueKind(StrEnum):
    """The kinds of cue, each announced once."""

    #: A new phase began (ring the bell); ``text`` is its instruction.
    TRANSITION = "transition"
    #: ``n`` seconds are left of a countdown (3, 2, 1).
    WARNING = "warning"
    #: The next phase is the other side or leg; comes with a TRANSITION.
    SWITCH_SIDES = "switch sides"
    #: A rep was counted (paced by the tempo, or by the person); ``n`` is how many
    #: are done and ``text`` says it, e.g. '3 of 10'.
    REP = "rep"
    #: The stop rule fired; ``text`` is the advice to show.
    STOPPED = "stopped"
    #: Something the person must be told about their safety that is not a stop, e.g. a
    #: skipped pain check; ``text`` says it.
    NOTICE = "notice"


@dataclass(frozen=True)
class Cue:
    kind: CueKind
    n: int | None = None
    text: str = ""
