"""Starts the full-screen app from the command line."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, TextIO

from kneetui.storage.config import LoadedSettings

if TYPE_CHECKING:
    from kneetui.history.store import HistoryOpen
    from kneetui.plugin_host.loader import LoadResult


def run_app(loaded_settings: LoadedSettings, theme: str | None = None) -> int:
    import gc
    import sys

    # Start-up allocates a great deal and frees almost nothing: collecting during it only delays
    # the first frame. The app collects again once Home is painted and the plug-ins are loaded
    # (KneeApp.collect_garbage_again).
    gc.disable()

    from textual.theme import BUILTIN_THEMES

    from kneetui.tui.app import KneeApp
    from kneetui.tui.themes import load_themes

    themes = load_themes()
    known = [*themes.names, *BUILTIN_THEMES]
    if theme is not None and theme not in known:
        print(f"kneetui: there is no theme called {theme!r}; choose one of: {', '.join(known)}", file=sys.stderr)
        return 2
    # The history opens and the plug-ins load in threads once Home is on screen
    # (KneeApp.first_frame_shown): its menu needs neither.
    plugins = partial(load_installed, tuple(loaded_settings.settings.disabled_plugins))
    app = KneeApp(plugins, loaded_settings, theme_override=theme, themes=themes, history=open_history)
    draw_in_utf8(sys.__stderr__)
    output = sys.stdout, sys.stderr
    try:
        app.run()
    finally:
        gc.enable()
        # Plug-ins still loading when the person quit print into a capture of their own, and put back
        # on ending what was there when they began: Textual's capture of the app's output, gone now.
        app.finish_loading_plugins(timeout=1.0)
        app.close_history()
        sys.stdout, sys.stderr = output
    return app.return_code or 0


def open_history() -> HistoryOpen:
    """The person's history, opened (or made) where it belongs (imported here, in the loading thread)."""
    from kneetui.history.store import open_history_store

    return open_history_store()


def load_installed(disabled: tuple[str, ...]) -> LoadResult:
    """Every installed plug-in, loaded as ``kneetui`` commands load them (imported here, in the loading thread)."""
    from kneetui.exchange.installed import load_installed_plugins

    return load_installed_plugins(disabled=disabled)


def draw_in_utf8(terminal: TextIO | None) -> None:
    """Write the screen as UTF-8 whatever the locale says (Textual draws on stderr).

    Textual measures every box-drawing character as one cell. Under a locale
    that is not UTF-8 (LANG=C with Python's locale coercion off) the stream
    wrote them as '\\u2500', six cells each, and every line of every screen
    broke. Terminals that show kneetui at all take UTF-8, as Python itself
    assumes for the C locale.
    """
    import codecs
    import io

    encoding = getattr(terminal, "encoding", None) or "utf-8"
    if codecs.lookup(encoding).name != "utf-8" and isinstance(terminal, io.TextIOWrapper):
        terminal.reconfigure(encoding="utf-8")
