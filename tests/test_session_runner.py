"""A guided session, driven as the UI would: ticks on a fake clock, keys as actions."""

from __future__ import annotations

import pytest

from kneetui.content.model import Category, Dosage, Dose, Exercise, Program, ProgramStep, Range
from kneetui.engine.clock import FakeClock
from kneetui.engine.cues import STOP_ADVICE, Cue, CueKind
from kneetui.engine.plan import PhaseKind, UnknownExercise, build_plan, items_from_program
from kneetui.engine.recording import BlockKind, MemoryRecorder, SafetyAnswers, SessionStart
from kneetui.engine.safety import GOING_ON_NOTE, REASON_AFTER_STOP, REASON_PAIN_WORSE, REASON_RED_FLAGS, PreviousStop
from kneetui.engine.session import (
    SKIPPED_AFTER_NOTE,
    WORSE_BEFORE_START_NOTE,
    OutcomeKind,
    RunnerState,
    SessionRunner,
    skipped_check_text,
)
from kneetui.engine.settings import RunnerSettings
from kneetui.storage.config import Settings
from kneetui_medial_knee.exercises import EXERCISES
from kneetui_medial_knee.programs import PROGRAMS

BY_ID = {exercise.id: exercise for exercise in EXERCISES}
STRETCH = BY_ID["sitting-adductor-stretch"]
SQUEEZE = BY_ID["adductor-squeeze"]
CYCLING = BY_ID["gentle-cycling"]
WALL_SLIDES = BY_ID["wall-slides"]
LEG_EXTENSION = BY_ID["kneeling-leg-extension"]
CALM = SafetyAnswers(pain=2, swollen=False, unstable=False)


class Session:
    """A runner with its fake clock and memory recorder, and a way to let time pass."""

    def __init__(self, items, **settings):
        self.clock = FakeClock()
        self.recorder = MemoryRecorder()
        self.settings = RunnerSettings(**settings)
        self.runner = SessionRunner(build_plan(items, self.settings), self.clock, self.recorder, self.settings)

    def start(self, safety=CALM) -> list[Cue]:
        return self.runner.start(safety, program_id="test")

    def wait(self, seconds: float, tick_every: float = 0.25) -> list[Cue]:
        """Let ``seconds`` pass, ticking as a UI would, and collect the cues."""
        cues: list[Cue] = []
        left = seconds
        while left > 1e-9:
            step = min(tick_every, left)
            self.clock.advance(step)
            left -= step
            cues += self.runner.tick()
        return cues

    @property
    def kind(self) -> PhaseKind:
        return self.runner.phase.kind

    @property
    def blocks(self):
        return [block for _, block in self.recorder.blocks]


def kinds(cues: list[Cue]) -> list[CueKind]:
    return [cue.kind for cue in cues]


def warnings(cues: list[Cue]) -> list[int | None]:
    return [cue.n for cue in cues if cue.kind is CueKind.WARNING]


def test_the_adductor_stretch_holds_left_then_switches_then_holds_right():
    session = Session([(STRETCH, None)])
    cues = session.start()
    assert session.kind is PhaseKind.GET_READY
    assert cues == [Cue(CueKind.TRANSITION, text="Get ready: Sitting adductor stretch, starting with the left side")]

    cues = session.wait(5)
    assert session.kind is PhaseKind.HOLD and session.runner.phase.side == "left"
    assert session.runner.phase.instruction == "Left side: hold for 15 s"
    assert warnings(cues) == [3, 2, 1]

    cues = session.wait(15)
    assert session.kind is PhaseKind.SWITCH_SIDES
    assert CueKind.SWITCH_SIDES in kinds(cues)
    assert session.runner.phase.instruction.startswith("Switch sides:")
    assert [block.side for block in session.blocks] == ["left"]

    session.wait(5)
    assert session.kind is PhaseKind.HOLD and session.runner.phase.side == "right"
    session.wait(15)
    assert session.kind is PhaseKind.PAIN_CHECK

    left, right = session.blocks
    assert (left.kind, left.side, left.planned, left.done) == (BlockKind.HOLD, "left", 15, 15)
    assert (right.kind, right.side, right.planned, right.done) == (BlockKind.HOLD, "right", 15, 15)
    assert right.ended_at - left.started_at == 15 + 5 + 15

    # The last exercise's check is also the pain after the session: asked once, and the session ends.
    assert session.runner.phase.instruction == "How is the pain now, after the session, from 0 to 10?"
    session.runner.answer_pain(2)
    assert session.runner.state is RunnerState.FINISHED
    assert session.recorder.sessions[1]["pain_after"] == 2
    assert session.recorder.pain_checks == [(1, STRETCH.id, 2)]


