"""Home is drawn before the plug-ins are loaded and the history is open (as ``kneetui`` starts it).

Nothing of the plug-ins shows until they are loaded. The app gets a function
that loads the plug-ins instead of what was loaded (and may get one that opens
the history); they are called in a thread once Home is on screen, the history
first. These tests hold them on an event, so what Home shows and does
meanwhile can be seen.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading

import pytest
from history_samples import TODAY, at, chronic_doses, clock_on

from kneetui.engine.recording import SafetyAnswers, SessionStart
from kneetui.engine.safety import ARTICLE_RULE, REASON_PAIN_WORSE
from kneetui.exchange.user_programs import UserPrograms
from kneetui.history.store import HistoryOpen, HistoryStore
from kneetui.plugin_host.loader import LoadResult, load_plugins
from kneetui.storage.config import LoadedSettings, Settings
from kneetui.tui import app as app_module
from kneetui.tui.app import KneeApp
from kneetui.tui.screens.faq import FaqScreen
from kneetui.tui.screens.help import HelpScreen
from kneetui.tui.screens.home import HomeScreen
from kneetui.tui.screens.library import ExerciseLibraryScreen
from kneetui.tui.screens.safety_notice import SafetyNoticeScreen
from kneetui.tui.widgets.due_today import DueToday

#: How long a test waits for the loading thread before it fails (it never sleeps this long when all is well).
WAIT_SECONDS = 30


class HeldLoader:
    """Loads kneetui's own plug-ins when released; ``fail`` makes it raise instead."""

    def __init__(self, fail: bool = False) -> None:
        self.release = threading.Event()
        self.returned = threading.Event()
        self.fail = fail

    def __call__(self) -> LoadResult:
        try:
            self.release.wait(WAIT_SECONDS)
            if self.fail:
                raise RuntimeError("the loader broke")
            return load_plugins(extra=[UserPrograms().candidate()])
        finally:
            self.returned.set()

    async def finish(self, app: KneeApp, pilot) -> None:
        """Let the loading end, and wait until the app has taken in what it loaded."""
        self.release.set()
        assert await asyncio.to_thread(self.returned.wait, WAIT_SECONDS)
        for _ in range(100):
            await pilot.pause()
            if app.plugins_loaded:
                return
        raise AssertionError("the app never took in the loaded plug-ins")


class HeldHistory:
    """Opens ``store`` when released (with ``notices``); ``fail`` makes it raise instead."""

    def __init__(self, store: HistoryStore, notices: tuple[str, ...] = (), fail: bool = False) -> None:
        self.store = store
        self.notices = notices
        self.release = threading.Event()
        self.fail = fail

    def __call__(self) -> HistoryOpen:
        self.release.wait(WAIT_SECONDS)
        if self.fail:
            raise RuntimeError("the disk went away")
        return HistoryOpen(self.store, list(self.notices))


async def until(pilot, condition) -> None:
    """Let the app run until ``condition()`` holds; fail if it never does."""
    for _ in range(200):
        await pilot.pause()
        if condition():
            return
    raise AssertionError("it never happened")


def app_loading_with(loader, history: HistoryStore | HeldHistory | None = None, clock=None) -> KneeApp:
    settings = LoadedSettings(Settings(safety_acknowledged=True))
    return KneeApp(loader, settings, clock=clock or clock_on(), save=False, history=history)


def today_text(home: HomeScreen) -> str:
    return str(home.query_one("#today").render())


def stopped_history() -> HistoryStore:
    """A history whose last session stopped with the advice to consult a professional."""
    store = HistoryStore.in_memory()
    start = at(TODAY, 9)
    session_id = store.start_session(
        SessionStart(start, "chronic", tuple(chronic_doses(0)), SafetyAnswers(2, False, False))
    )
    store.record_stop(session_id, REASON_PAIN_WORSE, start + 60)
    store.finish_session(session_id, 5, start + 90)
    return store


async def test_home_shows_the_menu_at_once_and_the_programme_once_the_plugins_are_loaded():
    loader = HeldLoader()
    app = app_loading_with(loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        assert not app.plugins_loaded
        assert len(home.query_one("#menu").options) == 11  # type: ignore[attr-defined]
        assert today_text(home) == ""
        assert not home.query(DueToday), "what is due is added once the plug-ins are loaded"
        assert app.catalog.programs == []
        await loader.finish(app, pilot)
        assert app.catalog.programs
        assert app.chosen_program() is not None
        assert app.chosen_program().name in today_text(home)  # type: ignore[union-attr]
        assert home.query_one(DueToday).display
        assert "Your first session is due today." in str(home.query_one(DueToday).render())


async def test_a_section_asked_for_while_the_plugins_load_opens_once_they_are():
    loader = HeldLoader()
    app = app_loading_with(loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, HomeScreen)
        await loader.finish(app, pilot)
        await pilot.pause()
        assert isinstance(app.screen, ExerciseLibraryScreen)


async def test_keys_typed_ahead_while_the_plugins_load_are_played_in_order_once_they_are():
    loader = HeldLoader()
    app = app_loading_with(loader)
    async with app.run_test(size=(80, 24)) as pilot:
        # Down the menu to the library and Enter, back, then the FAQ by its key.
        await pilot.press("down", "enter", "escape", "f")
        assert isinstance(app.screen, HomeScreen)
        await loader.finish(app, pilot)
        # Each held key is played once the app has taken in the one before: a refresh each, more
        # than one pause on a busy machine.
        for _ in range(100):
            if not app._held_keys and app._playing is None:
                break
            await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, FaqScreen)
        assert len(app.screen_stack) == 2


