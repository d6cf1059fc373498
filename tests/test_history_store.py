"""The SQLite history: what a session leaves behind, and how it survives crashes and bad files."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from kneetui.content.model import Dose
from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart
from kneetui.history.days import streak
from kneetui.history.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    HistoryStore,
    UnknownSessionError,
    connect,
    migrate,
    open_history_store,
)
from kneetui.storage import locations

UTC = UTC
# 2026-01-01 08:00 UTC
MORNING = datetime(2026, 1, 1, 8, 0, tzinfo=UTC).timestamp()
DAY = 86_400.0


def start(at: float = MORNING, pain: int | None = 2, program: str | None = "chronic") -> SessionStart:
    safety = None if pain is None else SafetyAnswers(pain=pain, swollen=False, unstable=False)
    return SessionStart(
        started_at=at, program_id=program, exercise_ids=("wall-slides", "adductor-squeeze"), safety=safety
    )


def reps(exercise: str, set_number: int, at: float, planned: int = 10, done: int = 10) -> BlockRecord:
    return BlockRecord(exercise, BlockKind.REPS, set_number, None, planned, done, at, at + 30, "medial-knee")


def hold(exercise: str, side: str, at: float, planned: int = 15) -> BlockRecord:
    return BlockRecord(exercise, BlockKind.HOLD, 1, side, planned, planned, at, at + planned, "medial-knee")


@pytest.fixture
def store() -> HistoryStore:
    opened = open_history_store()
    assert opened.notices == [] and opened.kept_on_disk
    yield opened.store
    opened.store.close()


def test_a_new_history_is_created_in_the_data_folder_in_wal_mode(store):
    assert store.path == locations.history_file()
    assert store.path.exists()
    assert store.schema_version() == SCHEMA_VERSION
    with sqlite3.connect(store.path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_session_reads_back_as_it_was_recorded(store):
    session_id = store.start_session(
        SessionStart(
            started_at=MORNING,
            program_id="chronic",
            exercise_ids=("sitting-adductor-stretch", "wall-slides"),
            safety=SafetyAnswers(pain=3, swollen=True, unstable=False),
            continued_despite_advice=True,
        )
    )
    store.record_block(session_id, hold("sitting-adductor-stretch", "left", MORNING + 10))
    store.record_block(session_id, hold("sitting-adductor-stretch", "right", MORNING + 40))
    store.record_pain_check(session_id, "sitting-adductor-stretch", 4, MORNING + 60)
    store.record_block(session_id, reps("wall-slides", 1, MORNING + 70, done=8))
    store.record_stop(session_id, "pain rose by 2", MORNING + 120)
    store.finish_session(session_id, pain_after=5, ended_at=MORNING + 130)

    [session] = store.sessions()
    assert session.id == session_id
    assert session.program_id == "chronic"
    assert session.exercise_ids == ("sitting-adductor-stretch", "wall-slides")
    assert (session.pain_before, session.pain_after, session.pain_change) == (3, 5, 2)
    assert (session.swollen, session.unstable, session.advised_professional) == (True, False, True)
    assert session.continued_despite_advice
    assert (session.stop_reason, session.stopped_at, session.ended_at) == (
        "pain rose by 2",
        MORNING + 120,
        MORNING + 130,
    )
    assert not session.finished
    assert [block.side for block in session.blocks] == ["left", "right", None]
    assert session.blocks[2] == reps("wall-slides", 1, MORNING + 70, done=8)
    assert [(check.exercise_id, check.pain) for check in session.pain_checks] == [("sitting-adductor-stretch", 4)]
    assert store.session(session_id) == session
    assert store.session(session_id + 1) is None


def test_a_session_without_safety_answers_keeps_them_unknown(store):
    session_id = store.start_session(start(pain=None, program=None))
    [session] = store.sessions()
    assert session.id == session_id
    assert (session.pain_before, session.swollen, session.unstable, session.program_id) == (None, None, None, None)
    assert session.ended_at is None and not session.finished


def test_recording_into_a_session_that_does_not_exist_is_refused(store):
    with pytest.raises(UnknownSessionError):
        store.record_block(42, reps("wall-slides", 1, MORNING))
    with pytest.raises(UnknownSessionError):
        store.finish_session(42, 1, MORNING)


def test_sessions_come_newest_first_and_can_be_limited(store):
    ids = [store.start_session(start(MORNING + day * DAY)) for day in range(5)]
    assert [session.id for session in store.sessions()] == ids[::-1]
    assert [session.id for session in store.sessions(limit=2)] == ids[:2:-1]
    assert [session.id for session in store.sessions(since=MORNING + 3 * DAY)] == ids[:2:-1]


def test_days_exercised_count_only_sessions_with_a_block_in_local_time(store):
    late_evening = datetime(2026, 1, 1, 23, 30, tzinfo=UTC).timestamp()
    exercised = store.start_session(start(late_evening))
    store.record_block(exercised, reps("wall-slides", 1, late_evening + 60))
    store.start_session(start(late_evening + 2 * DAY))  # only the safety check, then stopped
    assert store.days_exercised(UTC) == [date(2026, 1, 1)]
    # The same moment is already 2 January an hour east of UTC.
    assert store.days_exercised(timezone(timedelta(hours=1))) == [date(2026, 1, 2)]


def test_the_streak_counts_days_in_a_row_up_to_today_or_yesterday(store):
    for day in (0, 1, 2, 4, 5):
        session_id = store.start_session(start(MORNING + day * DAY))
        store.record_block(session_id, reps("wall-slides", 1, MORNING + day * DAY))
    assert store.current_streak(today=date(2026, 1, 6), tz=UTC) == 2
    assert store.current_streak(today=date(2026, 1, 7), tz=UTC) == 2
    assert store.current_streak(today=date(2026, 1, 8), tz=UTC) == 0
    assert store.current_streak(today=date(2026, 1, 3), tz=UTC) == 3


def test_streak_of_nothing_is_zero():
    assert streak([], date(2026, 1, 1)) == 0


def test_pain_series_totals_and_latest_doses(store):
    first = store.start_session(start(MORNING, pain=4))
    for set_number in (1, 2):
        store.record_block(first, reps("adductor-squeeze", set_number, MORNING + set_number * 60, planned=10, done=9))
    store.record_block(first, hold("sitting-adductor-stretch", "left", MORNING + 200, planned=15))
    store.finish_session(first, pain_after=3, ended_at=MORNING + 600)
    second = store.start_session(start(MORNING + DAY, pain=3))
    for set_number in (1, 2, 3):
        store.record_block(second, reps("adductor-squeeze", set_number, MORNING + DAY + set_number * 60, planned=11))
    store.record_block(
        second,
        BlockRecord("gentle-cycling", BlockKind.TIMED, 1, None, 600, 540, MORNING + DAY + 400, MORNING + DAY + 940),
    )
    store.finish_session(second, pain_after=None, ended_at=MORNING + DAY + 1000)
    store.start_session(start(MORNING + 2 * DAY, pain=None))

    assert [(point.session_id, point.before, point.after) for point in store.pain_series()] == [
        (first, 4, 3),
        (second, 3, None),
    ]
    totals = store.exercise_totals()
    assert totals["adductor-squeeze"].sessions == 2
    assert totals["adductor-squeeze"].blocks == 5
    assert totals["adductor-squeeze"].reps == 9 + 9 + 10 + 10 + 10
    assert totals["sitting-adductor-stretch"].seconds == 15
    assert totals["gentle-cycling"].seconds == 540
    assert store.latest_doses() == {
        "adductor-squeeze": Dose(reps=11, sets=3),
        "sitting-adductor-stretch": Dose(hold_seconds=15),
        "gentle-cycling": Dose(duration_minutes=10),
    }


def test_a_year_of_daily_sessions_stays_cheap_to_query():
    store = HistoryStore.in_memory()
    for day in range(365):
        at = MORNING + day * DAY
        session_id = store.start_session(start(at))
        for set_number in range(1, 4):
            store.record_block(session_id, reps("adductor-squeeze", set_number, at + set_number))
            store.record_block(session_id, reps("wall-slides", set_number, at + 10 + set_number))
        store.record_block(session_id, hold("sitting-adductor-stretch", "left", at + 20))
        store.record_block(session_id, hold("sitting-adductor-stretch", "right", at + 30))
        store.finish_session(session_id, 2, at + 900)
    assert len(store.sessions()) == 365
    assert len(store.sessions(limit=7)) == 7
    assert store.current_streak(today=date(2026, 12, 31), tz=UTC) == 365
    assert store.exercise_totals()["wall-slides"].blocks == 365 * 3
    assert len(store.pain_series()) == 365
    plan = " ".join(
        row[3]
        for row in store._connection.execute(
            "EXPLAIN QUERY PLAN SELECT * FROM blocks WHERE session_id IN (SELECT id FROM sessions ORDER BY started_at DESC LIMIT 7)"
        )
    )
    assert "blocks_by_session" in plan and "sessions_by_start" in plan


# -- migrations ----------------------------------------------------------------


def test_migrating_an_empty_database_creates_the_current_schema(tmp_path):
    connection = connect(tmp_path / "empty.sqlite3")
    assert migrate(connection) == 0
    assert connection.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"sessions", "blocks", "pain_checks"} <= tables
    assert migrate(connection) == SCHEMA_VERSION  # a second run changes nothing


def test_a_version_1_history_is_upgraded_and_keeps_its_sessions(tmp_path):
    path = tmp_path / "history.sqlite3"
    connection = connect(path)
    migrate(connection, MIGRATIONS[:1])
    connection.execute(
        "INSERT INTO sessions (id, started_at, program_id, exercise_ids, pain_before, pain_after) "
        "VALUES (7, ?, 'chronic', '[\"wall-slides\"]', 3, 2)",
        (MORNING,),
    )
    connection.execute(
        "INSERT INTO blocks (session_id, exercise_id, kind, set_number, planned, done, started_at, ended_at) "
        "VALUES (7, 'wall-slides', 'reps', 1, 10, 10, ?, ?)",
        (MORNING, MORNING + 30),
    )
    connection.close()

    opened = open_history_store(path)
    assert opened.notices == []
    with opened.store as store:
        assert store.schema_version() == SCHEMA_VERSION == 3
        [old] = store.sessions()
        assert (old.id, old.pain_before, old.pain_after, old.notes) == (7, 3, 2, ())
        assert old.blocks == (BlockRecord("wall-slides", BlockKind.REPS, 1, None, 10, 10, MORNING, MORNING + 30),)
        new_id = store.start_session(SessionStart(MORNING + DAY, None, (), notes=("Advised a professional check.",)))
        assert store.session(new_id).notes == ("Advised a professional check.",)


def test_a_failing_migration_leaves_the_database_as_it_was(tmp_path):
    connection = connect(tmp_path / "history.sqlite3")
    migrate(connection, MIGRATIONS[:1])
    broken = (*MIGRATIONS, ("CREATE TABLE extra (x)", "this is not SQL"))
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, broken)
    assert connection.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {row[0] for row in connection.execute("SELECT name FROM sqlite_master")}
    assert "extra" not in names


def test_a_history_from_a_newer_kneetui_is_left_alone(tmp_path):
    path = tmp_path / "history.sqlite3"
    with sqlite3.connect(path) as newer:
        newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    before = path.read_bytes()
    opened = open_history_store(path)
    assert opened.store.in_memory_only
    assert "newer version of kneetui" in opened.notices[0]
    assert path.read_bytes() == before


# -- two processes, and kill -9 --------------------------------------------------

WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kneetui.engine.recording import BlockKind, BlockRecord, SessionStart
    from kneetui.history.store import open_history_store

    opened = open_history_store(Path(sys.argv[1]))
    assert not opened.notices, opened.notices
    store = opened.store
    session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
    print(session_id, flush=True)
    sys.stdin.readline()  # wait for "go", so that both writers really overlap
    for number in range(1, int(sys.argv[2]) + 1):
        store.record_block(
            session_id, BlockRecord("wall-slides", BlockKind.REPS, number, None, 10, 10, 1000.0 + number, 1001.0 + number)
        )
        print(number, flush=True)
    store.finish_session(session_id, 1, 9999.0)
    """
)


