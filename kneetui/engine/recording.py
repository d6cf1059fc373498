"""The interface between a running session and the history that keeps it.

The session runner calls a :class:`SessionRecorder` as things happen, so a
crash or a kill loses at most the block in progress.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class BlockKind(StrEnum):
    """What one completed block was."""

    HOLD = "hold"
    REPS = "reps"
    TIMED = "timed"


@dataclass(frozen=True)
class SafetyAnswers:
    """The checks before a session: pain now (0–10) and the two red-flag questions."""

    pain: int
    swollen: bool
    unstable: bool

    @property
    def advised_professional(self) -> bool:
        """A yes to either question means kneetui advised a professional evaluation."""
        return self.swollen or self.unstable


@dataclass(frozen=True)
class BlockRecord:
    """One completed set, side or timed block of an exercise.

    ``planned`` and ``done`` are seconds for holds and timed blocks, reps for reps.
    """

    exercise_id: str
    kind: BlockKind
    set_number: int
    side: str | None
    planned: int
    done: int
    started_at: float
    ended_at: float
    plugin: str = ""


@dataclass(frozen=True)
class SessionStart:
    """What is known when a session starts."""

    started_at: float
    program_id: str | None
    exercise_ids: tuple[str, ...]
    safety: SafetyAnswers | None = None
    continued_despite_advice: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)


class SessionRecorder(Protocol):
    """Where a session's progress goes, block by block."""

    def start_session(self, start: SessionStart) -> int:
        """Record a new session and return its id."""
        ...

    def record_block(self, session_id: int, block: BlockRecord) -> None:
        """Record one completed block, durably, before returning."""
        ...

    def record_pain_check(self, session_id: int, exercise_id: str, pain: int, at: float) -> None:
        """Record a pain score (0–10) taken after an exercise."""
        ...

    def record_stop(self, session_id: int, reason: str, at: float) -> None:
        """Record that the session was stopped early, and why."""
        ...

    def finish_session(self, session_id: int, pain_after: int | None, ended_at: float) -> None:
        """Record the end of a session and the pain afterwards (None if not given)."""
        ...

    def record_note(self, session_id: int, note: str, at: float) -> None:
        """Keep a line about the session, e.g. that a pain check was skipped."""
        ...


class MemoryRecorder:
    """A recorder that keeps everything in lists; for tests and for a session with no history."""

    def __init__(self) -> None:
        self.sessions: dict[int, dict[str, object]] = {}
        self.blocks: list[tuple[int, BlockRecord]] = []
        self.pain_checks: list[tuple[int, str, int]] = []
        self.stops: list[tuple[int, str]] = []
        self.notes: list[tuple[int, str]] = []

    def start_session(self, start: SessionStart) -> int:
        session_id = len(self.sessions) + 1
        self.sessions[session_id] = {"start": start, "pain_after": None, "ended_at": None}
        return session_id

    def record_block(self, session_id: int, block: BlockRecord) -> None:
        self.blocks.append((session_id, block))

    def record_pain_check(self, session_id: int, exercise_id: str, pain: int, at: float) -> None:
        self.pain_checks.append((session_id, exercise_id, pain))

    def record_stop(self, session_id: int, reason: str, at: float) -> None:
        self.stops.append((session_id, reason))

    def finish_session(self, session_id: int, pain_after: int | None, ended_at: float) -> None:
        self.sessions[session_id].update(pain_after=pain_after, ended_at=ended_at)

    def record_note(self, session_id: int, note: str, at: float) -> None:
        self.notes.append((session_id, note))
