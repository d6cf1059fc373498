"""What Home says is due, on a fixed day with a fixed week of history."""

from __future__ import annotations

from datetime import timedelta

import pytest
from history_samples import TODAY, chronic_doses, clock_on, record_session

from kneetui.history.store import HistoryStore
from kneetui.storage.config import Settings

MONDAY = TODAY - timedelta(days=6)


@pytest.fixture
def a_week_with_missed_days() -> HistoryStore:
    """Done Monday, Tuesday and Thursday; Wednesday, Friday and Saturday missed; Sunday (today) not yet."""
    store = HistoryStore.in_memory()
    for back in (20, 6, 5, 3):
        record_session(store, TODAY - timedelta(days=back), chronic_doses(0), 3, 2)
    return store


def daily(make_app, history):
    settings = Settings(safety_acknowledged=True, program="acute", animations=False)
    return make_app(history=history, clock=clock_on(), settings=settings)


def test_home_with_missed_days_of_a_daily_programme(snap_compare, make_app, a_week_with_missed_days):
    assert snap_compare(daily(make_app, a_week_with_missed_days), terminal_size=(80, 24))


def test_home_at_40_by_12_reaches_what_is_due_with_tab(snap_compare, make_app, a_week_with_missed_days):
    assert snap_compare(daily(make_app, a_week_with_missed_days), terminal_size=(40, 12), press=["tab"])