async def test_the_session_asked_for_while_the_plugins_load_starts_once_they_are():
    loader = HeldLoader()
    app = app_loading_with(loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, HomeScreen)
        await loader.finish(app, pilot)
        for _ in range(10):
            await pilot.pause()
        assert not isinstance(app.screen, HomeScreen)


async def test_the_stop_notice_and_its_rule_show_before_the_plugins_are_loaded():
    loader = HeldLoader()
    app = app_loading_with(loader, history=stopped_history())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.screen
        assert not app.plugins_loaded
        assert home.has_class("-stopped")
        notice = str(home.query_one("#stop-notice").render())
        assert "Your last session stopped" in notice
        assert ARTICLE_RULE in notice
        await pilot.press("k")
        assert not home.has_class("-stopped")
        await loader.finish(app, pilot)


async def test_while_a_plugin_hangs_the_safety_notice_and_help_open_and_q_quits(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(app_module, "SLOW_LOADING_SECONDS", 0.001)
    loader = HeldLoader()
    app = app_loading_with(loader)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            for _ in range(100):
                await pilot.pause()
                if any("Still loading the plug-ins" in str(notice.message) for notice in app._notifications):
                    break
            else:
                raise AssertionError("the person was never told the plug-ins are still loading")
            assert not app.plugins_loaded
            await pilot.press("exclamation_mark")
            assert isinstance(app.screen, SafetyNoticeScreen)
            await pilot.press("escape")
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            await pilot.press("escape")
            await pilot.press("e")  # waits for the plug-ins; quitting does not
            await pilot.press("q")
            await pilot.pause()
        assert app.return_code == 0
    finally:
        loader.release.set()


async def test_loading_that_fails_is_told_and_home_says_no_programme_is_available():
    loader = HeldLoader(fail=True)
    app = app_loading_with(loader)
    async with app.run_test(size=(80, 24)) as pilot:
        await loader.finish(app, pilot)
        messages = [str(notice.message) for notice in app._notifications]
        assert any("The plug-ins could not be loaded: the loader broke" in message for message in messages)
        assert "No programme is available" in today_text(app.screen)  # type: ignore[arg-type]


async def test_the_stop_notice_shows_once_the_history_is_open_even_while_a_plugin_hangs():
    loader = HeldLoader()
    history = HeldHistory(stopped_history())
    app = app_loading_with(loader, history=history)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            home = app.screen
            assert isinstance(home, HomeScreen)
            assert not app.history_open and not home.has_class("-stopped")
            with pytest.raises(LookupError):
                app.history  # noqa: B018 - reading it is the test
            history.release.set()
            await until(pilot, lambda: home.has_class("-stopped"))
            assert not app.plugins_loaded, "the plug-ins are still held"
            assert ARTICLE_RULE in str(home.query_one("#stop-notice").render())
            await pilot.press("k")
            assert not home.has_class("-stopped")
            assert app.history.unacknowledged_stop() is None
            await loader.finish(app, pilot)
    finally:
        loader.release.set()


async def test_what_opening_the_history_said_is_shown_and_sessions_go_to_it():
    loader = HeldLoader()
    store = HistoryStore.in_memory()
    history = HeldHistory(store, notices=("The history could not be read; it was kept aside.",))
    app = app_loading_with(loader, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        history.release.set()
        await loader.finish(app, pilot)
        assert app.history is store
        shown = [(notice.title, str(notice.message)) for notice in app._notifications]
        assert ("History", "The history could not be read; it was kept aside.") in shown


async def test_a_history_that_cannot_be_opened_leaves_one_in_memory_and_says_so():
    loader = HeldLoader()
    history = HeldHistory(HistoryStore.in_memory(), fail=True)
    app = app_loading_with(loader, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        history.release.set()
        await loader.finish(app, pilot)
        assert app.history.in_memory_only and app.history is not history.store
        messages = [str(notice.message) for notice in app._notifications]
        assert any(
            message.startswith("The history could not be opened (the disk went away).")
            and "kept in memory only" in message
            for message in messages
        )


async def test_with_the_plugins_given_the_sections_still_wait_for_the_history():
    history = HeldHistory(stopped_history())
    settings = LoadedSettings(Settings(safety_acknowledged=True))
    plugins = load_plugins(extra=[UserPrograms().candidate()])
    app = KneeApp(plugins, settings, clock=clock_on(), save=False, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")  # the progress screen reads the history
        assert isinstance(app.screen, HomeScreen) and not app.plugins_loaded
        history.release.set()
        await until(pilot, lambda: not isinstance(app.screen, HomeScreen))
        assert app.history_open


async def test_a_history_opened_after_the_person_quit_is_closed_all_the_same():
    loader = HeldLoader()
    store = HistoryStore.in_memory()
    history = HeldHistory(store)
    app = app_loading_with(loader, history=history)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("q")
    assert not app.history_open
    history.release.set()
    loader.release.set()
    app.finish_loading_plugins(timeout=WAIT_SECONDS)
    app.close_history()
    with pytest.raises(sqlite3.ProgrammingError):
        store.sessions()