def test_the_squeeze_counts_reps_in_two_sets_with_a_rest_between_but_not_after():
    session = Session([(SQUEEZE, None)])
    session.start()
    session.wait(5)
    assert session.kind is PhaseKind.REPS
    assert session.runner.phase.instruction == "Set 1 of 2: 10 reps, at your own pace"
    assert session.runner.remaining() is None
    for count in range(1, 10):
        assert session.runner.count_rep() == [Cue(CueKind.REP, n=count, text=f"{count} of 10")]
    assert session.runner.reps_done == 9
    cues = session.runner.count_rep()
    assert kinds(cues) == [CueKind.REP, CueKind.TRANSITION]
    assert session.kind is PhaseKind.REST and session.runner.remaining() == 30

    session.wait(30)
    assert session.kind is PhaseKind.REPS and session.runner.phase.set_number == 2
    session.runner.complete_reps()
    assert session.kind is PhaseKind.PAIN_CHECK, "no rest after the last set"
    assert [(b.set_number, b.planned, b.done) for b in session.blocks] == [(1, 10, 10), (2, 10, 10)]


def test_the_rest_the_exercise_gives_wins_over_the_setting():
    resting = Exercise(
        id="rests",
        name="Rests",
        summary="",
        steps=(),
        category=Category.STRENGTH,
        benefits="",
        dosage=Dosage(reps=Range(5, 5), sets=Range(2, 2), rest_seconds=45),
    )
    session = Session([(resting, None)], get_ready_seconds=0)
    session.start()
    session.runner.complete_reps()
    assert session.kind is PhaseKind.REST and session.runner.remaining() == 45


def test_a_ten_minute_cycling_block_shows_its_progress_and_is_recorded_whole():
    session = Session([(CYCLING, None)])
    session.start()
    session.wait(5)
    assert session.kind is PhaseKind.TIMED and session.runner.remaining() == 600
    session.wait(300)
    assert session.runner.phase_progress() == pytest.approx(0.5)
    cues = session.wait(300)
    assert warnings(cues) == [3, 2, 1]
    assert session.kind is PhaseKind.PAIN_CHECK
    (block,) = session.blocks
    assert (block.kind, block.planned, block.done) == (BlockKind.TIMED, 600, 600)


def test_pausing_a_hold_keeps_the_remaining_time():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.wait(5)
    assert session.runner.toggle_pause() is True
    assert session.wait(120) == []
    assert session.runner.remaining() == 10
    assert session.runner.toggle_pause() is False
    session.wait(9.75)
    assert session.runner.phase.side == "left"
    cues = session.wait(0.25)
    assert session.runner.phase.side == "right"
    assert kinds(cues) == [CueKind.TRANSITION, CueKind.SWITCH_SIDES], "a switch that takes no time is still said"
    assert session.blocks[0].done == 15


def test_many_pauses_lose_no_second():
    session = Session([(CYCLING, None)], get_ready_seconds=0)
    session.start()
    for _ in range(200):
        session.wait(1)
        session.runner.toggle_pause()
        session.wait(7)
        session.runner.toggle_pause()
    assert session.runner.remaining() == 600 - 200


def test_skipping_a_half_done_hold_records_what_was_held():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.wait(7)
    session.runner.skip()
    assert session.kind is PhaseKind.SWITCH_SIDES
    (block,) = session.blocks
    assert (block.side, block.planned, block.done) == ("left", 15, 7)


def test_skipping_a_block_before_doing_anything_records_nothing():
    session = Session([(SQUEEZE, None)])
    session.start()
    session.runner.skip()  # get ready
    session.runner.skip()  # set 1, no rep counted
    assert session.kind is PhaseKind.REST
    assert session.blocks == []


