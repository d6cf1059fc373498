"""Progression hints: only what was done counts, any pain rise means consult, and more often before more."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from kneetui.content.model import Category, Dosage, Dose, Exercise, Laterality, Provenance, Range
from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart
from kneetui.history.progression import Change, clamp, completed_dose, step_up, suggest_dose
from kneetui.history.records import PainCheck, RecordedSession
from kneetui.history.store import HistoryStore


def exercise(exercise_id: str, dosage: Dosage) -> Exercise:
    return Exercise(
        exercise_id,
        exercise_id,
        "summary",
        ("step",),
        dosage,
        Category.STRENGTH,
        "benefits",
        provenance=Provenance.ARTICLE,
    )


SQUEEZE = exercise("adductor-squeeze", Dosage(reps=Range(10, 12), sets=Range(2, 3)))
STRETCH = exercise("sitting-adductor-stretch", Dosage(hold_seconds=Range(15, 30), per=Laterality.EACH_SIDE))
CYCLING = exercise("gentle-cycling", Dosage(duration_minutes=Range(10, 15)))

DAY = 86_400.0


def blocks_at(target: Exercise, dose: Dose, at: float, done: int | None = None) -> tuple[BlockRecord, ...]:
    """The blocks of ``dose`` done in full, or, with ``done``, each stopped at that amount."""
    if dose.reps is not None:
        kind, planned = BlockKind.REPS, dose.reps
    elif dose.hold_seconds is not None:
        kind, planned = BlockKind.HOLD, dose.hold_seconds
    else:
        kind, planned = BlockKind.TIMED, (dose.duration_minutes or 0) * 60
    sides = (None,) if target.dosage.per is Laterality.BOTH else ("left", "right")
    return tuple(
        BlockRecord(target.id, kind, number, side, planned, planned if done is None else done, at, at + 30)
        for number in range(1, dose.sets + 1)
        for side in sides
    )


def session(
    day: float,
    dose: Dose,
    before: int | None = 2,
    after: int | None = 2,
    target: Exercise = SQUEEZE,
    checks: tuple[PainCheck, ...] = (),
    blocks: tuple[BlockRecord, ...] | None = None,
    stop_reason: str | None = None,
    swollen: bool = False,
) -> RecordedSession:
    at = day * DAY
    return RecordedSession(
        id=int(day * 10),
        started_at=at,
        ended_at=at + 900,
        program_id="chronic",
        exercise_ids=(target.id,),
        pain_before=before,
        swollen=swollen,
        unstable=False,
        advised_professional=swollen,
        continued_despite_advice=swollen,
        pain_after=after,
        stop_reason=stop_reason,
        stopped_at=at + 600 if stop_reason else None,
        blocks=blocks_at(target, dose, at) if blocks is None else blocks,
        pain_checks=checks,
    )


def hint_after(target: Exercise, history: list[RecordedSession], now: float | None = None):
    latest = max((found.started_at for found in history), default=0.0)
    return suggest_dose(target, history, now=latest + DAY if now is None else now)


LOW = Dose(reps=10, sets=2)


def test_a_new_exercise_starts_low_and_says_that_is_kneetuis_reading():
    hint = suggest_dose(SQUEEZE, [], now=0.0)
    assert hint.dose == Dose(reps=10, sets=2)
    assert hint.change is Change.START and hint.provenance is Provenance.KNEETUI
    assert "low end" in hint.reason and "kneetui's reading" in hint.reason
    assert suggest_dose(STRETCH, [], now=0.0).dose == Dose(hold_seconds=15)
    assert suggest_dose(CYCLING, [], now=0.0).dose == Dose(duration_minutes=10)


# Only what was done counts


def test_cycling_skipped_after_8_seconds_is_not_ten_minutes_done():
    skipped = session(
        0, Dose(duration_minutes=10), target=CYCLING, blocks=blocks_at(CYCLING, Dose(duration_minutes=10), 0, done=8)
    )
    hint = hint_after(CYCLING, [skipped])
    assert hint.last_done is None
    assert hint.change is Change.KEEP
    assert "8 s of 10 min" in hint.reason and "does not count" in hint.reason
    assert hint.days_done == 0


def test_a_set_stopped_at_2_of_10_is_not_10_reps_and_breaks_the_run():
    full = [session(day, LOW) for day in (0, 2)]
    partial = session(
        4,
        LOW,
        blocks=(*blocks_at(SQUEEZE, Dose(reps=10), 4 * DAY), *blocks_at(SQUEEZE, Dose(reps=10), 4 * DAY, done=2)[:1]),
    )
    partial = RecordedSession(
        **{
            **partial.__dict__,
            "blocks": (
                partial.blocks[0],
                BlockRecord(SQUEEZE.id, BlockKind.REPS, 2, None, 10, 2, 4 * DAY, 4 * DAY + 9),
            ),
        }
    )
    hint = hint_after(SQUEEZE, [*full, partial])
    assert hint.change is Change.KEEP
    assert "2 of 10 reps" in hint.reason
    assert hint.last_done == Dose(reps=10, sets=1), "one whole set was done"
    # The partial session is no step: one more complete, calm session makes 1 in a row, not 3.
    hint = hint_after(SQUEEZE, [*full, partial, session(6, LOW)])
    assert hint.reason.startswith("1 of 3")


def test_a_side_left_out_is_not_the_whole_set():
    left_only = blocks_at(STRETCH, Dose(hold_seconds=20), 0)[:1]
    assert completed_dose(left_only, Laterality.EACH_SIDE) is None
    assert completed_dose(blocks_at(STRETCH, Dose(hold_seconds=20), 0), Laterality.EACH_SIDE) == Dose(hold_seconds=20)
    hint = hint_after(STRETCH, [session(0, Dose(hold_seconds=20), target=STRETCH, blocks=left_only)])
    assert hint.change is Change.KEEP and "does not count" in hint.reason


def test_later_sets_do_not_count_when_an_earlier_one_was_cut_short():
    blocks = (
        BlockRecord(SQUEEZE.id, BlockKind.REPS, 1, None, 10, 4, 0, 1),
        BlockRecord(SQUEEZE.id, BlockKind.REPS, 2, None, 10, 10, 2, 3),
    )
    assert completed_dose(blocks, Laterality.BOTH) is None


def test_the_dose_is_read_from_what_was_done_not_what_was_planned():
    history = [session(day, Dose(reps=11, sets=2)) for day in range(3)]
    hint = hint_after(SQUEEZE, history)
    assert hint.last_done == Dose(reps=11, sets=2)
    assert hint.dose == Dose(reps=12, sets=2)


# Any pain rise: consult, never 'one step down and carry on'


def test_a_rise_of_one_point_after_the_session_says_consult_before_doing_it_again():
    history = [session(day, Dose(reps=11, sets=2)) for day in range(5)]
    history.append(session(5, Dose(reps=12, sets=2), before=2, after=3))
    hint = hint_after(SQUEEZE, history)
    assert hint.change is Change.CONSULT
    assert hint.provenance is Provenance.ARTICLE
    assert "consult a healthcare professional before doing this exercise again" in hint.reason
    assert hint.dose == Dose(reps=12, sets=2), "no step down is suggested"


def test_a_rise_at_any_pain_check_counts_even_when_the_end_is_back_down():
    checks = (PainCheck("wall-slides", 3, 100.0),)
    hint = hint_after(
        SQUEEZE, [session(day, LOW) for day in range(3)] + [session(3, LOW, before=2, after=2, checks=checks)]
    )
    assert hint.change is Change.CONSULT


def test_a_rise_from_9_to_10_counts():
    assert hint_after(SQUEEZE, [session(0, LOW, before=9, after=10)]).change is Change.CONSULT


def test_a_session_stopped_for_pain_says_consult_even_without_a_score():
    stopped = session(3, LOW, before=2, after=None, stop_reason="pain worse")
    hint = hint_after(SQUEEZE, [session(day, LOW) for day in range(3)] + [stopped])
    assert hint.change is Change.CONSULT


def test_a_session_stopped_for_pain_is_never_calm():
    # Done again after consulting: the stopped session still breaks the run.
    history = [session(0, LOW), session(1, LOW, stop_reason="pain rose from 2 to 3"), session(2, LOW), session(3, LOW)]
    hint = hint_after(SQUEEZE, history)
    assert hint.change is Change.KEEP and hint.reason.startswith("2 of 3")


def test_swelling_or_instability_last_time_says_to_have_it_evaluated():
    hint = hint_after(SQUEEZE, [session(0, LOW, swollen=True)])
    assert hint.change is Change.CONSULT and "professional" in hint.reason


def test_pain_that_falls_counts_as_calm():
    history = [session(day, LOW, before=5, after=2) for day in range(3)]
    assert hint_after(SQUEEZE, history).change is Change.UP


def test_sessions_without_the_exercise_do_not_count_either_way():
    history = [session(day, LOW) for day in (0, 2, 3)]
    history.append(session(1, Dose(hold_seconds=15), before=1, after=8, target=STRETCH))
    # Days 0, 2 and 3 make three calm sessions in a row, not all a day apart.
    assert hint_after(SQUEEZE, history).change is Change.MORE_OFTEN


def test_a_session_without_pain_scores_keeps_the_dose_and_breaks_the_run():
    history = [session(day, LOW) for day in range(3)]
    history.append(session(3, LOW, before=None, after=None))
    hint = hint_after(SQUEEZE, history)
    assert hint.change is Change.KEEP and "No pain scores" in hint.reason
    history.append(session(4, LOW))
    assert hint_after(SQUEEZE, history).reason.startswith("1 of 3")


# The article's progression: more often before more


def test_three_calm_sessions_every_other_day_suggest_doing_it_more_often_not_more():
    hint = hint_after(SQUEEZE, [session(day, LOW) for day in (0, 2, 4)])
    assert hint.change is Change.MORE_OFTEN
    assert hint.dose == LOW
    assert hint.provenance is Provenance.ARTICLE
    assert "more often" in hint.reason and "daily" in hint.reason


def test_three_calm_daily_sessions_suggest_one_step_up_and_say_the_step_is_kneetuis():
    hint = hint_after(SQUEEZE, [session(day, LOW) for day in range(3)])
    assert hint.dose == Dose(reps=11, sets=2)
    assert hint.change is Change.UP
    assert hint.provenance is Provenance.KNEETUI
    assert "step size is kneetui's reading" in hint.reason and "10–12 reps, 2–3 sets" in hint.reason


def test_two_calm_sessions_keep_the_dose_and_say_how_many_more():
    hint = hint_after(SQUEEZE, [session(day, LOW, before=3, after=3) for day in range(2)])
    assert hint.dose == LOW and hint.change is Change.KEEP
    assert hint.reason.startswith("2 of 3 complete sessions")


def test_the_count_starts_again_after_moving_up():
    history = [session(day, LOW) for day in range(3)] + [session(3, Dose(reps=11, sets=2))]
    hint = hint_after(SQUEEZE, history)
    assert hint.dose == Dose(reps=11, sets=2) and hint.change is Change.KEEP


def test_the_days_completed_lately_are_counted_from_now():
    history = [session(day, LOW) for day in (0, 2, 4, 20)]
    assert hint_after(SQUEEZE, history, now=21 * DAY).days_done == 1
    assert hint_after(SQUEEZE, history, now=5 * DAY).days_done == 3
    assert hint_after(SQUEEZE, history, now=5 * DAY).change is Change.MORE_OFTEN, "a session after now is ignored"


def test_the_order_sessions_come_in_does_not_matter():
    history = [session(day, LOW) for day in range(3)] + [session(3, Dose(reps=11, sets=2), after=4)]
    assert hint_after(SQUEEZE, history) == hint_after(SQUEEZE, history[::-1])


def test_after_the_top_reps_another_set_starts_again_from_the_low_reps():
    hint = hint_after(SQUEEZE, [session(day, Dose(reps=12, sets=2)) for day in range(3)])
    assert hint.dose == Dose(reps=10, sets=3)


def test_the_top_of_the_range_is_kept_and_going_beyond_it_is_for_the_physiotherapist():
    hint = hint_after(SQUEEZE, [session(day, Dose(reps=12, sets=3)) for day in range(3)])
    assert hint.dose == Dose(reps=12, sets=3)
    assert hint.change is Change.KEEP and "top of the range" in hint.reason and "physiotherapist" in hint.reason


def test_holds_move_in_five_second_steps_and_land_back_on_the_steps():
    dosage = STRETCH.dosage
    assert step_up(Dose(hold_seconds=15), dosage) == Dose(hold_seconds=20)
    assert step_up(Dose(hold_seconds=22), dosage) == Dose(hold_seconds=25)
    assert step_up(Dose(hold_seconds=28), dosage) == Dose(hold_seconds=30)
    assert step_up(Dose(hold_seconds=30), dosage) is None


def test_cycling_done_in_full_is_read_back_in_whole_minutes():
    history = [session(day, Dose(duration_minutes=12), target=CYCLING) for day in range(3)]
    assert hint_after(CYCLING, history).dose == Dose(duration_minutes=13)


def test_a_dose_from_before_the_range_changed_is_brought_inside_it():
    hint = hint_after(SQUEEZE, [session(0, Dose(reps=20, sets=5))])
    assert hint.dose == Dose(reps=12, sets=3)
    assert clamp(Dose(reps=5, hold_seconds=40), STRETCH.dosage) == Dose(hold_seconds=30)


def test_hints_work_on_what_the_store_gives_back():
    store = HistoryStore.in_memory()
    for day in range(3):
        session_id = store.start_session(
            SessionStart(day * DAY, "chronic", (SQUEEZE.id,), SafetyAnswers(pain=2, swollen=False, unstable=False))
        )
        for block in blocks_at(SQUEEZE, LOW, day * DAY):
            store.record_block(session_id, block)
        store.finish_session(session_id, pain_after=1, ended_at=day * DAY + 600)
    session_id = store.start_session(
        SessionStart(3 * DAY, "chronic", (CYCLING.id,), SafetyAnswers(pain=2, swollen=False, unstable=False))
    )
    store.record_block(session_id, BlockRecord(CYCLING.id, BlockKind.TIMED, 1, None, 600, 8, 3 * DAY, 3 * DAY + 8))
    store.record_stop(session_id, "pain worse", 3 * DAY + 8)
    assert suggest_dose(SQUEEZE, store.sessions(), now=4 * DAY).dose == Dose(reps=11, sets=2)
    assert suggest_dose(CYCLING, store.sessions(), now=4 * DAY).change is Change.CONSULT


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
    history=st.lists(st.tuples(doses, pains, pains, st.none() | st.integers(0, 30), st.integers(0, 3)), max_size=8),
)
def test_a_hint_never_leaves_the_dosage_ranges_and_never_follows_a_rise_with_more(target, history):
    sessions = []
    for number, (dose, before, after, done, _gap) in enumerate(history):
        used = clamp(dose, target.dosage) if number % 2 else dose  # some doses from outside the range
        used = Dose(used.hold_seconds, used.reps, max(used.sets, 1), used.duration_minutes)
        day = sum(entry[4] for entry in history[: number + 1])
        blocks = blocks_at(target, used, day * DAY, done)
        sessions.append(session(day + number / 100, used, before, after, target=target, blocks=blocks))
    hint = hint_after(target, sessions)
    assert target.dosage.allows(hint.dose) == []
    assert hint.reason and "\n" not in hint.reason
    latest = max(sessions, key=lambda found: (found.started_at, found.id), default=None)
    if latest is not None and latest.pain_before is not None:
        later = [latest.pain_after] if latest.pain_after is not None else []
        if any(pain > latest.pain_before for pain in later):
            assert hint.change is Change.CONSULT
