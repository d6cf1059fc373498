"""Writes queued for the history, kept on disk until they are committed, and replayed if they never were.

With :meth:`~kneetui.history.store.HistoryStore.write_in_background`, a write returns before
it is committed: another login may hold the history's lock for seconds. Before a write is
queued, its :class:`Write` is appended to this process's journal, one JSON line, flushed and
fsync'd, beside the history (``history.sqlite3.pending-TOKEN.jsonl``). The writer commits
each write together with its key (journal token, line number) in ``journal_applied``, in one
transaction, and empties the journal whenever everything in it is committed.

A process holds an exclusive ``flock`` on its journal while it lives, so a journal that can
be locked belongs to a process that has ended (a crash, a ``kill -9``): opening the history
replays it, skipping any write whose key is already there (it was committed before the end),
so each write lands exactly once, then removes it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

APPLIED_TABLE = """
CREATE TABLE IF NOT EXISTS journal_applied (
    journal TEXT NOT NULL,
    seq INTEGER NOT NULL,
    row_id INTEGER,
    PRIMARY KEY (journal, seq)
)
"""

#: What an ``update`` write may change, by name: a journal is data, never SQL.
UPDATES = {
    "stop": "stop_reason = ?, stopped_at = ?",
    "finish": "pain_after = ?, ended_at = ?",
    "note": "notes = json_insert(notes, '$[#]', ?)",
    "acknowledge": "stop_acknowledged_at = ?",
}


@dataclass
class Write:
    """One change to the history, as data: what to do (``op``), to which session, with which values.

    ``op`` is ``start`` (a new session; ``provisional`` is the id it was handed out as),
    ``block``, ``pain_check`` or ``update`` (``change`` names one of :data:`UPDATES`).
    """

    op: str
    session: int | None = None
    values: list[Any] = field(default_factory=list)
    change: str = ""
    provisional: int | None = None


def apply(connection: sqlite3.Connection, write: Write, session_id: int | None) -> int:
    """Run ``write`` on ``connection`` with the session's real id; the new row's id, or the rows changed."""
    if write.op == "start":
        row_id = connection.execute(
            """
            INSERT INTO sessions (
                started_at, program_id, exercise_ids, pain_before, swollen, unstable,
                advised_professional, continued_despite_advice, notes
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            write.values,
        ).lastrowid
        assert row_id is not None
        return row_id
    if write.op == "block":
        connection.execute(
            """
            INSERT INTO blocks (
                session_id, exercise_id, kind, set_number, side, planned, done,
                started_at, ended_at, plugin
            ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (session_id, *write.values),
        )
        return 1
    if write.op == "pain_check":
        connection.execute(
            "INSERT INTO pain_checks (session_id, exercise_id, pain, at) VALUES (?, ?, ?, ?)",
            (session_id, *write.values),
        )
        return 1
    if write.op == "update" and write.change in UPDATES:
        sql = f"UPDATE sessions SET {UPDATES[write.change]} WHERE id = ?"
        return connection.execute(sql, (*write.values, session_id)).rowcount
    raise ValueError(f"not a history write: {write.op} {write.change}")


def apply_once(
    connection: sqlite3.Connection, journal: str, seq: int, write: Write, session_id: int | None
) -> tuple[bool, int]:
    """``write`` and its key in one transaction, unless the key is there already (it was committed).

    Returns whether it was done now, and :func:`apply`'s result (for a ``start`` done before,
    the id of the session it made then).
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        found = connection.execute(
            "SELECT row_id FROM journal_applied WHERE journal = ? AND seq = ?", (journal, seq)
        ).fetchone()
        if found is not None:
            connection.execute("COMMIT")
            return False, int(found[0] or 0)
        result = apply(connection, write, session_id)
        connection.execute(
            "INSERT INTO journal_applied (journal, seq, row_id) VALUES (?, ?, ?)",
            (journal, seq, result if write.op == "start" else None),
        )
        connection.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            connection.execute("ROLLBACK")
        raise
    return True, result


def _pattern(history: Path) -> str:
    return f"{history.name}.pending-*.jsonl"


def _token(path: Path, history: Path) -> str:
    return path.name.removeprefix(f"{history.name}.pending-").removesuffix(".jsonl")


