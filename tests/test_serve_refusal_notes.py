"""The paths a patient's kneetui refused, read from its pipe into the audit log.

The patient's kneetui writes one ``purpose<TAB>reason<TAB>path`` line per refused path; the
patient chooses those bytes, so the server takes only known purposes and reasons, quotes and
cuts the path, keeps at most a bounded partial line, and never stops reading on bad bytes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

from kneetui.serve.ssh_server import MAX_REFUSAL_LINES, RefusalNotes

WAIT = 20.0


@dataclass
class Patient:
    host: str = "192.0.2.7"
    port: int = 50123
    user: str = "anna"


class Audit:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def event(self, what: str, host: str, port: int, **fields: object) -> None:
        self.lines.append(" ".join([what, f"peer={host}", f"port={port}", *(f"{k}={v}" for k, v in fields.items())]))


async def audited(audit: Audit, count: int) -> list[str]:
    async with asyncio.timeout(WAIT):
        while len(audit.lines) < count:
            await asyncio.sleep(0.01)
    return audit.lines


async def notes_on_a_pipe() -> tuple[RefusalNotes, int, Audit]:
    read_end, write_end = os.pipe()
    audit = Audit()
    return RefusalNotes(read_end, Patient(), audit), write_end, audit  # type: ignore[arg-type]


@contextlib.asynccontextmanager
async def reading_refusals() -> AsyncIterator[tuple[RefusalNotes, int, Audit]]:
    """Notes reading a pipe whose writing end (kneetui's) is given; both closed at the end."""
    notes, writer, audit = await notes_on_a_pipe()
    try:
        yield notes, writer, audit
    finally:
        os.close(writer)
        notes.close()


async def test_each_line_is_audited_as_it_comes_with_the_patients_address():
    async with reading_refusals() as (_notes, writer, audit):
        os.write(writer, b"import\tdot-dot\t../a\n")
        # Read while kneetui runs, not only when it ends.
        assert await audited(audit, 1) == [
            'path-refused peer=192.0.2.7 port=50123 user=anna purpose=import reason=dot-dot path="../a"'
        ]


async def test_a_line_written_in_pieces_is_one_line():
    async with reading_refusals() as (_notes, writer, audit):
        os.write(writer, b"export\tout")
        await asyncio.sleep(0.05)
        os.write(writer, b"side\t/etc/passwd\n")
        assert (await audited(audit, 1))[0].endswith('purpose=export reason=outside path="/etc/passwd"')


async def test_an_unknown_purpose_or_reason_is_recorded_as_unknown_and_a_long_path_is_cut():
    async with reading_refusals() as (_notes, writer, audit):
        os.write(writer, b"import\tbogus\t../x\nbogus\tdot-dot\t../y\nreport\tlink\t" + b"p" * 300 + b"\n")
        lines = await audited(audit, 3)
        assert lines[0].endswith('purpose=path reason=unknown path="../x"')
        assert lines[1].endswith('purpose=path reason=unknown path="../y"')
        assert lines[2].endswith('purpose=report reason=link path="' + "p" * 120 + '..."')


async def test_bytes_that_are_not_utf8_are_replaced_and_reading_goes_on():
    async with reading_refusals() as (_notes, writer, audit):
        os.write(writer, b"import\tdot-dot\t../\xff\xfe\n")
        os.write(writer, b"import\tdot-dot\t../after\n")
        lines = await audited(audit, 2)
        assert lines[0].endswith('path="../??"')
        assert lines[1].endswith('path="../after"')


async def test_an_endless_line_keeps_only_a_bounded_tail_and_the_next_line_is_read():
    async with reading_refusals() as (notes, writer, audit):
        for _ in range(20):
            os.write(writer, b"z" * 4000)
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.1)
        assert len(notes._pending) <= 1024
        os.write(writer, b"\nimport\tdot-dot\t../next\n")
        lines = await audited(audit, 2)
        assert lines[-1].endswith('path="../next"')


async def test_more_than_the_limit_is_counted_once_at_the_end_with_the_patients_address():
    notes, writer, audit = await notes_on_a_pipe()
    os.write(writer, b"import\tdot-dot\t../z\n" * (MAX_REFUSAL_LINES + 2))
    await audited(audit, MAX_REFUSAL_LINES)
    os.close(writer)
    notes.close()
    assert audit.lines[-1] == "path-refused-more peer=192.0.2.7 port=50123 user=anna count=2"
    assert len(audit.lines) == MAX_REFUSAL_LINES + 1


async def test_closing_while_kneetuis_end_of_the_pipe_is_still_open_does_not_wait():
    notes, writer, _ = await notes_on_a_pipe()
    started = time.monotonic()
    try:
        await asyncio.wait_for(asyncio.to_thread(notes.close), WAIT)
    finally:
        os.close(writer)
    assert time.monotonic() - started < WAIT
