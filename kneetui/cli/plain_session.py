"""A guided session as plain lines on a text stream, for screen readers and braille displays.

One line per phase change and per countdown milestone (the start, 3-2-1, whole
minutes of a long block, the end), never a line per second. Everything the
person types is a line: a number, y/n, or one of the keys below, then Enter.

Time comes in from outside: ``clock`` for reading it and ``wait(seconds)``
for letting it pass. ``wait`` returns True early when a line of input is
waiting, so a countdown can be stopped with ``!`` as it runs; tests pass a
fake clock and a ``wait`` that only moves it.

Every safety decision is the runner's safety policy's; this module only says
what it decides and reads the answers.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import TextIO

from kneetui.cli.plain_console import InputClosed, PainWorse, PlainConsole, QuitRequested
from kneetui.content.text import typed_whole_number
from kneetui.engine.clock import Clock
from kneetui.engine.cues import Cue, CueKind
from kneetui.engine.plan import PhaseKind
from kneetui.engine.recording import SafetyAnswers
from kneetui.engine.safety import CHOICE_LABELS, StartChoice
from kneetui.engine.session import OutcomeKind, RunnerState, SessionRunner
from kneetui.history.store import HistoryStore

SAFETY_NOTICE = (
    "kneetui does not replace a professional. Stop and seek help if the pain gets worse, "
    "or comes with swelling or instability."
)
KEYS = "Keys, each followed by Enter: ! pain is worse, q quit, n skip, b back, p pause, i steps, + or - 5 seconds."
ADJUST_SECONDS = 5
CHOICE_PROMPT = (
    f"Type s to stop ({CHOICE_LABELS[StartChoice.STOP].lower()}; Enter does this too), "
    f"or g to {CHOICE_LABELS[StartChoice.GO_ON].lower()}: "
)
CHECK_PROMPT = "0 to 10, ! if it is worse, or s to skip: "
REP_KEYS = "Press Enter after each rep. d: the set is done. A number sets the count."

#: The same slack the runner uses, so a countdown standing exactly on a milestone counts as there.
_EPSILON = 1e-9
_SHORTEST_WAIT = 1e-6

Wait = Callable[[float], bool]


class PlainSession(PlainConsole):
    """Runs one guided session on ``stdin``/``stdout`` with ``runner``."""

    def __init__(
        self,
        runner: SessionRunner,
        title: str,
        *,
        clock: Clock,
        wait: Wait,
        stdin: TextIO,
        stdout: TextIO,
        program_id: str | None = None,
        bell: bool = True,
        speak: Callable[[str], None] | None = None,
        notices: Sequence[str] = (),
    ) -> None:
        super().__init__(stdin, stdout, bell, speak)
        self.runner = runner
        self.title = title
        self.clock = clock
        self.wait = wait
        self.program_id = program_id
        self.notices = tuple(notices)
        self._rep_keys_told = False
        self._announced_exercise = 0
        self._minute_bucket: int | None = None

    # Lines out

    def announce(self, cues: list[Cue]) -> None:
        transition = next((cue.text for cue in cues if cue.kind is CueKind.TRANSITION), None)
        # A switch that took no time (or was slept through) comes with the next
        # side's transition; say it first, so the person hears to change sides.
        passed_switches = [cue.text for cue in cues if cue.kind is CueKind.SWITCH_SIDES and cue.text != transition]
        for cue in cues:
            if cue.kind is CueKind.TRANSITION:
                for line in passed_switches:
                    self.say(line, spoken=True)
                self._announce_phase(cue.text)
            elif cue.kind is CueKind.WARNING:
                self.say(str(cue.n), spoken=True)
            elif cue.kind is CueKind.REP:
                self.say(cue.text)
            elif cue.kind is CueKind.STOPPED or cue.kind is CueKind.NOTICE:
                self.say(cue.text, bell=True, spoken=True)

    def _announce_phase(self, instruction: str) -> None:
        phase = self.runner.phase
        self._minute_bucket = None
        count = self.runner.plan.exercise_count
        if phase.exercise_number and phase.exercise_number != self._announced_exercise and count > 1:
            instruction = f"Exercise {phase.exercise_number} of {count}. {instruction}"
        self._announced_exercise = phase.exercise_number or self._announced_exercise
        self.say(instruction, bell=True, spoken=True)
        if phase.kind is PhaseKind.REPS and not phase.tempo_seconds and not self._rep_keys_told:
            self._rep_keys_told = True
            self.say(REP_KEYS)

    # The session

    def run(self) -> int:
        """Guide the whole session; 0 when it ran to its end, 1 when it ended early or was stopped."""
        self.say(SAFETY_NOTICE)
        self.say(self.title)
        for notice in self.notices:
            self.say(notice)
        self.say(self.runner.policy.rule_text())
        try:
            safety, go_on = self.ask_safety()
        except PainWorse as worse:
            self.announce(self.runner.pain_is_worse(program_id=self.program_id, safety=worse.answers))
            return self.end()
        except (QuitRequested, InputClosed, KeyboardInterrupt):
            self.say("Nothing was started.")
            return 1
        cues = self.runner.start(safety, continued_despite_advice=go_on, program_id=self.program_id)
        if self.runner.state is RunnerState.STOPPED:  # the person chose to stop, as advised
            self.runner.finish(None)
            return self.end()
        self.say(KEYS)
        self.announce(cues)
        try:
            self.walk()
        except PainWorse:
            self.announce(self.runner.pain_is_worse())
        except QuitRequested:
            self.runner.quit()
        except InputClosed:
            self.runner.quit("input closed")
            self.say("Input closed, so the session is stopped.")
        except KeyboardInterrupt:
            self.runner.quit("interrupted")
        if self.runner.needs_pain_after:
            self.ask_pain_after()
        return self.end()

    def ask_safety(self) -> tuple[SafetyAnswers, bool]:
        """The three questions; then, when the policy advises against starting, the choice (stop is the default)."""
        pain = self.ask_number("Pain now, 0 to 10: ")
        assert pain is not None
        swollen = self.ask_yes_no("Is the knee swollen? (y/n): ")
        unstable = self.ask_yes_no("Does the knee feel unstable or give way? (y/n): ")
        safety = SafetyAnswers(pain=pain, swollen=swollen, unstable=unstable)
        advice = self.runner.assess_start(safety)
        if not advice.needs_choice:
            return safety, False
        for concern in advice.concerns:
            self.say(f"[{concern.source}] {concern.text}", bell=True, spoken=True)
        while True:
            try:
                text = self.read(CHOICE_PROMPT)
            except PainWorse:
                raise PainWorse(safety) from None  # the answers given are kept with the stop
            except (QuitRequested, InputClosed, KeyboardInterrupt):
                return safety, False  # leaving here is stopping, as advised, and kept as such (as Escape is)
            if text in ("", "s", "stop"):
                return safety, False
            if text in ("g", "go on"):
                return safety, True
            self.say("Please type s to stop, or g to go on.")

    def ask_pain_after(self) -> None:
        """The session ended early: ask the pain now, and let the rule look at it."""
        if self.runner.outcome is not OutcomeKind.ADVISED_STOP:
            self.say(self.runner.check_reminder())
        try:
            pain = self.ask_number("Pain now, " + CHECK_PROMPT, allow_skip=True)
        except PainWorse:
            self.announce(self.runner.pain_is_worse())
            pain = None
        except (QuitRequested, InputClosed, KeyboardInterrupt):
            pain = None
        self.announce(self.runner.finish(pain))

    def walk(self) -> None:
        while self.runner.state is RunnerState.RUNNING:
            phase = self.runner.phase
            if phase.kind is PhaseKind.PAIN_CHECK:
                self.say(self.runner.check_reminder())
                pain = self.ask_number(CHECK_PROMPT, allow_skip=True)
                self.announce(self.runner.answer_pain(pain))
            elif phase.kind is PhaseKind.REPS and not phase.tempo_seconds:
                self.take_rep_input(self.read())
            else:
                self.follow_countdown()

    def end(self) -> int:
        """Say how the session ended, in the runner's words; 0 only for a whole session without a stop."""
        runner = self.runner
        for number, line in enumerate(runner.summary()):
            advised = number == 0 and runner.outcome is OutcomeKind.ADVISED_STOP
            if advised and self.last_said == line:
                continue  # the advice was said the moment the session stopped
            self.say(("STOP. " + line) if advised else line, bell=advised, spoken=advised)
        before = "not given" if runner.pain_before is None else runner.pain_before
        after = "not given" if runner.pain_after is None else runner.pain_after
        self.say(f"Pain before → after: {before} → {after}. {self._kept()}")
        return 0 if runner.outcome is OutcomeKind.COMPLETE else 1

    def _kept(self) -> str:
        blocks = len(self.runner.recorded_blocks)
        done = f"{blocks} block{'' if blocks == 1 else 's'}"
        recorder = self.runner.recorder
        if isinstance(recorder, HistoryStore) and recorder.in_memory_only:
            # Never "recorded" when nothing reached the disk: the person may count on it.
            return f"{done} done, not saved: the history is kept in memory only."
        return f"{done} recorded."

    # Countdowns and reps

    def follow_countdown(self) -> None:
        """Wait until the next milestone of the countdown (or input), then tick."""
        if self.runner.paused:
            self.take_countdown_input(self.read("Paused. Press Enter to go on: ") or "p")
            return
        if self.wait(self._seconds_to_next_milestone()):
            self.take_countdown_input(self.read())
        self.announce(self.runner.tick())
        self._announce_minutes_left()

    def _seconds_to_next_milestone(self) -> float:
        """Seconds until the next thing to say: a 3-2-1 number, a paced rep, a whole minute, the end."""
        phase = self.runner.phase
        remaining = self.runner.remaining() or 0.0
        if remaining <= 0:
            return 0.0
        marks = {0.0}
        if phase.tempo_seconds:
            marks |= {beat * phase.tempo_seconds for beat in range(phase.target_reps or 0)}
        else:
            marks |= set(range(1, self.runner.settings.warning_seconds + 1))
        if phase.kind is PhaseKind.TIMED:
            marks |= {60.0 * minute for minute in range(1, int(remaining // 60) + 1)}
        upcoming = [mark for mark in marks if mark < remaining - _EPSILON]
        # Never ask for a wait so short that adding it to the clock changes nothing.
        return max(remaining - max(upcoming, default=0.0), _SHORTEST_WAIT)

    def _announce_minutes_left(self) -> None:
        """'N min left' each time a timed block enters a new whole minute."""
        remaining = self.runner.remaining()
        if self.runner.phase.kind is not PhaseKind.TIMED or remaining is None:
            return
        bucket = math.ceil((remaining - _EPSILON) / 60)
        if self._minute_bucket is not None and 1 <= bucket < self._minute_bucket:
            self.say(f"{bucket} min left", spoken=True)
        self._minute_bucket = bucket

    def take_countdown_input(self, text: str) -> None:
        if text == "p":
            paused = self.runner.toggle_pause()
            self.say("Paused." if paused else "Going on.")
        elif text == "n":
            self.announce(self.runner.skip())
        elif text == "b":
            self.announce(self.runner.back())
        elif text in ("+", "-"):
            self.announce(self.runner.adjust(ADJUST_SECONDS if text == "+" else -ADJUST_SECONDS))
            self._say_time_left()
        elif text == "i":
            self.say_steps()
        elif text == "":
            self._say_time_left()
        else:
            self.say(KEYS)

    def say_steps(self) -> None:
        """The whole exercise's steps, one line each."""
        exercise = self.runner.phase.exercise
        if exercise is not None:
            self.say(f"{exercise.name}, the steps:")
            for number, step in enumerate(exercise.steps, 1):
                self.say(f"{number}. {step}")

    def _say_time_left(self) -> None:
        remaining = self.runner.remaining()
        if remaining is not None:
            self.say(f"{round(remaining)} s left")

    def take_rep_input(self, text: str) -> None:
        target = self.runner.phase.target_reps or 0
        if text == "":
            self.announce(self.runner.count_rep())
        elif text == "d":
            self.announce(self.runner.complete_reps())
        elif (count := typed_whole_number(text)) is not None and count <= target:
            self.announce(self.runner.set_reps(count))
        elif text == "n":
            self.announce(self.runner.skip())
        elif text == "b":
            self.announce(self.runner.back())
        elif text == "i":
            self.say_steps()
        else:
            self.say(f"{REP_KEYS} The count goes up to {target}. n skips, ! if the pain is worse, q quits.")