def test_skipping_a_set_after_some_reps_records_those_reps():
    session = Session([(SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    for _ in range(4):
        session.runner.count_rep()
    session.runner.skip()
    assert [(b.planned, b.done) for b in session.blocks] == [(10, 4)]


def test_a_skip_meant_for_the_countdown_never_passes_a_pain_check():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    session.runner.complete_reps()
    assert session.kind is PhaseKind.PAIN_CHECK
    assert session.runner.skip() == []
    assert session.kind is PhaseKind.PAIN_CHECK
    assert session.recorder.notes == []


def test_skipping_a_pain_check_moves_on_but_says_and_records_that_the_rule_could_not_look():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    session.runner.complete_reps()
    cues = session.runner.answer_pain(None)
    assert kinds(cues)[0] is CueKind.NOTICE
    assert "starting 2" in cues[0].text and "press !" in cues[0].text
    assert session.runner.phase.exercise == SQUEEZE
    assert session.recorder.pain_checks == []
    assert session.recorder.notes == [(1, "pain check after Wall slides skipped")]


def test_back_soon_after_a_phase_starts_goes_to_the_phase_before():
    session = Session([(STRETCH, None)])
    session.start()
    session.wait(5)
    session.wait(1)
    assert session.kind is PhaseKind.HOLD
    cues = session.runner.back()
    assert session.kind is PhaseKind.GET_READY and session.runner.remaining() == 5
    assert kinds(cues) == [CueKind.TRANSITION]


def test_back_later_in_a_phase_restarts_it_without_recording_the_attempt():
    session = Session([(STRETCH, None)])
    session.start()
    session.wait(5 + 10)
    session.runner.back()
    assert session.kind is PhaseKind.HOLD and session.runner.remaining() == 15
    assert session.blocks == []


def test_back_after_counting_reps_restarts_the_set_from_zero():
    session = Session([(SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    session.runner.count_rep()
    session.runner.back()
    assert session.kind is PhaseKind.REPS and session.runner.reps_done == 0


def test_adding_and_taking_time_from_a_hold():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.wait(11.5)
    assert warnings(session.wait(0.5)) == [3]
    session.runner.adjust(+10)
    assert session.runner.remaining() == 13
    assert warnings(session.wait(13)) == [3, 2, 1], "more time brings the 3-2-1 again"
    assert session.blocks[0].done == 25

    session.wait(4)  # of the right side: with no get-ready, the switch takes no time
    cues = session.runner.adjust(-100)
    assert session.kind is PhaseKind.PAIN_CHECK and CueKind.TRANSITION in kinds(cues)
    assert (session.blocks[1].planned, session.blocks[1].done) == (15, 4)


def test_a_late_tick_says_only_the_latest_warning():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.clock.advance(11.5)
    assert session.runner.tick() == []
    session.clock.advance(2)
    assert session.runner.tick() == [Cue(CueKind.WARNING, n=2)]
    assert session.runner.tick() == []
    session.clock.advance(1)
    assert session.runner.tick() == [Cue(CueKind.WARNING, n=1)]


def test_a_tick_long_after_several_countdowns_records_each_and_keeps_to_the_plan():
    session = Session([(STRETCH, None)])
    session.start()
    session.clock.advance(5 + 15 + 5 + 3.5)  # the UI was asleep
    cues = session.runner.tick()
    assert kinds(cues) == [CueKind.TRANSITION, CueKind.SWITCH_SIDES]
    assert session.runner.phase.side == "right"
    assert session.runner.remaining() == 11.5
    assert [block.side for block in session.blocks] == ["left"]


def test_a_pain_worse_key_stops_at_once_and_keeps_what_was_done():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.wait(15 + 0 + 6)
    cues = session.runner.pain_is_worse()
    assert cues == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert "consult a healthcare professional" in STOP_ADVICE
    assert session.runner.state is RunnerState.STOPPED
    assert session.runner.stop_reason == "pain worse"
    assert session.recorder.stops == [(1, "pain worse")]
    assert [(b.side, b.done) for b in session.blocks] == [("left", 15), ("right", 6)]
    assert session.wait(60) == [] and len(session.blocks) == 2
    session.runner.finish(None)
    assert session.recorder.sessions[1]["ended_at"] is not None


def test_a_pain_rise_of_one_at_a_check_stops_the_session_as_the_article_says():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=3, swollen=False, unstable=False))
    session.runner.complete_reps()
    cues = session.runner.answer_pain(4)
    assert kinds(cues) == [CueKind.STOPPED]
    assert session.runner.state is RunnerState.FINISHED, "the score that stopped it is the pain after"
    assert session.recorder.sessions[1]["pain_after"] == 4
    assert session.recorder.pain_checks == [(1, WALL_SLIDES.id, 4)]
    assert session.recorder.stops == [(1, "pain rose from 3 to 4 after Wall slides")]


def test_the_same_pain_at_a_check_carries_on():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=3, swollen=False, unstable=False))
    session.runner.complete_reps()
    cues = session.runner.answer_pain(3)
    assert kinds(cues) == [CueKind.TRANSITION]
    assert session.runner.state is RunnerState.RUNNING
    assert session.recorder.stops == []


def test_a_tolerance_set_by_a_physiotherapist_is_honoured_and_no_wider():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0, pain_tolerance=1)
    session.start(SafetyAnswers(pain=3, swollen=False, unstable=False))
    session.runner.complete_reps()
    assert kinds(session.runner.answer_pain(4)) == [CueKind.TRANSITION]
    while session.kind is not PhaseKind.PAIN_CHECK:
        session.runner.skip()
    assert kinds(session.runner.answer_pain(5)) == [CueKind.STOPPED]
    assert session.recorder.stops == [(1, f"pain rose from 3 to 5 after {SQUEEZE.name}")]


def test_a_tolerance_wider_than_two_cannot_be_set():
    with pytest.raises(ValueError, match="pain tolerance is a whole number from 0 to 2"):
        Session([(WALL_SLIDES, None)], pain_tolerance=3)


def test_a_rise_only_at_the_end_of_a_quit_session_stops_it_with_the_advice():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    session.runner.quit()
    cues = session.runner.finish(4)
    assert kinds(cues) == [CueKind.STOPPED]
    assert session.recorder.stops[-1] == (1, "pain rose from 2 to 4 after the session ended early")


def test_pain_worse_after_the_end_still_records_the_stop():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    session.runner.complete_reps()
    session.runner.answer_pain(2)
    assert session.runner.state is RunnerState.FINISHED
    assert kinds(session.runner.pain_is_worse()) == [CueKind.STOPPED]
    assert session.recorder.stops == [(1, "pain worse")]


def test_a_pain_score_outside_zero_to_ten_is_refused():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    session.runner.complete_reps()
    with pytest.raises(ValueError, match="pain is a whole number from 0 to 10"):
        session.runner.answer_pain(11)


def test_tempo_paced_reps_are_counted_on_the_beat_without_drift():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0, tempo_seconds=2.0)
    session.start()
    assert session.runner.phase.instruction == "10 reps, one every 2 s"
    assert session.runner.remaining() == 20
    session.wait(1.9, tick_every=0.3)
    assert session.runner.reps_done == 0
    cues = session.wait(0.1)
    assert cues == [Cue(CueKind.REP, n=1, text="1 of 10")]
    # Irregular, late ticks: 13 s later six more beats have passed; only the latest is said.
    session.clock.advance(13)
    assert session.runner.tick() == [Cue(CueKind.REP, n=7, text="7 of 10")]
    assert session.runner.count_rep() == [], "paced reps count themselves"
    session.wait(4.75, tick_every=0.7)
    assert session.kind is PhaseKind.REPS
    session.wait(0.25)
    assert session.kind is PhaseKind.PAIN_CHECK
    (block,) = session.blocks
    assert (block.planned, block.done) == (10, 10)
    assert block.ended_at - block.started_at == 20


