"""`kneetui guide --plain`: a whole session typed line by line, on a fake clock that never sleeps."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import dataclass

import pytest

from kneetui.cli import guide as guide_module
from kneetui.cli.main import build_parser
from kneetui.engine.clock import FakeClock
from kneetui.engine.cues import STOP_ADVICE
from kneetui.engine.recording import MemoryRecorder
from kneetui.plugin_host.loader import load_plugins
from kneetui.storage import locations
from kneetui.storage.config import Settings, save_settings


@pytest.fixture(scope="module")
def loaded():
    return load_plugins()


class FakeWait:
    """Moves the fake clock instead of sleeping; a line 'arrives' at each moment in ``input_at``."""

    def __init__(self, clock: FakeClock, input_at: tuple[float, ...] = ()) -> None:
        self.clock = clock
        self.start = clock.now()
        self.input_at = sorted(input_at)

    def __call__(self, seconds: float) -> bool:
        until = self.clock.now() + seconds
        if self.input_at and self.start + self.input_at[0] <= until:
            self.clock.advance(max(0.0, self.start + self.input_at.pop(0) - self.clock.now()))
            return True
        self.clock.advance(seconds)
        return False


@dataclass
class Guided:
    code: int
    out: str
    recorder: MemoryRecorder
    clock: FakeClock

    @property
    def lines(self) -> list[str]:
        return [line.replace("\a", "") for line in self.out.splitlines()]

    @property
    def blocks(self):
        return [block for _, block in self.recorder.blocks]


def guide(loaded, typed: str, *argv: str, input_at: tuple[float, ...] = ()) -> Guided:
    clock = FakeClock()
    recorder = MemoryRecorder()
    stdout = io.StringIO()
    args = build_parser().parse_args(["guide", *argv])
    code = guide_module.run_guide(
        args,
        loaded,
        recorder=recorder,
        clock=clock,
        wait=FakeWait(clock, input_at),
        stdin=io.StringIO(typed),
        stdout=stdout,
    )
    return Guided(code, stdout.getvalue(), recorder, clock)


CALM = "3\nn\nn\n"  # pain 3, not swollen, not unstable


def test_a_whole_acute_session_from_safety_questions_to_pain_after(loaded):
    typed = CALM + "2\n" + "\n" * 10 + "3\n" + "d\n" + "3\n"
    result = guide(loaded, typed, "acute", "--plain", "--get-ready", "2")
    assert result.code == 0
    assert result.lines[0].startswith("kneetui does not replace a professional")
    assert "Programme: Acute phase: gentle movement, 3 exercises." in result.lines
    assert "Exercise 1 of 3. Get ready: Gentle cycling" in result.lines
    assert "Gentle cycling for 10 min" in result.lines
    assert ["9 min left" in line for line in result.lines].count(True) == 1
    assert "1 min left" in result.lines and "10 min left" not in result.lines
    assert "Exercise 2 of 3. Get ready: Wall slides" in result.lines
    assert "10 of 10" in result.lines
    assert result.lines[-2] == "Session complete. Well done."
    assert result.lines[-1] == "Pain before → after: 3 → 3. 3 blocks recorded."
    assert result.out.count("You started at 3.") == 3, "every check shows the starting score"
    assert len(result.lines) < 90, "a line per milestone, not per second"
    assert "\a" in result.out

    assert [(b.exercise_id, b.done) for b in result.blocks] == [
        ("gentle-cycling", 600),
        ("wall-slides", 10),
        ("dynamic-mobility", 10),
    ]
    assert [pain for _, _, pain in result.recorder.pain_checks] == [2, 3, 3]
    assert result.recorder.stops == []
    session = result.recorder.sessions[1]
    assert session["pain_after"] == 3 and session["start"].program_id == "acute"
    assert result.clock.now() - 1000 == 2 + 600 + 2 + 2


def test_the_countdown_says_three_two_one_and_the_side_switch(loaded):
    typed = CALM + "2\n" + "2\n"
    result = guide(loaded, typed, "sitting-adductor-stretch", "--plain")
    assert result.code == 0
    hold = result.lines.index("Left side: hold for 15 s")
    switch = result.lines.index("Switch sides: get ready for the right side")
    assert result.lines[hold + 1 : switch] == ["3", "2", "1"]
    assert result.lines[switch + 1 : switch + 5] == ["3", "2", "1", "Right side: hold for 15 s"]
    assert [(b.side, b.done) for b in result.blocks] == [("left", 15), ("right", 15)]


def test_exclamation_mark_at_a_prompt_stops_with_the_advice(loaded):
    result = guide(loaded, CALM + "\n\n!\n", "wall-slides", "--plain", "--get-ready", "0")
    assert result.code == 1
    assert STOP_ADVICE in result.lines
    assert result.recorder.stops == [(1, "pain worse")]
    assert [(b.planned, b.done) for b in result.blocks] == [(10, 2)], "the reps already done are kept"
    assert result.recorder.sessions[1]["ended_at"] is not None


def test_exclamation_mark_before_the_start_stops_and_is_recorded(loaded):
    result = guide(loaded, "3\n!\n", "acute", "--plain")
    assert result.code == 1
    assert result.lines.count(STOP_ADVICE) == 1
    assert "You said the pain was worse before the session started, so nothing was started." in result.lines
    assert result.recorder.stops == [(1, "pain worse")]
    assert result.recorder.sessions[1]["start"].program_id == "acute"
    assert result.recorder.sessions[1]["ended_at"] is not None and result.blocks == []


@pytest.mark.parametrize("typed", ["q\n", ""], ids=["q", "end of input"])
def test_leaving_at_the_advice_is_stopping_as_advised_and_is_recorded(loaded, typed):
    result = guide(loaded, "2\ny\nn\n" + typed, "wall-slides", "--plain")
    assert result.code == 1
    assert result.recorder.stops == [(1, "advised a professional evaluation")]
    assert result.recorder.sessions[1]["start"].safety.swollen


def test_exclamation_mark_typed_during_a_hold_stops_it_there(loaded):
    result = guide(loaded, CALM + "!\n", "sitting-adductor-stretch", "--plain", input_at=(5 + 6,))
    assert result.code == 1
    assert STOP_ADVICE in result.lines
    assert [(b.side, b.done) for b in result.blocks] == [("left", 6)]
    assert result.recorder.stops == [(1, "pain worse")]


def test_a_pain_rise_of_one_at_a_check_stops_the_session(loaded):
    result = guide(loaded, CALM + "4\n", "acute", "--plain", "--get-ready", "0")
    assert result.code == 1
    assert STOP_ADVICE in result.lines
    assert result.recorder.stops == [(1, "pain rose from 3 to 4 after Gentle cycling")]


def test_the_same_pain_at_every_check_carries_on(loaded):
    typed = CALM + "3\n" + "d\n3\n" + "d\n3\n"
    result = guide(loaded, typed, "acute", "--plain", "--get-ready", "0")
    assert result.code == 0
    assert result.recorder.stops == []


def test_end_of_input_stops_safely_and_keeps_what_was_done(loaded):
    result = guide(loaded, CALM + "\n\n\n", "wall-slides", "--plain", "--get-ready", "0")
    assert result.code == 1
    assert "Input closed, so the session is stopped." in result.lines
    assert result.recorder.stops == [(1, "input closed")]
    assert [b.done for b in result.blocks] == [3]
    assert result.recorder.sessions[1]["ended_at"] is not None


def test_end_of_input_before_the_questions_are_answered_starts_nothing(loaded):
    result = guide(loaded, "3\n", "wall-slides", "--plain")
    assert result.code == 1
    assert result.lines[-1] == "Nothing was started."
    assert result.recorder.sessions == {}


def test_bad_answers_are_asked_again_with_a_hint(loaded):
    typed = "eleven\n11\n3\nmaybe\nn\nn\n" + "x\n99\nd\n" + "lots\n2\n"
    result = guide(loaded, typed, "wall-slides", "--plain", "--get-ready", "0")
    assert result.code == 0
    assert result.out.count("Please type a whole number from 0 to 10.") == 2
    assert "Please type y for yes or n for no." in result.lines
    assert sum("The count goes up to 10." in line for line in result.lines) == 2
    assert result.out.count("Skipping means the stop rule cannot look at your pain now.") == 1
    assert "Traceback" not in result.out


def test_digits_that_are_not_ascii_and_numbers_too_long_are_asked_again(loaded):
    typed = "\u00b2\n" + "9" * 5000 + "\n3\nn\nn\n" + "\u2460\n" + "7" * 5000 + "\nd\n" + "\u0663\n2\n"
    result = guide(loaded, typed, "wall-slides", "--plain", "--get-ready", "0")
    assert result.code == 0
    assert "Traceback" not in result.out
    assert result.out.count("Please type a whole number from 0 to 10.") == 2
    assert result.recorder.sessions[1]["pain_after"] == 2


@pytest.mark.parametrize("typed", ["!!", "! !", " !!! "])
def test_exclamation_marks_typed_in_a_hurry_still_say_the_pain_is_worse(loaded, typed):
    result = guide(loaded, CALM + "\n\n" + typed + "\n", "wall-slides", "--plain", "--get-ready", "0")
    assert result.code == 1
    assert result.recorder.stops == [(1, "pain worse")]


def test_a_number_sets_the_rep_count(loaded):
    result = guide(loaded, CALM + "7\n\n\n\n2\n2\n", "wall-slides", "--plain", "--get-ready", "0")
    assert "7 of 10" in result.lines and "10 of 10" in result.lines
    assert [b.done for b in result.blocks] == [10]


def test_skipping_a_hold_as_it_runs_records_the_part_held(loaded):
    typed = CALM + "n\n" + "2\n2\n"
    result = guide(loaded, typed, "sitting-adductor-stretch", "--plain", "--get-ready", "0", input_at=(4,))
    assert result.code == 0
    assert [(b.side, b.done) for b in result.blocks] == [("left", 4), ("right", 15)]


def test_a_swollen_knee_is_advised_a_professional_and_may_go_on_anyway(loaded):
    result = guide(loaded, "3\ny\nn\ng\nd\n2\n", "wall-slides", "--plain", "--get-ready", "0")
    assert result.code == 0
    assert any(line.startswith("[the article] You report swelling.") for line in result.lines)
    assert any("your own decision, not the article's advice" in line for line in result.lines)
    start = result.recorder.sessions[1]["start"]
    assert start.safety.swollen and start.continued_despite_advice


def test_declining_after_the_advice_records_why_and_starts_nothing(loaded):
    result = guide(loaded, "3\nn\ny\n\n", "wall-slides", "--plain")  # Enter: stop, the default
    assert result.code == 1
    assert result.recorder.stops == [(1, "advised a professional evaluation")]
    assert result.recorder.sessions[1]["start"].continued_despite_advice is False
    assert result.blocks == []


def test_paced_reps_are_counted_for_the_person(loaded):
    result = guide(loaded, CALM + "2\n2\n", "wall-slides", "--plain", "--get-ready", "0", "--tempo", "2")
    assert result.code == 0
    assert "10 reps, one every 2 s" in result.lines
    assert [f"{n} of 10" for n in range(1, 11)] == [line for line in result.lines if line.endswith(" of 10")]
    assert result.clock.now() - 1000 == 20


def test_no_bell_means_no_bell(loaded):
    result = guide(loaded, CALM + "d\n2\n2\n", "wall-slides", "--plain", "--no-bell", "--get-ready", "0")
    assert "\a" not in result.out


def test_speak_says_so_when_espeak_is_missing(loaded, monkeypatch):
    monkeypatch.setattr(guide_module.shutil, "which", lambda name: None)
    result = guide(loaded, CALM + "d\n2\n2\n", "wall-slides", "--plain", "--speak", "--get-ready", "0")
    assert result.code == 0
    assert "Speech: espeak-ng is not installed, so nothing will be spoken." in result.lines


def test_speak_starts_espeak_without_waiting_for_it(loaded, monkeypatch):
    started = []
    monkeypatch.setattr(guide_module.shutil, "which", lambda name: "/usr/bin/espeak-ng")
    monkeypatch.setattr(guide_module.subprocess, "Popen", lambda command, **kwargs: started.append(command))
    guide(loaded, CALM + "d\n2\n2\n", "wall-slides", "--plain", "--speak", "--get-ready", "0")
    assert ["/usr/bin/espeak-ng", "10 reps, at your own pace"] in started


def test_without_plain_it_points_to_the_app_and_exits_2(loaded, capsys):
    result = guide(loaded, "", "acute")
    assert result.code == 2
    assert "--plain" in capsys.readouterr().err


def test_an_unknown_programme_lists_what_there_is_and_exits_2(loaded, capsys):
    result = guide(loaded, "", "nope", "--plain")
    assert result.code == 2
    err = capsys.readouterr().err
    assert "No programme or exercise is called 'nope'" in err and "acute" in err and "wall-slides" in err


def test_without_a_programme_it_runs_the_one_in_settings(loaded):
    locations.config_file().parent.mkdir(parents=True, exist_ok=True)
    locations.config_file().write_text('program = "acute"\n', encoding="utf-8")
    result = guide(loaded, "", "--plain")
    assert "Programme: Acute phase: gentle movement, 3 exercises." in result.lines


def test_through_a_real_pipe(subprocess_env):
    typed = CALM + "\n" * 10 + "2\n" + "2\n"
    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "guide", "wall-slides", "--plain", "--get-ready", "0"],
        input=typed,
        capture_output=True,
        text=True,
        env=subprocess_env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.replace("\a", "").splitlines()
    assert "10 reps, at your own pace" in lines
    assert "10 of 10" in lines
    assert lines[-1] == "Pain before → after: 3 → 2. 1 block recorded."
    assert "Traceback" not in result.stderr


def test_the_pain_rule_follows_the_setting_a_physiotherapist_allowed(loaded):
    save_settings(Settings(pain_rise_tolerance=1))
    allowed = guide(loaded, CALM + "4\n" + "d\n4\n" + "d\n4\n", "acute", "--plain", "--get-ready", "0")
    assert allowed.code == 0, allowed.out
    assert allowed.recorder.stops == []
    beyond = guide(loaded, CALM + "5\n", "acute", "--plain", "--get-ready", "0")
    assert beyond.code == 1
    assert beyond.recorder.stops == [(1, "pain rose from 3 to 5 after Gentle cycling")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("--get-ready", "1e12"),
            "argument --get-ready: '1e12': give --get-ready a whole number of seconds from 0 to 60",
        ),
        (("--get-ready", "61"), "argument --get-ready: '61': give --get-ready a whole number of seconds from 0 to 60"),
        (("--rest", "-1"), "argument --rest: '-1': give --rest a whole number of seconds from 0 to 600"),
        (("--tempo", "fast"), "argument --tempo: 'fast': give --tempo in seconds per rep, from 0.5 to 60"),
        (("--tempo", "nan"), "argument --tempo: 'nan': give --tempo in seconds per rep, from 0.5 to 60"),
    ],
)
def test_a_wrong_number_of_seconds_names_the_option_and_its_range(capsys, argv, message):
    with pytest.raises(SystemExit) as exited:
        build_parser().parse_args(["guide", "--plain", *argv])
    assert exited.value.code == 2
    error = capsys.readouterr().err
    assert error.splitlines()[-1] == f"kneetui guide: error: {message}"
    assert "_seconds" not in error and "_tempo" not in error
