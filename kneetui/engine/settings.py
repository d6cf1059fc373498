"""The few numbers that shape a guided session: countdown lengths, pacing and the stop rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kneetui.storage.config import Settings


@dataclass(frozen=True)
class RunnerSettings:
    """How a session is paced and when it stops.

    ``tempo_seconds`` paces reps: one rep is counted every ``tempo_seconds``
    instead of the person counting them. ``warning_seconds`` = 0 turns the
    3-2-1 warnings off.
    """

    get_ready_seconds: int = 5
    rest_seconds: int = 30
    #: How far pain may rise above the start before the session stops; 0 is the article's rule.
    pain_tolerance: int = 0
    warning_seconds: int = 3
    tempo_seconds: float | None = None

    def __post_init__(self) -> None:
        if self.tempo_seconds is not None and self.tempo_seconds <= 0:
            raise ValueError("a tempo must be a positive number of seconds per rep")

    @classmethod
    def from_settings(cls, settings: Settings, tempo_seconds: float | None = None) -> RunnerSettings:
        """The runner settings that follow what the person chose in Settings."""
        return cls(
            get_ready_seconds=settings.get_ready_seconds,
            rest_seconds=settings.rest_seconds,
            pain_tolerance=settings.pain_rise_tolerance,
            warning_seconds=3 if settings.countdown_warning else 0,
            tempo_seconds=tempo_seconds,
        )