def test_each_leg_reps_go_left_leg_then_switch_then_right_leg():
    session = Session([(LEG_EXTENSION, None)], get_ready_seconds=3)
    session.start()
    session.wait(3)
    assert session.runner.phase.instruction == "Left leg: 10 reps, at your own pace"
    cues = session.runner.complete_reps()
    assert CueKind.SWITCH_SIDES in kinds(cues)
    assert session.runner.phase.instruction == "Switch sides: get ready for the right leg"
    session.wait(3)
    session.runner.complete_reps()
    assert [(b.side, b.done) for b in session.blocks] == [("left", 10), ("right", 10)]


def test_quitting_keeps_every_block_and_the_block_in_progress():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.wait(15 + 0 + 4)
    assert session.runner.quit() == []
    assert session.runner.state is RunnerState.STOPPED
    assert session.recorder.stops == [(1, "quit")]
    assert [(b.side, b.done) for b in session.blocks] == [("left", 15), ("right", 4)]
    session.runner.finish(None)
    assert session.runner.state is RunnerState.FINISHED


def test_the_start_is_recorded_with_the_safety_answers_and_exercises():
    session = Session([(STRETCH, None), (SQUEEZE, Dose(reps=12, sets=3))])
    worried = SafetyAnswers(pain=4, swollen=True, unstable=False)
    session.runner.start(worried, continued_despite_advice=True, program_id="chronic")
    start = session.recorder.sessions[1]["start"]
    assert start.exercise_ids == (STRETCH.id, SQUEEZE.id)
    assert start.safety == worried and start.continued_despite_advice
    assert start.program_id == "chronic" and start.started_at == session.clock.wall()


def test_a_programme_runs_at_the_low_end_of_each_range_unless_it_gives_a_dose():
    program = Program(
        id="p",
        name="P",
        description="",
        steps=(ProgramStep(STRETCH.id), ProgramStep(SQUEEZE.id, Dose(reps=12, sets=3))),
    )
    plan = build_plan(items_from_program(program, BY_ID.get))
    holds = [phase for phase in plan.phases if phase.kind is PhaseKind.HOLD]
    reps = [phase for phase in plan.phases if phase.kind is PhaseKind.REPS]
    assert {phase.seconds for phase in holds} == {15}
    assert [(phase.set_number, phase.target_reps) for phase in reps] == [(1, 12), (2, 12), (3, 12)]
    assert plan.phases[-1].kind is PhaseKind.DONE


def test_a_programme_naming_an_unknown_exercise_says_which():
    program = Program(id="p", name="P", description="", steps=(ProgramStep("nope"),))
    with pytest.raises(UnknownExercise, match="'nope'"):
        items_from_program(program, BY_ID.get)


