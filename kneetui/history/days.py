"""Calendar days from timestamps, and streaks of days in a row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta, tzinfo


def local_day(timestamp: float, tz: tzinfo | None = None) -> date:
    """The calendar day of ``timestamp`` in ``tz`` (the system's local time when ``None``)."""
    return datetime.fromtimestamp(timestamp, tz).date()


def local_iso(timestamp: float, tz: tzinfo | None = None) -> str:
    """``timestamp`` as ISO 8601 with its UTC offset, e.g. ``2026-01-01T09:30:00+01:00``."""
    moment = datetime.fromtimestamp(timestamp, tz)
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def streak(days: Iterable[date], today: date) -> int:
    """How many days in a row end today, or yesterday when today has not been done yet.

    A streak that ended before yesterday is over, so it counts 0.
    """
    done = set(days)
    day = today if today in done else today - timedelta(days=1)
    count = 0
    while day in done:
        count += 1
        day -= timedelta(days=1)
    return count
