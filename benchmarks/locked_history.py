"""How late is the end of each hold noticed while another process holds the history's write lock?

A second login of the same person can hold the history file's write lock; the app records a
block at the end of every hold. This runs the real :class:`~kneetui.engine.session.SessionRunner`
on the system clock, recording into a real history file the way the app does
(:meth:`~kneetui.history.store.HistoryStore.write_in_background`), in an asyncio loop that
ticks it as the session screen does: a wake-up aimed at each deadline plus a refresh every
0.1 s from a fixed start. Each phase's end is noticed some milliseconds after its deadline;
the figure is the worst of them.

Three sessions, interleaved: with another process holding the write lock (``BEGIN IMMEDIATE``)
for ``lock_seconds`` from the first second (the figure), the same with no lock (the
reference), and, for the record, with the lock and the store writing on the event loop as
kneetui did before (each write waits for the lock, up to its busy timeout).
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from benchmarks.common import Row, status
from kneetui.content.model import Dose
from kneetui.engine.clock import SystemClock
from kneetui.engine.plan import Plan, build_plan
from kneetui.engine.recording import SafetyAnswers
from kneetui.engine.session import RunnerState, SessionRunner
from kneetui.engine.settings import RunnerSettings
from kneetui.history.store import open_history_store

TARGET_MS = 20.0
TICK_SECONDS = 0.1
EXERCISE = "sitting-adductor-stretch"

LOCKER = textwrap.dedent(
    """
    import sqlite3, sys, time
    connection = sqlite3.connect(sys.argv[1], isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    time.sleep(float(sys.argv[2]))
    connection.execute("COMMIT")
    """
)


def _plan(hold_seconds: int, sets: int) -> tuple[Plan, RunnerSettings]:
    from kneetui.plugin_host.loader import load_plugins

    exercise = load_plugins().catalog.exercise(EXERCISE)
    assert exercise is not None, f"the built-in {EXERCISE} is missing"
    settings = RunnerSettings(get_ready_seconds=0, rest_seconds=0, warning_seconds=0)
    return build_plan([(exercise, Dose(hold_seconds=hold_seconds, sets=sets))], settings), settings


def _deadline(runner: SessionRunner) -> float | None:
    # The runner's own countdown: the moment the phase ends, on the runner's clock.
    return runner._timer.deadline if runner._timer is not None else None


async def _session(path: Path, plan: Plan, settings: RunnerSettings, lock_seconds: float, background: bool) -> dict:
    store = open_history_store(path).store
    if background:
        store.write_in_background()
    clock = SystemClock()
    runner = SessionRunner(plan, clock, store, settings)
    loop = asyncio.get_running_loop()
    lateness: list[float] = []
    locker: subprocess.Popen[str] | None = None
    runner.start(SafetyAnswers(1, False, False))
    started = clock.now()
    finished: asyncio.Future[None] = loop.create_future()
    tick_start = loop.time()
    ticks = 0

    def tick() -> None:
        deadline = _deadline(runner)
        runner.tick()
        after = _deadline(runner)
        if deadline is not None and after != deadline:
            lateness.append((clock.now() - deadline) * 1000)
        if runner.state is not RunnerState.RUNNING or runner.phase.kind.value == "pain check":
            if not finished.done():
                finished.set_result(None)
            return
        if after is not None and after != deadline:
            loop.call_later(max(0.0, after - clock.now()), tick)

    def refresh() -> None:
        nonlocal ticks
        ticks += 1
        tick()
        if not finished.done():
            loop.call_at(tick_start + (ticks + 1) * TICK_SECONDS, refresh)

    first = _deadline(runner)
    if first is not None:
        loop.call_later(max(0.0, first - clock.now()), tick)
    loop.call_at(tick_start + TICK_SECONDS, refresh)
    if lock_seconds:
        await asyncio.sleep(0.8)
        locker = subprocess.Popen(
            [sys.executable, "-c", LOCKER, str(path), str(lock_seconds)], stdout=subprocess.PIPE, text=True
        )
        assert locker.stdout is not None
        await asyncio.to_thread(locker.stdout.readline)
    await finished
    session_seconds = clock.now() - started
    runner.answer_pain(1)
    flush_started = time.perf_counter()
    await asyncio.to_thread(store.flush)
    flushed_ms = (time.perf_counter() - flush_started) * 1000
    blocks = len(store.sessions(limit=1)[0].blocks)
    problems = list(store.problems)
    store.close()
    if locker is not None:
        locker.wait(timeout=30)
    return {
        "worst_late_ms": round(max(lateness), 3),
        "median_late_ms": round(statistics.median(lateness), 3),
        "phase_ends": len(lateness),
        "session_seconds": round(session_seconds, 3),
        "flush_after_end_ms": round(flushed_ms, 1),
        "blocks_kept": blocks,
        "problems": problems,
    }


def measure(lock_seconds: float = 5.0, hold_seconds: int = 2, sets: int = 3, runs: int = 1) -> dict:
    plan, settings = _plan(hold_seconds, sets)
    cases: dict[str, list[dict]] = {"locked": [], "unlocked": [], "locked_on_event_loop": []}
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-history-") as folder:
        for run in range(runs):
            for name, lock, background in (
                ("unlocked", 0.0, True),
                ("locked", lock_seconds, True),
                ("locked_on_event_loop", lock_seconds, False),
            ):
                path = Path(folder) / f"{name}-{run}.sqlite3"
                cases[name].append(asyncio.run(_session(path, plan, settings, lock, background)))
    worst = {name: max(case["worst_late_ms"] for case in found) for name, found in cases.items()}
    return {
        "lock_seconds": lock_seconds,
        "hold_seconds": hold_seconds,
        "sets": sets,
        "runs": runs,
        "worst_late_ms": worst,
        "cases": cases,
        "met": worst["locked"] < TARGET_MS,
    }


def row(result: dict) -> Row:

    worst = result["worst_late_ms"]
    locked = result["cases"]["locked"][-1]
    old = result["cases"]["locked_on_event_loop"][-1]
    return Row(
        figure=f"Hold end noticed late, history locked {result['lock_seconds']:g} s by another process",
        measured=worst["locked"],
        unit="ms",
        reference=worst["unlocked"],
        reference_name="the same session with no lock, same run",
        checked=f"{worst['locked']:.2f} ms late (worst)",
        target=f"< {TARGET_MS:g} ms late",
        status=status(result["met"]),
        note=(
            f"{locked['phase_ends']} hold ends of {result['hold_seconds']} s; all {locked['blocks_kept']} blocks kept, "
            f"written {locked['flush_after_end_ms']:.0f} ms after the end; writing on the event loop as before: "
            f"{worst['locked_on_event_loop']:.0f} ms late, {old['blocks_kept']} blocks kept"
        ),
    )


if __name__ == "__main__":
    import json

    print(json.dumps(measure(), indent=2))