class Journal:
    """This process's journal of queued writes, locked for as long as it is open."""

    def __init__(self, history: Path) -> None:
        # A random name, as secrets.token_hex(8) would give (which imports hmac and hashlib at start-up).
        self.token = os.urandom(8).hex()
        self.path = history.with_name(f"{history.name}.pending-{self.token}.jsonl")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_APPEND | os.O_NOFOLLOW | os.O_CLOEXEC
        self._descriptor = os.open(self.path, flags, 0o600)
        fcntl.flock(self._descriptor, fcntl.LOCK_EX)
        self._lock = threading.Lock()
        self._next_seq = 0
        self._uncommitted = 0
        self._kept = False

    def append(self, make: Callable[[], Write]) -> int:
        """Write ``make()`` durably (one line, fsync'd) and return its number in this journal.

        ``make`` runs under the journal's lock, so what it reads (a session's real id) cannot
        change before the line is written. Raises :class:`OSError` (a full disk) with the
        journal as it was before: a line written in part is cut off, so it cannot spoil the next.
        """
        with self._lock:
            write = make()
            seq = self._next_seq
            line = json.dumps({"seq": seq, **asdict(write)}, separators=(",", ":")) + "\n"
            size = os.lseek(self._descriptor, 0, os.SEEK_END)
            try:
                os.write(self._descriptor, line.encode())
                os.fsync(self._descriptor)
            except OSError:
                with contextlib.suppress(OSError):
                    os.ftruncate(self._descriptor, size)
                raise
            self._next_seq += 1
            self._uncommitted += 1
            return seq

    def committed(self) -> None:
        """One write is committed; once all are, the journal is emptied."""
        with self._lock:
            self._uncommitted -= 1
            if self._uncommitted == 0 and not self._kept:
                os.ftruncate(self._descriptor, 0)

    def keep(self) -> None:
        """Keep every line from now on, for the next opening to replay (the history went to memory)."""
        with self._lock:
            self._kept = True

    def close(self) -> None:
        """Remove the journal when all is committed (else leave it to be replayed), and let it go."""
        with self._lock:
            if self._descriptor < 0:
                return
            if self._uncommitted == 0 and not self._kept:
                with contextlib.suppress(OSError):
                    self.path.unlink()
            os.close(self._descriptor)
            self._descriptor = -1


def replay(connection: sqlite3.Connection, history: Path) -> int:
    """Commit the writes of every ended process's journal beside ``history`` that are not yet in it.

    Returns how many writes were replayed. A journal of a process still running is left alone.
    """
    connection.execute(APPLIED_TABLE)
    replayed = 0
    for path in sorted(history.parent.glob(_pattern(history))):
        try:
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # its process is still running
            replayed += _replay_one(connection, _token(path, history), _read_lines(descriptor))
            path.unlink()
        finally:
            os.close(descriptor)
    live = [_token(path, history) for path in history.parent.glob(_pattern(history))]
    marks = ",".join("?" * len(live))
    connection.execute(f"DELETE FROM journal_applied WHERE journal NOT IN ({marks})", live)
    return replayed


def _read_lines(descriptor: int) -> list[dict[str, Any]]:
    data = b""
    while chunk := os.read(descriptor, 65536):
        data += chunk
    entries = []
    for line in data.split(b"\n"):
        try:
            entry = json.loads(line)
        except ValueError:
            continue  # the line being written when the process ended
        if isinstance(entry, dict):
            entries.append(entry)
    return entries


def _replay_one(connection: sqlite3.Connection, token: str, entries: list[dict[str, Any]]) -> int:
    real_ids: dict[int, int] = {}
    replayed = 0
    for entry in entries:
        seq = entry.pop("seq", None)
        try:
            write = Write(**entry)
        except TypeError:
            continue
        if not isinstance(seq, int):
            continue
        session = write.session
        if session is not None and session < 0:
            if session not in real_ids:
                continue  # its session was never recorded
            session = real_ids[session]
        try:
            done, result = apply_once(connection, token, seq, write, session)
        except (sqlite3.IntegrityError, ValueError):
            continue  # a write that could not be done when it was asked for either
        if write.op == "start" and write.provisional is not None:
            real_ids[write.provisional] = result
        replayed += done
    return replayed
