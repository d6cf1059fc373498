"""What is due today, and the week against the plan, from the programme's frequency."""

from __future__ import annotations

from datetime import date, timedelta

from history_samples import TODAY, at, chronic_doses, record_session

from kneetui.content.model import Frequency
from kneetui.engine.recording import SessionStart
from kneetui.engine.safety import REASON_HIGH_PAIN, REASON_RED_FLAGS
from kneetui.history.adherence import DayKind, Status, due_today, plan_days, stopped_for_pain
from kneetui.history.store import HistoryStore

DAILY, EVERY_OTHER_DAY = Frequency.DAILY, Frequency.EVERY_OTHER_DAY
MONDAY = TODAY - timedelta(days=6)


def days_ago(count: int) -> date:
    return TODAY - timedelta(days=count)


def store_with(*days: date) -> HistoryStore:
    store = HistoryStore.in_memory()
    for day in days:
        record_session(store, day, chronic_doses(0), 3, 3)
    return store


def stop_for_pain(store: HistoryStore, day: date, reason: str = "pain rose from 3 to 6") -> None:
    session_id = record_session(store, day, {"wall-slides": chronic_doses(0)["wall-slides"]}, 3, None)
    store.record_stop(session_id, reason, at(day, 19))


def kinds(result) -> str:
    letters = {
        DayKind.DONE: "D",
        DayKind.MISSED: "M",
        DayKind.DUE: "!",
        DayKind.PLANNED: "p",
        DayKind.REST: "-",
        DayKind.PAUSED: "=",
        DayKind.STOPPED_FOR_PAIN: "S",
        DayKind.STOPPED_WITH_ADVICE: "?",
        DayKind.BEFORE_START: " ",
    }
    return "".join(letters[mark.kind] for mark in result.week)


def test_with_no_history_the_first_session_is_due_today():
    result = due_today(HistoryStore.in_memory(), DAILY, TODAY)
    assert result.status is Status.NOT_STARTED
    assert result.next_due == TODAY and result.last_session is None
    assert kinds(result) == "      !"


def test_a_daily_programme_done_every_day_is_done_today_and_due_tomorrow():
    store = store_with(*(days_ago(back) for back in range(10)))
    result = due_today(store, DAILY, TODAY)
    assert result.status is Status.DONE_TODAY
    assert result.next_due == TODAY + timedelta(days=1)
    assert kinds(result) == "DDDDDDD" and result.done_this_week == 7 and not result.missed_this_week


def test_missed_days_of_a_daily_programme_are_counted_and_today_is_overdue():
    # Done Mon, Tue and Thu; Wed, Fri and Sat missed; Sunday not done yet.
    store = store_with(days_ago(20), MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=3))
    result = due_today(store, DAILY, TODAY)
    assert kinds(result) == "DDMDMM!"
    assert result.status is Status.OVERDUE
    assert result.missed_this_week == (MONDAY + timedelta(days=2), days_ago(2), days_ago(1))
    assert result.last_session == MONDAY + timedelta(days=3)
    assert result.still_planned_this_week == 1


def test_every_other_day_keeps_its_rhythm_and_a_missed_day_moves_it_on():
    # Done Mon; Wed planned and missed; so Fri is planned, done; Sun due.
    store = store_with(days_ago(30), MONDAY, MONDAY + timedelta(days=4))
    result = due_today(store, EVERY_OTHER_DAY, TODAY)
    assert kinds(result) == "D-M-D-!"
    assert result.status is Status.DUE_TODAY


def test_every_other_day_the_day_after_a_session_is_a_rest_day():
    store = store_with(days_ago(1))
    result = due_today(store, EVERY_OTHER_DAY, TODAY)
    assert result.status is Status.REST_DAY
    assert result.next_due == TODAY + timedelta(days=1)
    assert not result.asks_before_another_session()


