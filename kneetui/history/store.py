"""The session history, kept in one SQLite file per person.

:class:`HistoryStore` is the :class:`~kneetui.engine.recording.SessionRecorder`
the session runner writes to, and the query side the History screen and the
exports read from. :func:`open_history_store` never raises: a file it cannot
read is kept aside and replaced by a fresh one, and a place it cannot write to
gives a store that works in memory; either way it says so in a notice.

Every ``record_*`` call is its own committed transaction, so a crash or a
``kill -9`` loses at most the block in progress. Writes queued on the writer
thread are first kept in a journal on disk (:mod:`kneetui.history.journal`),
replayed at the next opening if their process ended before committing them. WAL mode and a busy timeout
let two kneetui processes of the same person (two SSH logins) share the file:
a writer waits for the other instead of failing. The app has that waiting done
on one writer thread (:meth:`HistoryStore.write_in_background`), so its event
loop never waits for another process's lock.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Any, TypeVar

from kneetui.content.model import Dose
from kneetui.content.text import reason
from kneetui.engine.recording import BlockKind, BlockRecord, SessionStart
from kneetui.engine.safety import PreviousStop, is_advised_stop, is_pain_stop
from kneetui.history.days import local_day, streak
from kneetui.history.journal import APPLIED_TABLE, Journal, Write, apply, apply_once, replay
from kneetui.history.records import (
    ExerciseTotals,
    PainCheck,
    PainPoint,
    RecordedSession,
    dose_of_blocks,
)
from kneetui.history.writer import WriteQueue
from kneetui.storage import locations
from kneetui.storage.atomic import keep_aside, write_atomic

#: How many sessions back the stop gate looks, past runs that were cut off, for the last that ended.
LAST_ENDED_LOOKBACK = 20
#: How long a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_SECONDS = 10.0

#: The schema, one migration per version: ``MIGRATIONS[n]`` takes a database
#: from version ``n`` to ``n + 1``. Append only; never edit a released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE sessions (
            id INTEGER PRIMARY KEY,
            started_at REAL NOT NULL,
            ended_at REAL,
            program_id TEXT,
            exercise_ids TEXT NOT NULL DEFAULT '[]',
            pain_before INTEGER,
            swollen INTEGER,
            unstable INTEGER,
            advised_professional INTEGER NOT NULL DEFAULT 0,
            continued_despite_advice INTEGER NOT NULL DEFAULT 0,
            pain_after INTEGER,
            stop_reason TEXT,
            stopped_at REAL
        )
        """,
        """
        CREATE TABLE blocks (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            exercise_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            set_number INTEGER NOT NULL,
            side TEXT,
            planned INTEGER NOT NULL,
            done INTEGER NOT NULL,
            started_at REAL NOT NULL,
            ended_at REAL NOT NULL,
            plugin TEXT NOT NULL DEFAULT ''
        )
        """,
        """
        CREATE TABLE pain_checks (
            id INTEGER PRIMARY KEY,
            session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            exercise_id TEXT NOT NULL,
            pain INTEGER NOT NULL,
            at REAL NOT NULL
        )
        """,
        "CREATE INDEX sessions_by_start ON sessions (started_at)",
        "CREATE INDEX blocks_by_session ON blocks (session_id)",
        "CREATE INDEX blocks_by_exercise ON blocks (exercise_id, session_id)",
        "CREATE INDEX pain_checks_by_session ON pain_checks (session_id)",
    ),
    # 2: SessionStart.notes (what the person was told before starting), as a JSON list.
    ("ALTER TABLE sessions ADD COLUMN notes TEXT NOT NULL DEFAULT '[]'",),
    # 3: when the person acknowledged, on Home, a stop that came with the advice to see a professional.
    ("ALTER TABLE sessions ADD COLUMN stop_acknowledged_at REAL",),
)

SCHEMA_VERSION = len(MIGRATIONS)

# A file that is not SQLite, or is damaged, is kept aside and replaced; any
# other error (read-only, no space, locked) leaves the file alone.
_BROKEN_FILE_ERRORS = {"SQLITE_NOTADB", "SQLITE_CORRUPT"}

_T = TypeVar("_T")


class NewerSchemaError(Exception):
    """The history was written by a newer kneetui than this one."""

    def __init__(self, found: int, known: int) -> None:
        self.found, self.known = found, known
        super().__init__(f"history schema version {found} is newer than this kneetui knows ({known})")


class UnknownSessionError(LookupError):
    """A ``record_*`` call named a session id this history never gave out."""


