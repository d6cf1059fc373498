"""The history written on its own thread: another process's write lock delays nothing on screen.

A second login of the same person may hold the history's write lock for seconds. The app's
writes are queued for one writer thread, so a countdown goes on while that lock is held, and
every row arrives once it is let go. Reads wait for the writes asked for before them.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from textual.widgets import Static

from kneetui.engine.clock import FakeClock
from kneetui.engine.recording import BlockKind, BlockRecord, SessionStart
from kneetui.history.store import UnknownSessionError, open_history_store
from kneetui.history.writer import WriteQueue
from kneetui.storage.config import Settings
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.session import SessionScreen

SETTINGS = Settings(safety_acknowledged=True, get_ready_seconds=0, animations=False)


class LockHolder:
    """Another connection that holds the history's write lock (BEGIN IMMEDIATE) until released."""

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self.connection.execute("BEGIN IMMEDIATE")

    def release(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("COMMIT")
        self.connection.close()


def rows(path: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return connection.execute(sql).fetchall()


def block(number: int) -> BlockRecord:
    return BlockRecord("wall-slides", BlockKind.REPS, number, None, 10, 10, 1000.0 + number, 1001.0 + number)


def test_writes_return_while_another_connection_holds_the_lock_and_land_once_it_is_let_go(tmp_path):
    path = tmp_path / "history.sqlite3"
    store = open_history_store(path).store
    store.write_in_background()
    holder = LockHolder(path)
    try:
        session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
        for number in (1, 2, 3):
            store.record_block(session_id, block(number))
        store.finish_session(session_id, 1, 1100.0)
        # Every call above has returned although the lock is still held: nothing is written yet.
        assert store.writes_pending > 0
        assert rows(path, "SELECT COUNT(*) FROM blocks") == [(0,)]
    finally:
        holder.release()
    store.flush()
    assert rows(path, "SELECT COUNT(*), SUM(done) FROM blocks") == [(3, 30)]
    recorded = store.session(session_id)
    assert recorded is not None and recorded.id == store.real_id(session_id) > 0
    assert [b.set_number for b in recorded.blocks] == [1, 2, 3] and recorded.ended_at == 1100.0
    assert store.problems == [] and not store.in_memory_only
    store.close()


def test_a_read_waits_for_the_writes_asked_for_before_it(tmp_path):
    path = tmp_path / "history.sqlite3"
    store = open_history_store(path).store
    store.write_in_background()
    holder = LockHolder(path)
    session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
    store.record_block(session_id, block(1))
    threading.Timer(0.2, holder.release).start()
    # Asked on this thread while the lock is held: the answer comes once the writes are done.
    assert [len(session.blocks) for session in store.sessions()] == [1]
    store.close()


def test_an_unknown_session_is_refused_at_once_not_on_the_writer_thread(tmp_path):
    store = open_history_store(tmp_path / "history.sqlite3").store
    store.write_in_background()
    with pytest.raises(UnknownSessionError):
        store.record_block(-5, block(1))
    with pytest.raises(UnknownSessionError):
        store.finish_session(42, None, 1.0)
    store.close()


def test_a_write_that_fails_on_the_writer_thread_is_told_not_dropped(tmp_path, monkeypatch):
    from kneetui.history import store as store_module

    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_SECONDS", 0.2)
    path = tmp_path / "history.sqlite3"
    store = open_history_store(path).store
    told: list[str] = []
    store.on_problem = told.append
    store.write_in_background()
    holder = LockHolder(path)
    try:
        session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
        store.record_block(session_id, block(1))
        store.flush()
    finally:
        holder.release()
    assert len(told) == 1 and "kept in memory only" in told[0]
    assert store.in_memory_only, "the rest of this run goes to memory, as it always has"
    assert [len(session.blocks) for session in store.sessions()] == [1]
    store.close()


def test_the_write_queue_reports_a_job_that_raises_and_goes_on():
    errors: list[BaseException] = []
    done: list[int] = []
    queue = WriteQueue(errors.append)
    queue.put(lambda: done.append(1))
    queue.put(lambda: 1 / 0)
    queue.put(lambda: done.append(3))
    queue.close()
    assert done == [1, 3] and isinstance(errors[0], ZeroDivisionError)


async def test_a_countdown_goes_on_while_another_process_holds_the_lock_and_the_session_is_kept(make_app):
    from fault_helpers import start_exercise, wait_until

    from kneetui.storage import locations

    path = locations.history_file()
    opened = open_history_store(path)
    clock = FakeClock()
    app = make_app(settings=SETTINGS, history=opened.store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        holder = LockHolder(path)
        try:
            await start_exercise(pilot, "sitting-adductor-stretch")
            await wait_until(
                pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.runner.phase.kind == "hold"
            )
            screen = app.screen
            # Both sides held to the end, each block recorded, with the lock held all along.
            for _ in range(80):
                if isinstance(app.screen, PainQuestionScreen):
                    break
                clock.advance(0.5)
                screen.tick()
                await pilot.pause()
            assert isinstance(app.screen, PainQuestionScreen), "the countdown reached its end"
            await pilot.press("1", "enter")
            await wait_until(pilot, lambda: screen.over, what="the summary")
            assert "Saving to your history" in str(screen.query_one("#outcome", Static).render())
            assert rows(path, "SELECT COUNT(*) FROM blocks") == [(0,)], "nothing could be written yet"
        finally:
            holder.release()
        await wait_until(pilot, lambda: "Recorded" in str(screen.query_one("#outcome", Static).render()))
    assert rows(path, "SELECT side FROM blocks ORDER BY id") == [("left",), ("right",)]
    assert rows(path, "SELECT pain_before, pain_after FROM sessions") == [(1, 1)]
    assert app.history.problems == []
    app.history.close()


RECORDER = """
import sys
from pathlib import Path

from kneetui.engine.recording import BlockKind, BlockRecord, SessionStart
from kneetui.history.store import open_history_store

store = open_history_store(Path(sys.argv[1])).store
store.write_in_background()
session_id = None
print("open", flush=True)
for line in sys.stdin:
    command = line.split()
    if command[0] == "start":
        session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
    elif command[0] == "block":
        number = int(command[1])
        store.record_block(
            session_id, BlockRecord("wall-slides", BlockKind.REPS, number, None, 10, 10, 1000.0 + number, 1001.0)
        )
    elif command[0] == "flush":
        store.flush()
    print("done", flush=True)
"""


class Recorder:
    """A kneetui process writing to the history in the background, told what to record line by line."""

    def __init__(self, path: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", RECORDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        assert self.process.stdout.readline() == "open\n"

    def tell(self, *commands: str) -> None:
        for command in commands:
            self.process.stdin.write(command + "\n")
            self.process.stdin.flush()
            assert self.process.stdout.readline() == "done\n"

    def kill_9(self) -> None:
        self.process.kill()
        self.process.wait(timeout=30)


@pytest.mark.parametrize(
    ("before_the_lock", "while_locked"),
    [
        ((), ("start", "block 1", "block 2", "block 3")),
        # The session was committed (and its journal emptied) before the blocks were queued.
        (("start", "flush"), ("block 1", "block 2", "block 3")),
        (("start", "block 1", "flush"), ("block 2", "block 3")),
    ],
)
def test_writes_queued_behind_another_process_lock_survive_a_kill_9_exactly_once(
    tmp_path, before_the_lock, while_locked
):
    path = tmp_path / "history.sqlite3"
    open_history_store(path).store.close()
    recorder = Recorder(path)
    try:
        recorder.tell(*before_the_lock)
        holder = LockHolder(path)
        try:
            recorder.tell(*while_locked)
            queued = sum(command.startswith("block") for command in while_locked)
            assert rows(path, "SELECT COUNT(*) FROM blocks") == [(3 - queued,)], "nothing queued is written yet"
        finally:
            recorder.kill_9()
            holder.release()
    finally:
        if recorder.process.poll() is None:
            recorder.kill_9()
    for _ in range(2):  # opening again replays nothing twice
        store = open_history_store(path).store
        [session] = store.sessions()
        assert [block.set_number for block in session.blocks] == [1, 2, 3]
        store.close()
    assert not list(tmp_path.glob("history.sqlite3.pending-*")), "the journal is gone once replayed"
    assert rows(path, "SELECT COUNT(*) FROM journal_applied") == [(0,)]


def test_a_journal_whose_writes_were_all_committed_replays_nothing(tmp_path, monkeypatch):
    """A process that ended between committing writes and emptying its journal: each write lands once."""
    from kneetui.history import journal

    path = tmp_path / "history.sqlite3"
    store = open_history_store(path).store
    store.write_in_background()
    monkeypatch.setattr(journal.Journal, "committed", lambda self: None)  # never emptied, as if killed first
    session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
    for number in (1, 2):
        store.record_block(session_id, block(number))
    store.flush()
    store.close()
    assert list(tmp_path.glob("history.sqlite3.pending-*")), "its journal was left behind"
    store = open_history_store(path).store
    [session] = store.sessions()
    assert [block.set_number for block in session.blocks] == [1, 2]
    store.close()
    assert not list(tmp_path.glob("history.sqlite3.pending-*"))


def test_a_full_disk_while_queueing_a_write_is_told_and_the_session_goes_on(tmp_path, monkeypatch):
    """No space left for the journal's line: the write still goes ahead, and the person is told once."""
    import errno

    from kneetui.history import journal

    path = tmp_path / "history.sqlite3"
    store = open_history_store(path).store
    told: list[str] = []
    store.on_problem = told.append
    store.write_in_background()
    session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
    store.flush()

    def disk_full(descriptor: int, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(journal.os, "write", disk_full)
    for number in (1, 2):
        store.record_block(session_id, block(number))
    store.finish_session(session_id, 1, 1100.0)
    monkeypatch.undo()
    assert len(told) == 1 and "No space left on device" in told[0], "told once, not at every block"
    [session] = store.sessions()
    assert [b.set_number for b in session.blocks] == [1, 2] and session.ended_at == 1100.0
    store.close()
    assert not list(tmp_path.glob("history.sqlite3.pending-*"))
