"""The kneetui Textual application: screens, themes, settings and the command palette."""

from __future__ import annotations

import asyncio
import gc
import os
import sys
import threading
import weakref
from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events
from textual._context import active_message_pump  # Textual's record of whose timer or handler runs now
from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.content import Content
from textual.message import Message
from textual.screen import Screen

from kneetui.content.catalog import Catalog
from kneetui.engine.clock import Clock, SystemClock
from kneetui.storage.config import LoadedSettings, Settings, save_settings
from kneetui.terminal import ColorDepth, read_terminal, should_go_light
from kneetui.tui.literal import heading
from kneetui.tui.themes import DEFAULT_THEME, ThemeLoad, load_themes

if TYPE_CHECKING:
    from collections.abc import Callable

    from textual.command import Provider
    from textual.theme import Theme

    from kneetui.content.model import Dose, Program
    from kneetui.exchange.user_programs import UserPrograms
    from kneetui.history.store import HistoryOpen, HistoryStore
    from kneetui.plugin_host.loader import LoadResult
    from kneetui.tui.plugin_screens import PluginScreenGuard
    from kneetui.tui.screens.session import SessionScreen

#: Sections that show the catalogue as it was loaded: made once and kept when the person goes back,
#: so going back and forth builds no new screens (and leaves nothing behind for the collector).
KEPT_SECTIONS = frozenset({"library", "faq", "learn", "aids", "sources"})

#: The theme that follows the terminal's own 16-colour palette.
ANSI_THEME = "kneetui-ansi"

#: Sections that show nothing from a plug-in: they open at once, even while the plug-ins still load.
CONTENT_FREE_SECTIONS = frozenset({"help", "settings"})
#: Keys that act at once on Home while the plug-ins load, even after keys that wait for them: quit and safety.
KEYS_NEVER_HELD = frozenset({"q", "ctrl+q", "ctrl+c", "exclamation_mark"})
#: Keys that act at once on Home while the plug-ins load when no earlier key waits (so keys keep their order).
KEYS_FREE_WHILE_LOADING = frozenset({"question_mark", "f1", "o", "k"})

#: After this long still loading plug-ins, the person is told why Home's today panel is empty.
SLOW_LOADING_SECONDS = 2.0


def content_commands() -> type[Provider]:
    """The command palette's provider of exercises, questions and topics, imported when the palette opens."""
    from kneetui.tui.commands import ContentCommands

    return ContentCommands


def with_user_programs(plugins: LoadResult) -> UserPrograms:
    """The person's own programmes in ``plugins``, registered through the programme hook like a plug-in's."""
    from kneetui.exchange.user_programs import PLUGIN_NAME, UserPrograms

    if plugins.record(PLUGIN_NAME) is None:
        plugins.add_plugin(*UserPrograms().candidate())
    own = plugins.objects.get(PLUGIN_NAME)
    return own if isinstance(own, UserPrograms) else UserPrograms()


