"""Progression hints: start low, step up after calm sessions, step down after pain rose."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kneetui.content.model import Category, Dosage, Dose, Exercise, Laterality, Range
from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart
from kneetui.history.progression import Change, clamp, step_down, step_up, suggest_dose
from kneetui.history.records import PainCheck, RecordedSession
from kneetui.history.store import HistoryStore


def exercise(exercise_id: str, dosage: Dosage) -> Exercise:
    return Exercise(exercise_id, exercise_id, "summary", ("step",), dosage, Category.STRENGTH, "benefits")


SQUEEZE = exercise("adductor-squeeze", Dosage(reps=Range(10, 12), sets=Range(2, 3)))
STRETCH = exercise("sitting-adductor-stretch", Dosage(hold_seconds=Range(15, 30), per=Laterality.EACH_SIDE))
CYCLING = exercise("gentle-cycling", Dosage(duration_minutes=Range(10, 15)))

DAY = 86_400.0


def blocks_at(target: Exercise, dose: Dose, at: float) -> tuple[BlockRecord, ...]:
    if dose.reps is not None:
        kind, planned = BlockKind.REPS, dose.reps
    elif dose.hold_seconds is not None:
        kind, planned = BlockKind.HOLD, dose.hold_seconds
    else:
        kind, planned = BlockKind.TIMED, (dose.duration_minutes or 0) * 60
    return tuple(
        BlockRecord(target.id, kind, number, None, planned, planned, at, at + 30) for number in range(1, dose.sets + 1)
    )


def session(
    number: int,
    dose: Dose,
    before: int | None = 2,
    after: int | None = 2,
    target: Exercise = SQUEEZE,
    checks: tuple[PainCheck, ...] = (),
) -> RecordedSession:
    at = number * DAY
    return RecordedSession(
        id=number,
        started_at=at,
        ended_at=at + 900,
        program_id="chronic",
        exercise_ids=(target.id,),
        pain_before=before,
        swollen=False,
        unstable=False,
        advised_professional=False,
        continued_despite_advice=False,
        pain_after=after,
        stop_reason=None,
        stopped_at=None,
        blocks=blocks_at(target, dose, at),
        pain_checks=checks,
    )


def test_a_new_exercise_starts_at_the_low_end_of_each_range():
    hint = suggest_dose(SQUEEZE, [])
    assert hint.dose == Dose(reps=10, sets=2)
    assert hint.change is Change.START
    assert "low end" in hint.reason
    assert suggest_dose(STRETCH, []).dose == Dose(hold_seconds=15)
    assert suggest_dose(CYCLING, []).dose == Dose(duration_minutes=10)


def test_three_calm_sessions_in_a_row_suggest_one_step_up():
    low = Dose(reps=10, sets=2)
    hint = suggest_dose(SQUEEZE, [session(day, low) for day in range(3)])
    assert hint.dose == Dose(reps=11, sets=2)
    assert hint.change is Change.UP
    assert hint.reason == "3 sessions in a row without more pain: one step up."


def test_two_calm_sessions_keep_the_dose_and_say_how_many_more():
    hint = suggest_dose(SQUEEZE, [session(day, Dose(reps=10, sets=2), before=3, after=3) for day in range(2)])
    assert hint.dose == Dose(reps=10, sets=2)
    assert hint.change is Change.KEEP
    assert hint.reason.startswith("2 of 3 sessions")


def test_pain_that_falls_counts_as_calm_and_a_rise_under_one_point_is_no_rise():
    history = [session(0, Dose(reps=10, sets=2), before=5, after=2)] * 3
    assert suggest_dose(SQUEEZE, history).change is Change.UP


def test_the_count_starts_again_after_moving_up():
    history = [session(day, Dose(reps=10, sets=2)) for day in range(3)]
    history.append(session(3, Dose(reps=11, sets=2)))
    hint = suggest_dose(SQUEEZE, history)
    assert hint.dose == Dose(reps=11, sets=2) and hint.change is Change.KEEP


def test_a_session_with_more_pain_afterwards_suggests_one_step_down():
    history = [session(day, Dose(reps=11, sets=2)) for day in range(5)]
    history.append(session(5, Dose(reps=12, sets=2), before=2, after=3))
    hint = suggest_dose(SQUEEZE, history)
    assert hint.dose == Dose(reps=11, sets=2)
    assert hint.change is Change.DOWN
    assert hint.reason == "Pain rose last time: one step down."


def test_a_rise_at_the_lowest_dose_keeps_it_and_says_to_ask_a_professional():
    hint = suggest_dose(SQUEEZE, [session(0, Dose(reps=10, sets=2), before=2, after=5)])
    assert hint.dose == Dose(reps=10, sets=2)
    assert hint.change is Change.KEEP
    assert "professional" in hint.reason


def test_a_pain_check_after_the_exercise_counts_when_pain_after_is_missing():
    rising = (PainCheck(SQUEEZE.id, 4, 100.0),)
    history = [session(0, Dose(reps=12, sets=2), before=2, after=None, checks=rising)]
    assert suggest_dose(SQUEEZE, history).change is Change.DOWN


def test_a_pain_check_after_another_exercise_does_not_hold_this_one_back():
    other = (PainCheck("wall-slides", 6, 100.0),)
    history = [session(day, Dose(reps=10, sets=2), before=2, after=None, checks=other) for day in range(3)]
    assert suggest_dose(SQUEEZE, history).change is Change.KEEP  # no score for this exercise at all
    history = [session(day, Dose(reps=10, sets=2), before=2, after=2, checks=other) for day in range(3)]
    assert suggest_dose(SQUEEZE, history).change is Change.UP


def test_a_session_without_pain_scores_keeps_the_dose_and_breaks_the_run():
    history = [session(day, Dose(reps=10, sets=2)) for day in range(3)]
    history.append(session(3, Dose(reps=10, sets=2), before=None, after=None))
    hint = suggest_dose(SQUEEZE, history)
    assert hint.change is Change.KEEP and "No pain scores" in hint.reason
    history.append(session(4, Dose(reps=10, sets=2)))
    assert suggest_dose(SQUEEZE, history).reason.startswith("1 of 3")


def test_sessions_without_the_exercise_do_not_count_either_way():
    history = [session(day, Dose(reps=10, sets=2)) for day in (0, 2, 3)]
    history.append(session(1, Dose(hold_seconds=15), before=1, after=8, target=STRETCH))
    assert suggest_dose(SQUEEZE, history).change is Change.UP


def test_the_order_sessions_come_in_does_not_matter():
    history = [session(day, Dose(reps=10, sets=2)) for day in range(3)]
    history.append(session(3, Dose(reps=11, sets=2), after=4))
    assert suggest_dose(SQUEEZE, history) == suggest_dose(SQUEEZE, history[::-1])


def test_after_the_top_reps_another_set_starts_again_from_the_low_reps():
    hint = suggest_dose(SQUEEZE, [session(day, Dose(reps=12, sets=2)) for day in range(3)])
    assert hint.dose == Dose(reps=10, sets=3)
    assert step_down(Dose(reps=10, sets=3), SQUEEZE.dosage) == Dose(reps=12, sets=2)


def test_the_top_of_the_range_is_kept():
    hint = suggest_dose(SQUEEZE, [session(day, Dose(reps=12, sets=3)) for day in range(3)])
    assert hint.dose == Dose(reps=12, sets=3)
    assert hint.change is Change.KEEP and "top of the range" in hint.reason


def test_holds_move_in_five_second_steps_and_land_back_on_the_steps():
    dosage = STRETCH.dosage
    assert step_up(Dose(hold_seconds=15), dosage) == Dose(hold_seconds=20)
    assert step_up(Dose(hold_seconds=22), dosage) == Dose(hold_seconds=25)
    assert step_up(Dose(hold_seconds=28), dosage) == Dose(hold_seconds=30)
    assert step_down(Dose(hold_seconds=22), dosage) == Dose(hold_seconds=20)
    assert step_down(Dose(hold_seconds=15), dosage) is None
    assert step_up(Dose(hold_seconds=30), dosage) is None


def test_cycling_is_read_back_in_whole_minutes():
    history = [session(day, Dose(duration_minutes=12), target=CYCLING) for day in range(3)]
    assert suggest_dose(CYCLING, history).dose == Dose(duration_minutes=13)


def test_a_dose_from_before_the_range_changed_is_brought_inside_it():
    history = [session(day, Dose(reps=20, sets=5)) for day in range(1)]
    hint = suggest_dose(SQUEEZE, history)
    assert hint.dose == Dose(reps=12, sets=3)
    assert clamp(Dose(reps=5, hold_seconds=40), STRETCH.dosage) == Dose(hold_seconds=30)


def test_hints_work_on_what_the_store_gives_back():
    store = HistoryStore.in_memory()
    for day in range(3):
        session_id = store.start_session(
            SessionStart(day * DAY, "chronic", (SQUEEZE.id,), SafetyAnswers(pain=2, swollen=False, unstable=False))
        )
        for block in blocks_at(SQUEEZE, Dose(reps=10, sets=2), day * DAY):
            store.record_block(session_id, block)
        store.finish_session(session_id, pain_after=1, ended_at=day * DAY + 600)
    assert suggest_dose(SQUEEZE, store.sessions()).dose == Dose(reps=11, sets=2)


doses = st.builds(
    Dose,
    hold_seconds=st.none() | st.integers(0, 100),
    reps=st.none() | st.integers(0, 100),
    sets=st.integers(0, 10),
    duration_minutes=st.none() | st.integers(0, 100),
)
pains = st.none() | st.integers(0, 10)


@settings(max_examples=200, deadline=None)
@given(
    target=st.sampled_from([SQUEEZE, STRETCH, CYCLING]),
    history=st.lists(st.tuples(doses, pains, pains), max_size=8),
)
def test_a_hint_never_leaves_the_dosage_ranges(target, history):
    sessions = []
    for number, (dose, before, after) in enumerate(history):
        used = clamp(dose, target.dosage) if number % 2 else dose  # some doses from outside the range
        sessions.append(session(number, replace_sets(used), before, after, target=target))
    hint = suggest_dose(target, sessions)
    assert target.dosage.allows(hint.dose) == []
    assert hint.reason and "\n" not in hint.reason


def replace_sets(dose: Dose) -> Dose:
    # A session always has at least one block.
    return Dose(dose.hold_seconds, dose.reps, max(dose.sets, 1), dose.duration_minutes)