class _BrokenFile(Exception):
    """The file is not a readable SQLite database; ``str()`` is SQLite's own report, for a note."""

    def __init__(self, detail: str, *, not_sqlite: bool = False) -> None:
        super().__init__(detail)
        self.not_sqlite = not_sqlite

    @property
    def plainly(self) -> str:
        """What is wrong, in a few words for the person."""
        return "it is not a kneetui history" if self.not_sqlite else "it is damaged"


def connect(target: Path | str) -> sqlite3.Connection:
    """A connection set up the way the history needs: explicit transactions, waits, foreign keys."""
    # isolation_level=None: we open transactions ourselves, so each record_* is
    # exactly one commit and migrations are one BEGIN IMMEDIATE ... COMMIT.
    connection = sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, check_same_thread=False)
    connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    connection.execute("PRAGMA foreign_keys = ON")
    return connection


def migrate(connection: sqlite3.Connection, migrations: Sequence[Sequence[str]] = MIGRATIONS) -> int:
    """Bring the schema up to ``len(migrations)`` in one transaction; return the version found.

    Raises :class:`NewerSchemaError` (changing nothing) for a newer schema.
    """
    # IMMEDIATE takes the write lock before reading user_version, so two
    # processes opening a new file at once cannot both create the tables.
    connection.execute("BEGIN IMMEDIATE")
    try:
        found = connection.execute("PRAGMA user_version").fetchone()[0]
        if found > len(migrations):
            raise NewerSchemaError(found, len(migrations))
        for version in range(found, len(migrations)):
            for statement in migrations[version]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {version + 1}")
        connection.execute("COMMIT")
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    return int(found)


def _flag(value: bool | None) -> int | None:
    return None if value is None else int(value)


def _bool(value: int | None) -> bool | None:
    return None if value is None else bool(value)


def _block_from_row(row: sqlite3.Row) -> BlockRecord:
    return BlockRecord(
        exercise_id=row["exercise_id"],
        kind=BlockKind(row["kind"]),
        set_number=row["set_number"],
        side=row["side"],
        planned=row["planned"],
        done=row["done"],
        started_at=row["started_at"],
        ended_at=row["ended_at"],
        plugin=row["plugin"],
    )


