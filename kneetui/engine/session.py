"""The session state machine: walks a plan phase by phase, records as it goes, stops when told to.

It never waits. The UI calls :meth:`SessionRunner.tick` often (4–10 times a
second) and the person's actions as they happen; each returns the
:class:`~kneetui.engine.cues.Cue` objects to announce.

Every countdown ends on its deadline, and the next phase starts from that
deadline rather than from the (later) tick that noticed it, so a whole
session keeps to the plan however irregularly it is ticked.
"""

from __future__ import annotations

import math
from enum import StrEnum
from itertools import accumulate

from kneetui.engine.clock import Clock
from kneetui.engine.cues import Cue, CueKind
from kneetui.engine.plan import Phase, PhaseKind, Plan
from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionRecorder, SessionStart
from kneetui.engine.safety import (
    GOING_ON_NOTE,
    REASON_PAIN_WORSE,
    REASON_QUIT,
    STOP_ADVICE,
    PreviousStop,
    SafetyPolicy,
    StartAdvice,
    check_pain,
    describe_stop,
    is_advised_stop,
    is_pain_stop,
)
from kneetui.engine.settings import RunnerSettings
from kneetui.engine.timer import CountdownTimer

#: A phase that has run at least this long is restarted by :meth:`SessionRunner.back`;
#: a younger one sends the person to the phase before it.
BACK_RESTART_SECONDS = 3.0

#: Floating point slack, so that a countdown standing exactly on 3.0 s reads as 3.
_EPSILON = 1e-9

_BLOCK_KINDS = {PhaseKind.HOLD: BlockKind.HOLD, PhaseKind.REPS: BlockKind.REPS, PhaseKind.TIMED: BlockKind.TIMED}


class RunnerState(StrEnum):
    NOT_STARTED = "not started"
    RUNNING = "running"
    #: Every phase is behind but the pain afterwards is not known; the UI asks it and calls finish().
    DONE = "done"
    #: Ended early, by the stop rule or by quitting; see ``stop_reason``. The UI asks the pain
    #: now and calls finish().
    STOPPED = "stopped"
    FINISHED = "finished"


class OutcomeKind(StrEnum):
    """How a session ended, for the summary every front end shows."""

    COMPLETE = "complete"
    #: Stopped by the safety policy, with the advice to consult a professional.
    ADVISED_STOP = "advised stop"
    ENDED_EARLY = "ended early"


#: Said, and recorded, when the pain is worse before the session has started.
WORSE_BEFORE_START_NOTE = "You said the pain was worse before the session started, so nothing was started."


def skipped_check_text(pain_before: int | None, after_the_end: bool = False) -> str:
    """What the person is told when a pain check, or the pain after the session, is not given."""
    start = "" if pain_before is None else f" with your starting {pain_before}"
    what, then = (
        ("Pain after the session not given", "stop and consult a healthcare professional")
        if after_the_end
        else ("Pain check skipped", "press ! now")
    )
    return (
        f"{what}: the stop rule could not compare your pain{start}. If the pain is worse than when you started, {then}."
    )


#: Kept in the history when the pain after a session was asked and not given.
SKIPPED_AFTER_NOTE = "pain after the session not given"


