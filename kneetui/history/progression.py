"""A hint for the next session of an exercise, read from what was actually done in earlier sessions.

The rule follows the article, and says where it does not:

* Any rise in pain (a pain check, or the pain after the session, above the pain
  before it), a session stopped for pain, or swelling or instability: consult a
  healthcare professional before doing the exercise again. The article: "If you
  experience increased pain during or after exercises, it is crucial to stop
  immediately and consult a healthcare professional." There is no step down.
* Only what was done counts. A block skipped or stopped part way is not the
  full dose, and a session in which the dose was not completed is not a step
  towards progression.
* The article's own progression is frequency: "daily or every other day ...
  start slowly and gradually increase the frequency". After ``sessions_needed``
  calm, complete sessions in a row at the same dose, the hint is to do it more
  often, towards daily; only once they come daily does it suggest a bigger dose.
* A bigger dose stays inside the exercise's ranges (for kneetui's own exercises,
  the article's). How big a step is, and how many calm sessions come first, are
  kneetui's reading: the hint says so.

A hint is a pure function of the history rows and ``now``, so the Progress
screen, the builder and the tests all get the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from itertools import pairwise

from kneetui.content.model import Dosage, Dose, Exercise, Laterality, Provenance, Range
from kneetui.engine.recording import BlockKind, BlockRecord
from kneetui.history.records import RecordedSession

#: Calm, complete sessions in a row at one dose before a change is suggested (kneetui's reading).
DEFAULT_SESSIONS_NEEDED = 3
#: How far one step moves each quantity; sets move by one (kneetui's reading).
STEP_SIZES = {"hold_seconds": 5, "reps": 1, "duration_minutes": 1}
#: The quantities raised in this order before another set is added.
PRIMARY = ("hold_seconds", "reps", "duration_minutes")
#: Sessions this close together, or closer, are done daily; further apart, every other day or less.
DAILY_GAP_SECONDS = 36 * 3600
DAY_SECONDS = 86_400
#: The stretch of days the hint counts sessions over, to say how often the exercise is done.
RECENT_DAYS = 14


class Change(StrEnum):
    """What the hint asks the person to do compared with last time."""

    START = "start"
    KEEP = "keep"
    #: The same dose, more often: the article's own progression.
    MORE_OFTEN = "more often"
    UP = "up"
    #: Consult a healthcare professional before doing the exercise again.
    CONSULT = "consult"


@dataclass(frozen=True)
class ProgressionHint:
    """The suggested dose for the next session and a one-line reason a person reads.

    ``provenance`` says whose the advice is: the article's (consult, do it more
    often) or kneetui's reading (where to start, when and how far to step up).
    ``last_done`` is the dose completed the last time, ``None`` when nothing was
    completed; ``days_done`` the days with a complete session in the last
    ``RECENT_DAYS`` days before ``now``.
    """

    exercise_id: str
    dose: Dose
    change: Change
    reason: str
    provenance: Provenance
    last_done: Dose | None = None
    days_done: int = 0


def pain_rose(session: RecordedSession) -> bool | None:
    """Whether pain rose at all in ``session``; ``None`` when nobody can tell.

    Any pain check, or the pain after the session, above the pain before it is a
    rise, however small: the article gives no threshold. A session stopped for
    pain rose, whatever was scored.
    """
    if session.stopped_for_pain:
        return True
    if session.pain_before is None:
        return None
    later = [check.pain for check in session.pain_checks]
    if session.pain_after is not None:
        later.append(session.pain_after)
    if not later:
        return None
    return any(pain > session.pain_before for pain in later)


def completed_dose(blocks: Iterable[BlockRecord], per: Laterality) -> Dose | None:
    """The dose completed in one session: whole sets only, each side done to its planned amount.

    A set counts only when every side of it was done in full, and sets count in
    order: set 3 does not count when set 2 was cut short. ``None`` when not even
    one set was completed.
    """
    whole = _whole_sets(blocks, per)
    if not whole:
        return None
    planned = {block.kind: block.planned for block in whole[-1]}
    timed = planned.get(BlockKind.TIMED)
    return Dose(
        hold_seconds=planned.get(BlockKind.HOLD),
        reps=planned.get(BlockKind.REPS),
        sets=len(whole),
        duration_minutes=None if timed is None else max(1, round(timed / 60)),
    )


def was_completed(session: RecordedSession, exercise: Exercise) -> bool:
    """Whether every block recorded for ``exercise`` in ``session`` belongs to a whole set done in full."""
    blocks = session.blocks_of(exercise.id)
    whole = _whole_sets(blocks, exercise.dosage.per)
    return bool(whole) and sum(map(len, whole)) == len(blocks)


def _whole_sets(blocks: Iterable[BlockRecord], per: Laterality) -> list[list[BlockRecord]]:
    """The sets done in full, from the first, stopping at the first set that was not."""
    # A plug-in's own screen may record one block per set without naming the side.
    sides = ({None},) if per is Laterality.BOTH else ({"left", "right"}, {None})
    by_set: dict[int, dict[str | None, BlockRecord]] = {}
    for block in blocks:
        by_set.setdefault(block.set_number, {})[block.side] = block
    whole: list[list[BlockRecord]] = []
    for number in sorted(by_set):
        found = by_set[number]
        if number != len(whole) + 1 or set(found) not in sides or any(b.done < b.planned for b in found.values()):
            break
        whole.append(list(found.values()))
    return whole


def suggest_dose(
    exercise: Exercise,
    sessions: Iterable[RecordedSession],
    now: float,
    sessions_needed: int = DEFAULT_SESSIONS_NEEDED,
) -> ProgressionHint:
    """The hint for ``exercise``'s next session, given every earlier session (in any order) and the time now."""
    dosage = exercise.dosage
    with_it = sorted(
        (session for session in sessions if session.blocks_of(exercise.id) and session.started_at <= now),
        key=lambda session: (session.started_at, session.id),
    )
    complete = [session for session in with_it if was_completed(session, exercise)]
    days_done = len(
        {
            int((now - session.started_at) // DAY_SECONDS)
            for session in complete
            if now - session.started_at < RECENT_DAYS * DAY_SECONDS
        }
    )

    def hint(dose: Dose, change: Change, reason: str, provenance: Provenance) -> ProgressionHint:
        last_done = completed_dose(with_it[-1].blocks_of(exercise.id), dosage.per) if with_it else None
        return ProgressionHint(exercise.id, dose, change, reason, provenance, last_done, days_done)

    def done_in(session: RecordedSession) -> Dose:
        read = completed_dose(session.blocks_of(exercise.id), dosage.per)
        return clamp(read or dosage.lowest(), dosage)

    if not with_it:
        return hint(
            dosage.lowest(),
            Change.START,
            "New: start slowly, at the low end of the range (kneetui's reading of the article's 'start slowly').",
            Provenance.KNEETUI,
        )
    last = with_it[-1]
    if pain_rose(last):
        return hint(
            done_in(complete[-1]) if complete else dosage.lowest(),
            Change.CONSULT,
            "Pain rose last time: consult a healthcare professional before doing this exercise again.",
            Provenance.ARTICLE,
        )
    if last.swollen or last.unstable or last.advised_stop:
        return hint(
            done_in(complete[-1]) if complete else dosage.lowest(),
            Change.CONSULT,
            "Last time ended with the advice to see a professional (swelling, instability or pain): "
            "have it evaluated before doing this again.",
            Provenance.ARTICLE,
        )
    current = done_in(complete[-1]) if complete else dosage.lowest()
    if last is not (complete[-1] if complete else None):
        return hint(
            current,
            Change.KEEP,
            f"Not completed last time ({_what_was_done(last, exercise)}): it does not count; keep {current.describe()}.",
            Provenance.KNEETUI,
        )
    if pain_rose(last) is None:
        return hint(current, Change.KEEP, "No pain scores from last time: keep the same dose.", Provenance.KNEETUI)

    calm: list[RecordedSession] = []
    for session in reversed(with_it):
        if not was_completed(session, exercise) or done_in(session) != current or pain_rose(session) is not False:
            break
        if session.swollen or session.unstable or session.advised_stop:
            break
        calm.append(session)
    if len(calm) < sessions_needed:
        return hint(
            current,
            Change.KEEP,
            f"{len(calm)} of {sessions_needed} complete sessions in a row without more pain at this dose: keep it "
            "(the count is kneetui's reading).",
            Provenance.KNEETUI,
        )
    recent = calm[:sessions_needed]
    daily = all(newer.started_at - older.started_at <= DAILY_GAP_SECONDS for newer, older in pairwise(recent))
    if not daily:
        return hint(
            current,
            Change.MORE_OFTEN,
            f"{len(calm)} calm sessions in a row: do it more often, towards daily, before doing more "
            "('gradually increase the frequency').",
            Provenance.ARTICLE,
        )
    higher = step_up(current, dosage)
    if higher is None:
        return hint(
            current,
            Change.KEEP,
            f"Daily and calm, at the top of the range ({dosage.describe()}): keep it here; "
            "ask your physiotherapist before going beyond it.",
            Provenance.ARTICLE if dosage.provenance is Provenance.ARTICLE else Provenance.KNEETUI,
        )
    return hint(
        higher,
        Change.UP,
        f"{len(calm)} calm sessions in a row, daily: one step up, inside the range {dosage.describe()} "
        "(the step size is kneetui's reading).",
        Provenance.KNEETUI,
    )


def _what_was_done(session: RecordedSession, exercise: Exercise) -> str:
    """What was done of a session's blocks, e.g. '8 s of 10 min' or '2 of 10 reps'."""
    return what_was_done(session.blocks_of(exercise.id))


def what_was_done(blocks: Sequence[BlockRecord]) -> str:
    """What was done of one exercise's blocks in a session: the first one cut short, e.g. '8 s of 10 min'."""
    short = next((block for block in blocks if block.done < block.planned), None)
    if short is None:
        return f"{len(blocks)} block{'' if len(blocks) == 1 else 's'} done"
    if short.kind is BlockKind.REPS:
        return f"{short.done} of {short.planned} reps"
    if short.kind is BlockKind.TIMED and short.planned >= 60:
        return f"{_seconds(short.done)} of {round(short.planned / 60)} min"
    return f"{_seconds(short.done)} of {short.planned} s"


def _seconds(seconds: int) -> str:
    minutes, rest = divmod(seconds, 60)
    if not minutes:
        return f"{rest} s"
    return f"{minutes} min {rest} s" if rest else f"{minutes} min"


def clamp(dose: Dose, dosage: Dosage) -> Dose:
    """``dose`` moved inside ``dosage``: each quantity to its range, unused ones to ``None``."""
    changes: dict[str, int | None] = {}
    for name in PRIMARY:
        span: Range | None = getattr(dosage, name)
        value: int | None = getattr(dose, name)
        changes[name] = None if span is None else _within(span.low if value is None else value, span)
    return Dose(sets=_within(dose.sets, dosage.sets), **changes)


def step_up(dose: Dose, dosage: Dosage) -> Dose | None:
    """One step up inside ``dosage``, or ``None`` at the top.

    The first quantity below its top rises one step; when all are at the top,
    another set is added and they start again from the low end.
    """
    for name in PRIMARY:
        span: Range | None = getattr(dosage, name)
        value: int | None = getattr(dose, name)
        if span is not None and value is not None and value < span.high:
            return replace(dose, **{name: _next_step(value, span, STEP_SIZES[name])})
    if dose.sets < dosage.sets.high:
        return replace(dosage.lowest(), sets=dose.sets + 1)
    return None


# Steps count from the low end (15, 20, 25, 30 for 15–30 s), so a value
# between steps, such as 22, moves to the step above it (25).


def _next_step(value: int, span: Range, size: int) -> int:
    return min(span.low + ((value - span.low) // size + 1) * size, span.high)


def _within(value: int, span: Range) -> int:
    return min(max(value, span.low), span.high)