def test_progress_rises_from_zero_to_one_over_the_chronic_programme():
    chronic = next(program for program in PROGRAMS if program.id == "chronic")
    session = Session(items_from_program(chronic, BY_ID.get))
    session.start()
    seen = [session.runner.progress()]
    while session.runner.state is RunnerState.RUNNING:
        phase = session.runner.phase
        if phase.kind is PhaseKind.PAIN_CHECK:
            session.runner.answer_pain(2)
        elif phase.kind is PhaseKind.REPS:
            session.runner.count_rep()
        else:
            session.wait(1)
        seen.append(session.runner.progress())
    assert seen[0] == 0 and seen[-1] == 1
    assert seen == sorted(seen)
    assert session.wait(10 * 60) == []
    assert len(session.blocks) == 1 + 2 + 1 + 1 + 2 + 2


def test_progress_gives_each_exercise_an_equal_share_and_counts_time_within_one():
    session = Session([(CYCLING, None), (WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    session.wait(300)
    assert session.runner.progress() == pytest.approx(0.25)
    session.wait(300)
    session.runner.answer_pain(2)
    assert session.runner.progress() == pytest.approx(0.5)


def test_skipping_the_first_of_six_exercises_shows_a_sixth_done():
    chronic = next(program for program in PROGRAMS if program.id == "chronic")
    session = Session(items_from_program(chronic, BY_ID.get), get_ready_seconds=0)
    session.start()
    session.runner.skip()
    session.runner.answer_pain(2)
    assert session.runner.progress() == pytest.approx(1 / 6)


def test_no_get_ready_when_it_is_set_to_zero():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    assert session.kind is PhaseKind.REPS


def test_skipping_while_paused_keeps_the_next_countdown_paused():
    session = Session([(STRETCH, None)])
    session.start()
    session.runner.toggle_pause()
    session.runner.skip()
    session.wait(30)
    assert session.kind is PhaseKind.HOLD and session.runner.remaining() == 15


# What each safety path says, records and when: the policy decides, the runner carries it out.


class TimedRecorder(MemoryRecorder):
    """A memory recorder that also keeps the wall-clock time of each stop, check and note."""

    def __init__(self):
        super().__init__()
        self.times: list[tuple[str, float]] = []

    def record_pain_check(self, session_id, exercise_id, pain, at):
        super().record_pain_check(session_id, exercise_id, pain, at)
        self.times.append(("pain check", at))

    def record_stop(self, session_id, reason, at):
        super().record_stop(session_id, reason, at)
        self.times.append(("stop", at))

    def record_note(self, session_id, note, at):
        super().record_note(session_id, note, at)
        self.times.append(("note", at))


def timed_session(items, **settings) -> Session:
    session = Session(items, **settings)
    session.recorder = TimedRecorder()
    session.runner.recorder = session.recorder
    return session


def test_before_the_start_the_runner_shows_the_first_phase_and_nothing_done():
    session = Session([(SQUEEZE, None)])
    runner = session.runner
    assert runner.state is RunnerState.NOT_STARTED
    assert runner.phase is runner.plan.phases[0] and runner.phase.kind is PhaseKind.GET_READY
    assert runner.remaining() is None and runner.reps_done == 0
    assert (runner.session_id, runner.pain_before, runner.pain_after, runner.paused) == (None, None, None, False)
    assert session.recorder.sessions == {}


def test_the_start_is_kept_with_no_pain_afterwards_yet():
    session = Session([(SQUEEZE, None)])
    session.start()
    assert session.recorder.sessions[1]["pain_after"] is None and session.recorder.sessions[1]["ended_at"] is None
    assert session.recorder.sessions[1]["start"].notes == ()


def test_a_stop_last_time_keeps_the_session_from_starting_unless_the_person_chooses_to():
    last = PreviousStop(REASON_PAIN_WORSE, at=0.0)
    session = timed_session([(SQUEEZE, None)])
    session.runner = SessionRunner(session.runner.plan, session.clock, session.recorder, previous_stop=last)
    cues = session.start()
    assert cues == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.runner.state is RunnerState.STOPPED
    assert session.recorder.stops == [(1, REASON_AFTER_STOP)]
    assert session.recorder.times == [("stop", session.clock.wall())]
    assert session.runner.summary()[:2] == [
        STOP_ADVICE,
        "You chose not to start before a professional has seen your knee.",
    ]


def test_going_on_after_the_advice_is_said_recorded_and_noted_at_the_start():
    session = Session([(SQUEEZE, None)])
    cues = session.runner.start(
        SafetyAnswers(pain=2, swollen=True, unstable=False), continued_despite_advice=True, program_id="test"
    )
    assert cues[0] == Cue(CueKind.NOTICE, text=GOING_ON_NOTE)
    assert session.runner.state is RunnerState.RUNNING
    start = session.recorder.sessions[1]["start"]
    assert start.continued_despite_advice is True
    assert start.notes == ("went on after the advice to stop: swelling or instability",)
    assert session.runner.summary() == ["Session complete. Well done.", GOING_ON_NOTE]


def test_not_choosing_is_stopping_when_kneetui_advises_against_starting():
    session = Session([(SQUEEZE, None)])
    assert session.start(SafetyAnswers(pain=2, swollen=False, unstable=True)) == [
        Cue(CueKind.STOPPED, text=STOP_ADVICE)
    ]
    assert session.recorder.stops == [(1, REASON_RED_FLAGS)]


def test_a_session_without_the_checks_before_it_runs_and_no_rise_can_be_seen():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.runner.start()
    assert session.runner.state is RunnerState.RUNNING and session.runner.pain_before is None
    session.runner.complete_reps()
    cues = session.runner.answer_pain(None)
    text = "Pain check skipped: the stop rule could not compare your pain. If the pain is worse than when you started, press ! now."
    assert cues == [Cue(CueKind.NOTICE, text=text)]


def test_a_skipped_check_is_said_again_in_the_summary_and_timed_in_the_history():
    session = timed_session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=3, swollen=False, unstable=False))
    session.runner.complete_reps()
    session.wait(2)
    session.runner.answer_pain(None)
    assert session.runner.notes == [skipped_check_text(3)]
    assert session.recorder.times == [("note", session.clock.wall())]
    session.runner.quit()
    assert session.runner.summary() == ["You ended the session early. What you did is kept.", skipped_check_text(3)]


def test_a_pain_check_answer_is_timed_and_a_stop_says_the_advice():
    session = timed_session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=3, swollen=False, unstable=False))
    session.runner.complete_reps()
    session.wait(4)
    assert session.runner.answer_pain(5) == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    wall = session.clock.wall()
    assert session.recorder.times == [("pain check", wall), ("stop", wall)]
    assert session.runner.summary() == [
        STOP_ADVICE,
        "The session stopped because the pain rose from 3 to 5 after Wall slides.",
    ]


