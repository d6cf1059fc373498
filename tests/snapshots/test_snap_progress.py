"""What the Progress screen looks like, on a fixed day with fixed history."""

from __future__ import annotations

import pytest
from history_samples import a_year_of_history, clock_on

from kneetui.history.store import HistoryStore


@pytest.fixture
def a_year() -> HistoryStore:
    store = HistoryStore.in_memory()
    a_year_of_history(store)
    return store


def test_progress_with_no_history_says_what_will_appear(snap_compare, make_app):
    app = make_app(history=HistoryStore.in_memory(), clock=clock_on())
    assert snap_compare(app, terminal_size=(80, 24), press=["g"])


def test_progress_after_a_year_calendar_streak_and_pain(snap_compare, make_app, a_year):
    app = make_app(history=a_year, clock=clock_on())
    assert snap_compare(app, terminal_size=(80, 24), press=["g"])


def test_progress_after_a_year_exercise_totals_and_hints(snap_compare, make_app, a_year):
    app = make_app(history=a_year, clock=clock_on())
    assert snap_compare(app, terminal_size=(80, 24), press=["g", "end"])


def test_progress_after_a_year_at_40_by_12(snap_compare, make_app, a_year):
    app = make_app(history=a_year, clock=clock_on())
    assert snap_compare(app, terminal_size=(40, 12), press=["g"])
