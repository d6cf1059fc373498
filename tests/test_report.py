"""The physiotherapist's report: its facts, the self-contained page, and ``kneetui report``."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from datetime import date, timedelta

from history_samples import TODAY, at, chronic_doses, record_session

from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart
from kneetui.history.adherence import DayKind
from kneetui.history.progression import suggest_dose
from kneetui.history.report import build_report, report_for
from kneetui.history.report_html import report_html
from kneetui.history.store import HistoryStore, open_history_store
from kneetui.plugin_host.loader import load_plugins
from kneetui.storage import locations

CATALOG = load_plugins().catalog
CHRONIC = CATALOG.program("chronic")
FIRST = TODAY - timedelta(days=13)


def two_weeks(store: HistoryStore) -> None:
    """Every other day for two weeks, one of them stopped for pain at wall slides, one with swelling."""
    for back in range(13, -1, -2):
        record_session(store, TODAY - timedelta(days=back), chronic_doses(1), 4, 3, checks={"wall-slides": 3})
    stopped_on = TODAY - timedelta(days=6)
    session_id = store.start_session(
        SessionStart(at(stopped_on, 9), "chronic", ("wall-slides",), SafetyAnswers(3, False, False))
    )
    store.record_block(
        session_id,
        BlockRecord("wall-slides", BlockKind.REPS, 1, None, 10, 10, at(stopped_on, 9), at(stopped_on, 9) + 50),
    )
    store.record_pain_check(session_id, "wall-slides", 7, at(stopped_on, 9) + 60)
    store.record_stop(session_id, "pain rose from 3 to 7", at(stopped_on, 9) + 70)
    swollen_on = TODAY - timedelta(days=4)
    session_id = store.start_session(
        SessionStart(
            at(swollen_on, 8), "chronic", ("wall-slides",), SafetyAnswers(2, True, False), continued_despite_advice=True
        )
    )
    store.finish_session(session_id, 2, at(swollen_on, 8) + 300)


def test_the_report_gathers_adherence_pain_stops_and_safety_answers():
    store = HistoryStore.in_memory()
    two_weeks(store)
    report = report_for(store, CATALOG, CHRONIC, TODAY)
    assert (report.first, report.last) == (FIRST, TODAY)
    assert len(report.sessions) == 9
    assert report.count(DayKind.DONE) == 7 and report.count(DayKind.MISSED) == 0
    assert report.adherence_percent == 100
    [stop] = report.stops
    assert stop.for_pain and stop.reason == "pain rose from 3 to 7" and stop.during == "Wall slides"
    assert [reading.pain for reading in report.pain_by_exercise["Wall slides"]] == [3, 3, 3, 3, 7, 3, 3, 3]
    assert report.safety.asked == 9 and report.safety.swollen == 1 and report.safety.continued_despite_advice == 1
    assert [exercise.name for exercise in report.exercises][:2] == ["Gentle cycling", "Sitting adductor stretch"]
    assert report.exercises[2].planned == "10–15 reps" and report.exercises[2].lately == "11 reps"


def cut_short(store: HistoryStore, day: date, *blocks: BlockRecord) -> None:
    """A session on ``day`` that recorded ``blocks`` and then ended."""
    session_id = store.start_session(
        SessionStart(at(day, 9), "chronic", ("gentle-cycling",), SafetyAnswers(2, False, False))
    )
    for block in blocks:
        store.record_block(session_id, block)
    store.finish_session(session_id, 2, at(day, 9) + 600)


def test_the_dose_last_done_is_what_was_done_and_says_when_it_was_not_completed():
    store = HistoryStore.in_memory()
    record_session(store, TODAY - timedelta(days=2), chronic_doses(0), 2, 2)
    start = at(TODAY, 9)
    cut_short(
        store,
        TODAY,
        BlockRecord("gentle-cycling", BlockKind.TIMED, 1, None, 600, 7, start, start + 7),
        BlockRecord("sitting-adductor-stretch", BlockKind.HOLD, 1, "left", 15, 10, start + 10, start + 20),
        BlockRecord("sitting-adductor-stretch", BlockKind.HOLD, 1, "right", 15, 2, start + 20, start + 22),
    )
    report = report_for(store, CATALOG, CHRONIC, TODAY)
    lately = {exercise.exercise_id: exercise.lately for exercise in report.exercises}
    assert lately["gentle-cycling"] == "not completed (7 s of 10 min)"
    assert lately["sitting-adductor-stretch"] == "not completed (10 s of 15 s)"
    assert lately["wall-slides"] == "10 reps", "a dose done in full is shown as it was done"
    progress = suggest_dose(CATALOG.exercise("gentle-cycling"), store.sessions(), at(TODAY, 12))
    assert "Not completed last time (7 s of 10 min)" in progress.reason, "the report agrees with Progress"
    assert "not completed (7 s of 10 min)" in report_html(report)


def test_a_period_reads_only_its_own_days_but_keeps_the_rhythm_from_before():
    store = HistoryStore.in_memory()
    two_weeks(store)
    first = TODAY - timedelta(days=3)
    report = report_for(store, CATALOG, CHRONIC, TODAY, first=first)
    assert [mark.day for mark in report.days] == [first + timedelta(days=day) for day in range(4)]
    assert report.days[0].kind is DayKind.DONE and report.days[1].kind is DayKind.REST
    assert all(first <= date.fromtimestamp(session.started_at) for session in report.sessions)


def test_by_default_the_report_starts_at_a_stop_for_pain_before_anything_was_done():
    store = HistoryStore.in_memory()
    stopped = store.start_session(SessionStart(at(TODAY - timedelta(days=3)), "chronic", ("wall-slides",)))
    store.record_stop(stopped, "pain worse", at(TODAY - timedelta(days=3)) + 5)
    store.finish_session(stopped, None, at(TODAY - timedelta(days=3)) + 6)
    record_session(store, TODAY, chronic_doses(0), 2, 2)
    report = report_for(store, CATALOG, CHRONIC, TODAY)
    assert report.first == TODAY - timedelta(days=3)
    assert [session.stop_reason for session in report.sessions] == ["pain worse", None]
    assert report.days[0].kind is DayKind.STOPPED_FOR_PAIN


def test_missed_days_lower_the_adherence():
    store = HistoryStore.in_memory()
    for back in (13, 12, 11, 2, 1, 0):
        record_session(store, TODAY - timedelta(days=back), chronic_doses(0), 3, 3)
    daily = replace(CHRONIC, frequency="daily")
    report = report_for(store, CATALOG, daily, TODAY)
    assert report.count(DayKind.MISSED) == 8 and report.adherence_percent == round(100 * 6 / 14)


def test_the_page_is_self_contained_prints_and_escapes_what_it_is_given():
    store = HistoryStore.in_memory()
    two_weeks(store)
    odd = replace(CHRONIC, name="<script>alert(1)</script> & co", description='"quoted" <b>')
    page = report_html(report_for(store, CATALOG, odd, TODAY))
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page
    assert "&quot;quoted&quot; &lt;b&gt;" in page
    # No network: no external links, images, fonts or styles; the only URL is the SVG namespace.
    assert set(re.findall(r"https?://[^\s\"')]+", page)) == {"http://www.w3.org/2000/svg"}
    assert "<link" not in page and "<img" not in page and "@import" not in page
    assert page.count("<svg") >= 4 and "@media print" in page and "@page" in page
    for heading in (
        "Programme and doses",
        "Adherence against the plan",
        "Pain before and after each session",
        "Pain after each exercise",
        "Sessions stopped early, and why",
        "Swelling and instability",
    ):
        assert heading in page
    assert "pain rose from 3 to 7" in page and "Wall slides" in page


def test_an_empty_history_still_makes_a_page_that_says_so():
    page = report_html(build_report([], CATALOG, CHRONIC, TODAY, TODAY, TODAY))
    assert "No sessions in this period." in page and "No pain scores were given in this period." in page
    # What the words count is what the calendar shows: today, due.
    assert "(every other day): 1 due today." in page


def test_the_words_count_planned_days_as_the_calendar_shows_them():
    page = report_html(build_report([], CATALOG, CHRONIC, TODAY, TODAY + timedelta(days=4), TODAY))
    assert "(every other day): 2 rest days, 1 due today, 2 planned." in page


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", *args], check=False, capture_output=True, text=True, env=env, timeout=60
    )


def test_report_command_writes_the_page_and_never_overwrites_without_force(subprocess_env, tmp_path):
    with open_history_store(locations.history_file()).store as store:
        for back in (3, 1):
            record_session(store, date.today() - timedelta(days=back), chronic_doses(0), 4, 3)
    target = tmp_path / "report.html"
    result = kneetui("report", "-o", str(target), env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert "(2 sessions)" in result.stdout and target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")

    again = kneetui("report", "-o", str(target), env=subprocess_env)
    assert again.returncode == 1 and "already exists; use --force" in again.stderr
    assert kneetui("report", "-o", str(target), "--force", env=subprocess_env).returncode == 0


def test_report_command_checks_its_dates(subprocess_env):
    backwards = kneetui("report", "--from", "2026-03-10", "--to", "2026-03-01", env=subprocess_env)
    assert backwards.returncode == 1 and "is after --to" in backwards.stderr
    future = kneetui("report", "--from", "2999-12-31", env=subprocess_env)
    assert future.returncode == 1 and "--from 2999-12-31 is after today" in future.stderr
    wrong = kneetui("report", "--from", "10/03/2026", env=subprocess_env)
    assert wrong.returncode == 2 and "is not a date like 2026-03-15" in wrong.stderr
    for option, day in (("--from", "0001-01-01"), ("--to", "9999-12-31"), ("--from", "1969-12-31")):
        outside = kneetui("report", option, day, env=subprocess_env)
        assert outside.returncode == 2, outside.stderr
        assert outside.stderr.splitlines()[-1] == (
            f"kneetui report: error: argument {option}: {day} is not a day a report can cover "
            "(1970-01-01 to 2999-12-31)"
        )
    too_long = kneetui("report", "--from", "1970-01-01", "--to", "2999-12-31", env=subprocess_env)
    assert too_long.returncode == 1 and too_long.stdout == ""
    assert "1970-01-01 to 2999-12-31 is 376,200 days; a report covers at most 3,660" in too_long.stderr
    longest = kneetui("report", "--from", "2016-01-01", "--to", "2026-01-07", env=subprocess_env)
    assert longest.returncode == 0 and len(longest.stdout) < 1_000_000
    printed = kneetui("report", "--from", "2026-03-01", "--to", "2026-03-10", env=subprocess_env)
    assert printed.returncode == 0 and "Sun 1 Mar 2026 to Tue 10 Mar 2026" in printed.stdout
    assert not locations.history_file().exists(), "reading the report must not create a history"


def test_sessions_carry_their_year_when_the_period_spans_two():
    store = HistoryStore.in_memory()
    record_session(store, date(2025, 12, 31), chronic_doses(0), 3, 2)
    record_session(store, date(2026, 1, 2), chronic_doses(0), 3, 2)
    spanning = report_html(report_for(store, CATALOG, CHRONIC, date(2026, 1, 2), first=date(2025, 12, 30)))
    assert "Wed 31 Dec 2025 18:00" in spanning and "Fri 2 Jan 2026 18:00" in spanning
    within = report_html(report_for(store, CATALOG, CHRONIC, date(2026, 1, 2), first=date(2026, 1, 1)))
    assert "Fri 2 Jan 18:00" in within


def test_advice_before_starting_is_counted_whatever_its_reason_and_going_on_is_said_as_it_was():
    store = HistoryStore.in_memory()
    day = TODAY
    # After a stop for pain last time (no red flag), the person went on anyway.
    went_on = store.start_session(
        SessionStart(at(day, 9), "chronic", ("wall-slides",), SafetyAnswers(2, False, False), True)
    )
    store.finish_session(went_on, 2, at(day, 9) + 600)
    # A high starting pain, and the person stopped as advised.
    stopped = store.start_session(
        SessionStart(at(TODAY, 9), "chronic", ("wall-slides",), SafetyAnswers(8, False, False))
    )
    store.record_stop(stopped, "pain high at the start", at(TODAY, 9) + 5)
    store.finish_session(stopped, None, at(TODAY, 9) + 5)
    report = report_for(store, CATALOG, CHRONIC, TODAY)
    assert report.safety.advised == 2 and report.safety.continued_despite_advice == 1
    page = report_html(report)
    assert "gentlest" not in page
    assert "Advised to see a professional 2 times; went on anyway, by their own choice, 1 time." in re.sub(
        r"<[^>]+>", "", page
    )