class HistoryStore:
    """The session history on one SQLite connection, to a file or in memory.

    Writes that fail after the store was opened (disk full, file made
    read-only, locked for longer than the busy timeout) do not raise: the
    history so far is copied into memory, the write goes there, and
    :attr:`problems` says that the rest of this run will not be kept.
    """

    def __init__(self, connection: sqlite3.Connection, path: Path | None = None) -> None:
        connection.row_factory = sqlite3.Row
        self._connection = connection
        self._path = path
        # The app may record from a worker thread while the UI thread queries.
        self._lock = threading.RLock()
        self._orphans_allowed = False
        #: Write failures since opening, as sentences for the person.
        self.problems: list[str] = []
        #: Called with each new problem as it happens, so the person is told at once. With
        #: :meth:`write_in_background` it is called on the writer's thread and must not block.
        self.on_problem: Callable[[str], None] | None = None
        # Set by write_in_background: the queue, its thread's own connection, and the real
        # row ids of the sessions started through it (handed out as negative ids at once).
        self._queue: WriteQueue | None = None
        self._writer_connection: sqlite3.Connection | None = None
        self._real_ids: dict[int, int] = {}
        self._next_provisional = -1
        #: Each queued write, on disk until it is committed (write_in_background only).
        self._journal: Journal | None = None
        # The person is told once that the journal cannot be written, not at every block.
        self._journal_failed = False

    @classmethod
    def in_memory(cls) -> HistoryStore:
        """An empty store that keeps nothing on disk."""
        connection = connect(":memory:")
        migrate(connection)
        return cls(connection)

    @property
    def path(self) -> Path | None:
        """The file the history is written to; ``None`` while it is kept in memory only."""
        return self._path

    @property
    def in_memory_only(self) -> bool:
        return self._path is None

    def write_in_background(self) -> None:
        """From now on, writes return at once and run in order on one writer thread.

        For the app: its event loop never waits for another process's write lock. Each write
        is still its own transaction, committed as soon as the lock allows; reads first wait
        for the writes asked for before them (:meth:`flush`). A write that fails becomes a
        problem exactly as before (the history goes on in memory and :attr:`on_problem` is
        called). A store kept in memory has no lock to wait for and stays as it is.
        """
        if self._queue is not None or self._path is None:
            return
        writer = connect(self._path)
        writer.row_factory = sqlite3.Row
        writer.execute("PRAGMA synchronous = FULL")
        self._writer_connection = writer
        try:
            self._journal = Journal(self._path)
        except OSError as error:
            self._tell(
                f"Writes waiting for the history cannot be kept on disk ({reason(error)}); a crash may lose them."
            )
        self._queue = WriteQueue(self._job_failed)

    def flush(self, timeout: float | None = None) -> bool:
        """Wait until every write asked for so far is done (or was moved to memory); False on timeout."""
        return self._queue.flush(timeout) if self._queue is not None else True

    @property
    def writes_pending(self) -> int:
        """Writes asked for and not done yet (always 0 without :meth:`write_in_background`)."""
        return self._queue.pending if self._queue is not None else 0

    def close(self) -> None:
        """Finish the writes asked for, then close the file."""
        if self._queue is not None:
            self._queue.close()
        if self._journal is not None:
            self._journal.close()
        with self._lock:
            if self._writer_connection is not None:
                self._writer_connection.close()
                self._writer_connection = None
            self._connection.close()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- writing: the SessionRecorder protocol ---------------------------------

    def start_session(self, start: SessionStart) -> int:
        """Record a new session and return its id.

        Writing in the background, the id is a provisional (negative) one that every other
        method of this store accepts; :meth:`session` and :meth:`real_id` give the row's.
        """
        safety = start.safety
        values = (
            start.started_at,
            start.program_id,
            json.dumps(list(start.exercise_ids)),
            safety.pain if safety else None,
            _flag(safety.swollen) if safety else None,
            _flag(safety.unstable) if safety else None,
            int(safety.advised_professional) if safety else 0,
            int(start.continued_despite_advice),
            json.dumps(list(start.notes)),
        )

        if self._queue is None:
            return self._write(Write("start", values=list(values)))
        with self._lock:
            provisional = self._next_provisional
            self._next_provisional -= 1
        self._enqueue(Write("start", values=list(values), provisional=provisional))
        return provisional

    def real_id(self, session_id: int) -> int:
        """The row id of a session this store started (a provisional id once written), else ``session_id``."""
        if session_id < 0:
            self.flush()
        return self._real_ids.get(session_id, session_id)

    def record_block(self, session_id: int, block: BlockRecord) -> None:
        """Record one completed block, committed before returning (queued, when writing in the background)."""
        values = [
            block.exercise_id,
            str(block.kind),
            block.set_number,
            block.side,
            block.planned,
            block.done,
            block.started_at,
            block.ended_at,
            block.plugin,
        ]
        self._write(Write("block", session_id, values))

    def record_pain_check(self, session_id: int, exercise_id: str, pain: int, at: float) -> None:
        """Record a pain score (0–10) taken after an exercise."""
        self._write(Write("pain_check", session_id, [exercise_id, pain, at]))

    def record_stop(self, session_id: int, reason: str, at: float) -> None:
        """Record that the session was stopped early, and why."""
        self._update_session(session_id, "stop", (reason, at))

    def finish_session(self, session_id: int, pain_after: int | None, ended_at: float) -> None:
        """Record the end of a session and the pain afterwards (None if not given)."""
        self._update_session(session_id, "finish", (pain_after, ended_at))

    def record_note(self, session_id: int, note: str, at: float) -> None:
        """Add a line to the session's notes, e.g. that a pain check was skipped."""
        self._update_session(session_id, "note", (note,))

    def acknowledge_stop(self, session_id: int, at: float) -> None:
        """The person has read, on Home, why the session stopped and the advice that came with it."""
        self._update_session(session_id, "acknowledge", (at,))

    def unacknowledged_stop(self) -> RecordedSession | None:
        """The last session, when it ended with the advice to consult a professional and the
        person has not acknowledged it yet."""
        last = self._last_that_ended()
        if last is not None and is_advised_stop(last.stop_reason) and last.stop_acknowledged_at is None:
            return last
        return None

    def previous_stop(self) -> PreviousStop | None:
        """The last session's stop, when it came with the advice to consult a professional."""
        last = self._last_that_ended()
        if last is not None and is_advised_stop(last.stop_reason):
            return PreviousStop(last.stop_reason or "", last.stopped_at or last.started_at)
        return None

    def _last_that_ended(self) -> RecordedSession | None:
        """The newest session that ended, or stopped with the advice to see a professional.

        A run cut off without either (kneetui killed, the terminal closed, another login still
        under way) is passed over: it must not hide a stop for pain before it.
        """
        for session in self.sessions(limit=LAST_ENDED_LOOKBACK):
            if session.ended_at is not None or is_advised_stop(session.stop_reason):
                return session
        return None

    def _update_session(self, session_id: int, change: str, values: tuple[Any, ...]) -> None:
        changed = self._write(Write("update", session_id, list(values), change))
        if changed == 0 and not self._orphans_allowed:
            raise UnknownSessionError(f"no session {session_id} in the history")

    def _write(self, write: Write) -> int:
        """Run ``write`` as one commit now; writing in the background, queue it and return None."""
        if self._queue is not None:
            if write.session is not None:
                self._check_known(write.session)
            self._enqueue(write)
            return None  # type: ignore[return-value]  # queued: no caller uses a queued write's result
        with self._lock:
            try:
                return self._run(write, self._connection, write.session)
            except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
                raise
            except sqlite3.DatabaseError as error:
                if self._path is None:
                    raise
                self._fall_back_to_memory(error)
                return self._run(write, self._connection, write.session)

    def _check_known(self, session_id: int) -> None:
        """Raise now, on the caller's thread, for a session id this history never gave out."""
        if self._orphans_allowed:
            return
        if session_id < 0:
            known = self._next_provisional < session_id
        else:
            with self._lock:
                known = self._connection.execute("SELECT 1 FROM sessions WHERE id = ?", (session_id,)).fetchone()
        if not known:
            raise UnknownSessionError(f"no session {session_id} in the history")

    def _enqueue(self, write: Write) -> None:
        assert self._queue is not None
        # On disk before it is queued: a kill -9 while it waits for the lock does not lose it.
        seq = None
        if self._journal is not None:
            try:
                seq = self._journal.append(lambda: self._with_real_id(write))
            except OSError as error:
                # A full disk must not stop the session: the write is queued all the same.
                if not self._journal_failed:
                    self._journal_failed = True
                    self._tell(
                        f"Writes waiting for the history cannot be kept on disk ({reason(error)}); a crash may lose them."
                    )
        self._queue.put(lambda: self._run_queued(write, seq))

    def _with_real_id(self, write: Write) -> Write:
        """``write`` naming its session by the row's id once that is known (the journal may no longer hold
        the session's start by the time it is replayed)."""
        if write.session is not None and write.session in self._real_ids:
            return replace(write, session=self._real_ids[write.session])
        return write

    def _run_queued(self, write: Write, seq: int | None) -> None:
        """On the writer thread: one write, its own commit; a failure is told, never dropped."""
        try:
            real_id = None if write.session is None else self._real_ids.get(write.session, write.session)
            connection = self._writer_connection
            if connection is None:  # moved to memory: one connection now, shared under the lock
                with self._lock:
                    result = self._run(write, self._connection, real_id, seq)
            else:
                try:
                    result = self._run(write, connection, real_id, seq)
                except (sqlite3.IntegrityError, sqlite3.ProgrammingError):
                    raise
                except sqlite3.DatabaseError as error:
                    with self._lock:
                        self._writer_connection = None
                        with contextlib.suppress(sqlite3.Error):
                            connection.close()
                        self._fall_back_to_memory(error)
                        result = self._run(write, self._connection, real_id, seq)
            if write.provisional is not None:
                self._real_ids[write.provisional] = result
        finally:
            if self._journal is not None and seq is not None:
                self._journal.committed()

    def _job_failed(self, error: BaseException) -> None:
        """A queued write that could not be done even in memory: the person is told, as for any lost write."""
        self._tell(f"A change to the history could not be saved ({error}).")

    def _run(self, write: Write, connection: sqlite3.Connection, session_id: int | None, seq: int | None = None) -> int:
        try:
            if seq is None or self._journal is None:
                # Outside a transaction, one statement is one commit.
                return apply(connection, write, session_id)
            # The write and its journal key in one commit: a replay after a crash skips it.
            return apply_once(connection, self._journal.token, seq, write, session_id)[1]
        except sqlite3.IntegrityError as error:
            if session_id is not None and "FOREIGN KEY" in str(error):
                raise UnknownSessionError(f"no session {session_id} in the history") from error
            raise

    def _fall_back_to_memory(self, error: sqlite3.Error) -> None:
        if self._journal is not None:
            # What goes to memory from now on stays in the journal, for the next opening to replay.
            self._journal.keep()
        memory = connect(":memory:")
        try:
            self._connection.backup(memory)
        except sqlite3.Error:
            migrate(memory)
            # Without the copy, blocks of the session in progress have no
            # session row here; keeping them beats losing them.
            memory.execute("PRAGMA foreign_keys = OFF")
            self._orphans_allowed = True
        memory.execute(APPLIED_TABLE)
        memory.row_factory = sqlite3.Row
        with contextlib.suppress(sqlite3.Error):
            self._connection.close()
        path, self._connection, self._path = self._path, memory, None
        self._tell(
            f"The history could not be written to {path} ({error}). Until kneetui "
            "is restarted, new sessions are kept in memory only and will be lost when it closes."
        )

    def _tell(self, problem: str) -> None:
        self.problems.append(problem)
        if self.on_problem is not None:
            self.on_problem(problem)

    # -- reading ---------------------------------------------------------------

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[sqlite3.Row]:
        # A read sees every write asked for before it.
        self.flush()
        with self._lock:
            return self._connection.execute(sql, parameters).fetchall()

    def sessions(self, limit: int | None = None, since: float | None = None) -> list[RecordedSession]:
        """Sessions newest first, each with its blocks and pain checks in the order done.

        ``limit`` keeps the newest ones; ``since`` keeps those started at or after it.
        """
        return self._sessions(
            "SELECT id FROM sessions WHERE started_at >= ? ORDER BY started_at DESC, id DESC LIMIT ?",
            (float("-inf") if since is None else since, -1 if limit is None else limit),
        )

    def session(self, session_id: int) -> RecordedSession | None:
        """One session with its blocks, or ``None``."""
        found = self._sessions("SELECT ?", (self.real_id(session_id),))
        return found[0] if found else None

    def _sessions(self, chosen: str, parameters: Sequence[Any]) -> list[RecordedSession]:
        """The sessions whose ids ``chosen`` selects, in three queries however many there are."""
        self.flush()
        with self._lock:
            rows = self._query(
                f"SELECT * FROM sessions WHERE id IN ({chosen}) ORDER BY started_at DESC, id DESC", parameters
            )
            blocks: dict[int, list[BlockRecord]] = defaultdict(list)
            for row in self._query(f"SELECT * FROM blocks WHERE session_id IN ({chosen}) ORDER BY id", parameters):
                blocks[row["session_id"]].append(_block_from_row(row))
            checks: dict[int, list[PainCheck]] = defaultdict(list)
            for row in self._query(f"SELECT * FROM pain_checks WHERE session_id IN ({chosen}) ORDER BY id", parameters):
                checks[row["session_id"]].append(PainCheck(row["exercise_id"], row["pain"], row["at"]))
        return [
            RecordedSession(
                id=row["id"],
                started_at=row["started_at"],
                ended_at=row["ended_at"],
                program_id=row["program_id"],
                exercise_ids=tuple(json.loads(row["exercise_ids"])),
                pain_before=row["pain_before"],
                swollen=_bool(row["swollen"]),
                unstable=_bool(row["unstable"]),
                advised_professional=bool(row["advised_professional"]),
                continued_despite_advice=bool(row["continued_despite_advice"]),
                pain_after=row["pain_after"],
                stop_reason=row["stop_reason"],
                stopped_at=row["stopped_at"],
                notes=tuple(json.loads(row["notes"])),
                stop_acknowledged_at=row["stop_acknowledged_at"],
                blocks=tuple(blocks[row["id"]]),
                pain_checks=tuple(checks[row["id"]]),
            )
            for row in rows
        ]

    def days_exercised(self, tz: tzinfo | None = None) -> list[date]:
        """Each calendar day (in ``tz``, local time by default) with at least one block done, oldest first.

        A session stopped because the pain got worse does not count: it is a reason to see a
        professional, not a step of the routine (see :meth:`days_stopped_for_pain`).
        """
        return sorted(
            {
                local_day(row["started_at"], tz)
                for row in self._worked_sessions()
                if not is_pain_stop(row["stop_reason"])
            }
        )

    def days_stopped_for_pain(self, tz: tzinfo | None = None) -> list[date]:
        """Each calendar day with a session that stopped because the pain got worse, oldest first."""
        rows = self._query("SELECT started_at, stop_reason FROM sessions WHERE stop_reason IS NOT NULL")
        return sorted({local_day(row["started_at"], tz) for row in rows if is_pain_stop(row["stop_reason"])})

    def _worked_sessions(self) -> list[sqlite3.Row]:
        return self._query(
            "SELECT started_at, stop_reason FROM sessions AS s"
            " WHERE EXISTS (SELECT 1 FROM blocks AS b WHERE b.session_id = s.id)"
        )

    def current_streak(self, today: date, tz: tzinfo | None = None) -> int:
        """Days exercised in a row, ending today or yesterday."""
        return streak(self.days_exercised(tz), today)

    def pain_series(self, since: float | None = None) -> list[PainPoint]:
        """Pain before and after each session that has either, oldest first."""
        rows = self._query(
            "SELECT id, started_at, pain_before, pain_after FROM sessions "
            "WHERE started_at >= ? AND (pain_before IS NOT NULL OR pain_after IS NOT NULL) "
            "ORDER BY started_at, id",
            (float("-inf") if since is None else since,),
        )
        return [PainPoint(row["id"], row["started_at"], row["pain_before"], row["pain_after"]) for row in rows]

    def exercise_totals(self) -> dict[str, ExerciseTotals]:
        """How much of each exercise has been done, by exercise id."""
        rows = self._query(
            """
            SELECT exercise_id,
                   COUNT(DISTINCT session_id) AS sessions,
                   COUNT(*) AS blocks,
                   SUM(CASE WHEN kind = 'reps' THEN done ELSE 0 END) AS reps,
                   SUM(CASE WHEN kind IN ('hold', 'timed') THEN done ELSE 0 END) AS seconds,
                   MAX(ended_at) AS last_done_at
            FROM blocks GROUP BY exercise_id ORDER BY exercise_id
            """
        )
        return {
            row["exercise_id"]: ExerciseTotals(
                row["exercise_id"], row["sessions"], row["blocks"], row["reps"], row["seconds"], row["last_done_at"]
            )
            for row in rows
        }

    def latest_doses(self) -> dict[str, Dose]:
        """The dose planned for each exercise the last time it was done, by exercise id."""
        # SQLite fills the bare column session_id from the row that has the MAX.
        rows = self._query(
            """
            WITH latest AS (
                SELECT b.exercise_id AS exercise_id, b.session_id AS session_id, MAX(s.started_at)
                FROM blocks AS b JOIN sessions AS s ON s.id = b.session_id
                GROUP BY b.exercise_id
            )
            SELECT b.* FROM blocks AS b
            JOIN latest AS l ON b.exercise_id = l.exercise_id AND b.session_id = l.session_id
            ORDER BY b.id
            """
        )
        blocks: dict[str, list[BlockRecord]] = defaultdict(list)
        for row in rows:
            blocks[row["exercise_id"]].append(_block_from_row(row))
        doses = {exercise_id: dose_of_blocks(found) for exercise_id, found in blocks.items()}
        return {exercise_id: dose for exercise_id, dose in doses.items() if dose is not None}

    def schema_version(self) -> int:
        return int(self._query("PRAGMA user_version")[0][0])

    def integrity(self) -> str:
        """``'ok'``, or SQLite's first complaint from ``PRAGMA integrity_check``."""
        return str(self._query("PRAGMA integrity_check")[0][0])


