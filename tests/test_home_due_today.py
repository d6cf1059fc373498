"""Home says what is due today and asks before a second session of an every-other-day programme."""

from __future__ import annotations

from datetime import timedelta

from history_samples import TODAY, at, chronic_doses, clock_on, record_session

from kneetui.history.store import HistoryStore
from kneetui.storage.config import Settings
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.screens.home import HomeScreen
from kneetui.tui.screens.session import SessionScreen
from kneetui.tui.widgets.due_today import DueToday

MONDAY = TODAY - timedelta(days=6)


def settings(program: str) -> Settings:
    return Settings(safety_acknowledged=True, program=program)


def due_text(app) -> str:
    return str(app.screen.query_one(DueToday).render())


async def test_a_week_with_missed_days_shows_them_on_home(make_app):
    store = HistoryStore.in_memory()
    for day in (MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=3)):
        record_session(store, day, chronic_doses(0), 3, 2)
    app = make_app(history=store, clock=clock_on(), settings=settings("acute"))
    async with app.run_test(size=(80, 24)):
        text = due_text(app)
        assert "A session is due today; the last one was on Thu 12 Mar." in text
        assert "This week: 3 done; missed Wed, Fri and Sat; 1 more planned." in text
        assert "Mo Tu We Th Fr Sa Su" in text
        assert "■  ■  ✗  ■  ✗  ✗  □" in text


async def test_the_due_line_follows_a_session_done_today(make_app):
    store = HistoryStore.in_memory()
    record_session(store, TODAY - timedelta(days=2), chronic_doses(0), 3, 2)
    app = make_app(history=store, clock=clock_on(), settings=settings("chronic"))
    async with app.run_test(size=(80, 24)) as pilot:
        assert "A session is due today." in due_text(app)
        record_session(store, TODAY, chronic_doses(0), 3, 2)
        await pilot.press("g")
        await pilot.press("escape")
        await pilot.pause()
        assert "Done today. Next session: Tue 17 Mar." in due_text(app)


async def test_a_second_session_the_same_day_of_an_every_other_day_programme_is_asked_first(make_app):
    store = HistoryStore.in_memory()
    record_session(store, TODAY, chronic_doses(0), 3, 2)
    app = make_app(history=store, clock=clock_on(), settings=settings("chronic"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "You already did a session today" in str(app.screen.question)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert any(isinstance(screen, SessionScreen) for screen in app.screen_stack)


async def test_a_daily_programme_starts_a_second_session_without_asking(make_app):
    store = HistoryStore.in_memory()
    record_session(store, TODAY, chronic_doses(0), 3, 2)
    app = make_app(history=store, clock=clock_on(), settings=settings("acute"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert any(isinstance(screen, SessionScreen) for screen in app.screen_stack)


async def test_a_session_stopped_for_pain_never_makes_home_say_due_or_overdue(make_app):
    store = HistoryStore.in_memory()
    record_session(store, TODAY - timedelta(days=5), chronic_doses(0), 3, 2)
    session_id = record_session(store, TODAY - timedelta(days=4), chronic_doses(0), 3, None)
    store.record_stop(session_id, "pain rose from 3 to 6", at(TODAY - timedelta(days=4), 19))
    app = make_app(history=store, clock=clock_on(), settings=settings("acute"))
    async with app.run_test(size=(80, 24)):
        text = due_text(app)
        assert "Your session on Wed 11 Mar was stopped for pain" in text
        assert "consult a healthcare professional" in text
        assert "due today" not in text and "missed" not in text.replace("due or missed", "")


async def test_at_40_by_12_the_due_line_is_reached_with_tab(make_app):
    app = make_app(history=HistoryStore.in_memory(), clock=clock_on(), settings=settings("acute"))
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()  # Home laid out at 40 columns, as a person sees it before pressing a key
        await pilot.press("tab")
        await pilot.pause()
        widget = app.screen.query_one(DueToday)
        assert "Your first session is due today." in due_text(app)
        assert widget.region.y < 12 and widget.region.height > 0


async def test_a_chosen_programme_that_cannot_be_found_is_said_on_home_and_at_the_start(make_app):
    from textual.widgets import Static

    app = make_app(history=HistoryStore.in_memory(), clock=clock_on(), settings=settings("my-lost-plan"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        today = str(app.screen.query_one("#today", Static).render())
        assert "Your chosen programme 'my-lost-plan' cannot be found" in today
        assert f"Until then: {app.chosen_program().name}." in today
        await pilot.press("s")
        await pilot.pause()
        assert any("'my-lost-plan' cannot be found" in str(note.message) for note in app._notifications)