def test_a_pain_check_cannot_be_answered_while_the_person_is_exercising():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    with pytest.raises(RuntimeError, match=r"^no pain check is being asked$"):
        session.runner.answer_pain(3)
    assert session.recorder.pain_checks == []


def test_worse_pain_is_recorded_once_however_often_it_is_said():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    assert session.runner.pain_is_worse() == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.runner.pain_is_worse() == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.runner.finish(6) == []
    assert session.runner.pain_is_worse() == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.recorder.stops == [(1, "pain worse")]
    assert session.recorder.sessions[1]["pain_after"] == 6
    assert session.runner.summary()[:2] == [STOP_ADVICE, "The session stopped because you said the pain got worse."]


def test_worse_pain_before_the_start_gives_the_advice_and_records_the_stop():
    session = Session([(WALL_SLIDES, None)])
    assert session.runner.pain_is_worse(program_id="acute") == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.recorder.stops == [(1, "pain worse")]
    recorded = session.recorder.sessions[1]
    assert recorded["start"].program_id == "acute" and recorded["start"].safety is None
    assert recorded["start"].notes == (WORSE_BEFORE_START_NOTE,)
    assert recorded["ended_at"] is not None and recorded["pain_after"] is None
    runner = session.runner
    assert runner.state is RunnerState.FINISHED and not runner.needs_pain_after
    assert runner.outcome is OutcomeKind.ADVISED_STOP
    assert runner.summary() == [
        STOP_ADVICE,
        "The session stopped because you said the pain got worse.",
        WORSE_BEFORE_START_NOTE,
    ]
    assert runner.pain_is_worse() == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.recorder.stops == [(1, "pain worse")], "said again, it is recorded once"
    with pytest.raises(RuntimeError):
        runner.start()


def test_worse_pain_said_while_the_advice_is_shown_keeps_the_answers_given():
    session = Session([(WALL_SLIDES, None)])
    answers = SafetyAnswers(pain=2, swollen=True, unstable=False)
    assert session.runner.assess_start(answers).needs_choice
    session.runner.pain_is_worse(safety=answers)
    assert session.recorder.sessions[1]["start"].safety == answers
    assert session.runner.pain_before == 2 and session.recorder.stops == [(1, "pain worse")]


def test_the_pain_after_quitting_not_given_is_said_and_kept():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    session.runner.quit()
    assert session.runner.finish(None) == []
    assert session.recorder.notes == [(1, SKIPPED_AFTER_NOTE)]
    assert session.runner.summary()[-1] == (
        "Pain after the session not given: the stop rule could not compare your pain with your starting 2. "
        "If the pain is worse than when you started, stop and consult a healthcare professional."
    )


def test_no_pain_after_is_asked_after_the_advice_to_stop_so_none_is_noted_missing():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=2, swollen=True, unstable=False))
    session.runner.finish(None)
    assert session.recorder.notes == []
    worse = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    worse.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    worse.runner.pain_is_worse()
    worse.runner.finish(None)
    assert worse.recorder.notes == []