def spawn_writer(path: Path, blocks: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path), str(blocks)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def test_two_processes_write_at_once_and_nothing_is_lost(tmp_path):
    path = tmp_path / "history.sqlite3"
    writers = [spawn_writer(path, 200) for _ in range(2)]
    try:
        session_ids = [int(writer.stdout.readline()) for writer in writers]
        for writer in writers:
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            writer.stdout.read()
            assert writer.wait(timeout=120) == 0
    finally:
        for writer in writers:
            if writer.poll() is None:
                writer.kill()
    with open_history_store(path).store as store:
        assert store.integrity() == "ok"
        sessions = {session.id: session for session in store.sessions()}
        assert sorted(sessions) == sorted(session_ids)
        for session in sessions.values():
            assert [block.set_number for block in session.blocks] == list(range(1, 201))
            assert session.ended_at == 9999.0


OPENER = textwrap.dedent(
    """
    import json, sys
    from pathlib import Path
    from kneetui.history.store import open_history_store

    sys.stdin.readline()
    opened = open_history_store(Path(sys.argv[1]))
    print(json.dumps(opened.notices))
    """
)


def test_several_logins_creating_the_history_at_the_same_moment_all_get_the_file(tmp_path):
    # The race is narrow (the first switch to WAL), so try it a few times.
    for attempt in range(10):
        path = tmp_path / f"history-{attempt}.sqlite3"
        openers = [
            subprocess.Popen(
                [sys.executable, "-c", OPENER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        for opener in openers:  # all of them first, so that they open together
            opener.stdin.write("go\n")
            opener.stdin.flush()
        outputs = [opener.communicate(timeout=60)[0] for opener in openers]
        assert all(json.loads(output) == [] for output in outputs), outputs


def test_a_locked_answer_to_the_first_switch_to_wal_is_waited_out(monkeypatch):
    from kneetui.history import store as store_module

    class Answer:
        def __init__(self, row):
            self.row = row

        def fetchone(self):
            return self.row

    class SwitchesOnTheThirdTry:
        attempts = 0

        def execute(self, sql):
            if sql == "PRAGMA journal_mode":
                return Answer(("delete",))
            self.attempts += 1
            if self.attempts < 3:
                # What SQLite answers, without calling the busy handler, while another login creates the file.
                error = sqlite3.OperationalError("database is locked")
                error.sqlite_errorname = "SQLITE_BUSY"
                raise error
            return Answer(("wal",))

    naps: list[float] = []
    monkeypatch.setattr(store_module.time, "sleep", naps.append)
    assert store_module._use_write_ahead_log(SwitchesOnTheThirdTry()) == "wal"
    assert len(naps) == 2


def test_kill_9_in_the_middle_of_a_session_keeps_every_committed_block(tmp_path):
    path = tmp_path / "history.sqlite3"
    writer = spawn_writer(path, 1_000_000)
    try:
        session_id = int(writer.stdout.readline())
        writer.stdin.write("go\n")
        writer.stdin.flush()
        # Each number is printed only after its block was committed.
        committed = 0
        while committed < 50:
            committed = int(writer.stdout.readline())
        os.kill(writer.pid, signal.SIGKILL)
        writer.wait(timeout=30)
    finally:
        if writer.poll() is None:
            writer.kill()
    assert writer.returncode == -signal.SIGKILL
    opened = open_history_store(path)
    assert opened.notices == []
    with opened.store as store:
        assert store.integrity() == "ok"
        session = store.session(session_id)
        numbers = [block.set_number for block in session.blocks]
        assert len(numbers) >= committed
        assert numbers == list(range(1, len(numbers) + 1))
        assert session.ended_at is None


# -- files that cannot be used -------------------------------------------------


def test_a_corrupt_history_is_kept_aside_and_a_fresh_one_started(tmp_path):
    path = tmp_path / "history.sqlite3"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    opened = open_history_store(path, now=datetime(2026, 3, 4, 5, 6, 7))
    backup = tmp_path / "history.sqlite3.broken-20260304-050607"
    assert opened.backup == backup
    assert backup.read_bytes() == garbage
    assert str(backup) in opened.notices[0] and "could not be read" in opened.notices[0]
    assert opened.kept_on_disk
    session_id = opened.store.start_session(start())
    assert [session.id for session in opened.store.sessions()] == [session_id]
    opened.store.close()
    assert open_history_store(path).notices == []


def test_a_damaged_page_inside_a_real_database_is_kept_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    _fifty_days(path)
    data = bytearray(path.read_bytes())
    page = 4096
    data[2 * page : 4 * page] = os.urandom(2 * page)
    path.write_bytes(bytes(data))
    opened = open_history_store(path)
    assert opened.backup is not None and opened.backup.exists()
    assert opened.kept_on_disk and opened.store.sessions() == []
    assert "damaged" in opened.notices[0] and "***" not in opened.notices[0]


def test_a_data_folder_that_cannot_be_created_gives_an_in_memory_history(isolated_home):
    data = Path(os.environ["XDG_DATA_HOME"])
    data.rmdir()
    data.write_text("a file where the data folder should be\n")
    opened = open_history_store()
    assert opened.store.in_memory_only
    assert "kept in memory only" in opened.notices[0]
    session_id = opened.store.start_session(start())
    opened.store.record_block(session_id, reps("wall-slides", 1, MORNING))
    assert len(opened.store.sessions()[0].blocks) == 1


def test_a_read_only_data_folder_gives_an_in_memory_history(tmp_path, monkeypatch):
    from kneetui.history import store as store_module

    folder = tmp_path / "kneetui"
    folder.mkdir()
    real_connect = store_module.connect

    def read_only_folder(target):
        if str(target) == ":memory:":
            return real_connect(target)
        # What SQLite says for a new file in a folder without write permission (root ignores chmod).
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(store_module, "connect", read_only_folder)
    opened = open_history_store(folder / "history.sqlite3")
    assert opened.store.in_memory_only and "kept in memory only" in opened.notices[0]
    assert "unable to open database file" in opened.notices[0]
    assert list(folder.iterdir()) == []


def test_a_read_only_history_file_gives_an_in_memory_history_and_is_left_alone(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    with open_history_store(path).store as store:
        store.start_session(start())
    before = path.read_bytes()
    opened = _open_without_writing(monkeypatch, path)
    assert opened.store.in_memory_only and opened.backup is None
    assert "cannot be opened for writing" in opened.notices[0]
    assert "readonly" in opened.notices[0]
    assert path.read_bytes() == before


def test_a_write_that_fails_after_opening_moves_the_history_into_memory(tmp_path):
    path = tmp_path / "history.sqlite3"
    with open_history_store(path).store as store:
        session_id = store.start_session(start())
        store.record_block(session_id, reps("wall-slides", 1, MORNING))
    # A read-only connection stands in for a disk that stopped taking writes.
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    store = HistoryStore(read_only, path)
    store.record_block(session_id, reps("wall-slides", 2, MORNING + 60))
    assert store.in_memory_only
    assert "kept in memory only" in store.problems[0]
    assert [block.set_number for block in store.session(session_id).blocks] == [1, 2]


def _open_without_writing(monkeypatch, path: Path) -> object:
    """open_history_store on ``path`` as a file the history can read but never write (root ignores chmod)."""
    from kneetui.history import store as store_module

    real_connect = store_module.connect

    def read_only(target):
        if str(target) == ":memory:":
            return real_connect(target)
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)

    monkeypatch.setattr(store_module, "connect", read_only)
    return open_history_store(path)


def test_a_history_that_cannot_be_written_still_shows_every_session_and_the_stop_for_pain(tmp_path, monkeypatch):
    path = tmp_path / "history.sqlite3"
    with open_history_store(path).store as store:
        for day in range(3):
            session_id = store.start_session(start(MORNING + day * DAY))
            store.record_block(session_id, reps("wall-slides", 1, MORNING + day * DAY))
        store.record_stop(session_id, "pain rose from 2 to 4 after Wall slides", MORNING + 2 * DAY + 60)
    before = path.read_bytes()
    opened = _open_without_writing(monkeypatch, path)
    store = opened.store
    assert store.in_memory_only and "kept in memory only" in opened.notices[0]
    assert "recorded before" in opened.notices[0]
    assert len(store.sessions()) == 3, "the past is shown, not an empty history"
    assert store.previous_stop() is not None, "the stop for pain last time still holds"
    session_id = store.start_session(start(MORNING + 3 * DAY))
    store.record_block(session_id, reps("wall-slides", 1, MORNING + 3 * DAY))
    assert len(store.sessions()) == 4
    store.close()
    assert path.read_bytes() == before


def test_a_history_that_can_be_neither_written_nor_read_says_the_past_cannot_be_checked(tmp_path, monkeypatch):
    from kneetui.history import store as store_module

    path = tmp_path / "history.sqlite3"
    with open_history_store(path).store as store:
        store.start_session(start())

    def unreadable(target):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(store_module, "_read_only_connection", unreadable)
    opened = _open_without_writing(monkeypatch, path)
    assert opened.store.in_memory_only and opened.store.sessions() == []
    assert "cannot be read either" in opened.notices[0] and "stop for pain" in opened.notices[0]
    assert "kept in memory only" in opened.notices[0]


def _fifty_days(path: Path) -> None:
    with open_history_store(path).store as store:
        for day in range(50):
            session_id = store.start_session(start(MORNING + day * DAY))
            for set_number in range(1, 20):
                store.record_block(session_id, reps("wall-slides", set_number, MORNING + day * DAY))
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _damage_index(path: Path, index: str = "sessions_by_start") -> bytes:
    """Overwrite the first page of ``index`` with noise; every table stays readable."""
    with sqlite3.connect(path) as connection:
        [(page_number,)] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (index,))
    data = bytearray(path.read_bytes())
    page = 4096
    data[(page_number - 1) * page : page_number * page] = os.urandom(page)
    path.write_bytes(bytes(data))
    return bytes(data)


def test_a_damaged_index_is_rebuilt_from_the_tables_and_nothing_is_lost(tmp_path):
    path = tmp_path / "history.sqlite3"
    _fifty_days(path)
    damaged = _damage_index(path)
    opened = open_history_store(path, now=datetime(2026, 3, 4, 5, 6, 7))
    assert opened.kept_on_disk
    [notice] = opened.notices
    assert "rebuilt" in notice and "no session was lost" in notice
    assert "***" not in notice and "btree" not in notice, "one sentence for the person, not SQLite's report"
    sessions = opened.store.sessions()
    assert len(sessions) == 50 and all(len(session.blocks) == 19 for session in sessions)
    assert opened.store.integrity() == "ok"
    assert opened.backup is not None and opened.backup.read_bytes() == damaged, "the file as it was is kept"
    assert "btreeInitPage" in Path(f"{opened.backup}.txt").read_text(), "SQLite's own report is kept beside it"
    opened.store.close()
    assert open_history_store(path).notices == []


def test_reading_a_damaged_history_never_moves_it_aside(tmp_path):
    path = tmp_path / "history.sqlite3"
    _fifty_days(path)
    damaged = _damage_index(path)
    opened = open_history_store(path, for_reading=True)
    assert len(opened.store.sessions()) == 50
    assert "damaged" in opened.notices[0]
    opened.store.close()
    assert path.read_bytes() == damaged and opened.backup is None
    assert sorted(item.name for item in tmp_path.iterdir()) == ["history.sqlite3"]


def test_reading_a_history_that_is_not_one_says_so_and_leaves_it(tmp_path):
    path = tmp_path / "history.sqlite3"
    garbage = os.urandom(8192)
    path.write_bytes(garbage)
    opened = open_history_store(path, for_reading=True)
    assert opened.store.sessions() == [] and "cannot be read" in opened.notices[0]
    assert path.read_bytes() == garbage and sorted(item.name for item in tmp_path.iterdir()) == ["history.sqlite3"]


def test_a_lock_held_at_opening_does_not_keep_the_run_in_memory(tmp_path, monkeypatch):
    """Another login in the middle of a write when kneetui starts: the writes wait for it, they are not lost."""
    from kneetui.history import store as store_module

    path = tmp_path / "history.sqlite3"
    open_history_store(path).store.close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    try:
        opened = open_history_store(path)
    finally:
        holder.execute("COMMIT")
        holder.close()
    assert opened.notices == [] and opened.kept_on_disk
    with opened.store as store:
        session_id = store.start_session(start())
        store.record_block(session_id, reps("wall-slides", 1, MORNING))
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT COUNT(*) FROM blocks").fetchone() == (1,)


def test_a_run_cut_off_after_a_stop_for_pain_does_not_hide_that_stop():
    store = HistoryStore.in_memory()
    stopped = store.start_session(start())
    store.record_stop(stopped, "pain rose from 2 to 4 after Wall slides", MORNING + 60)
    store.finish_session(stopped, 4, MORNING + 90)
    # The next run was cut off (kneetui killed, the terminal closed): it never ended.
    cut_off = store.start_session(start(at=MORNING + 3600))
    store.record_block(cut_off, reps("wall-slides", 1, MORNING + 3700))
    assert store.previous_stop() is not None
    assert store.previous_stop().reason == "pain rose from 2 to 4 after Wall slides"
    assert store.unacknowledged_stop().id == stopped
    # A session that ended after it is what counts again.
    finished = store.start_session(start(at=MORNING + 7200))
    store.finish_session(finished, 2, MORNING + 7300)
    assert store.previous_stop() is None and store.unacknowledged_stop() is None