@dataclass
class HistoryOpen:
    """The store to use, and what the person should be told about how opening went."""

    store: HistoryStore
    notices: list[str] = field(default_factory=list)
    #: Where an unreadable history file was moved to, if it was.
    backup: Path | None = None

    @property
    def kept_on_disk(self) -> bool:
        return not self.store.in_memory_only


#: Said whenever the history cannot be kept on disk.
NOT_KEPT = "Sessions you do now are kept in memory only and will be lost when kneetui closes."


def open_history_store(
    path: Path | None = None, now: datetime | None = None, *, for_reading: bool = False
) -> HistoryOpen:
    """Open (creating and upgrading as needed) the history at ``path``; never raises.

    A damaged file whose tables can all be read is rebuilt from them, the damaged one kept
    aside; one that cannot be rebuilt is moved aside and a new one started. ``now`` stamps
    the name of the file kept aside. ``for_reading`` is for a command that only reads: a
    damaged file is then read from a copy rebuilt in memory and left where it is.
    """
    path = path or locations.history_file()
    try:
        return HistoryOpen(_open_file(path))
    except _BrokenFile as broken:
        if for_reading:
            return _read_damaged(path, broken)
        return _rebuild_in_place(path, broken, now) or _replace_broken(path, broken, now)
    except NewerSchemaError:
        return _in_memory(
            f"The history {path} was written by a newer version of kneetui; this one leaves it untouched. {NOT_KEPT}"
        )
    except (sqlite3.Error, OSError) as error:
        return _read_only_copy(path, f"The history {path} cannot be opened for writing ({reason(error)})")