class Readiness:
    """What waits for something to be ready (the plug-ins, the history): called in order once it is, at once after."""

    def __init__(self) -> None:
        self._waiting: list[Callable[[], object]] | None = []

    @property
    def ready(self) -> bool:
        return self._waiting is None

    def when_ready(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` now if ready, else once ready; whether it was called now."""
        if self._waiting is None:
            callback()
            return True
        self._waiting.append(callback)
        return False

    def become_ready(self) -> None:
        """Ready from now on: call what waited, in the order it came."""
        waiting, self._waiting = self._waiting or [], None
        for callback in waiting:
            callback()


def _already_loaded(plugins: LoadResult) -> LoadResult:
    return plugins


def _history_in_memory() -> HistoryStore:
    from kneetui.history.store import HistoryStore

    return HistoryStore.in_memory()


class PluginsLoaded(Message):
    """The plug-ins loaded in the background (or the reason they could not be); posted from that thread."""

    def __init__(self, plugins: LoadResult | None, user_programs: UserPrograms | None, problem: str = "") -> None:
        super().__init__()
        self.plugins = plugins
        self.user_programs = user_programs
        self.problem = problem


class HistoryOpened(Message):
    """The history opened in the background (see ``KneeApp.first_frame_shown``); posted from that thread."""

    def __init__(self, opened: HistoryOpen) -> None:
        super().__init__()
        self.opened = opened


class HistoryProblem(Message):
    """A write to the history failed; posted from the writer thread to the app."""

    def __init__(self, problem: str) -> None:
        super().__init__()
        self.problem = problem


class KneeApp(App[None]):
    """kneetui's full-screen app. Everything it shows comes from ``plugins``.

    ``plugins`` is what was loaded, or a function that loads it: that one is
    called in a thread once Home is on screen, so the first frame does not wait
    for plug-ins to import and register. Until it returns, nothing from a
    plug-in is shown (the catalogue is empty and Home's today panel blank), and
    what needs content (a section, the session, the palette) waits for it; a
    plug-in that hangs leaves the app usable (quit, help, settings, the safety notice).

    ``history`` is an open history, or a function that opens one: that one is
    called in a thread of its own beside the plug-ins' loading, which reports
    them loaded only once the history is open. Home shows the stop of a
    previous session as soon as it is.
    """

    #: What the plug-ins contributed; set when they are loaded (at once, or from the loading thread).
    plugins: LoadResult
    #: The person's own programmes, registered through the programme hook like a plug-in's.
    user_programs: UserPrograms

    TITLE = "kneetui"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {content_commands}
    #: Every screen gets ``-narrow`` below 70 columns: side-by-side panels stack there.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-wide")]
    BINDINGS = [
        # Help opens over whatever is shown; Escape comes back. The session screen pauses itself first.
        Binding("question_mark,f1", "help", "Help", show=False),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True),
        # kneetui's safety frame on a plug-in's screen: these come before anything the plug-in binds.
        Binding("exclamation_mark", "frame_pain_worse", "Pain worse", priority=True),
        Binding("q", "frame_quit", "End session", priority=True),
    ]

    def __init__(
        self,
        plugins: LoadResult | Callable[[], LoadResult],
        loaded_settings: LoadedSettings,
        theme_override: str | None = None,
        clock: Clock | None = None,
        save: bool = True,
        themes: ThemeLoad | None = None,
        history: HistoryStore | Callable[[], HistoryOpen] | None = None,
    ) -> None:
        super().__init__()
        #: Empty until the plug-ins are loaded.
        self.catalog = Catalog()
        #: What waits for the plug-ins to be loaded (``when_plugins_loaded``).
        self._plugins_ready = Readiness()
        self._load_plugins = plugins if callable(plugins) else None
        self._plugin_thread: threading.Thread | None = None
        #: Keys pressed on Home while the plug-ins load (see ``holds_key``).
        self._held_keys: list[events.Key] = []
        self._playing: events.Key | None = None
        self.settings: Settings = loaded_settings.settings
        self.startup_notices = list(loaded_settings.notices)
        self._settings_outdated = loaded_settings.outdated
        self.theme_override = theme_override
        self.clock = clock or SystemClock()
        self._save_enabled = save
        #: Set while a plug-in's own session screen is open, to contain its failures.
        self.plugin_screen_guard: PluginScreenGuard | None = None
        #: Guards of plug-in screens that failed: events they had queued may still raise.
        self.closed_plugin_guards: list[PluginScreenGuard] = []
        #: A plug-in's session screen and any screen it opened: kneetui's frame is on each.
        self.framed_screens: weakref.WeakSet[Screen[Any]] = weakref.WeakSet()
        self._history: HistoryStore | None = None
        #: What waits for the history to be open (``when_history_open``).
        self._history_ready = Readiness()
        self._open_history: Callable[[], HistoryOpen] | None = None
        #: What the loading thread opened, kept here too: the app may have ended before its message arrives.
        self._opened_in_thread: HistoryOpen | None = None
        if callable(history):
            self._open_history = history
            if not callable(plugins):
                # Through the loading thread as well: the history opens first, and what needs
                # content (which may read the history) waits for the plug-ins.
                plugins = partial(_already_loaded, plugins)
                self._load_plugins = plugins
        else:
            self.use_history(history if history is not None else _history_in_memory())
        if not callable(plugins):
            self.use_plugins(plugins, with_user_programs(plugins))
            self._plugins_ready.become_ready()
            self.startup_notices.extend(self.user_program_notices())
        self._environment_animation_level = self.animation_level
        self.terminal = read_terminal(os.environ)
        self.light = should_go_light(self.terminal, self.settings.light_mode)
        self.apply_animation_setting()
        self.theme_load = themes if themes is not None else load_themes()
        for theme in self.theme_load.loaded:
            self.register_theme(theme)
        self.theme = self.starting_theme(theme_override or self.safe_theme(self.settings.theme))

    def safe_theme(self, wanted: str) -> str:
        """On a 16-colour terminal a full-colour theme is approximated badly; use the ANSI one."""
        theme = self.available_themes.get(wanted)
        if self.terminal.colors is ColorDepth.SIXTEEN and theme is not None and not theme.ansi:
            return ANSI_THEME
        return wanted

    def starting_theme(self, wanted: str) -> str:
        """The theme to start with: the one asked for, if it exists and can be shown."""
        if wanted not in self.available_themes:
            self.startup_notices.append(f"There is no theme called {wanted!r}; using {DEFAULT_THEME}.")
            return DEFAULT_THEME
        # Textual picks its NO_COLOR filter at start-up for a non-ANSI theme; an ANSI
        # theme chosen under it would turn every colour black, so use greys instead.
        if self.no_color and self.available_themes[wanted].ansi:
            return DEFAULT_THEME
        return wanted

    def _remember_theme(self, theme: Theme) -> None:
        if self.no_color and theme.ansi:
            self.notify("ANSI themes cannot be shown while NO_COLOR is set.", severity="warning")
            self.theme = DEFAULT_THEME
            return
        if theme.name != self.settings.theme and theme.name != self.theme_override:
            self.settings.theme = theme.name
            self.save_settings()

    # -- start-up -----------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        # Home is the bottom of the stack: one screen to lay out and paint first, not two.
        from kneetui.tui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.call_after_refresh(self.first_frame_shown)
        for notice in self.startup_notices:
            self.notify(notice, title="Settings", severity="warning", timeout=10, markup=False)
        for failure in self.theme_load.failed:
            self.log.warning(f"theme file {failure.path}: {failure.reason}")
            self.notify(
                f"{failure.path.name}: {failure.reason}",
                title="Theme skipped",
                severity="warning",
                timeout=10,
                markup=False,
            )
        if self.plugins_loaded:
            self.notify_failed_plugins()
        if self._settings_outdated:
            self.save_settings()  # told once: the setting that is no longer used leaves the file
        if not self.settings.safety_acknowledged:
            self.action_safety_notice(first_run=True)

    def notify_failed_plugins(self) -> None:
        failed = self.plugins.failed
        if failed:
            names = ", ".join(record.name for record in failed)
            self.notify(
                f"{len(failed)} plug-in(s) had problems: {names}. See Plug-ins (p) for the reasons.",
                title="Plug-ins",
                severity="warning",
                timeout=8,
                markup=False,
            )

    def first_frame_shown(self) -> None:
        """Home is on screen: load the plug-ins if that waited for it, else collect garbage again."""
        if self._load_plugins is None:
            self.collect_garbage_again()
            return
        # A daemon thread, not a worker: a plug-in that never returns must not keep kneetui from quitting.
        self._plugin_thread = threading.Thread(target=self._load_in_background, name="kneetui-plugins", daemon=True)
        self._plugin_thread.start()
        self.set_timer(SLOW_LOADING_SECONDS, self._still_loading)

    def finish_loading_plugins(self, timeout: float) -> None:
        """Give plug-ins still loading ``timeout`` seconds to end (the person quit first); a hung one is left."""
        if self._plugin_thread is not None:
            self._plugin_thread.join(timeout)

    def collect_garbage_again(self) -> None:
        """Collect garbage again if start-up turned collection off."""
        if not gc.isenabled():
            # What start-up made lives as long as the app: frozen, it is not scanned by every collection.
            if gc.get_freeze_count():
                # Forked by serve's fork server, whose own objects are frozen already: collecting
                # walks only what start-up made here (a few ms, against 60 ms in a kneetui started
                # afresh), and the garbage among it would otherwise be frozen with it, never freed
                # (about 0.4 MiB in every patient).
                gc.collect()
            gc.freeze()
            gc.enable()

    def _load_in_background(self) -> None:
        assert self._load_plugins is not None
        opener: threading.Thread | None = None
        if self._open_history is not None:
            # Beside the plug-ins: a new history waits on the disk (several fsyncs) while they import.
            opener = threading.Thread(target=self._open_in_background, name="kneetui-history-open", daemon=True)
            opener.start()
        try:
            plugins = self._load_plugins()
            loaded = PluginsLoaded(plugins, with_user_programs(plugins))
        except Exception as error:  # noqa: BLE001 - each plug-in is contained by the loader: this is a bug of ours
            from kneetui.content.text import reason

            loaded = PluginsLoaded(None, None, reason(error))
        if opener is not None:
            opener.join()  # the history is open whenever the plug-ins are: their sections may read it
        self.post_message(loaded)

    def _open_in_background(self) -> None:
        assert self._open_history is not None
        self._opened_in_thread = opened = self._history_from(self._open_history)
        self.post_message(HistoryOpened(opened))

    def on_plugins_loaded(self, message: PluginsLoaded) -> None:
        plugins, user_programs = message.plugins, message.user_programs
        if plugins is None or user_programs is None:
            from kneetui.plugin_host.loader import load_plugins

            self.notify(
                f"The plug-ins could not be loaded: {message.problem}",
                title="Plug-ins",
                severity="error",
                timeout=20,
                markup=False,
            )
            plugins = load_plugins(None, entry_points=[])
            user_programs = with_user_programs(plugins)
        self.use_plugins(plugins, user_programs)
        self.collect_garbage_again()
        for notice in self.user_program_notices():
            self.notify(notice, title="Settings", severity="warning", timeout=10, markup=False)
        self.notify_failed_plugins()
        self._plugins_ready.become_ready()
        self._play_held_key()

    @staticmethod
    def _history_from(open_history: Callable[[], HistoryOpen]) -> HistoryOpen:
        try:
            return open_history()
        except Exception as error:  # noqa: BLE001 - opening the history never raises: this is a bug of ours
            from kneetui.content.text import reason
            from kneetui.history.store import NOT_KEPT, HistoryOpen

            return HistoryOpen(_history_in_memory(), [f"The history could not be opened ({reason(error)}). {NOT_KEPT}"])

    def on_history_opened(self, message: HistoryOpened) -> None:
        self.use_history(message.opened.store)
        for notice in message.opened.notices:
            self.notify(notice, title="History", severity="warning", timeout=20, markup=False)

    def use_history(self, store: HistoryStore) -> None:
        """Record sessions in ``store`` from now on, and run what waited for it."""
        self._history = store
        store.on_problem = self.history_problem
        # A second login holding the history's lock must not freeze a countdown.
        store.write_in_background()
        self._history_ready.become_ready()

    @property
    def history(self) -> HistoryStore:
        """The person's history; open once ``when_history_open`` has called back (it is, once the plug-ins are loaded)."""
        if self._history is None:
            raise LookupError("the history is not open yet: wait for it with when_history_open")
        return self._history

    @property
    def history_open(self) -> bool:
        return self._history_ready.ready

    def when_history_open(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` now if the history is open, else once it is; whether it was called now."""
        return self._history_ready.when_ready(callback)

    def close_history(self) -> None:
        """Close the history: the one in use, or the one the loading thread opened after the app ended."""
        opened = self._opened_in_thread
        store = self._history or (opened.store if opened is not None else None)
        if store is not None:
            store.close()

    def _still_loading(self) -> None:
        if not self.plugins_loaded:
            self.collect_garbage_again()  # not to grow without bound while a plug-in hangs
            self.notify(
                "Still loading the plug-ins: today's programme and the sections appear once they are loaded.",
                title="Plug-ins",
                timeout=10,
                markup=False,
            )

    def use_plugins(self, plugins: LoadResult, user_programs: UserPrograms) -> None:
        """Show what ``plugins`` contributed, the person's own programmes among them."""
        self.plugins = plugins
        self.catalog = plugins.catalog
        self.user_programs = user_programs

    @property
    def plugins_loaded(self) -> bool:
        return self._plugins_ready.ready

    def when_plugins_loaded(self, callback: Callable[[], object]) -> bool:
        """Call ``callback`` now if the plug-ins are loaded, else once they are; whether it was called now."""
        return self._plugins_ready.when_ready(callback)

    def _handle_exception(self, error: Exception) -> None:
        # Every unhandled exception in a handler, timer or render ends up here; one
        # from a plug-in's session screen closes that screen instead of the app.
        for guard in [self.plugin_screen_guard, *self.closed_plugin_guards]:
            if guard is not None and guard.caused(error, self.screen):
                guard.contain(error)
                return
        super()._handle_exception(error)

    # -- the safety frame around a plug-in's screens ---------------------------------

    def frame_plugin_screen(self, screen: Screen[Any]) -> None:
        """Put kneetui's frame (its keys first, and a bar saying so) on a plug-in's screen."""
        from kneetui.tui.widgets.safety_frame import SafetyFrameBar

        guard = self.plugin_screen_guard
        self.framed_screens.add(screen)
        screen.call_later(screen.mount, SafetyFrameBar(guard.plugin if guard is not None else "a plug-in"))

    def in_plugin_frame(self) -> bool:
        """Whether the screen shown is a plug-in's, inside a session."""
        return self.plugin_screen_guard is not None and self.screen in self.framed_screens

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "frame_pain_worse":
            return self.in_plugin_frame() or self.covering_a_session()
        if action == "frame_quit":
            return self.in_plugin_frame()
        if action == "help":
            return not self.showing_help()
        return True

    async def on_event(self, event: events.Event) -> None:
        # On a plug-in's screen ! is kneetui's before anything else sees it, even a text field
        # of the plug-in's that would otherwise take it as a character.
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key == "exclamation_mark"
            and self.in_plugin_frame()
        ):
            event.stop()
            self.action_frame_pain_worse()
            return
        if isinstance(event, events.Key) and event is not self._playing and self.holds_key(event.key):
            # Typed ahead on Home before the plug-ins are loaded: played in order once they are.
            event.stop()
            self._held_keys.append(events.Key(event.key, event.character))
            return
        await super().on_event(event)

    def holds_key(self, key: str) -> bool:
        """Whether a key pressed now waits for the plug-ins to be loaded (or for keys that did)."""
        if key in KEYS_NEVER_HELD:
            return False
        if self._held_keys:
            return True
        if self.plugins_loaded or len(self.screen_stack) > 1:
            return False
        return key not in KEYS_FREE_WHILE_LOADING

    def _play_held_key(self) -> None:
        """Press the next held key; the one after it once the app has taken this one in, as typing would."""
        if not self._held_keys:
            self._playing = None
            return
        self._playing = self._held_keys.pop(0)
        self.post_message(self._playing)
        self.call_after_refresh(self._play_held_key)

    @staticmethod
    def covers_a_session(screen: Screen[Any]) -> bool:
        """Whether ``screen`` is one that opens over a session without being part of it: Help, the palette."""
        help_module = sys.modules.get("kneetui.tui.screens.help")
        return isinstance(screen, CommandPalette) or (
            help_module is not None and isinstance(screen, help_module.HelpScreen)
        )

    def covering_a_session(self) -> bool:
        """Whether Help or the palette is open over a session under way (``!`` still stops it there)."""
        session = self.session_under_way()
        if session is None or self.screen is session:
            return False
        return self.covers_a_session(self.screen)

    def action_frame_pain_worse(self) -> None:
        """The pain is worse, said on a plug-in's screen or over a session: kneetui stops the session."""
        from kneetui.tui.plugin_screens import PluginExit

        session = self.session_under_way()
        if session is not None and self.covering_a_session():
            self.uncover(session)
            if self.screen is session:
                session.action_pain_worse()
                return
        guard = self.plugin_screen_guard
        if guard is not None and guard.handover is not None:
            guard.handover.done(PluginExit.PAIN_WORSE)

    def action_frame_quit(self) -> None:
        """End the session from a plug-in's screen, asking first; what was done is kept."""
        from kneetui.tui.plugin_screens import PluginExit
        from kneetui.tui.screens.end_session import EndSessionScreen

        guard = self.plugin_screen_guard

        def confirmed(yes: bool | None) -> None:
            if yes and guard is not None and self.plugin_screen_guard is guard and guard.handover is not None:
                guard.handover.done(PluginExit.QUIT)

        def worse() -> None:
            if guard is not None and self.plugin_screen_guard is guard and guard.handover is not None:
                guard.handover.done(PluginExit.PAIN_WORSE)

        self.push_screen(EndSessionScreen(worse), confirmed)

    def push_screen(
        self, screen: Any, callback: Any = None, wait_for_dismiss: bool = False, *, mode: str | None = None
    ) -> Any:
        guard = self.plugin_screen_guard
        pushed = super().push_screen(screen, callback, wait_for_dismiss, mode=mode)  # type: ignore[call-overload]
        if guard is not None and isinstance(screen, Screen) and guard.called_by_plugin(sys._getframe(1)):
            # A plug-in's screen that opens another keeps the person inside kneetui's frame.
            self.log.warning(f"plug-in {guard.plugin!r} opened a screen of its own; kneetui's frame is on it too")
            self.frame_plugin_screen(screen)
        return pushed

    async def action_quit(self) -> None:
        if self.session_under_way() is not None:
            # Quitting in the middle would skip the pain check: the session ends first, as with q.
            self.end_session_first()
            return
        self._quit_asked = True  # the person asked: even a plug-in's screen on top does not stop it
        await super().action_quit()

    def from_plugin_screen(self, guard: Any, caller: Any) -> bool:
        """Whether the code calling now is the plug-in's: in its own frames, or run by a timer or
        handler of one of its screens (``set_timer(1, app.exit)`` has no frame of the plug-in's)."""
        if guard.called_by_plugin(caller):
            return True
        node = active_message_pump.get(None)
        while node is not None:
            if node in self.framed_screens:
                return True
            node = getattr(node, "parent", None)
        return False

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        guard = self.plugin_screen_guard
        asked = getattr(self, "_quit_asked", False)
        if guard is not None and not asked and self.from_plugin_screen(guard, sys._getframe(1)):
            # Only the person (or kneetui) ends kneetui; a plug-in that tries, directly or through a
            # timer, has its screen closed instead, and kneetui guides the exercise itself.
            from kneetui.tui.plugin_screens import PluginScreenError

            guard.contain(PluginScreenError("its screen tried to close kneetui (app.exit)"))
            return
        super().exit(result, return_code, message)

    def history_problem(self, problem: str) -> None:
        """A write to the history failed mid-run (it goes on in memory): tell the person now."""
        if threading.get_ident() == self._thread_id:
            self.on_history_problem(HistoryProblem(problem))
        else:
            # From the history's writer thread, which must not wait for the app (it may be
            # the app that waits for it): a message, which is safe to post from any thread.
            self.post_message(HistoryProblem(problem))

    def on_history_problem(self, message: HistoryProblem) -> None:
        self.notify(message.problem, title="History", severity="error", timeout=20, markup=False)

    async def on_unmount(self) -> None:
        # Whatever is still queued for the history is written before the app is gone.
        if self._history is not None and self._history.writes_pending:
            await asyncio.to_thread(self._history.flush)

    # -- settings -----------------------------------------------------------------

    def save_settings(self) -> None:
        """Write the settings; a failure is shown, never raised."""
        if not self._save_enabled:
            return
        try:
            kept = save_settings(self.settings)
        except OSError as error:
            self.notify(f"Could not save settings: {error}", severity="error", markup=False)
            return
        if kept is not None:
            self.notify(
                f"Your settings file had values kneetui could not use; it was kept as {kept.name}, beside the new one.",
                title="Settings",
                timeout=15,
                markup=False,
            )

    def apply_light_mode(self) -> None:
        self.light = should_go_light(self.terminal, self.settings.light_mode)
        self.apply_animation_setting()

    @property
    def animate_drawings(self) -> bool:
        return self.settings.animations and not self.light

    def apply_animation_setting(self) -> None:
        """Animations follow the setting, unless TEXTUAL_ANIMATIONS already turned them off."""
        if self._environment_animation_level != "none":
            wanted = self.settings.animations and not self.light
            self.animation_level = self._environment_animation_level if wanted else "none"
        if self.screen_stack and self.focused is not None:
            self.steady_cursor(self.focused)

    def steady_cursor(self, widget: object) -> None:
        """A text field's cursor blinks only while animations are on; otherwise it stands still, shown."""
        if hasattr(widget, "cursor_blink"):
            widget.cursor_blink = self.animation_level != "none"

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Textual starts the blink as a field takes focus; this runs just after.
        self.steady_cursor(event.widget)

    def action_command_palette(self) -> None:
        # The palette searches the catalogue: it opens once there is one.
        self.when_plugins_loaded(super().action_command_palette)

    @property
    def user_program_ids(self) -> set[str]:
        """Ids of the programmes the person made or imported (they replace a plug-in's of the same id)."""
        from kneetui.exchange.user_programs import PLUGIN_NAME

        return {
            program.id
            for program in self.catalog.programs
            if self.catalog.owner_of("programs", program.id) == PLUGIN_NAME
        }

    def reload_user_programs(self) -> list[str]:
        """Collect every programme again, the person's included; return a notice per unreadable file."""
        self.plugins.collect_programs()
        return self.user_program_notices()

    def reload_user_programs_if_changed(self) -> list[str]:
        """Reload when a programme file was added, removed or written since, e.g. by ``kneetui import``."""
        return self.reload_user_programs() if self.user_programs.changed() else []

    def user_program_notices(self) -> list[str]:
        return [
            f"Programme file {failure.path.name} was skipped: {failure.reason}"
            for failure in self.user_programs.failures
        ]

    # -- navigation ----------------------------------------------------------------

    def screen_for(self, name: str, **options: Any) -> Screen[Any] | None:
        """A new screen for the section ``name``."""
        from kneetui.tui.screens import registry

        return registry.make(name, **options)

    def action_open(self, name: str, **options: Any) -> None:
        if name not in CONTENT_FREE_SECTIONS and not self.plugins_loaded:
            self.when_plugins_loaded(lambda: self.action_open(name, **options))
            return
        if not options and name in KEPT_SECTIONS:
            if self.action_home_quietly():
                self.push_screen(self.kept_section(name))
            return
        screen = self.screen_for(name, **options)
        if screen is None:
            self.notify(f"There is no section called {name!r}.", severity="error", markup=False)
            return
        if self.action_home_quietly():
            self.push_screen(screen)

    def kept_section(self, name: str) -> str:
        """The installed screen of a section kept between visits, made on the first."""
        installed = f"kept-{name}"
        if not self.is_screen_installed(installed):
            screen = self.screen_for(name)
            assert screen is not None, name
            self.install_screen(screen, installed)
        return installed

    def action_home_quietly(self) -> bool:
        """Pop back to Home without a sound, so sections never pile up on the stack.

        Never past a session under way: it ends the way the person ends it, with its pain check
        (False, and the session asks to end instead).
        """
        from kneetui.tui.screens.home import HomeScreen

        if self.session_under_way() is not None:
            self.end_session_first()
            return False
        while len(self.screen_stack) > 1 and not isinstance(self.screen, HomeScreen):
            self.pop_screen()
        return True

    def session_under_way(self) -> SessionScreen | None:
        """The guided session on the stack that has begun and not ended (its pain after unasked), if any."""
        session_module = sys.modules.get("kneetui.tui.screens.session")
        if session_module is None:
            return None
        sessions: list[SessionScreen] = [
            screen for screen in self.screen_stack if isinstance(screen, session_module.SessionScreen)
        ]
        return next((session for session in sessions if session.under_way), None)

    def end_session_first(self) -> None:
        """Something would leave a session under way: say so, and offer to end it (with its pain check)."""
        session = self.session_under_way()
        if session is None:
            return
        self.notify(
            "A session is under way. End it first (q), so kneetui can ask how your knee is.",
            title="Session",
            severity="warning",
            markup=False,
        )
        self.uncover(session)
        if self.screen is session:
            session.action_quit_session()
        elif self.in_plugin_frame():
            self.action_frame_quit()

    def uncover(self, session: Screen[Any]) -> None:
        """Close Help or the palette opened over a session, so the session (or its plug-in screen) shows."""
        while self.screen is not session and self.covers_a_session(self.screen):
            self.pop_screen()

    def action_guide_exercise(self, exercise_id: str) -> None:
        """Choose a dose for one exercise, then guide it."""
        from kneetui.tui.screens.dose_choice import DoseChoiceScreen
        from kneetui.tui.screens.session import SessionScreen

        exercise = self.catalog.exercise(exercise_id)
        if exercise is None:
            return

        def chosen(dose: Dose | None) -> None:
            if dose is not None:
                self.push_screen(SessionScreen(exercise_id=exercise_id, dose=dose))

        self.push_screen(DoseChoiceScreen(exercise), chosen)

    def showing_help(self) -> bool:
        # Asked for every footer redraw: Help's module is not imported just to answer no.
        help_module = sys.modules.get("kneetui.tui.screens.help")
        return help_module is not None and isinstance(self.screen, help_module.HelpScreen)

    def action_help(self) -> None:
        """Help over the screen shown, without leaving it (Home's ``?`` opens it as a section)."""
        if not self.showing_help():
            help_screen = self.screen_for("help")
            if help_screen is not None:
                self.push_screen(help_screen)

    def action_home(self) -> None:
        self.action_home_quietly()

    def action_safety_notice(self, first_run: bool = False) -> None:
        from kneetui.tui.screens.safety_notice import SafetyNoticeScreen

        def acknowledged(result: bool | None) -> None:
            if result and not self.settings.safety_acknowledged:
                self.settings.safety_acknowledged = True
                self.save_settings()

        self.push_screen(SafetyNoticeScreen(first_run=first_run), acknowledged)

    # -- content helpers ------------------------------------------------------------

    def chosen_program(self) -> Program | None:
        return self.catalog.program(self.settings.program) or next(iter(self.catalog.programs), None)

    def chosen_program_missing(self) -> str | None:
        """Why the programme in the settings is not the one followed (it cannot be found), or None."""
        program = self.chosen_program()
        if not self.settings.program or program is None or program.id == self.settings.program:
            return None
        return (
            f"Your chosen programme {self.settings.program!r} cannot be found: its file may have a mistake, "
            f"or its plug-in is gone (see Programmes, r, and Plug-ins, p). Until then: {program.name}."
        )

    def today_summary(self) -> Content:
        program = self.chosen_program()
        if program is None:
            return Content("No programme is available. Check Plug-ins (p).")
        lines = [heading(program.name), Content(program.description), Content(f"Do it {program.frequency}.")]
        missing = self.chosen_program_missing()
        if missing:
            lines.insert(0, Content.styled(missing, "bold $warning"))
        for number, step in enumerate(program.steps, 1):
            exercise = self.catalog.exercise(step.exercise_id)
            if exercise is not None:
                dose = step.dose.describe() if step.dose else exercise.dosage.describe()
                lines.append(Content.assemble((f"{number}. ", "bold"), exercise.name, (f" · {dose}", "dim")))
        lines.append(Content.assemble(("Press s to start.", "bold")))
        return Content("\n").join(lines)
