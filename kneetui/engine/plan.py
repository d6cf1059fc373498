"""Turning exercises and doses into the ordered phases a session walks through.

For each exercise: get ready, then each set (left, switch sides, right when
the dose is per side or leg) with a rest between sets, then a pain check.
The last exercise's pain check is also the pain after the session; the plan
ends with DONE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypedDict

from kneetui.content.model import Dose, Exercise, Laterality, Program
from kneetui.engine.settings import RunnerSettings

#: A rough length of one self-counted rep, used only to weigh reps against
#: holds in the session's overall progress.
SECONDS_PER_REP_ESTIMATE = 3.0


CHECK_INSTRUCTION = "How is the pain now, from 0 to 10?"
END_CHECK_INSTRUCTION = "How is the pain now, after the session, from 0 to 10?"


class PhaseKind(StrEnum):
    GET_READY = "get ready"
    HOLD = "hold"
    REPS = "reps"
    TIMED = "timed"
    SWITCH_SIDES = "switch sides"
    REST = "rest"
    PAIN_CHECK = "pain check"
    DONE = "done"


#: The kinds in which the person does the exercise; each is recorded as a block.
WORK_KINDS = frozenset({PhaseKind.HOLD, PhaseKind.REPS, PhaseKind.TIMED})


@dataclass(frozen=True)
class Phase:
    """One step of a session.

    ``seconds`` is set for every phase that counts down (and for reps paced by
    a tempo); ``target_reps`` for reps. ``instruction`` is one line telling the
    person what to do now.
    """

    kind: PhaseKind
    instruction: str
    exercise: Exercise | None = None
    exercise_number: int = 0
    set_number: int = 0
    sets: int = 0
    side: str | None = None
    seconds: float | None = None
    target_reps: int | None = None
    tempo_seconds: float | None = None

    @property
    def is_work(self) -> bool:
        return self.kind in WORK_KINDS

    @property
    def side_label(self) -> str:
        """'Left side' or 'Right leg', as the instruction says it; '' when the dose is not per side."""
        if not self.side or self.exercise is None:
            return ""
        return _side_label(self.exercise.dosage.per, self.side)

    @property
    def counts_down(self) -> bool:
        return self.seconds is not None

    @property
    def planned_amount(self) -> int:
        """What a block record calls ``planned``: reps for reps, else seconds."""
        if self.kind is PhaseKind.REPS:
            return self.target_reps or 0
        return round(self.seconds or 0)

    @property
    def weight(self) -> float:
        """Roughly how many seconds of work this phase is, for overall progress."""
        if not self.is_work:
            return 0.0
        if self.seconds is not None:
            return self.seconds
        return (self.target_reps or 0) * SECONDS_PER_REP_ESTIMATE


@dataclass(frozen=True)
class Plan:
    """The phases of a session, in order, ending with a DONE phase."""

    phases: tuple[Phase, ...]

    @property
    def exercise_ids(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for phase in self.phases:
            if phase.exercise is not None:
                seen.setdefault(phase.exercise.id, None)
        return tuple(seen)

    @property
    def exercise_count(self) -> int:
        return max((phase.exercise_number for phase in self.phases), default=0)


class UnknownExercise(LookupError):
    """A programme names an exercise that no loaded plug-in provides."""


def items_from_program(
    program: Program, find_exercise: Callable[[str], Exercise | None]
) -> list[tuple[Exercise, Dose | None]]:
    """The (exercise, dose) pairs of a programme; ``find_exercise`` is e.g. ``catalog.exercise``."""
    items: list[tuple[Exercise, Dose | None]] = []
    for step in program.steps:
        exercise = find_exercise(step.exercise_id)
        if exercise is None:
            raise UnknownExercise(f"programme {program.id!r} names unknown exercise {step.exercise_id!r}")
        items.append((exercise, step.dose))
    return items


def build_plan(items: Iterable[tuple[Exercise, Dose | None]], settings: RunnerSettings = RunnerSettings()) -> Plan:
    """The phases for ``items``; a dose of None starts at the low end of every range.

    ``settings`` supplies the get-ready, rest and tempo lengths.
    """
    phases: list[Phase] = []
    for number, (exercise, dose) in enumerate(items, start=1):
        phases.extend(_exercise_phases(exercise, dose or exercise.dosage.lowest(), number, settings))
    if phases and phases[-1].kind is PhaseKind.PAIN_CHECK:
        # The last exercise's check is also the pain after the session: asked once, judged once.
        phases[-1] = replace(phases[-1], instruction=END_CHECK_INSTRUCTION)
    phases.append(Phase(PhaseKind.DONE, "All done. Well done."))
    return Plan(tuple(phases))


def _sides(per: Laterality) -> Sequence[str | None]:
    return (None,) if per is Laterality.BOTH else ("left", "right")


def _side_label(per: Laterality, side: str) -> str:
    return f"{side.capitalize()} {'leg' if per is Laterality.EACH_LEG else 'side'}"


class _SameForEveryPhase(TypedDict):
    """What every phase of one exercise has in common."""

    exercise: Exercise
    exercise_number: int
    sets: int


def _exercise_phases(exercise: Exercise, dose: Dose, number: int, settings: RunnerSettings) -> list[Phase]:
    per = exercise.dosage.per
    rest = exercise.dosage.rest_seconds if exercise.dosage.rest_seconds is not None else settings.rest_seconds
    # The article names no rest between sets; a rest from Settings is said to be the person's own.
    whose_rest = " (your setting; the article names no rest)" if exercise.dosage.rest_seconds is None else ""
    sides = _sides(per)
    common: _SameForEveryPhase = {"exercise": exercise, "exercise_number": number, "sets": dose.sets}
    phases: list[Phase] = []
    if settings.get_ready_seconds > 0:
        first = f", starting with the {_side_label(per, 'left').lower()}" if sides[0] else ""
        phases.append(
            Phase(
                PhaseKind.GET_READY,
                f"Get ready: {exercise.name}{first}",
                seconds=settings.get_ready_seconds,
                set_number=1,
                **common,
            )
        )
    for set_number in range(1, dose.sets + 1):
        for side in sides:
            if side == "right":
                label = _side_label(per, "right").lower()
                phases.append(
                    Phase(
                        PhaseKind.SWITCH_SIDES,
                        f"Switch sides: get ready for the {label}",
                        seconds=settings.get_ready_seconds,
                        set_number=set_number,
                        side=side,
                        **common,
                    )
                )
            phases.append(_work_phase(exercise, dose, set_number, side, settings, common))
        if set_number < dose.sets and rest > 0:
            phases.append(
                Phase(
                    PhaseKind.REST,
                    f"Rest for {rest} s{whose_rest}; set {set_number + 1} of {dose.sets} is next",
                    seconds=rest,
                    set_number=set_number,
                    **common,
                )
            )
    phases.append(Phase(PhaseKind.PAIN_CHECK, CHECK_INSTRUCTION, set_number=dose.sets, **common))
    return phases


def _work_phase(
    exercise: Exercise,
    dose: Dose,
    set_number: int,
    side: str | None,
    settings: RunnerSettings,
    common: _SameForEveryPhase,
) -> Phase:
    where = [_side_label(exercise.dosage.per, side)] if side else []
    if dose.sets > 1:
        where.insert(0, f"Set {set_number} of {dose.sets}")
    prefix = ", ".join(where) + ": " if where else ""
    # A dose that gives both reps and a hold is guided as reps; none of the
    # built-in exercises has one, and the hold then belongs in the steps.
    if dose.duration_minutes is not None:
        seconds = dose.duration_minutes * 60
        return Phase(
            PhaseKind.TIMED,
            f"{prefix}{exercise.name} for {dose.duration_minutes} min",
            seconds=seconds,
            set_number=set_number,
            side=side,
            **common,
        )
    if dose.reps is not None:
        tempo = settings.tempo_seconds
        pace = f", one every {tempo:g} s" if tempo else ", at your own pace"
        return Phase(
            PhaseKind.REPS,
            f"{prefix}{dose.reps} reps{pace}",
            seconds=dose.reps * tempo if tempo else None,
            target_reps=dose.reps,
            tempo_seconds=tempo,
            set_number=set_number,
            side=side,
            **common,
        )
    if dose.hold_seconds is not None:
        return Phase(
            PhaseKind.HOLD,
            f"{prefix}{'hold' if prefix else 'Hold'} for {dose.hold_seconds} s",
            seconds=dose.hold_seconds,
            set_number=set_number,
            side=side,
            **common,
        )
    raise ValueError(f"the dose for {exercise.id!r} gives no hold, reps or duration")