def _read_only_connection(path: Path) -> sqlite3.Connection:
    """``path`` opened only to read it, even in a folder where SQLite cannot make its ``-shm`` file."""
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
        connection.execute("PRAGMA user_version").fetchone()
    except sqlite3.OperationalError:
        # Without -wal and -shm (kneetui closed cleanly), the file alone holds every session.
        connection = sqlite3.connect(f"file:{path}?immutable=1", uri=True, check_same_thread=False)
        connection.execute("PRAGMA user_version").fetchone()
    return connection


def _read_only_copy(path: Path, why: str) -> HistoryOpen:
    """A store in memory holding what ``path`` holds: the past is shown (and a stop for pain last time
    still holds) although new sessions cannot be saved."""
    if not path.exists():
        return _in_memory(f"{why}. {NOT_KEPT}")
    memory = connect(":memory:")
    try:
        source = _read_only_connection(path)
        try:
            source.backup(memory)
        finally:
            source.close()
        migrate(memory)
    except (sqlite3.Error, OSError, NewerSchemaError) as error:
        memory.close()
        return _in_memory(
            f"{why}, and it cannot be read either ({reason(error)}): past sessions are not shown, so a stop "
            f"for pain last time cannot be checked. {NOT_KEPT}"
        )
    return HistoryOpen(
        HistoryStore(memory), [f"{why}. Every session recorded before is shown, but none can be added. {NOT_KEPT}"]
    )


