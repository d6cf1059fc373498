"""A hint for the next dose of an exercise, read from how earlier sessions went.

The rule follows the programme's advice (start at the low end of each range,
build up gradually as you tolerate it, pause what makes the symptoms worse):

* never done: the low end of every range;
* pain rose in the last session with the exercise: one step down;
* ``sessions_needed`` sessions in a row at the current dose without a rise:
  one step up;
* otherwise: keep the current dose.

A hint never leaves the exercise's dosage ranges. It is a pure function of the
history rows, so the History screen, the session start and the tests all get
the same answer.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from kneetui.content.model import Dosage, Dose, Exercise, Range
from kneetui.history.records import RecordedSession, dose_of_blocks

#: Sessions in a row without a pain rise before a step up is suggested.
DEFAULT_SESSIONS_NEEDED = 3
#: A rise of this much (0–10 scale) or more, after versus before, counts as pain rising.
PAIN_RISE = 1
#: How far one step moves each quantity; sets move by one.
STEP_SIZES = {"hold_seconds": 5, "reps": 1, "duration_minutes": 1}
#: The quantities raised in this order before another set is added.
PRIMARY = ("hold_seconds", "reps", "duration_minutes")


class Change(StrEnum):
    """What the hint asks the person to do compared with last time."""

    START = "start"
    KEEP = "keep"
    UP = "up"
    DOWN = "down"


@dataclass(frozen=True)
class ProgressionHint:
    """The suggested dose for the next session and a one-line reason a person reads."""

    exercise_id: str
    dose: Dose
    change: Change
    reason: str


def pain_rose(session: RecordedSession, exercise_id: str) -> bool | None:
    """Whether pain rose during ``session`` for ``exercise_id``; ``None`` when nobody can tell.

    Pain after the session and any pain check taken after the exercise are
    compared with the pain before it.
    """
    if session.pain_before is None:
        return None
    later = [check.pain for check in session.pain_checks if check.exercise_id == exercise_id]
    if session.pain_after is not None:
        later.append(session.pain_after)
    if not later:
        return None
    return any(pain - session.pain_before >= PAIN_RISE for pain in later)


def suggest_dose(
    exercise: Exercise,
    sessions: Iterable[RecordedSession],
    sessions_needed: int = DEFAULT_SESSIONS_NEEDED,
) -> ProgressionHint:
    """The dose to do ``exercise`` at next time, given every earlier session (in any order)."""
    dosage = exercise.dosage
    done = sorted(
        (session for session in sessions if session.blocks_of(exercise.id)),
        key=lambda session: (session.started_at, session.id),
    )
    if not done:
        return ProgressionHint(
            exercise.id, dosage.lowest(), Change.START, "New exercise: start at the low end of each range."
        )

    def dose_in(session: RecordedSession) -> Dose:
        read = dose_of_blocks(session.blocks_of(exercise.id))
        return clamp(read or dosage.lowest(), dosage)

    current = dose_in(done[-1])
    rose = pain_rose(done[-1], exercise.id)
    if rose:
        lower = step_down(current, dosage)
        if lower is None:
            return ProgressionHint(
                exercise.id,
                current,
                Change.KEEP,
                "Pain rose last time, already at the lowest dose: talk to a healthcare "
                "professional before doing it again.",
            )
        return ProgressionHint(exercise.id, lower, Change.DOWN, "Pain rose last time: one step down.")
    if rose is None:
        return ProgressionHint(exercise.id, current, Change.KEEP, "No pain scores from last time: keep the same dose.")

    calm = 0
    for session in reversed(done):
        if dose_in(session) != current or pain_rose(session, exercise.id) is not False:
            break
        calm += 1
    if calm < sessions_needed:
        return ProgressionHint(
            exercise.id,
            current,
            Change.KEEP,
            f"{calm} of {sessions_needed} sessions in a row without more pain at this dose: keep it.",
        )
    higher = step_up(current, dosage)
    if higher is None:
        return ProgressionHint(
            exercise.id, current, Change.KEEP, "No more pain, and this is the top of the range: keep it here."
        )
    return ProgressionHint(exercise.id, higher, Change.UP, f"{calm} sessions in a row without more pain: one step up.")


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


def step_down(dose: Dose, dosage: Dosage) -> Dose | None:
    """One step down inside ``dosage``, or ``None`` at the bottom; the reverse of :func:`step_up`."""
    for name in reversed(PRIMARY):
        span: Range | None = getattr(dosage, name)
        value: int | None = getattr(dose, name)
        if span is not None and value is not None and value > span.low:
            return replace(dose, **{name: _previous_step(value, span, STEP_SIZES[name])})
    if dose.sets > dosage.sets.low:
        top = {name: getattr(dosage, name).high for name in PRIMARY if getattr(dosage, name) is not None}
        return Dose(sets=dose.sets - 1, **top)
    return None


# Steps count from the low end (15, 20, 25, 30 for 15–30 s), so a value
# between steps, such as 22, moves to the step above (25) or below (20) it.


def _next_step(value: int, span: Range, size: int) -> int:
    return min(span.low + ((value - span.low) // size + 1) * size, span.high)


def _previous_step(value: int, span: Range, size: int) -> int:
    return max(span.low + ((value - 1 - span.low) // size) * size, span.low)


def _within(value: int, span: Range) -> int:
    return min(max(value, span.low), span.high)
