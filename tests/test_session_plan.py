"""The plan of a session: every phase in order, with the words a person reads at each."""

from __future__ import annotations

from dataclasses import replace

from kneetui.content.model import Dose, Laterality
from kneetui.engine.plan import PhaseKind, build_plan
from kneetui.engine.settings import RunnerSettings
from kneetui_medial_knee.exercises import EXERCISES

BY_ID = {exercise.id: exercise for exercise in EXERCISES}
STRETCH = BY_ID["sitting-adductor-stretch"]
SQUEEZE = BY_ID["adductor-squeeze"]
CYCLING = BY_ID["gentle-cycling"]
LEG_EXTENSION = BY_ID["kneeling-leg-extension"]
#: The stretch as a pack might give it: with its own rest between sets.
STRETCH_WITH_REST = replace(STRETCH, dosage=replace(STRETCH.dosage, rest_seconds=15))


def outline(items, **settings):
    """Each phase as (kind, instruction, set, side, seconds, exercise number, sets)."""
    plan = build_plan(items, RunnerSettings(**settings))
    return [
        (phase.kind, phase.instruction, phase.set_number, phase.side, phase.seconds, phase.exercise_number, phase.sets)
        for phase in plan.phases
    ]


def test_a_stretch_held_each_side_in_two_sets_with_its_own_rest():
    assert outline([(STRETCH_WITH_REST, Dose(hold_seconds=20, sets=2))], get_ready_seconds=5) == [
        (PhaseKind.GET_READY, "Get ready: Sitting adductor stretch, starting with the left side", 1, None, 5, 1, 2),
        (PhaseKind.HOLD, "Set 1 of 2, Left side: hold for 20 s", 1, "left", 20, 1, 2),
        (PhaseKind.SWITCH_SIDES, "Switch sides: get ready for the right side", 1, "right", 5, 1, 2),
        (PhaseKind.HOLD, "Set 1 of 2, Right side: hold for 20 s", 1, "right", 20, 1, 2),
        (PhaseKind.REST, "Rest for 15 s; set 2 of 2 is next", 1, None, 15, 1, 2),
        (PhaseKind.HOLD, "Set 2 of 2, Left side: hold for 20 s", 2, "left", 20, 1, 2),
        (PhaseKind.SWITCH_SIDES, "Switch sides: get ready for the right side", 2, "right", 5, 1, 2),
        (PhaseKind.HOLD, "Set 2 of 2, Right side: hold for 20 s", 2, "right", 20, 1, 2),
        (PhaseKind.PAIN_CHECK, "How is the pain now, after the session, from 0 to 10?", 2, None, None, 1, 2),
        (PhaseKind.DONE, "All done. Well done.", 0, None, None, 0, 0),
    ]


def test_a_rest_from_settings_is_said_to_be_the_persons_own_and_each_leg_is_named():
    assert outline([(SQUEEZE, Dose(reps=10, sets=2)), (LEG_EXTENSION, None)], get_ready_seconds=5) == [
        (PhaseKind.GET_READY, "Get ready: Inner thigh (adductor) squeeze", 1, None, 5, 1, 2),
        (PhaseKind.REPS, "Set 1 of 2: 10 reps, at your own pace", 1, None, None, 1, 2),
        (
            PhaseKind.REST,
            "Rest for 30 s (your setting; the article names no rest); set 2 of 2 is next",
            1,
            None,
            30,
            1,
            2,
        ),
        (PhaseKind.REPS, "Set 2 of 2: 10 reps, at your own pace", 2, None, None, 1, 2),
        (PhaseKind.PAIN_CHECK, "How is the pain now, from 0 to 10?", 2, None, None, 1, 2),
        (PhaseKind.GET_READY, "Get ready: Leg extension, kneeling, starting with the left leg", 1, None, 5, 2, 1),
        (PhaseKind.REPS, "Left leg: 10 reps, at your own pace", 1, "left", None, 2, 1),
        (PhaseKind.SWITCH_SIDES, "Switch sides: get ready for the right leg", 1, "right", 5, 2, 1),
        (PhaseKind.REPS, "Right leg: 10 reps, at your own pace", 1, "right", None, 2, 1),
        (PhaseKind.PAIN_CHECK, "How is the pain now, after the session, from 0 to 10?", 1, None, None, 2, 1),
        (PhaseKind.DONE, "All done. Well done.", 0, None, None, 0, 0),
    ]


def test_a_timed_block_with_no_get_ready():
    assert outline([(CYCLING, None)], get_ready_seconds=0) == [
        (PhaseKind.TIMED, "Gentle cycling for 10 min", 1, None, 600, 1, 1),
        (PhaseKind.PAIN_CHECK, "How is the pain now, after the session, from 0 to 10?", 1, None, None, 1, 1),
        (PhaseKind.DONE, "All done. Well done.", 0, None, None, 0, 0),
    ]


def test_a_hold_for_both_legs_at_once_begins_with_a_capital():
    both = replace(STRETCH, dosage=replace(STRETCH.dosage, per=Laterality.BOTH))
    (hold, _check, _done) = outline([(both, None)], get_ready_seconds=0)
    assert hold[:2] == (PhaseKind.HOLD, "Hold for 15 s")


def test_a_one_second_get_ready_and_rest_are_still_given_and_a_rest_of_zero_is_left_out():
    one = [kind for kind, *_ in outline([(STRETCH_WITH_REST, Dose(hold_seconds=20, sets=2))], get_ready_seconds=1)]
    assert one[0] is PhaseKind.GET_READY
    rest_of_one = replace(STRETCH, dosage=replace(STRETCH.dosage, rest_seconds=1, per=Laterality.BOTH))
    assert [kind for kind, *_ in outline([(rest_of_one, Dose(hold_seconds=20, sets=2))], get_ready_seconds=0)] == [
        PhaseKind.HOLD,
        PhaseKind.REST,
        PhaseKind.HOLD,
        PhaseKind.PAIN_CHECK,
        PhaseKind.DONE,
    ]
    no_rest = replace(rest_of_one, dosage=replace(rest_of_one.dosage, rest_seconds=0))
    assert PhaseKind.REST not in [kind for kind, *_ in outline([(no_rest, Dose(hold_seconds=20, sets=2))])]


def test_a_timed_block_for_each_leg_names_the_leg_of_each_block():
    one_leg = replace(CYCLING, dosage=replace(CYCLING.dosage, per=Laterality.EACH_LEG))
    work = [(kind, text, side) for kind, text, _set, side, *_ in outline([(one_leg, None)], get_ready_seconds=0)]
    assert work[0] == (PhaseKind.TIMED, "Left leg: Gentle cycling for 10 min", "left")
    assert work[2] == (PhaseKind.TIMED, "Right leg: Gentle cycling for 10 min", "right")


def test_an_empty_plan_is_only_the_end():
    assert outline([]) == [(PhaseKind.DONE, "All done. Well done.", 0, None, None, 0, 0)]