def _open_file(path: Path) -> HistoryStore:
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connect(path)
    try:
        try:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as error:
            if getattr(error, "sqlite_errorname", "") in _BROKEN_FILE_ERRORS:
                not_sqlite = getattr(error, "sqlite_errorname", "") == "SQLITE_NOTADB"
                raise _BrokenFile(reason(error), not_sqlite=not_sqlite) from error
            raise
        if verdict != "ok":
            raise _BrokenFile(verdict)
        # Checked before switching to WAL, which would already change the file.
        found = connection.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise NewerSchemaError(found, SCHEMA_VERSION)
        mode = _use_write_ahead_log(connection)
        if mode != "wal":
            raise sqlite3.OperationalError(f"cannot use write-ahead logging (journal mode {mode})")
        # FULL: a block is on disk, not just in the OS cache, when record_block returns.
        connection.execute("PRAGMA synchronous = FULL")
        if found < SCHEMA_VERSION:
            # Only an upgrade needs the write lock now; a current history's writes wait for it as they come.
            migrate(connection)
        if _check_writable(connection):
            _replay_journals(connection, path)
    except BaseException:
        connection.close()
        raise
    return HistoryStore(connection, path)


def _replay_journals(connection: sqlite3.Connection, path: Path) -> None:
    """Commit what an ended kneetui had queued and not written; if that cannot be done now, leave it for later."""
    with contextlib.suppress(sqlite3.Error, OSError):
        replay(connection, path)


