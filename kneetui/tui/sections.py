"""The sections of the app: one list drives Home's menu, its keys, and Help."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A place reachable from Home with one key."""

    key: str
    name: str
    label: str
    short: str
    description: str


SECTIONS = (
    Section("s", "session", "Start today's session", "Start", "Guided session of the chosen programme"),
    Section("e", "library", "Exercise library", "Exercises", "Every exercise, with steps, dosage and a drawing"),
    Section("r", "programs", "Programmes", "Programmes", "Choose, build, import and export programmes"),
    Section("g", "progress", "Progress", "Progress", "Days exercised, streak and pain over time"),
    Section("l", "learn", "Learn", "Learn", "Causes, acute versus chronic, when to seek help"),
    Section("a", "aids", "Ergonomic aids", "Aids", "Knee supports, braces and insoles"),
    Section("f", "faq", "FAQ", "FAQ", "Common questions, searched as you type"),
    Section("c", "sources", "Sources", "Sources", "Every citation and what cites it"),
    Section("p", "plugins", "Plug-ins", "Plug-ins", "Where the content comes from, and any failures"),
    Section("o", "settings", "Settings", "Settings", "Theme, sounds, timings, animations"),
    Section("question_mark", "help", "Help", "Help", "Every key, screen by screen"),
)


def key_label(key: str) -> str:
    return {"question_mark": "?", "exclamation_mark": "!"}.get(key, key)
