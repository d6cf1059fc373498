"""What a session screen shows when the session is over: the runner's words, then what was recorded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.content import Content

from kneetui.engine.session import OutcomeKind, RunnerState, SessionRunner
from kneetui.history.records import RecordedSession
from kneetui.tui.literal import bullets, heading, labelled


def block_line(name: str, kind: str, side: str | None, done: int, planned: int) -> str:
    """'Wall slides: reps, 10 of 10 reps', 'Sitting adductor stretch: hold left, 15 of 15 s' or
    'Gentle cycling: timed, 0:08 of 10:00'."""
    if kind == "reps":
        amount = f"{done} of {planned} reps"
    elif planned >= 60:
        amount = f"{done // 60}:{done % 60:02d} of {planned // 60}:{planned % 60:02d}"
    else:
        amount = f"{done} of {planned} s"
    return f"{name}: {kind}" + (f" {side}" if side else "") + f", {amount}"


def plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def session_summary(
    runner: SessionRunner | None,
    recorded: RecordedSession | None,
    names: Mapping[str, str],
    extra: Sequence[str] = (),
) -> Content:
    """The outcome first (after a stop with advice, the advice, marked STOP), then pain and blocks."""
    parts: list[Content] = []
    if runner is not None and runner.state is not RunnerState.NOT_STARTED:
        first, *rest = runner.summary()
        advised = runner.outcome is OutcomeKind.ADVISED_STOP
        parts.append(Content.assemble(("STOP. ", "bold reverse"), (first, "bold")) if advised else heading(first))
        parts += [Content(line) for line in rest]
    parts += [Content(line) for line in extra]
    if recorded is not None:
        before = "-" if recorded.pain_before is None else str(recorded.pain_before)
        after = "-" if recorded.pain_after is None else str(recorded.pain_after)
        parts.append(labelled("Pain before → after", f"{before} → {after}"))
        lines = [
            block_line(
                names.get(block.exercise_id, block.exercise_id), block.kind, block.side, block.done, block.planned
            )
            for block in recorded.blocks
        ]
        parts.append(labelled("Recorded", plural(len(lines), "block")))
        if lines:
            parts.append(bullets(lines))
    parts.append(Content.assemble(("Press Escape to go home.", "bold")))
    if runner is not None and runner.outcome is not OutcomeKind.ADVISED_STOP:
        parts.append(Content("If the pain gets worse later, press ! to record it."))
    return Content("\n").join(parts)
