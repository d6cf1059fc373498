"""Running a plug-in's own session screen inside kneetui's safety frame.

kneetui asks only the plug-in that contributed an exercise for its screen, and
contains any exception the screen raises afterwards: the screen is closed and
kneetui's own guidance takes over, with everything recorded so far kept. A
screen that stops giving the event loop back is interrupted by a watchdog
(:mod:`kneetui.tui.plugin_watchdog`) and then closed the same way.

The frame belongs to kneetui, not to the plug-in: on the plug-in's screen and on
anything it opens, kneetui's own keys come first (``!`` the pain is worse, ``q``
end the session, asking first) and a bar of kneetui's says so. A plug-in that
calls ``app.exit()`` has its screen closed instead, and kneetui goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
import termios
from collections.abc import Callable
from enum import StrEnum
from types import FrameType
from typing import Any, NoReturn

from textual.screen import Screen

from kneetui.content.model import Exercise
from kneetui.content.text import one_line
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.plugin_host.loader import LoadResult
from kneetui.terminal import TERMINAL_RESET
from kneetui.tui.plugin_watchdog import EventLoopWatchdog, frame_in_package, runs_plugin_code

#: The exit status when a plug-in's screen hung and could not be interrupted.
EXIT_PLUGIN_HUNG = 3


class PluginScreenError(Exception):
    """A plug-in could not supply a usable screen."""


class PluginExit(StrEnum):
    """How a plug-in's session screen came to an end."""

    #: The plug-in finished the exercise (guide.finish() or it dismissed itself).
    FINISHED = "finished"
    #: The person said the pain is worse, through kneetui's frame or the plug-in's guide.
    PAIN_WORSE = "pain worse"
    #: The person ended the session through kneetui's frame.
    QUIT = "quit"


def frames_from(frame: FrameType | None) -> list[FrameType]:
    """``frame`` and the frames that called it, innermost first."""
    frames = []
    while frame is not None:
        frames.append(frame)
        frame = frame.f_back
    return frames


def plugin_session_screen(
    plugins: LoadResult, owner: str, exercise: Exercise, guide: SessionGuide
) -> Screen[Any] | None:
    """The owner plug-in's screen for ``exercise``, None if it has none; raises PluginScreenError."""
    for implementation in plugins.manager.hook.kneetui_session_screen.get_hookimpls():
        if implementation.plugin_name != owner:
            continue
        offered = {"exercise": exercise, "guide": guide}
        try:
            screen = implementation.function(**{name: offered[name] for name in implementation.argnames})
        except BaseException as error:
            raise PluginScreenError(f"{owner}: kneetui_session_screen raised {one_line(error)}") from error
        if screen is None:
            return None
        if not isinstance(screen, Screen):
            raise PluginScreenError(f"{owner}: kneetui_session_screen returned {type(screen).__name__}, not a Screen")
        return screen
    return None


class PluginScreenGuard:
    """Recognises exceptions that come from a plug-in's screen, and closes that screen once."""

    def __init__(
        self, screen: Screen[Any], plugin: str, on_failure: Callable[[str], None], handover: Any = None
    ) -> None:
        self.screen = screen
        #: The session's :class:`~kneetui.tui.plugin_handover.PluginHandOver`; the frame's keys act through it.
        self.handover = handover
        self.plugin = plugin
        self.package = type(screen).__module__.split(".")[0]
        self.on_failure = on_failure
        self.closing = False
        self.watchdog: EventLoopWatchdog | None = None

    def called_by_plugin(self, caller: FrameType | None) -> bool:
        """Whether ``caller`` (e.g. ``sys._getframe(1)`` in the method called) is the plug-in's code,
        or code the plug-in called."""
        return runs_plugin_code(frames_from(caller), self.package)

    def in_plugin_code(self, error: BaseException) -> bool:
        # By module name, not file name: a plug-in from the user folder is the
        # module kneetui_user_plugin_<name>, loaded from <name>.py.
        traceback = error.__traceback__
        while traceback is not None:
            if frame_in_package(traceback.tb_frame, self.package):
                return True
            traceback = traceback.tb_next
        return False

    def start_watchdog(self, threshold: float, give_up: Callable[[], None]) -> None:
        """Interrupt the screen's code when it keeps the event loop for ``threshold`` seconds.

        Call on the event loop's thread; ``give_up`` is called from the
        watchdog's thread when the code cannot be interrupted.
        """
        self.stop_watchdog()
        self.watchdog = EventLoopWatchdog(
            self.package, asyncio.get_running_loop().call_soon_threadsafe, give_up, threshold=threshold
        )
        self.watchdog.start()

    def stop_watchdog(self) -> None:
        if self.watchdog is not None:
            self.watchdog.stop()
            self.watchdog = None

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
            # Only now: until the screen is gone its timers may run (and hang) again.
            self.stop_watchdog()
            self.on_failure(f"{self.plugin}: {one_line(error)}")

        app.call_later(close)


def leave_after_hung_plugin(app: Any, plugin: str) -> NoReturn:
    """Restore the terminal, say why, and exit at once: the event loop is not coming back.

    Called from the watchdog's thread, so it touches nothing of Textual's but
    the terminal settings the driver saved. Every block recorded so far is
    already committed to the history.
    """
    driver = getattr(app, "_driver", None)
    attributes, fileno = getattr(driver, "attrs_before", None), getattr(driver, "fileno", None)
    if attributes is not None and isinstance(fileno, int):
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(fileno, termios.TCSANOW, attributes)
    message = (
        f"kneetui: the plug-in {plugin!r} stopped responding on its session screen and could not be "
        "interrupted, so kneetui had to close. Everything recorded before that is kept.\n"
        f"kneetui: to run without it: kneetui plugins disable {plugin}\n"
    )
    terminal = sys.__stderr__
    try:
        if terminal is not None:
            os.write(terminal.fileno(), TERMINAL_RESET + message.encode("utf-8", "replace"))
    except (OSError, AttributeError, ValueError):
        pass
    os._exit(EXIT_PLUGIN_HUNG)
