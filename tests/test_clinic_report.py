"""kneetui clinic report: who needs a call, read from each patient's history without changing it."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from history_samples import TODAY, at, chronic_doses, record_session

from kneetui.cli.clinic_report_command import patients_in
from kneetui.engine.recording import SessionStart
from kneetui.history.clinic_report import clinic_overview, open_read_only
from kneetui.history.store import open_history_store
from kneetui.plugin_host.loader import load_plugins

CATALOG = load_plugins().catalog
PROGRAMMES = {program.id: program for program in CATALOG.programs}


def patient(users: Path, name: str, programme: str = "acute", days_back=(), pain_stop_back=None) -> Path:
    """A patient folder as serve ssh lays it out, with sessions on the days given."""
    (users / name / "config" / "kneetui").mkdir(parents=True)
    (users / name / "config" / "kneetui" / "config.toml").write_text(f'program = "{programme}"\n')
    history = users / name / "data" / "kneetui" / "history.sqlite3"
    if days_back or pain_stop_back is not None:
        with open_history_store(history).store as store:
            for back in days_back:
                record_session(store, TODAY - timedelta(days=back), chronic_doses(0), 3, 2)
            if pain_stop_back is not None:
                day = TODAY - timedelta(days=pain_stop_back)
                session_id = record_session(store, day, {"wall-slides": chronic_doses(0)["wall-slides"]}, 3, None)
                store.record_stop(session_id, "pain rose from 3 to 6", at(day, 19))
    return history


def fingerprint(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def clinic(tmp_path: Path) -> Path:
    users = tmp_path / "users"
    patient(users, "anna", "acute", days_back=range(14))
    patient(users, "bob", "acute", days_back=(13, 12, 11, 1, 0), pain_stop_back=2)
    patient(users, "carl")
    patient(users, "dora", "chronic", days_back=(13, 11, 9))
    (users / ".removed").mkdir()
    (users / "Not.A.Patient").mkdir()
    return users


def test_those_who_need_a_call_come_first_with_their_reasons(clinic):
    before = fingerprint(clinic)
    rows = clinic_overview(patients_in(clinic), CATALOG, PROGRAMMES, TODAY)
    assert [row.name for row in rows] == ["bob", "carl", "dora", "anna"]
    bob, carl, dora, anna = rows
    assert bob.pain_stops == 1 and bob.last_pain_stop == TODAY - timedelta(days=2)
    assert bob.reasons[0] == "stopped for pain once in 14 days"
    assert carl.last_session is None and carl.reasons == ("no session recorded yet",)
    assert dora.last_session == TODAY - timedelta(days=9) and "no session for 9 days" in dora.reasons
    # Every other day: done on days 13, 11 and 9 back; 7, 5, 3 and 1 back missed; today still due.
    assert dora.programme == "Chronic pain: stretch and strengthen" and (dora.done, dora.missed) == (3, 4)
    assert anna.adherence_percent == 100 and not anna.needs_a_call
    assert fingerprint(clinic) == before, "the overview never changes a patient's files"


def test_days_stopped_for_pain_are_not_counted_as_missed(clinic):
    [bob] = [row for row in clinic_overview(patients_in(clinic), CATALOG, PROGRAMMES, TODAY) if row.name == "bob"]
    # Daily: done 13 to 11 days back, missed 10 to 3 back, stopped for pain 2 back (neither), done since.
    assert (bob.done, bob.missed) == (5, 8)
    patient(clinic, "fay", "acute", days_back=(5, 4), pain_stop_back=3)
    [fay] = [row for row in clinic_overview(patients_in(clinic), CATALOG, PROGRAMMES, TODAY) if row.name == "fay"]
    # Nothing since the stop for pain three days ago: nothing missed, and the stop is why to call.
    assert (fay.done, fay.missed, fay.pain_stops) == (2, 0, 1) and fay.reasons == ("stopped for pain once in 14 days",)


def test_a_chosen_programme_that_cannot_be_read_is_said_and_no_adherence_is_claimed(clinic):
    patient(clinic, "gus", "my-own-plan", days_back=range(14))
    patient(clinic, "hana", "uninstalled-plugin-plan")
    rows = {row.name: row for row in clinic_overview(patients_in(clinic), CATALOG, PROGRAMMES, TODAY)}
    gus, hana = rows["gus"], rows["hana"]
    assert gus.programme is None and gus.adherence_percent is None and (gus.done, gus.missed) == (0, 0)
    assert gus.problem == "programme 'my-own-plan' cannot be read"
    assert gus.reasons == ("programme 'my-own-plan' cannot be read",) and gus.needs_a_call
    # What does not depend on the programme is still there.
    assert gus.last_session == TODAY
    assert hana.programme is None and hana.problem == "programme 'uninstalled-plugin-plan' cannot be read"
    assert hana.reasons == ("programme 'uninstalled-plugin-plan' cannot be read", "no session recorded yet")
    assert rows["anna"].problem is None


def test_a_history_is_opened_read_only(clinic):
    with open_read_only(clinic / "anna" / "data" / "kneetui" / "history.sqlite3") as store:
        assert len(store.sessions()) == 14
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            store.start_session(SessionStart(at(TODAY), "acute", (), None))


def test_an_unreadable_history_is_a_line_of_its_own_and_left_as_it_is(clinic):
    broken = clinic / "anna" / "data" / "kneetui" / "history.sqlite3"
    for companion in broken.parent.glob("history.sqlite3-*"):
        companion.unlink()
    broken.write_bytes(b"this is not a database" * 100)
    rows = {row.name: row for row in clinic_overview(patients_in(clinic), CATALOG, PROGRAMMES, TODAY)}
    assert rows["anna"].problem is not None and rows["anna"].reasons == ("history unreadable",)
    assert broken.read_bytes() == b"this is not a database" * 100
    assert sorted(path.name for path in broken.parent.iterdir()) == ["history.sqlite3"]


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", *args], check=False, capture_output=True, text=True, env=env, timeout=60
    )


def test_clinic_report_command_prints_a_table_and_json(subprocess_env, tmp_path):
    users = tmp_path / "users"
    patient(users, "erin", "acute", days_back=(20,))
    today = date.today()
    with open_history_store(users / "erin" / "data" / "kneetui" / "history.sqlite3").store as store:
        record_session(store, today - timedelta(days=1), chronic_doses(0), 3, 2)
    table = kneetui("clinic", "report", "--users-dir", str(users), "--days", "7", env=subprocess_env)
    assert table.returncode == 0, table.stderr
    assert "PATIENT" in table.stdout and "erin" in table.stdout and "Last 7 days" in table.stdout
    rows = json.loads(kneetui("clinic", "report", "--users-dir", str(users), "--json", env=subprocess_env).stdout)
    assert rows[0]["patient"] == "erin" and rows[0]["last_session"] == (today - timedelta(days=1)).isoformat()
    missing = kneetui("clinic", "report", "--users-dir", str(tmp_path / "nowhere"), env=subprocess_env)
    assert missing.returncode == 1 and "no patients folder" in missing.stderr
    wrong = kneetui("clinic", "report", "--users-dir", str(users), "--days", "0", env=subprocess_env)
    assert wrong.returncode == 2
