"""Across a clinic's patients: adherence, the last session and stops for pain, so a physiotherapist sees who to call.

Each patient's history is opened read-only (SQLite ``mode=ro``) and their
settings file is only read, so making the overview never changes a patient's
files, even one that is damaged or written by a newer kneetui.
"""

from __future__ import annotations

import sqlite3
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path

from kneetui.content.catalog import Catalog
from kneetui.content.model import Program
from kneetui.exchange.user_programs import UserPrograms
from kneetui.history.adherence import LOOKBACK_DAYS, DayKind, plan_days, stopped_for_pain
from kneetui.history.days import local_day
from kneetui.history.store import BUSY_TIMEOUT_SECONDS, SCHEMA_VERSION, HistoryStore

#: The days the overview looks back over, unless told otherwise.
DEFAULT_DAYS = 14
#: Below this share of planned days done, a patient is flagged.
LOW_ADHERENCE_PERCENT = 50


@dataclass(frozen=True)
class PatientFiles:
    """Where one patient's kneetui keeps its files."""

    name: str
    history: Path
    settings: Path
    programs: Path


@dataclass(frozen=True)
class PatientSummary:
    """One line of the overview."""

    name: str
    programme: str | None = None
    done: int = 0
    missed: int = 0
    last_session: date | None = None
    pain_stops: int = 0
    last_pain_stop: date | None = None
    #: Why the history could not be read, when it could not.
    problem: str | None = None
    reasons: tuple[str, ...] = field(default=())

    @property
    def adherence_percent(self) -> int | None:
        planned = self.done + self.missed
        return None if not planned else round(100 * self.done / planned)

    @property
    def needs_a_call(self) -> bool:
        return bool(self.reasons)


def open_read_only(path: Path) -> HistoryStore:
    """The history at ``path`` opened so that nothing can be written to it; raises ``sqlite3.Error``.

    A history in WAL mode that its kneetui closed cleanly has no ``-wal`` file,
    and even a read-only connection would create ``-wal`` and ``-shm`` files
    beside it; so such a file is opened ``immutable`` (no locks, no companion
    files: all of it is in the one file). While a ``-wal`` file exists, the
    patient's kneetui may be writing, and the connection is ``mode=ro`` with
    the usual locks, using the companion files that are already there.
    """
    wal = Path(f"{path}-wal")
    flags = "mode=ro" if wal.exists() else "mode=ro&immutable=1"
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True, timeout=BUSY_TIMEOUT_SECONDS)
    try:
        found = connection.execute("PRAGMA user_version").fetchone()[0]
        if found > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"written by a newer kneetui (schema {found})")
    except BaseException:
        connection.close()
        raise
    return HistoryStore(connection)


def chosen_programme_id(settings: Path) -> str | None:
    """The programme id in a patient's settings file; ``None`` when there is none or it cannot be read."""
    try:
        value = tomllib.loads(settings.read_text(encoding="utf-8")).get("program")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return value if isinstance(value, str) else None


def summarise(
    patient: PatientFiles,
    catalog: Catalog,
    programmes: Mapping[str, Program],
    today: date,
    days: int = DEFAULT_DAYS,
    tz: tzinfo | None = None,
) -> PatientSummary:
    """One patient's line: the last ``days`` days up to ``today``, against their chosen programme.

    A chosen programme that cannot be read (a file of theirs that is broken or gone, a plug-in's
    that is not installed) is said so, and no adherence is claimed against any other.
    """
    wanted = chosen_programme_id(patient.settings) or "chronic"
    program = programmes.get(wanted)
    if program is None:
        own = {found.id: found for found in UserPrograms(patient.programs).load_all(catalog).programs}
        program = own.get(wanted)
    unread = () if program is not None else (f"programme {wanted!r} cannot be read",)
    if not patient.history.exists():
        return PatientSummary(
            patient.name,
            program.name if program else None,
            problem=unread[0] if unread else None,
            reasons=(*unread, "no session recorded yet"),
        )
    first = today - timedelta(days=days - 1)
    try:
        with open_read_only(patient.history) as store:
            since = datetime.combine(first - timedelta(days=LOOKBACK_DAYS * 2), time(), tz).timestamp()
            sessions = store.sessions(since=since)
            started = store.days_exercised(tz)
            last_ever = store.sessions(limit=1)
    except sqlite3.Error as error:
        return PatientSummary(patient.name, problem=f"history cannot be read: {error}", reasons=("history unreadable",))
    marks = (
        plan_days(sessions, program.frequency, first, today, today, started[0] if started else None, tz)
        if program
        else []
    )
    done = sum(1 for mark in marks if mark.kind is DayKind.DONE)
    missed = sum(1 for mark in marks if mark.kind is DayKind.MISSED)
    stops = [
        local_day(session.started_at, tz)
        for session in sessions
        if stopped_for_pain(session) and local_day(session.started_at, tz) >= first
    ]
    last_session = local_day(last_ever[0].started_at, tz) if last_ever else None
    summary = PatientSummary(
        patient.name,
        program.name if program else None,
        done,
        missed,
        last_session,
        len(stops),
        max(stops, default=None),
    )
    return replace(summary, problem=unread[0] if unread else None, reasons=(*unread, *_reasons(summary, today, days)))


def _reasons(summary: PatientSummary, today: date, days: int) -> tuple[str, ...]:
    reasons = []
    if summary.pain_stops:
        times = "once" if summary.pain_stops == 1 else f"{summary.pain_stops} times"
        reasons.append(f"stopped for pain {times} in {days} days")
    if summary.last_session is None:
        reasons.append("no session recorded yet")
    elif (today - summary.last_session).days >= 7:
        reasons.append(f"no session for {(today - summary.last_session).days} days")
    percent = summary.adherence_percent
    if percent is not None and percent < LOW_ADHERENCE_PERCENT:
        reasons.append(f"adherence {percent}%")
    return tuple(reasons)


def clinic_overview(
    patients: Iterable[PatientFiles],
    catalog: Catalog,
    programmes: Mapping[str, Program],
    today: date,
    days: int = DEFAULT_DAYS,
    tz: tzinfo | None = None,
) -> list[PatientSummary]:
    """Every patient's line, those who need a call first (most pain stops, then longest without a session)."""
    summaries = [summarise(patient, catalog, programmes, today, days, tz) for patient in patients]

    def order(summary: PatientSummary) -> tuple[bool, int, date, str]:
        return (not summary.needs_a_call, -summary.pain_stops, summary.last_session or date.min, summary.name)

    return sorted(summaries, key=order)