class SessionRunner:
    """Walks ``plan`` on ``clock``, reporting to ``recorder`` as each block completes."""

    def __init__(
        self,
        plan: Plan,
        clock: Clock,
        recorder: SessionRecorder,
        settings: RunnerSettings = RunnerSettings(),
        previous_stop: PreviousStop | None = None,
    ) -> None:
        self.plan = plan
        self.clock = clock
        self.recorder = recorder
        self.settings = settings
        #: Every safety decision of this session is the policy's.
        self.policy = SafetyPolicy(settings.pain_tolerance)
        #: The last session's stop, when it came with the advice to consult a professional.
        self.previous_stop = previous_stop
        #: What the person was told about their safety during the session, in order (skipped checks...).
        self.notes: list[str] = []
        self.pain_after: int | None = None
        self.state = RunnerState.NOT_STARTED
        self.session_id: int | None = None
        self.stop_reason: str | None = None
        self.pain_before: int | None = None
        self.paused = False
        self.recorded_blocks: list[BlockRecord] = []
        self._weight_before = list(accumulate((phase.weight for phase in plan.phases), initial=0.0))
        self._first_phase_of: dict[int, int] = {}
        self._last_phase_of: dict[int, int] = {}
        for index, phase in enumerate(plan.phases):
            if phase.exercise_number:
                self._first_phase_of.setdefault(phase.exercise_number, index)
                self._last_phase_of[phase.exercise_number] = index
        self._index = 0
        self._timer: CountdownTimer | None = None
        self._phase_started_at = clock.now()
        self._phase_started_wall = clock.wall()
        self._counted_reps = 0
        self._last_warning: int | None = None
        self._last_rep_cue = 0

    # What the UI shows

    @property
    def phase(self) -> Phase:
        return self.plan.phases[self._index]

    @property
    def next_phase(self) -> Phase | None:
        following = self._index + 1
        return self.plan.phases[following] if following < len(self.plan.phases) else None

    @property
    def reps_done(self) -> int:
        phase = self.phase
        if phase.tempo_seconds and self._timer is not None:
            paced = int(self._timer.elapsed() / phase.tempo_seconds + _EPSILON)
            return min(phase.target_reps or 0, paced)
        return self._counted_reps

    def remaining(self) -> float | None:
        """Seconds left of the current countdown; None when the phase does not count down."""
        return self._timer.remaining() if self._timer is not None else None

    def phase_progress(self) -> float:
        """How far through the current phase, 0 to 1 (a timed block's progress bar)."""
        phase = self.phase
        if self._timer is not None:
            return self._timer.elapsed() / self._timer.duration if self._timer.duration else 1.0
        if phase.kind is PhaseKind.REPS and phase.target_reps:
            return self.reps_done / phase.target_reps
        return 1.0 if phase.kind is PhaseKind.DONE else 0.0

    def progress(self) -> float:
        """How far through the session, 0 to 1: each exercise an equal share, as a person counts
        them ("exercise 2 of 6"), and within an exercise by its planned time."""
        count = self.plan.exercise_count
        phase = self.phase
        if self.state in (RunnerState.DONE, RunnerState.FINISHED) and self.stop_reason is None:
            return 1.0
        if count == 0 or phase.kind is PhaseKind.DONE:
            return 1.0 if count else 0.0
        number = phase.exercise_number
        first = self._first_phase_of[number]
        total = self._weight_before[self._last_phase_of[number] + 1] - self._weight_before[first]
        if phase.kind is PhaseKind.PAIN_CHECK or not total:
            within = 1.0 if phase.kind is PhaseKind.PAIN_CHECK else 0.0
        else:
            within = (
                self._weight_before[self._index] - self._weight_before[first] + phase.weight * self.phase_progress()
            ) / total
        return min(1.0, (number - 1 + within) / count)

    def check_reminder(self) -> str:
        """The line every pain check shows: the starting score and the rule in force."""
        return self.policy.check_reminder(self.pain_before)

    @property
    def outcome(self) -> OutcomeKind:
        """How the session ended (or would end now)."""
        if is_advised_stop(self.stop_reason):
            return OutcomeKind.ADVISED_STOP
        if self.stop_reason is not None:
            return OutcomeKind.ENDED_EARLY
        return OutcomeKind.COMPLETE

    def summary(self) -> list[str]:
        """What every front end says when the session is over, first line first.

        After a stop that came with advice, the first line is that advice.
        """
        if self.outcome is OutcomeKind.ADVISED_STOP:
            lines = [STOP_ADVICE, describe_stop(self.stop_reason)]
        elif self.outcome is OutcomeKind.ENDED_EARLY:
            lines = [describe_stop(self.stop_reason)]
        else:
            lines = ["Session complete. Well done."]
        return lines + self.notes

    @property
    def needs_pain_after(self) -> bool:
        """True when the session is over and the pain afterwards is to be asked, then finish() called."""
        return self.state in (RunnerState.DONE, RunnerState.STOPPED)

    @property
    def last_check_is_the_end(self) -> bool:
        """True while the current pain check is the last one, so it doubles as the pain after the session."""
        following = self.next_phase
        return self.phase.kind is PhaseKind.PAIN_CHECK and following is not None and following.kind is PhaseKind.DONE

    # The session's life

    def assess_start(self, safety: SafetyAnswers) -> StartAdvice:
        """What the policy advises after the checks before the session; the UI shows it and asks."""
        return self.policy.assess_start(safety, self.previous_stop)

    def start(
        self,
        safety: SafetyAnswers | None = None,
        continued_despite_advice: bool = False,
        program_id: str | None = None,
    ) -> list[Cue]:
        """Record the start of the session and enter its first phase.

        When the policy advises against starting (:meth:`assess_start`), the session starts
        only if the person chose to go on (``continued_despite_advice``); otherwise it is
        recorded as stopped with that advice.
        """
        if self.state is not RunnerState.NOT_STARTED:
            raise RuntimeError("this session has already started")
        advice = self.assess_start(safety) if safety is not None else None
        going_on = advice is not None and advice.needs_choice and continued_despite_advice
        now = self.clock.now()
        session_id = self._record_start(
            safety,
            program_id,
            notes=(advice.note_for_going_on(),) if going_on and advice is not None else (),
            continued_despite_advice=going_on,
        )
        if advice is not None and advice.needs_choice and not going_on:
            self.state = RunnerState.STOPPED
            self.recorder.record_stop(session_id, advice.stop_reason, self.clock.wall())
            self.stop_reason = advice.stop_reason
            return [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
        self.state = RunnerState.RUNNING
        self._enter(0, now)
        cues = []
        if going_on:
            self.notes.append(GOING_ON_NOTE)
            cues.append(Cue(CueKind.NOTICE, text=GOING_ON_NOTE))
        return cues + self._entry_cues()

    def tick(self) -> list[Cue]:
        """Move past every countdown that has ended and return what to announce now.

        When one tick passes several phases (the UI was busy or asleep), their
        blocks are all recorded but only the phase now current is announced.
        """
        if self.state is not RunnerState.RUNNING or self.paused:
            return []
        entered: list[Phase] = []
        last_rep: list[Cue] = []
        while self.state is RunnerState.RUNNING and self._timer is not None and self._timer.expired:
            target = self.phase.target_reps or 0
            if not entered and self.phase.tempo_seconds and self._last_rep_cue < target:
                # Paced reps end with their last beat: that count is said too, before what comes next.
                last_rep = [Cue(CueKind.REP, n=target, text=f"{target} of {target}")]
            ended_at = self._timer.deadline
            assert ended_at is not None  # a running (unpaused) countdown has a deadline
            self._record_completed(ended_at)
            self._enter(self._index + 1, ended_at)
            entered.append(self.phase)
        if not entered:
            return self._countdown_cues()
        cues = last_rep + self._entry_cues()
        if CueKind.SWITCH_SIDES not in (cue.kind for cue in cues) and any(
            phase.kind is PhaseKind.SWITCH_SIDES for phase in entered
        ):
            # A switch passed over (it took no time, or the UI was asleep) is still said.
            cues.append(Cue(CueKind.SWITCH_SIDES, text=_switch_instruction(entered)))
        return cues + self._countdown_cues()

    def finish(self, pain_after: int | None) -> list[Cue]:
        """Record the end of the session and the pain afterwards; the rule looks at it too.

        Finishing a session that is still running quits it first. A rise at the end
        stops the session with the article's advice, as a rise during it would.
        """
        if pain_after is not None:
            check_pain(pain_after)
        if self.state is RunnerState.FINISHED:
            return []
        if self.state is RunnerState.RUNNING:
            self.quit()
        if self.state not in (RunnerState.DONE, RunnerState.STOPPED):
            raise RuntimeError(f"cannot finish a session that is {self.state}")
        cues: list[Cue] = []
        if pain_after is not None and not is_pain_stop(self.stop_reason):
            where = "at the end" if self.stop_reason is None else "after the session ended early"
            verdict = self.policy.judge(self.pain_before, pain_after, where)
            if verdict.stop:
                self._record_stop_reason(verdict.reason)
                cues.append(Cue(CueKind.STOPPED, text=STOP_ADVICE))
        elif pain_after is None and not is_advised_stop(self.stop_reason) and self.session_id is not None:
            # The pain afterwards was asked (no advice to stop was given) and not given: said and kept.
            self.notes.append(skipped_check_text(self.pain_before, after_the_end=True))
            self.recorder.record_note(self.session_id, SKIPPED_AFTER_NOTE, self.clock.wall())
        self._close(pain_after)
        return cues

    # What the person does

    def toggle_pause(self) -> bool:
        """Pause or resume; returns whether the session is now paused."""
        if self.state is not RunnerState.RUNNING:
            return self.paused
        self.paused = not self.paused
        if self._timer is not None:
            if self.paused:
                self._timer.pause()
            else:
                self._timer.resume()
        return self.paused

    def count_rep(self) -> list[Cue]:
        """One more rep of a self-counted set; the set completes at its target."""
        return self.set_reps(self._counted_reps + 1)

    def complete_reps(self) -> list[Cue]:
        """The person says the whole set is done."""
        return self.set_reps(self.phase.target_reps or 0)

    def set_reps(self, count: int) -> list[Cue]:
        """Set the count of a self-counted set (e.g. typed in); reaching the target completes it."""
        phase = self.phase
        if self.state is not RunnerState.RUNNING or phase.kind is not PhaseKind.REPS or phase.tempo_seconds:
            return []
        target = phase.target_reps or 0
        self._counted_reps = max(0, min(target, count))
        cues = [Cue(CueKind.REP, n=self._counted_reps, text=f"{self._counted_reps} of {target}")]
        if self._counted_reps < target:
            return cues
        now = self.clock.now()
        self._record_completed(now)
        self._enter(self._index + 1, now)
        return cues + self._entry_cues()

    def skip(self) -> list[Cue]:
        """Move on now. Work already done in this block is recorded as a shorter block.

        A pain check is never skipped this way: a key meant for the countdown that arrives
        as the check begins must not pass it. Skipping a check is its own answer, said and
        recorded: ``answer_pain(None)``.
        """
        if self.state is not RunnerState.RUNNING or self.phase.kind is PhaseKind.PAIN_CHECK:
            return []
        self._record_partial()
        self._enter(self._index + 1, self.clock.now())
        return self._entry_cues()

    def skip_to_pain_check(self) -> list[Cue]:
        """Jump to the current exercise's pain check without recording the phases passed.

        Used when a plug-in's own screen guided the exercise and recorded its own blocks.
        """
        if self.state is not RunnerState.RUNNING or self.phase.exercise is None:
            return []
        exercise_number = self.phase.exercise_number
        target = self._index
        while (
            self.plan.phases[target].kind is not PhaseKind.PAIN_CHECK
            and self.plan.phases[target].exercise_number == exercise_number
            and self.plan.phases[target].kind is not PhaseKind.DONE
        ):
            target += 1
        self.paused = False
        self._enter(target, self.clock.now())
        return self._entry_cues()

    def back(self) -> list[Cue]:
        """Restart the current phase; if it began less than BACK_RESTART_SECONDS ago
        (and no rep was counted), go back to the start of the phase before it.

        The interrupted attempt is not recorded: the person is doing it again.
        """
        if self.state is not RunnerState.RUNNING:
            return []
        target = self._index - 1 if self._just_started() and self._index > 0 else self._index
        self._enter(target, self.clock.now())
        return self._entry_cues()

    def adjust(self, seconds: float) -> list[Cue]:
        """Add or take away seconds from the current countdown (not from paced reps)."""
        if self.state is not RunnerState.RUNNING or self._timer is None or self.phase.tempo_seconds:
            return []
        self._timer.adjust(seconds)
        if self._last_warning is not None and self._seconds_left() > self._last_warning:
            self._last_warning = None  # given more time, the 3-2-1 comes again
        return self.tick()

    def answer_pain(self, pain: int | None) -> list[Cue]:
        """The answer to a pain check (0–10), or None when the person skips it.

        The policy decides whether the score stops the session. The last check is
        also the pain after the session. A skipped check is recorded and said: the
        rule could not look, and the person is reminded of ``!``.
        """
        if pain is not None:
            check_pain(pain)
        phase = self.phase
        if self.state is not RunnerState.RUNNING or phase.kind is not PhaseKind.PAIN_CHECK:
            raise RuntimeError("no pain check is being asked")
        assert self.session_id is not None and phase.exercise is not None
        cues: list[Cue] = []
        if pain is None:
            text = skipped_check_text(self.pain_before)
            self.notes.append(text)
            note = f"pain check after {phase.exercise.name} skipped"
            self.recorder.record_note(self.session_id, note, self.clock.wall())
            cues.append(Cue(CueKind.NOTICE, text=text))
        else:
            self.recorder.record_pain_check(self.session_id, phase.exercise.id, pain, self.clock.wall())
            verdict = self.policy.judge(self.pain_before, pain, f"after {phase.exercise.name}")
            if verdict.stop:
                # The score that stopped the session is the pain after it: asked once.
                cues = self._stop(verdict.reason, advise=True)
                self._close(pain)
                return cues
        last = self.last_check_is_the_end
        self._enter(self._index + 1, self.clock.now())
        if last:
            self._close(pain)
            return cues
        return cues + self._entry_cues()

    def pain_is_worse(self, program_id: str | None = None, safety: SafetyAnswers | None = None) -> list[Cue]:
        """The person says the pain is worse: stop at once, whatever the phase, even after the end.

        Said before the session started (during the checks), the session is recorded as one that
        stopped with the advice before anything was done, for the programme ``program_id``; the
        next session's start sees that stop as it sees any other.
        """
        if self.state is RunnerState.NOT_STARTED:
            # The answers already given (the advice was being shown) are kept with the stop.
            self._record_start(safety, program_id, notes=(WORSE_BEFORE_START_NOTE,))
            self.notes.append(WORSE_BEFORE_START_NOTE)
            self._record_stop_reason(REASON_PAIN_WORSE)
            self._close(None)
            return [Cue(CueKind.STOPPED, text=STOP_ADVICE)]
        if not is_pain_stop(self.stop_reason):
            if self.state in (RunnerState.RUNNING, RunnerState.DONE):
                return self._stop(REASON_PAIN_WORSE, advise=True)
            self._record_stop_reason(REASON_PAIN_WORSE)
        return [Cue(CueKind.STOPPED, text=STOP_ADVICE)]

    def quit(self, reason: str = REASON_QUIT) -> list[Cue]:
        """End the session early; everything recorded so far is kept."""
        if self.state not in (RunnerState.RUNNING, RunnerState.DONE):
            return []
        return self._stop(reason, advise=False)

    # Inside

    def _record_start(
        self,
        safety: SafetyAnswers | None,
        program_id: str | None,
        notes: tuple[str, ...],
        continued_despite_advice: bool = False,
    ) -> int:
        """Record the start of the session (the answers before it, if any) and return its id."""
        self.pain_before = safety.pain if safety is not None else None
        self.session_id = session_id = self.recorder.start_session(
            SessionStart(
                started_at=self.clock.wall(),
                program_id=program_id,
                exercise_ids=self.plan.exercise_ids,
                safety=safety,
                continued_despite_advice=continued_despite_advice,
                notes=notes,
            )
        )
        return session_id

    def _enter(self, index: int, started_at: float) -> None:
        self._index = index
        phase = self.phase
        self._counted_reps = 0
        self._last_warning = None
        self._last_rep_cue = 0
        self._phase_started_at = started_at
        self._phase_started_wall = self._wall_at(started_at)
        self._timer = CountdownTimer(self.clock, phase.seconds, started_at) if phase.seconds is not None else None
        if self._timer is not None and self.paused:
            self._timer.pause()
        if phase.kind is PhaseKind.DONE:
            self.state = RunnerState.DONE
            self.paused = False

    def _entry_cues(self) -> list[Cue]:
        phase = self.phase
        cues = [Cue(CueKind.TRANSITION, text=phase.instruction)]
        if phase.kind is PhaseKind.SWITCH_SIDES:
            cues.append(Cue(CueKind.SWITCH_SIDES, text=phase.instruction))
        return cues

    def _seconds_left(self) -> int:
        assert self._timer is not None
        return math.ceil(self._timer.remaining() - _EPSILON)

    def _countdown_cues(self) -> list[Cue]:
        """The 3-2-1 of a countdown, or the count of paced reps; each number once, only the latest."""
        timer = self._timer
        if timer is None or timer.expired:
            return []
        if self.phase.tempo_seconds:
            done = self.reps_done
            if done > self._last_rep_cue:
                self._last_rep_cue = done
                return [Cue(CueKind.REP, n=done, text=f"{done} of {self.phase.target_reps}")]
            return []
        left = self._seconds_left()
        due = left <= self.settings.warning_seconds and left < timer.duration
        if due and (self._last_warning is None or left < self._last_warning):
            self._last_warning = left
            return [Cue(CueKind.WARNING, n=left)]
        return []

    def _just_started(self) -> bool:
        if self._counted_reps:
            return False
        ran = self._timer.elapsed() if self._timer is not None else self.clock.now() - self._phase_started_at
        return ran < BACK_RESTART_SECONDS

    def _wall_at(self, moment: float) -> float:
        """The wall-clock time of a ``clock.now()`` moment."""
        return self.clock.wall() - (self.clock.now() - moment)

    def _record_completed(self, ended_at: float) -> None:
        phase = self.phase
        if not phase.is_work:
            return
        if phase.kind is PhaseKind.REPS:
            done = (phase.target_reps or 0) if phase.tempo_seconds else self._counted_reps
        else:
            assert self._timer is not None
            done = round(self._timer.duration)
        self._record(done, ended_at)

    def _record_partial(self) -> None:
        """Record the block in progress if anything of it was done."""
        phase = self.phase
        if not phase.is_work:
            return
        if phase.kind is PhaseKind.REPS:
            done = self.reps_done
        else:
            assert self._timer is not None
            done = int(self._timer.elapsed())
        if done > 0:
            self._record(done, self.clock.now())

    def _record(self, done: int, ended_at: float) -> None:
        phase = self.phase
        assert self.session_id is not None and phase.exercise is not None
        block = BlockRecord(
            exercise_id=phase.exercise.id,
            kind=_BLOCK_KINDS[phase.kind],
            set_number=phase.set_number,
            side=phase.side,
            planned=phase.planned_amount,
            done=done,
            started_at=self._phase_started_wall,
            ended_at=self._wall_at(ended_at),
        )
        self.recorder.record_block(self.session_id, block)
        self.recorded_blocks.append(block)

    def _stop(self, reason: str, advise: bool) -> list[Cue]:
        if self.state is RunnerState.RUNNING:
            self._record_partial()
        if self._timer is not None:
            self._timer.pause()  # the display freezes where the session stopped
        self._record_stop_reason(reason)
        self.state = RunnerState.STOPPED
        self.paused = False
        return [Cue(CueKind.STOPPED, text=STOP_ADVICE)] if advise else []

    def _record_stop_reason(self, reason: str) -> None:
        if self.session_id is not None:
            self.recorder.record_stop(self.session_id, reason, self.clock.wall())
        self.stop_reason = reason

    def _close(self, pain_after: int | None) -> None:
        self.pain_after = pain_after
        if self.session_id is not None:
            self.recorder.finish_session(self.session_id, pain_after, self.clock.wall())
        self.state = RunnerState.FINISHED


def _switch_instruction(phases: list[Phase]) -> str:
    return next(phase.instruction for phase in reversed(phases) if phase.kind is PhaseKind.SWITCH_SIDES)
