"""The guide a plug-in's own exercise screen is handed: what it records and when it can no longer.

The full-screen frame around a plug-in's screen is driven in tests/test_safety_scenarios.py
and tests/faults/test_fault_plugin_screens.py; these tests hold the guide's own promises
without a screen.
"""

from __future__ import annotations

import pytest

from kneetui.content.model import Dose
from kneetui.engine.clock import FakeClock
from kneetui.engine.plugin_guide import SessionGuide
from kneetui.engine.recording import BlockKind, MemoryRecorder
from kneetui_medial_knee.exercises import EXERCISES

SQUEEZE = {exercise.id: exercise for exercise in EXERCISES}["adductor-squeeze"]


class Frame:
    """What kneetui's frame would do: count each call the guide makes back to it."""

    def __init__(self, **options):
        self.calls: list[str] = []
        self.clock = FakeClock()
        self.recorder = MemoryRecorder()
        self.guide = SessionGuide(
            exercise=SQUEEZE,
            dose=Dose(reps=10, sets=2),
            clock=self.clock,
            recorder=self.recorder,
            session_id=7,
            plugin="squeeze-coach",
            on_stop=lambda: self.calls.append("stop"),
            on_finish=lambda: self.calls.append("finish"),
            on_quit=lambda: self.calls.append("quit"),
            **options,
        )

    def record_set(self, done=10, **extra):
        return self.guide.record_block(kind="reps", planned=10, done=done, started_at=100.0, ended_at=130.0, **extra)


def test_the_guide_hands_the_plugin_the_exercise_dose_clock_and_display_choices():
    frame = Frame(bell=False, flash=False, animations=False)
    guide = frame.guide
    assert (guide.exercise, guide.dose, guide.clock, guide.plugin) == (
        SQUEEZE,
        Dose(reps=10, sets=2),
        frame.clock,
        "squeeze-coach",
    )
    assert (guide.bell, guide.flash, guide.animations) == (False, False, False)
    assert (guide.stopped, guide.finished, guide.skipped, guide.quit_asked, guide.interrupted) == (
        False,
        False,
        False,
        False,
        False,
    )


def test_bell_flash_and_animations_are_on_unless_the_person_turned_them_off():
    guide = Frame().guide
    assert (guide.bell, guide.flash, guide.animations) == (True, True, True)


def test_a_recorded_block_is_kept_under_the_session_with_the_plugins_name():
    frame = Frame()
    block = frame.record_set(done=8, set_number=2, side="left")
    assert frame.recorder.blocks == [(7, block)]
    assert frame.guide.blocks == [block]
    assert block.exercise_id == SQUEEZE.id
    assert block.kind is BlockKind.REPS
    assert (block.set_number, block.side, block.planned, block.done) == (2, "left", 10, 8)
    assert (block.started_at, block.ended_at, block.plugin) == (100.0, 130.0, "squeeze-coach")


def test_a_block_takes_set_one_and_no_side_unless_told():
    block = Frame().record_set()
    assert (block.set_number, block.side) == (1, None)


def test_a_negative_count_from_a_plugin_is_recorded_as_nothing_done():
    assert Frame().record_set(done=-3).done == 0


def test_a_kind_that_is_not_a_block_kind_is_refused():
    with pytest.raises(ValueError, match="'jumps'"):
        Frame().guide.record_block(kind="jumps", planned=1, done=1, started_at=0.0, ended_at=1.0)


@pytest.mark.parametrize("end", ["finish", "pain_is_worse", "interrupt"])
def test_nothing_more_can_be_recorded_once_the_exercise_is_over(end):
    frame = Frame()
    getattr(frame.guide, end)()
    with pytest.raises(RuntimeError, match=r"^this exercise is over; nothing more can be recorded$"):
        frame.record_set()
    assert frame.recorder.blocks == []


def test_worse_pain_stops_once_and_tells_the_frame():
    frame = Frame()
    frame.guide.pain_is_worse()
    frame.guide.pain_is_worse()
    frame.guide.finish()
    assert frame.calls == ["stop"]
    assert frame.guide.stopped is True and frame.guide.finished is False


def test_finishing_tells_the_frame_once_and_worse_pain_after_it_is_the_frames_business():
    frame = Frame()
    frame.guide.finish()
    frame.guide.finish()
    frame.guide.pain_is_worse()
    assert frame.calls == ["finish"]
    assert frame.guide.stopped is False


def test_skipping_notes_it_at_the_clocks_time_and_finishes():
    frame = Frame()
    noted_at = []
    keep_note = frame.recorder.record_note
    frame.recorder.record_note = lambda session_id, note, at: noted_at.append(at) or keep_note(session_id, note, at)
    frame.clock.advance(42)
    frame.guide.skip()
    assert noted_at == [frame.clock.wall()]
    assert frame.guide.skipped is True and frame.guide.finished is True
    assert frame.recorder.notes == [(7, f"the rest of {SQUEEZE.name} skipped")]
    assert frame.calls == ["finish"]


@pytest.mark.parametrize("end", ["finish", "pain_is_worse"])
def test_skipping_after_the_end_changes_nothing(end):
    frame = Frame()
    getattr(frame.guide, end)()
    frame.guide.skip()
    assert frame.guide.skipped is False
    assert frame.recorder.notes == []
    assert len(frame.calls) == 1


def test_asking_to_quit_goes_to_the_frame_which_asks_the_person():
    frame = Frame()
    frame.guide.quit()
    assert frame.guide.quit_asked is True
    assert frame.calls == ["quit"]
    assert frame.guide.finished is False, "if the person says no, the plug-in's screen goes on"


@pytest.mark.parametrize("end", ["finish", "pain_is_worse", "interrupt"])
def test_asking_to_quit_after_the_end_is_ignored(end):
    frame = Frame()
    getattr(frame.guide, end)()
    calls_before = list(frame.calls)
    frame.guide.quit()
    assert frame.guide.quit_asked is False
    assert frame.calls == calls_before


def test_interrupting_calls_each_before_stop_callback_once_and_keeps_what_they_record():
    frame = Frame()
    called = []
    frame.guide.before_stop(lambda: called.append("first") or frame.record_set(done=4))
    frame.guide.before_stop(lambda: called.append("second"))
    assert frame.guide.interrupt() == []
    assert frame.guide.interrupt() == []
    assert called == ["first", "second"]
    assert [block.done for block in frame.guide.blocks] == [4]
    assert frame.guide.interrupted is True


def test_a_before_stop_callback_that_raises_is_reported_and_the_others_still_run():
    frame = Frame()
    called = []

    def broken():
        frame.record_set(done=3)
        raise SystemExit("bye")

    frame.guide.before_stop(broken)
    frame.guide.before_stop(lambda: called.append("second"))
    assert frame.guide.interrupt() == ["squeeze-coach: a before_stop callback raised SystemExit: bye"]
    assert called == ["second"]
    assert [block.done for block in frame.guide.blocks] == [3], "what it recorded before raising is kept"


@pytest.mark.parametrize("end", ["finish", "pain_is_worse"])
def test_no_before_stop_callback_runs_after_the_exercise_ended(end):
    frame = Frame()
    called = []
    frame.guide.before_stop(lambda: called.append("late"))
    getattr(frame.guide, end)()
    assert frame.guide.interrupt() == []
    assert called == []
    assert frame.guide.interrupted is False
