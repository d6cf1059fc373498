"""The CSV and JSON exports carry the facts the report shows: pain after each exercise and the safety answers."""

from __future__ import annotations

import csv
import io
from datetime import UTC

from history_samples import TODAY, at, chronic_doses, record_session

from kneetui.engine.recording import SafetyAnswers, SessionStart
from kneetui.history.export import CSV_COLUMNS, history_csv, history_json
from kneetui.history.store import HistoryStore


def sample() -> HistoryStore:
    store = HistoryStore.in_memory()
    doses = {name: chronic_doses(0)[name] for name in ("wall-slides", "adductor-squeeze")}
    stopped = record_session(store, TODAY, doses, 3, None, checks={"wall-slides": 4, "adductor-squeeze": 7})
    store.record_stop(stopped, "pain rose from 3 to 7", at(TODAY, 19))
    asked = store.start_session(
        SessionStart(at(TODAY, 20), "chronic", (), SafetyAnswers(2, True, False), continued_despite_advice=True)
    )
    store.record_pain_check(asked, "wall-slides", 2, at(TODAY, 20) + 60)
    return store


def test_the_csv_has_pain_after_each_exercise_on_its_last_block_and_the_safety_answers():
    rows = list(csv.DictReader(io.StringIO(history_csv(sample().sessions(), UTC), newline="")))
    assert list(rows[0]) == list(CSV_COLUMNS)
    stopped = [row for row in rows if row["session_id"] == "1"]
    assert [(row["exercise"], row["set"], row["pain_after_exercise"]) for row in stopped] == [
        ("wall-slides", "1", "4"),
        ("adductor-squeeze", "1", ""),
        ("adductor-squeeze", "2", "7"),
    ]
    assert {row["stopped_for_pain"] for row in stopped} == {"yes"}
    assert {(row["swollen"], row["unstable"], row["advised_professional"]) for row in stopped} == {("no", "no", "no")}
    [asked] = [row for row in rows if row["session_id"] == "2"]
    assert (asked["exercise"], asked["kind"], asked["pain_after_exercise"]) == ("wall-slides", "", "2")
    assert (asked["swollen"], asked["unstable"], asked["advised_professional"]) == ("yes", "no", "yes")
    assert (asked["continued_despite_advice"], asked["stopped_for_pain"]) == ("yes", "no")


def test_the_json_says_which_sessions_were_stopped_for_pain():
    sessions = history_json(sample().sessions(), UTC)
    assert [session["stopped_for_pain"] for session in sessions] == [True, False]
    assert sessions[1]["swollen"] is True and sessions[1]["pain_checks"][0]["pain"] == 2