def test_a_second_session_on_the_same_day_is_asked_about_only_every_other_day():
    store = store_with(TODAY)
    every_other = due_today(store, EVERY_OTHER_DAY, TODAY)
    assert every_other.status is Status.DONE_TODAY and every_other.next_due == TODAY + timedelta(days=2)
    assert every_other.asks_before_another_session()
    assert not due_today(store, DAILY, TODAY).asks_before_another_session()


def test_a_session_stopped_for_pain_is_never_overdue_and_pauses_the_plan():
    store = store_with(days_ago(12), MONDAY)
    stop_for_pain(store, MONDAY + timedelta(days=1))
    result = due_today(store, DAILY, TODAY)
    assert result.status is Status.AFTER_PAIN_STOP
    assert result.next_due is None and result.pain_stop == MONDAY + timedelta(days=1)
    assert kinds(result) == "DS====="
    assert not result.missed_this_week


def test_the_next_session_after_a_stop_for_pain_restarts_the_plan():
    store = store_with(days_ago(12), MONDAY)
    stop_for_pain(store, MONDAY + timedelta(days=1))
    record_session(store, days_ago(2), chronic_doses(0), 2, 2)
    result = due_today(store, DAILY, TODAY)
    assert kinds(result) == "DS==DM!"
    assert result.status is Status.OVERDUE and result.pain_stop is None


def test_a_stop_for_another_reason_counts_as_a_session_done():
    store = HistoryStore.in_memory()
    session_id = record_session(store, TODAY, chronic_doses(0), 3, None)
    store.record_stop(session_id, "quit", at(TODAY, 19))
    assert due_today(store, DAILY, TODAY).status is Status.DONE_TODAY


def test_a_session_without_any_block_does_not_count():
    store = HistoryStore.in_memory()
    store.start_session(SessionStart(at(TODAY), "chronic", ("wall-slides",), None))
    assert due_today(store, DAILY, TODAY).status is Status.NOT_STARTED


def test_only_a_stop_reason_about_pain_is_a_stop_for_pain():
    store = HistoryStore.in_memory()
    stop_for_pain(store, TODAY, "pain worse")
    stop_for_pain(store, TODAY, "quit")
    reasons = {session.stop_reason: stopped_for_pain(session) for session in store.sessions()}
    assert reasons == {"pain worse": True, "quit": False}


def test_plan_days_over_a_range_reads_before_the_range_for_the_rhythm():
    store = store_with(days_ago(10), days_ago(8))
    marks = plan_days(store.sessions(), EVERY_OTHER_DAY, days_ago(7), days_ago(4), TODAY)
    assert [mark.kind for mark in marks] == [DayKind.REST, DayKind.MISSED, DayKind.REST, DayKind.MISSED]


def test_a_long_break_before_this_week_shows_as_missed_days():
    store = store_with(days_ago(60))
    result = due_today(store, DAILY, TODAY)
    assert kinds(result) == "MMMMMM!" and result.status is Status.OVERDUE


def test_a_stop_with_the_advice_to_see_a_professional_pauses_the_plan_too():
    store = store_with(days_ago(12), MONDAY)
    store.start_session(SessionStart(at(MONDAY + timedelta(days=1)), "chronic", (), None))
    [asked] = [session for session in store.sessions() if not session.blocks]
    store.record_stop(asked.id, REASON_RED_FLAGS, at(MONDAY + timedelta(days=1), 19))
    result = due_today(store, DAILY, TODAY)
    assert result.status is Status.AFTER_ADVISED_STOP and result.next_due is None
    assert kinds(result) == "D?=====" and not result.missed_this_week


def test_high_pain_at_the_start_is_not_a_stop_for_pain_but_pauses_the_plan():
    store = HistoryStore.in_memory()
    stop_for_pain(store, TODAY - timedelta(days=3), REASON_HIGH_PAIN)
    [session] = store.sessions()
    assert not stopped_for_pain(session)
    assert due_today(store, DAILY, TODAY).status is Status.AFTER_ADVISED_STOP
