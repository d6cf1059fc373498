"""The history as CSV for a spreadsheet and as JSON for a program, oldest session first.

Timestamps are ISO 8601 in local time with their UTC offset; CSV follows
RFC 4180 (a header row, CRLF line ends, quotes only where needed).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import tzinfo
from typing import Any

from kneetui.engine.recording import BlockKind, BlockRecord
from kneetui.history.days import local_iso
from kneetui.history.records import RecordedSession

CSV_COLUMNS = (
    "session_id",
    "session_start",
    "session_end",
    "program",
    "pain_before",
    "pain_after",
    "stopped_because",
    "exercise",
    "kind",
    "set",
    "side",
    "planned",
    "done",
    "unit",
    "block_start",
    "block_end",
)


def unit_of(kind: BlockKind) -> str:
    """What ``planned`` and ``done`` count for a block of this kind."""
    return "reps" if kind is BlockKind.REPS else "seconds"


def _when(timestamp: float | None, tz: tzinfo | None) -> str:
    return "" if timestamp is None else local_iso(timestamp, tz)


def _blank(value: object) -> object:
    return "" if value is None else value


def history_csv(sessions: Sequence[RecordedSession], tz: tzinfo | None = None) -> str:
    """One row per block, and one row for each session that has no blocks, oldest first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for session in sorted(sessions, key=lambda item: (item.started_at, item.id)):
        about_session = [
            session.id,
            _when(session.started_at, tz),
            _when(session.ended_at, tz),
            _blank(session.program_id),
            _blank(session.pain_before),
            _blank(session.pain_after),
            _blank(session.stop_reason),
        ]
        if not session.blocks:
            writer.writerow(about_session + [""] * (len(CSV_COLUMNS) - len(about_session)))
        for block in session.blocks:
            writer.writerow(
                [
                    *about_session,
                    block.exercise_id,
                    str(block.kind),
                    block.set_number,
                    _blank(block.side),
                    block.planned,
                    block.done,
                    unit_of(block.kind),
                    _when(block.started_at, tz),
                    _when(block.ended_at, tz),
                ]
            )
    return out.getvalue()


def _block_json(block: BlockRecord, tz: tzinfo | None) -> dict[str, Any]:
    return {
        "exercise": block.exercise_id,
        "kind": str(block.kind),
        "set": block.set_number,
        "side": block.side,
        "planned": block.planned,
        "done": block.done,
        "unit": unit_of(block.kind),
        "started_at": _when(block.started_at, tz),
        "ended_at": _when(block.ended_at, tz),
        "plugin": block.plugin,
    }


def history_json(sessions: Sequence[RecordedSession], tz: tzinfo | None = None) -> list[dict[str, Any]]:
    """Every session with its blocks and pain checks nested, oldest first, ready for ``json.dump``."""
    return [
        {
            "id": session.id,
            "started_at": _when(session.started_at, tz),
            "ended_at": _when(session.ended_at, tz) or None,
            "program": session.program_id,
            "exercises": list(session.exercise_ids),
            "pain_before": session.pain_before,
            "pain_after": session.pain_after,
            "swollen": session.swollen,
            "unstable": session.unstable,
            "advised_professional": session.advised_professional,
            "continued_despite_advice": session.continued_despite_advice,
            "stop_reason": session.stop_reason,
            "stopped_at": _when(session.stopped_at, tz) or None,
            "notes": list(session.notes),
            "blocks": [_block_json(block, tz) for block in session.blocks],
            "pain_checks": [
                {"exercise": check.exercise_id, "pain": check.pain, "at": _when(check.at, tz)}
                for check in session.pain_checks
            ],
        }
        for session in sorted(sessions, key=lambda item: (item.started_at, item.id))
    ]