def _use_write_ahead_log(connection: sqlite3.Connection) -> str:
    """Switch the file to WAL (once, when it is new) and return the journal mode in use."""
    mode = str(connection.execute("PRAGMA journal_mode").fetchone()[0]).lower()
    # Switching needs the file to itself, and SQLite answers "locked" at once
    # instead of calling the busy handler, e.g. when two logins create the
    # history together; so wait here, within the same timeout.
    deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
    while mode != "wal":
        try:
            mode = str(connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        except sqlite3.OperationalError as error:
            if not _is_busy(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
        else:
            break
    return mode


def _is_busy(error: sqlite3.Error) -> bool:
    """Whether ``error`` says another connection holds the lock."""
    return getattr(error, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))


def _check_writable(connection: sqlite3.Connection) -> bool:
    """Raise now, not at the first block, if the file only opened for reading; False if another process
    holds the write lock.

    A file locked by another kneetui (a second login) is not waited for here: the writes wait for
    it when they come, on the app's writer thread or within the busy timeout, so a lock held at
    start-up does not make the whole run memory-only.
    """
    connection.execute("PRAGMA busy_timeout = 0")
    try:
        # BEGIN IMMEDIATE alone succeeds on a read-only WAL database; writing the
        # header (rolled back) does not.
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        if _is_busy(error):
            return False
        raise
    finally:
        connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
    try:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    finally:
        connection.execute("ROLLBACK")
    return True


def _rebuild(path: Path, target: sqlite3.Connection) -> None:
    """Copy every table of the damaged history at ``path`` into the empty ``target`` and make its
    indexes anew from them; raise :class:`sqlite3.Error` if a table cannot be read or the copy is unsound.

    SQLite's ``REINDEX`` and ``VACUUM`` give up on an index page that is not a page at all, while
    the tables, read without their indexes, hold every session.
    """
    source = _read_only_connection(path)
    try:
        version = int(source.execute("PRAGMA user_version").fetchone()[0])
        schema = source.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        ).fetchall()
        # Rows are copied as they are, orphans included: nothing is dropped on the way.
        target.execute("PRAGMA foreign_keys = OFF")
        target.execute("BEGIN")
        for kind, name, sql in schema:
            if kind != "table":
                continue
            target.execute(sql)
            rows = source.execute(f'SELECT * FROM "{name}" NOT INDEXED')
            marks = ",".join("?" * len(rows.description))
            target.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        for kind, _name, sql in schema:
            if kind != "table":
                target.execute(sql)
        target.execute(f"PRAGMA user_version = {version}")
        target.execute("COMMIT")
        target.execute("PRAGMA foreign_keys = ON")
    finally:
        source.close()
    verdict = target.execute("PRAGMA integrity_check").fetchone()[0]
    if verdict != "ok":
        raise sqlite3.DatabaseError(f"still damaged after rebuilding: {verdict}")


