"""Sessions written through the history's recorder API, as the session runner writes them.

Times are local wall-clock times of given days, so the days the app shows do
not depend on the time zone the tests run in.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta

from kneetui.content.model import Dose
from kneetui.engine.clock import FakeClock
from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart
from kneetui.history.store import HistoryStore

#: Sunday 15 March 2026: the day the fixed clock of these tests reads.
TODAY = date(2026, 3, 15)


def at(day: date, hour: int = 18) -> float:
    """The timestamp of ``hour`` o'clock local time on ``day``."""
    return datetime.combine(day, time(hour)).timestamp()


def clock_on(day: date = TODAY, hour: int = 19) -> FakeClock:
    """A fake clock whose wall time is ``hour`` o'clock on ``day``."""
    return FakeClock(1000.0, wall_start=at(day, hour))


def record_session(
    store: HistoryStore,
    day: date,
    doses: Mapping[str, Dose],
    pain_before: int | None,
    pain_after: int | None,
    checks: Mapping[str, int] | None = None,
    program_id: str = "chronic",
) -> int:
    """Record one finished session of ``doses`` on ``day``; ``checks`` are pain checks by exercise."""
    now = at(day)
    safety = SafetyAnswers(pain_before, False, False) if pain_before is not None else None
    session_id = store.start_session(SessionStart(now, program_id, tuple(doses), safety))
    for exercise_id, dose in doses.items():
        for set_number in range(1, dose.sets + 1):
            if dose.hold_seconds is not None:
                kind, planned = BlockKind.HOLD, dose.hold_seconds
            elif dose.reps is not None:
                kind, planned = BlockKind.REPS, dose.reps
            else:
                kind, planned = BlockKind.TIMED, (dose.duration_minutes or 1) * 60
            store.record_block(
                session_id, BlockRecord(exercise_id, kind, set_number, None, planned, planned, now, now + 60)
            )
            now += 90
        if checks and exercise_id in checks:
            store.record_pain_check(session_id, exercise_id, checks[exercise_id], now)
    store.finish_session(session_id, pain_after, now + 30)
    return session_id


def chronic_doses(step: int) -> dict[str, Dose]:
    """The chronic programme's six exercises, ``step`` small steps above the low end (0–5)."""
    return {
        "gentle-cycling": Dose(duration_minutes=10 + step),
        "sitting-adductor-stretch": Dose(hold_seconds=min(30, 15 + 5 * step)),
        "wall-slides": Dose(reps=10 + step),
        "dynamic-mobility": Dose(reps=10 + step),
        "adductor-squeeze": Dose(reps=min(12, 10 + step), sets=2),
        "kneeling-leg-extension": Dose(reps=min(12, 10 + step)),
    }


def a_year_of_history(store: HistoryStore, today: date = TODAY) -> list[date]:
    """About five days a week for a year, pain easing from 6 to 2; return the days exercised.

    The last nine days are in a row, and in the last session wall slides hurt more.
    """
    days = []
    for back in range(364, -1, -1):
        if back >= 9 and back % 7 in (3, 5):
            continue
        day = today - timedelta(days=back)
        before = round(6 - 4 * (364 - back) / 364)
        after = before + 1 if back >= 9 and back % 4 == 1 else max(0, before - 1)
        checks = {"wall-slides": before + 2} if back == 0 else None
        record_session(store, day, chronic_doses((364 - back) // 80), before, after, checks)
        days.append(day)
    return days
