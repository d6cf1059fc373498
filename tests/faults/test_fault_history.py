"""A history file that is damaged, locked, read-only or has nowhere to go, under the full app.

tests/test_history_store.py checks open_history_store on these files; here the app runs a
whole session on each, tells the person, and every row recorded before is still there.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fault_helpers import notices, short_session

from kneetui.engine.recording import BlockKind, BlockRecord, SessionStart
from kneetui.history import store as store_module
from kneetui.history.store import open_history_store
from kneetui.storage import locations
from kneetui.storage.config import Settings

SETTINGS = Settings(safety_acknowledged=True, get_ready_seconds=0, animations=False)


def earlier_sessions(path: Path, count: int = 30) -> None:
    with open_history_store(path).store as store:
        for number in range(count):
            session_id = store.start_session(SessionStart(1000.0 + number * 86400, "chronic", ("wall-slides",)))
            store.record_block(session_id, BlockRecord("wall-slides", BlockKind.REPS, 1, None, 10, 10, 1001.0, 1030.0))
            store.finish_session(session_id, 1, 1040.0 + number * 86400)
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def session_rows(path: Path) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return connection.execute(
            "SELECT s.id, s.ended_at, COUNT(b.id), SUM(b.done) FROM sessions s LEFT JOIN blocks b ON b.session_id = s.id GROUP BY s.id"
        ).fetchall()


async def run_app_session(make_app, opened) -> object:
    app = make_app(settings=SETTINGS, notices=opened.notices, history=opened.store)
    async with app.run_test(size=(80, 24)) as pilot:
        await short_session(pilot)
        assert app.is_running
        shown = notices(app)
    recorded = app.history.sessions()[0]
    assert [(block.exercise_id, block.done) for block in recorded.blocks] == [("wall-slides", 10)]
    assert recorded.pain_after == 2
    return app, shown


# A page overwritten in place is covered at the store level in tests/test_history_store.py.
@pytest.mark.parametrize("damage", ["random bytes", "cut mid-page"])
async def test_a_damaged_history_is_kept_aside_and_the_session_goes_to_a_fresh_one(make_app, damage):
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    if damage == "random bytes":
        path.write_bytes(os.urandom(20_000))
    else:
        earlier_sessions(path)
        data = bytearray(path.read_bytes())
        data = data[: len(data) - 4096 - 1000]
        path.write_bytes(bytes(data))
    damaged = path.read_bytes()
    opened = open_history_store()
    app, shown = await run_app_session(make_app, opened)
    app.history.close()
    assert "could not be read" in shown and ".broken-" in shown
    assert opened.backup.read_bytes() == damaged, "the damaged file is kept as it was"
    assert [row[2:] for row in session_rows(path)] == [(1, 10)], "the new session is on disk"


LOCKER = textwrap.dedent(
    """
    import sqlite3, sys
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    print("locked", flush=True)
    sys.stdin.readline()
    connection.execute("COMMIT")
    print("released", flush=True)
    """
)


class Locker:
    """Another process that holds an exclusive transaction on the history until told to let go."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process.poll() is None:
            self.process.stdin.write("go\n")
            self.process.stdin.flush()
            assert self.process.stdout.readline().strip() == "released"
            self.process.wait(timeout=10)


async def test_a_history_locked_by_another_process_keeps_the_rows_and_says_the_rest_is_in_memory(make_app, monkeypatch):
    # Waiting the real 10 s busy timeout would only make the test slow.
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.3)
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    earlier_sessions(path)
    before = session_rows(path)
    opened = open_history_store()
    assert opened.notices == []
    locker = Locker(path)
    try:
        app, shown = await run_app_session(make_app, opened)
    finally:
        locker.release()
    assert "kept in memory only" in shown, "the person is told the session will not be kept"
    assert app.history.in_memory_only
    assert len(app.history.sessions()) == len(before) + 1, "earlier sessions were copied into memory too"
    app.history.close()
    assert session_rows(path)[: len(before)] == before


async def test_a_lock_released_within_the_wait_costs_nothing(make_app, monkeypatch):
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    earlier_sessions(path, 3)
    opened = open_history_store()
    app = make_app(settings=SETTINGS, history=opened.store)
    async with app.run_test(size=(80, 24)) as pilot:
        from fault_helpers import start_exercise, wait_until

        await start_exercise(pilot, "wall-slides")
        await wait_until(pilot, lambda: getattr(app.screen, "runner", None) and app.screen.runner.phase.kind == "reps")
        locker = Locker(path)
        # The last rep records the block; the history's writer thread waits for the lock until it is let go.
        import threading

        threading.Timer(0.3, locker.release).start()
        await pilot.press(*["enter"] * 10)
        await pilot.pause()
        locker.process.wait(timeout=10)
    assert not app.history.in_memory_only and app.history.problems == []
    app.history.close()
    assert [row[2:] for row in session_rows(path)][-1] == (1, 10)


async def test_a_read_only_history_leaves_the_file_untouched_and_says_so(make_app, monkeypatch):
    path = locations.history_file()
    path.parent.mkdir(parents=True)
    earlier_sessions(path, 5)
    before = path.read_bytes()
    real_connect = store_module.connect

    def read_only(target):
        if str(target) == ":memory:":
            return real_connect(target)
        # What a file without write permission gives (root ignores chmod 0444, so ask SQLite).
        return sqlite3.connect(f"file:{target}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)

    monkeypatch.setattr(store_module, "connect", read_only)
    opened = open_history_store()
    _app, shown = await run_app_session(make_app, opened)
    assert "cannot be opened for writing" in shown and "kept in memory only" in shown
    assert path.read_bytes() == before


async def test_a_file_where_the_data_folder_should_be_gives_a_working_session_in_memory(make_app):
    data = Path(os.environ["XDG_DATA_HOME"])
    data.rmdir()
    data.write_text("a file where the data folder should be\n")
    opened = open_history_store()
    _app, shown = await run_app_session(make_app, opened)
    assert "kept in memory only" in shown
    assert data.read_text() == "a file where the data folder should be\n"


def test_plain_mode_says_at_once_when_the_history_stops_taking_writes(tmp_path):
    import io

    from kneetui.cli.guide import run_guide
    from kneetui.cli.main import build_parser
    from kneetui.engine.clock import FakeClock
    from kneetui.history.store import HistoryStore
    from kneetui.plugin_host.loader import load_plugins

    path = tmp_path / "history.sqlite3"
    earlier_sessions(path, 2)
    before = path.read_bytes()
    # A read-only connection stands in for a disk that stopped taking writes after opening.
    store = HistoryStore(
        sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False), path
    )
    clock, out = FakeClock(), io.StringIO()

    def wait(seconds: float) -> bool:
        clock.advance(seconds)
        return False

    args = build_parser().parse_args(["guide", "wall-slides", "--plain", "--get-ready", "0", "--no-bell"])
    typed = "3\nn\nn\n" + "\n" * 10 + "2\n2\n"
    code = run_guide(args, load_plugins(), recorder=store, clock=clock, wait=wait, stdin=io.StringIO(typed), stdout=out)
    assert code == 0
    lines = out.getvalue().splitlines()
    said = next(index for index, line in enumerate(lines) if "kept in memory only" in line)
    assert said < next(index for index, line in enumerate(lines) if "10 of 10" in line), "said when it happened"
    assert lines[-1].endswith("1 block done, not saved: the history is kept in memory only."), "the end is truthful"
    assert path.read_bytes() == before