def _rebuild_in_place(path: Path, broken: _BrokenFile, now: datetime | None) -> HistoryOpen | None:
    """The history rebuilt from its tables, the damaged file kept aside; ``None`` when it cannot be rebuilt."""
    if broken.not_sqlite:
        return None
    rebuilt = path.with_name(f".{path.name}.rebuilding")
    try:
        rebuilt.unlink(missing_ok=True)
        target = sqlite3.connect(rebuilt, isolation_level=None)
        try:
            _rebuild(path, target)
        finally:
            target.close()
        backup, left_behind = _move_aside(path, now)
        os.replace(rebuilt, path)
    except (sqlite3.Error, OSError):
        with contextlib.suppress(OSError):
            rebuilt.unlink(missing_ok=True)
        return None
    _keep_note(backup, str(broken))
    notice = (
        f"The history {path} was damaged; kneetui rebuilt it from the sessions it holds and no session was lost "
        f"(the damaged file is kept as {backup})."
    )
    return _open_new(path, notice, left_behind, backup)


def _read_damaged(path: Path, broken: _BrokenFile) -> HistoryOpen:
    """For a command that only reads: the damaged history rebuilt in memory, the file left as it is."""
    if not broken.not_sqlite:
        memory = connect(":memory:")
        try:
            _rebuild(path, memory)
            migrate(memory)
        except (sqlite3.Error, OSError, NewerSchemaError):
            memory.close()
        else:
            notice = (
                f"The history {path} is damaged; what is shown was read from a repaired copy, "
                "and the file is left as it is until kneetui next records a session."
            )
            return HistoryOpen(HistoryStore(memory), [notice])
    return _in_memory(f"The history {path} cannot be read ({broken.plainly}); it is left as it is.")


def _move_aside(path: Path, now: datetime | None) -> tuple[Path, list[str]]:
    """Move the history to a backup beside it; its backup, and the names of companions that had to stay."""
    backup = keep_aside(path, now)
    # The write-ahead log may hold the last sessions: keep it with the backup,
    # under the name SQLite looks for when the backup itself is opened.
    left_behind = []
    for suffix in ("-wal", "-shm"):
        companion = Path(f"{path}{suffix}")
        if companion.exists():
            try:
                os.replace(companion, Path(f"{backup}{suffix}"))
            except OSError:
                left_behind.append(companion.name)
    return backup, left_behind


def _keep_note(backup: Path, detail: str) -> None:
    """SQLite's own report on the damage, beside the backup, for whoever looks into it."""
    with contextlib.suppress(OSError):
        write_atomic(Path(f"{backup}.txt"), f"What SQLite found wrong with {backup.name}:\n{detail}\n".encode())


def _replace_broken(path: Path, broken: _BrokenFile, now: datetime | None) -> HistoryOpen:
    try:
        backup, left_behind = _move_aside(path, now)
    except OSError as error:
        return _in_memory(
            f"The history {path} cannot be read ({broken.plainly}) and could not be moved aside "
            f"({reason(error)}); it was left as it is. {NOT_KEPT}"
        )
    _keep_note(backup, str(broken))
    notice = (
        f"The history {path} could not be read ({broken.plainly}). "
        f"It was kept as {backup} and a new, empty history was started."
    )
    return _open_new(path, notice, left_behind, backup)


def _open_new(path: Path, notice: str, left_behind: list[str], backup: Path) -> HistoryOpen:
    """The history at ``path`` just put in place, told with ``notice``."""
    if left_behind:
        notice += f" Its {' and '.join(left_behind)} could not be moved with it."
    try:
        store = _open_file(path)
    except (sqlite3.Error, OSError, _BrokenFile, NewerSchemaError) as error:
        opened = _in_memory(f"{notice} The history cannot be written now ({reason(error)}). {NOT_KEPT}")
        opened.backup = backup
        return opened
    return HistoryOpen(store, [notice], backup)


def _in_memory(notice: str) -> HistoryOpen:
    return HistoryOpen(HistoryStore.in_memory(), [notice])
