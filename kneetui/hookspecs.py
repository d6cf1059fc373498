"""Every hook a kneetui plug-in can implement (one line of docstring each).

Register hooks receive a ``register`` callback: call it once per item. kneetui
validates each item and records problems against the plug-in that sent it.
"""

from __future__ import annotations

from typing import Any

import pluggy

PROJECT = "kneetui"
hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec
def kneetui_register_sources(register: Any) -> None:
    """Call ``register(Source(...))`` for each citation the plug-in's content refers to."""


@hookspec
def kneetui_register_exercises(register: Any) -> None:
    """Call ``register(Exercise(...))`` for each exercise the plug-in adds."""


@hookspec
def kneetui_register_aids(register: Any) -> None:
    """Call ``register(Aid(...))`` for each ergonomic aid the plug-in describes."""


@hookspec
def kneetui_register_faq(register: Any) -> None:
    """Call ``register(FaqEntry(...))`` for each question and answer the plug-in adds."""


@hookspec
def kneetui_register_topics(register: Any) -> None:
    """Call ``register(Topic(...))`` for each education topic (cause, approach, safety)."""


@hookspec
def kneetui_register_programs(register: Any, catalog: Any) -> None:
    """Call ``register(Program(...))`` per programme; ``catalog`` (optional) holds the exercises and sources."""


@hookspec(firstresult=True)
def kneetui_session_screen(exercise: Any, guide: Any) -> Any:
    """Return a Textual ``Screen`` that guides ``exercise`` through ``guide``, or ``None``."""
