"""What the history gives back: plain, frozen rows that the UI, exports and progression read."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from kneetui.content.model import Dose
from kneetui.engine.recording import BlockKind, BlockRecord
from kneetui.engine.safety import is_advised_stop, is_pain_stop, is_start_advice


@dataclass(frozen=True)
class PainCheck:
    """A pain score (0–10) taken after an exercise."""

    exercise_id: str
    pain: int
    at: float


@dataclass(frozen=True)
class RecordedSession:
    """One session as the history keeps it, with its blocks and pain checks in the order done.

    ``swollen`` and ``unstable`` are ``None`` when the safety questions were not asked.
    ``ended_at`` is ``None`` for a session that never finished (stopped, or the app was killed).
    """

    id: int
    started_at: float
    ended_at: float | None
    program_id: str | None
    exercise_ids: tuple[str, ...]
    pain_before: int | None
    swollen: bool | None
    unstable: bool | None
    advised_professional: bool
    continued_despite_advice: bool
    pain_after: int | None
    stop_reason: str | None
    stopped_at: float | None
    notes: tuple[str, ...] = ()
    blocks: tuple[BlockRecord, ...] = ()
    pain_checks: tuple[PainCheck, ...] = ()
    stop_acknowledged_at: float | None = None

    @property
    def pain_change(self) -> int | None:
        """Pain after minus pain before, when both were given."""
        if self.pain_before is None or self.pain_after is None:
            return None
        return self.pain_after - self.pain_before

    @property
    def finished(self) -> bool:
        return self.ended_at is not None and self.stop_reason is None

    @property
    def stopped_for_pain(self) -> bool:
        """The pain got worse: the person pressed ! or a check rose above the start."""
        return is_pain_stop(self.stop_reason)

    @property
    def advised_before_start(self) -> bool:
        """Whether the checks before this session advised a professional first: for swelling or
        instability, a high starting pain or a stop for pain last time; gone on with or not."""
        return self.advised_professional or self.continued_despite_advice or is_start_advice(self.stop_reason)

    @property
    def advised_stop(self) -> bool:
        """The session ended with the advice to consult a healthcare professional."""
        return is_advised_stop(self.stop_reason)

    def blocks_of(self, exercise_id: str) -> tuple[BlockRecord, ...]:
        return tuple(block for block in self.blocks if block.exercise_id == exercise_id)


@dataclass(frozen=True)
class PainPoint:
    """Pain before and after one session, for a chart."""

    session_id: int
    started_at: float
    before: int | None
    after: int | None


@dataclass(frozen=True)
class ExerciseTotals:
    """How much of one exercise has been done, over the whole history.

    ``reps`` counts reps blocks; ``seconds`` counts hold and timed blocks.
    """

    exercise_id: str
    sessions: int
    blocks: int
    reps: int
    seconds: int
    last_done_at: float


def dose_of_blocks(blocks: Iterable[BlockRecord]) -> Dose | None:
    """The dose that was planned for one exercise in one session, read from its blocks.

    The last planned value of each kind wins, and ``sets`` is the highest set
    number; a timed block's planned seconds become whole minutes. ``None`` when
    there are no blocks.
    """
    planned: dict[BlockKind, int] = {}
    sets = 0
    for block in blocks:
        planned[block.kind] = block.planned
        sets = max(sets, block.set_number)
    if not planned:
        return None
    timed = planned.get(BlockKind.TIMED)
    return Dose(
        hold_seconds=planned.get(BlockKind.HOLD),
        reps=planned.get(BlockKind.REPS),
        sets=max(sets, 1),
        duration_minutes=None if timed is None else max(1, round(timed / 60)),
    )