def test_a_rise_after_quitting_says_the_advice_and_keeps_the_score():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    assert session.runner.quit() == []
    assert session.runner.finish(4) == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.recorder.sessions[1]["pain_after"] == 4 and session.runner.pain_after == 4


def test_a_session_with_nothing_in_it_is_done_at_once_and_the_pain_after_is_still_judged():
    session = Session([])
    session.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    assert session.runner.state is RunnerState.DONE and session.runner.needs_pain_after
    assert session.runner.finish(3) == [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
    assert session.recorder.stops == [(1, "pain rose from 2 to 3 at the end")]


def test_the_same_pain_at_the_end_of_a_session_with_nothing_in_it_completes_it():
    session = Session([])
    session.start(SafetyAnswers(pain=2, swollen=False, unstable=False))
    assert session.runner.finish(2) == []
    assert session.runner.stop_reason is None and session.runner.summary() == ["Session complete. Well done."]


def test_worse_pain_after_a_complete_session_keeps_the_progress_full():
    session = Session([(WALL_SLIDES, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    session.runner.complete_reps()
    session.runner.answer_pain(2)
    session.runner.complete_reps()
    session.wait(30)
    session.runner.complete_reps()
    session.runner.answer_pain(2)
    assert session.runner.progress() == 1.0
    session.runner.pain_is_worse()
    assert session.runner.progress() == 1.0


def test_a_stopped_session_shows_how_far_it_got():
    session = Session([(STRETCH, None), (SQUEEZE, None)], get_ready_seconds=0)
    session.start()
    session.wait(15 + 15)
    session.runner.answer_pain(2)
    session.runner.quit()
    session.runner.finish(2)
    assert session.runner.progress() == 0.5


def test_progress_within_the_second_exercise_counts_from_its_own_start():
    session = Session([(STRETCH, None), (CYCLING, None)], get_ready_seconds=0)
    session.start()
    session.wait(30)
    session.runner.answer_pain(2)
    session.wait(300)
    assert session.runner.progress() == pytest.approx(0.75)


def test_progress_through_a_single_exercise_starts_at_zero():
    session = Session([(CYCLING, None)], get_ready_seconds=0)
    session.start()
    assert session.runner.progress() == 0.0
    session.wait(150)
    assert session.runner.progress() == pytest.approx(0.25)


def test_a_self_counted_set_shows_its_progress_by_the_reps_counted():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    session.runner.set_reps(5)
    assert session.runner.phase_progress() == 0.5


def test_a_switch_of_no_time_shows_as_complete_before_the_next_tick():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.runner.skip()
    assert session.kind is PhaseKind.SWITCH_SIDES
    assert session.runner.phase_progress() == 1.0


def test_a_switch_passed_over_between_ticks_is_said_in_its_own_words():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.clock.advance(16)
    cues = session.runner.tick()
    assert Cue(CueKind.SWITCH_SIDES, text="Switch sides: get ready for the right side") in cues


def test_a_paused_countdown_says_nothing_however_late_it_is_ticked():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.clock.advance(12.5)
    session.runner.toggle_pause()
    session.clock.advance(60)
    assert session.runner.tick() == []


def test_a_countdown_of_three_seconds_does_not_say_three_as_it_begins():
    session = Session([(STRETCH, None)], get_ready_seconds=3)
    session.start()
    assert session.runner.tick() == []
    assert warnings(session.wait(1)) == [2]


def test_paced_reps_say_nothing_before_the_first_beat():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0, tempo_seconds=2.0)
    session.start()
    assert session.runner.tick() == []


def test_reps_cannot_be_counted_during_a_hold():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    assert session.runner.complete_reps() == [] and session.runner.set_reps(5) == []
    assert session.kind is PhaseKind.HOLD and session.blocks == []


def test_a_typed_count_of_zero_is_zero():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    assert session.runner.set_reps(0) == [Cue(CueKind.REP, n=0, text="0 of 10")]
    assert session.runner.set_reps(-2) == [Cue(CueKind.REP, n=0, text="0 of 10")]


def test_back_at_the_very_first_phase_restarts_it():
    session = Session([(STRETCH, None)])
    session.start()
    session.wait(1)
    session.runner.back()
    assert session.kind is PhaseKind.GET_READY and session.runner.remaining() == 5


def test_back_soon_after_a_set_of_reps_begins_goes_to_the_phase_before():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=5)
    session.start()
    session.wait(5 + 1)
    session.runner.back()
    assert session.kind is PhaseKind.GET_READY


def test_back_after_a_rep_counted_at_once_restarts_the_set():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=5)
    session.start()
    session.wait(5)
    session.runner.count_rep()
    session.runner.back()
    assert session.kind is PhaseKind.REPS and session.runner.reps_done == 0


def test_back_exactly_three_seconds_into_a_phase_restarts_it():
    session = Session([(STRETCH, None)])
    session.start()
    session.wait(5)
    session.clock.advance(3)
    session.runner.back()
    assert session.kind is PhaseKind.HOLD and session.runner.remaining() == 15


def test_time_cannot_be_added_to_self_counted_reps_or_a_stopped_session():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    assert session.runner.adjust(10) == [] and session.runner.remaining() is None
    stretch = Session([(STRETCH, None)], get_ready_seconds=0)
    stretch.start()
    stretch.wait(5)
    stretch.runner.quit()
    stretch.runner.adjust(10)
    assert stretch.runner.remaining() == 10


def test_a_little_time_added_within_the_same_second_does_not_repeat_the_count():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    assert warnings(session.wait(12.25)) == [3]
    assert warnings(session.runner.adjust(0.25)) == []


def test_one_rep_or_one_second_done_before_a_skip_is_recorded():
    session = Session([(WALL_SLIDES, None), (STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.runner.count_rep()
    session.runner.skip()
    session.runner.answer_pain(2)
    session.wait(1)
    session.runner.skip()
    assert [(block.kind, block.done) for block in session.blocks] == [(BlockKind.REPS, 1), (BlockKind.HOLD, 1)]


def test_each_block_is_recorded_under_the_session_with_its_wall_clock_times():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    began = session.clock.wall()
    session.wait(15.5)
    (entry,) = session.recorder.blocks
    session_id, block = entry
    assert session_id == 1 and session.runner.recorded_blocks == [block]
    assert (block.started_at, block.ended_at) == (began, began + 15)


def test_stopping_while_paused_unpauses():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    session.runner.toggle_pause()
    session.runner.pain_is_worse()
    assert session.runner.paused is False


def test_answering_the_last_check_while_paused_ends_the_session_unpaused():
    session = Session([(WALL_SLIDES, None)], get_ready_seconds=0)
    session.start()
    session.runner.complete_reps()
    assert session.runner.toggle_pause() is True
    session.runner.answer_pain(2)
    assert session.runner.state is RunnerState.FINISHED and session.runner.paused is False


def test_runner_settings_follow_the_persons_settings():
    chosen = Settings(get_ready_seconds=8, rest_seconds=45, pain_rise_tolerance=1, countdown_warning=False)
    assert RunnerSettings.from_settings(chosen, tempo_seconds=2.0) == RunnerSettings(
        get_ready_seconds=8, rest_seconds=45, pain_tolerance=1, warning_seconds=0, tempo_seconds=2.0
    )
    assert RunnerSettings.from_settings(Settings()).warning_seconds == 3


@pytest.mark.parametrize("tempo", [0, -1.5])
def test_a_tempo_of_no_time_or_less_is_refused(tempo):
    with pytest.raises(ValueError, match=r"^a tempo must be a positive number of seconds per rep$"):
        RunnerSettings(tempo_seconds=tempo)


def test_a_tempo_of_one_second_a_rep_can_be_set():
    assert RunnerSettings(tempo_seconds=1).tempo_seconds == 1


def test_the_memory_recorder_keeps_a_started_session_without_an_end():
    recorder = MemoryRecorder()
    start = SessionStart(started_at=1.0, program_id=None, exercise_ids=("wall-slides",))
    assert recorder.start_session(start) == 1
    assert recorder.sessions == {1: {"start": start, "pain_after": None, "ended_at": None}}


def test_a_late_tick_records_the_next_block_from_when_it_really_began():
    session = Session([(STRETCH, None)], get_ready_seconds=0)
    session.start()
    began = session.clock.wall()
    session.clock.advance(16)
    session.runner.tick()
    session.wait(15)
    assert [(block.side, block.started_at, block.ended_at) for block in session.blocks] == [
        ("left", began, began + 15),
        ("right", began + 15, began + 30),
    ]


def test_back_after_a_long_pause_early_in_a_hold_goes_to_the_phase_before():
    session = Session([(STRETCH, None)])
    session.start()
    session.wait(5 + 1)
    session.runner.toggle_pause()
    session.wait(60)
    session.runner.toggle_pause()
    session.runner.back()
    assert session.kind is PhaseKind.GET_READY


def test_a_session_with_nothing_in_it_shows_no_progress_before_it_starts():
    assert Session([]).runner.progress() == 0.0


def test_paced_reps_say_their_last_count_as_the_set_ends():
    session = Session([(WALL_SLIDES, Dose(reps=3))], get_ready_seconds=0, tempo_seconds=2)
    session.start()
    said = []
    for _ in range(6):
        session.clock.advance(1)
        said += [cue.text for cue in session.runner.tick() if cue.kind is CueKind.REP]
    assert said == ["1 of 3", "2 of 3", "3 of 3"]
