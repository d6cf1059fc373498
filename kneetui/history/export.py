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
from kneetui.history.adherence import stopped_for_pain
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
    # Added later, so they come last and older readers that count columns keep working.
    "pain_after_exercise",
    "swollen",
    "unstable",
    "advised_professional",
    "continued_despite_advice",
    "stopped_for_pain",
)


def unit_of(kind: BlockKind) -> str:
    """What ``planned`` and ``done`` count for a block of this kind."""
    return "reps" if kind is BlockKind.REPS else "seconds"


def _when(timestamp: float | None, tz: tzinfo | None) -> str:
    return "" if timestamp is None else local_iso(timestamp, tz)


def _blank(value: object) -> object:
    return "" if value is None else value


def _yes_no(value: bool | None) -> str:
    return "" if value is None else "yes" if value else "no"


def history_csv(sessions: Sequence[RecordedSession], tz: tzinfo | None = None) -> str:
    """One row per block, and one row for each session that has no blocks, oldest first.

    ``pain_after_exercise`` is on the last block row of the exercise it was asked
    after; a pain check on an exercise without blocks gets a row of its own. The
    session's answers (swelling, instability, advice) are repeated on each of its rows.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    empty_block = [""] * 9
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
        answers = [
            _yes_no(session.swollen),
            _yes_no(session.unstable),
            _yes_no(session.advised_professional),
            _yes_no(session.continued_despite_advice),
            _yes_no(stopped_for_pain(session)),
        ]
        checks = {check.exercise_id: check.pain for check in session.pain_checks}
        last_block_of = {block.exercise_id: index for index, block in enumerate(session.blocks)}
        if not session.blocks and not checks:
            writer.writerow([*about_session, *empty_block, "", *answers])
        for index, block in enumerate(session.blocks):
            check = checks.get(block.exercise_id) if last_block_of[block.exercise_id] == index else None
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
                    _blank(check),
                    *answers,
                ]
            )
        for pain_check in session.pain_checks:
            if pain_check.exercise_id not in last_block_of:
                writer.writerow([*about_session, pain_check.exercise_id, *empty_block[1:], pain_check.pain, *answers])
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
            "stopped_for_pain": stopped_for_pain(session),
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
