"""Maps a section name to the screen that shows it, imported only when opened."""

from __future__ import annotations

import importlib
from typing import Any

from textual.screen import Screen

#: name -> (module under kneetui.tui.screens, class name)
SCREENS: dict[str, tuple[str, str]] = {
    "library": ("library", "ExerciseLibraryScreen"),
    "exercise": ("exercise_detail", "ExerciseDetailScreen"),
    "programs": ("programs", "ProgramsScreen"),
    "program-builder": ("program_builder", "ProgramBuilderScreen"),
    "progress": ("progress", "ProgressScreen"),
    "learn": ("learn", "LearnScreen"),
    "aids": ("aids", "AidsScreen"),
    "faq": ("faq", "FaqScreen"),
    "sources": ("sources", "SourcesScreen"),
    "plugins": ("plugins", "PluginsScreen"),
    "settings": ("settings", "SettingsScreen"),
    "help": ("help", "HelpScreen"),
    "session": ("session", "SessionScreen"),
}


def screen_class(name: str) -> type[Screen[Any]] | None:
    if name not in SCREENS:
        return None
    module_name, class_name = SCREENS[name]
    module = importlib.import_module(f"kneetui.tui.screens.{module_name}")
    cls: type[Screen[Any]] = getattr(module, class_name)
    return cls


def make(name: str, **options: Any) -> Screen[Any] | None:
    cls = screen_class(name)
    return cls(**options) if cls is not None else None
