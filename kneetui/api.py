"""The public plug-in API: the only module a kneetui plug-in needs to import.

It imports no Textual, so content-only plug-ins load fast and can be tested
without a terminal. A plug-in that supplies its own session screen imports
Textual itself, inside its ``kneetui_session_screen`` hook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pluggy

from kneetui.content.model import (
    Advice,
    Aid,
    Category,
    Dosage,
    Dose,
    Drawing,
    Exercise,
    FaqEntry,
    Frequency,
    Laterality,
    Program,
    ProgramStep,
    Provenance,
    Range,
    Source,
    Step,
    Topic,
    TopicKind,
)
from kneetui.engine.clock import Clock, FakeClock
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.engine.recording import BlockKind
from kneetui.hookspecs import PROJECT

#: The version of this API. A plug-in may set ``KNEETUI_API = <int>`` to say
#: which version it was written for; a different major version is refused.
API_VERSION = 1

hookimpl = pluggy.HookimplMarker(PROJECT)

#: The ``register`` callback every register hook receives: call it once per item.
Register = Callable[[Any], None]

__all__ = [
    "API_VERSION",
    "Advice",
    "Aid",
    "BlockKind",
    "Category",
    "Clock",
    "Dosage",
    "Dose",
    "Drawing",
    "Exercise",
    "FakeClock",
    "FaqEntry",
    "Frequency",
    "Laterality",
    "Program",
    "ProgramStep",
    "Provenance",
    "Range",
    "Register",
    "SessionGuide",
    "Source",
    "Step",
    "Topic",
    "TopicKind",
    "hookimpl",
]
