"""Running a plug-in's own session screen inside kneetui's safety frame.

kneetui asks only the plug-in that contributed an exercise for its screen, and
contains any exception the screen raises afterwards: the screen is closed and
kneetui's own guidance takes over, with everything recorded so far kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

from kneetui.content.model import Exercise
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.plugin_host.loader import LoadResult, one_line


class PluginScreenError(Exception):
    """A plug-in could not supply a usable screen."""


def plugin_session_screen(plugins: LoadResult, owner: str, exercise: Exercise, guide: SessionGuide) -> Screen[Any] | None:
    """The owner plug-in's screen for ``exercise``, None if it has none; raises PluginScreenError."""
    for implementation in plugins.manager.hook.kneetui_session_screen.get_hookimpls():
        if implementation.plugin_name != owner:
            continue
        offered = {"exercise": exercise, "guide": guide}
        try:
            screen = implementation.function(**{name: offered[name] for name in implementation.argnames})
        except BaseException as error:  # noqa: BLE001 - a plug-in may raise anything
            raise PluginScreenError(f"{owner}: kneetui_session_screen raised {one_line(error)}") from error
        if screen is None:
            return None
        if not isinstance(screen, Screen):
            raise PluginScreenError(f"{owner}: kneetui_session_screen returned {type(screen).__name__}, not a Screen")
        return screen
    return None


class PluginScreenGuard:
    """Recognises exceptions that come from a plug-in's screen, and closes that screen once."""

    def __init__(self, screen: Screen[Any], plugin: str, on_failure: Callable[[str], None]) -> None:
        self.screen = screen
        self.plugin = plugin
        self.package = type(screen).__module__.split(".")[0]
        self.on_failure = on_failure
        self.closing = False

    def in_plugin_code(self, error: BaseException) -> bool:
        # By module name, not file name: a plug-in from the user folder is the
        # module kneetui_user_plugin_<name>, loaded from <name>.py.
        traceback = error.__traceback__
        while traceback is not None:
            module = traceback.tb_frame.f_globals.get("__name__", "")
            if isinstance(module, str) and module.split(".")[0] == self.package:
                return True
            traceback = traceback.tb_next
        return False

    def caused(self, error: BaseException, active_screen: Screen[Any]) -> bool:
        """Whether ``error`` belongs to the guarded screen.

        While the screen is open: anything raised while it shows, or in its code.
        After it failed: only errors raised in its code (events it had queued).
        """
        if self.closing:
            return self.in_plugin_code(error)
        if self.screen not in self.screen.app.screen_stack:
            return False
        return active_screen is self.screen or self.in_plugin_code(error)

    def contain(self, error: BaseException) -> None:
        """Close the screen (once) and say what went wrong."""
        if self.closing:
            self.screen.app.log.error(f"plug-in screen {self.plugin!r} (closed) raised again: {one_line(error)}")
            return
        self.closing = True
        app = self.screen.app
        app.log.error(f"plug-in screen {self.plugin!r} failed: {one_line(error)}")

        def close() -> None:
            while self.screen in app.screen_stack:
                app.pop_screen()
            self.on_failure(f"{self.plugin}: {one_line(error)}")

        app.call_later(close)
