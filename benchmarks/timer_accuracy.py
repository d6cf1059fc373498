"""How late does the end of a countdown fire when it is driven the way the Textual app drives it?

Not a test: it runs on the real clock and takes as long as the countdowns
(30 s and 15 min by default; shorten with ``--hold-seconds`` and
``--block-seconds`` for a quick look).

Each case runs the real :class:`~kneetui.engine.timer.CountdownTimer` on the
:class:`~kneetui.engine.clock.SystemClock` inside an asyncio loop, with

* a wake-up scheduled for the deadline with ``loop.call_later(remaining())``,
  aimed again if it runs before the deadline (asyncio may run a callback up to
  its clock resolution early), and
* a periodic refresh every ``--refresh-seconds``, scheduled from a fixed start
  (``start + n * interval``) as Textual's own timers are, which would also
  notice the end;

and reports how many milliseconds after the deadline the end was noticed.
Beside it, in the same loop and at the same time, a bare
``asyncio.sleep(duration)`` is measured as the reference.

    python benchmarks/timer_accuracy.py                       # full run, ~15.5 min
    python benchmarks/timer_accuracy.py --hold-seconds 3 --block-seconds 10 --json
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import sys
import time

from kneetui.engine.clock import SystemClock
from kneetui.engine.timer import CountdownTimer

#: Milliseconds late that each case must stay under.
HOLD_TARGET_MS = 20.0
BLOCK_TARGET_MS = 50.0


async def countdown_lateness(seconds: float, refresh_seconds: float, render_ms: float) -> dict[str, float]:
    """Run one countdown as the app would and say how late its end was noticed."""
    loop = asyncio.get_running_loop()
    clock = SystemClock()
    timer = CountdownTimer(clock, seconds)
    deadline = timer.deadline
    assert deadline is not None
    noticed: asyncio.Future[float] = loop.create_future()
    early_wakes = 0

    def notice_if_over() -> None:
        if not noticed.done() and timer.expired:
            noticed.set_result(clock.now())

    def wake_at_deadline() -> None:
        nonlocal early_wakes
        notice_if_over()
        if not noticed.done():
            early_wakes += 1
            loop.call_later(timer.remaining(), wake_at_deadline)

    refresh_start = loop.time()
    refreshes = 0

    def refresh() -> None:
        nonlocal refreshes
        refreshes += 1
        if render_ms:
            busy_until = time.perf_counter() + render_ms / 1000
            while time.perf_counter() < busy_until:
                pass  # stands in for the work of redrawing the screen
        notice_if_over()
        if not noticed.done():
            loop.call_at(refresh_start + (refreshes + 1) * refresh_seconds, refresh)

    loop.call_later(timer.remaining(), wake_at_deadline)
    loop.call_at(refresh_start + refresh_seconds, refresh)
    ended = await noticed
    return {"late_ms": (ended - deadline) * 1000, "early_wakes": early_wakes, "refreshes": refreshes}


async def sleep_lateness(seconds: float) -> float:
    """The reference: how late a bare ``asyncio.sleep`` returns, in milliseconds."""
    start = time.monotonic()
    await asyncio.sleep(seconds)
    return (time.monotonic() - start - seconds) * 1000


async def measure(name: str, seconds: float, target_ms: float, refresh_seconds: float, render_ms: float) -> dict:
    timer, sleep_late_ms = await asyncio.gather(
        countdown_lateness(seconds, refresh_seconds, render_ms), sleep_lateness(seconds)
    )
    return {
        "case": name,
        "seconds": seconds,
        "timer_late_ms": round(timer["late_ms"], 3),
        "sleep_late_ms": round(sleep_late_ms, 3),
        "target_ms": target_ms,
        "met": timer["late_ms"] < target_ms,
        "early_wakes": timer["early_wakes"],
        "refreshes": timer["refreshes"],
    }


async def run(args: argparse.Namespace) -> dict:
    cases = []
    for name, seconds, target in (
        ("hold", args.hold_seconds, HOLD_TARGET_MS),
        ("block", args.block_seconds, BLOCK_TARGET_MS),
    ):
        if not args.json:
            print(f"{name}: {seconds:g} s countdown running...", file=sys.stderr, flush=True)
        cases.append(await measure(name, seconds, target, args.refresh_seconds, args.render_ms))
    return {
        "benchmark": "timer_accuracy",
        "python": platform.python_version(),
        "platform": platform.platform(),
        "refresh_seconds": args.refresh_seconds,
        "render_ms": args.render_ms,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "cases": cases,
    }


def print_report(result: dict) -> None:
    print(f"refresh every {result['refresh_seconds']} s, {result['render_ms']} ms of work per refresh")
    print(f"{'CASE':<6} {'SECONDS':>8} {'TIMER LATE ms':>14} {'SLEEP LATE ms':>14} {'TARGET ms':>10}  MET")
    for case in result["cases"]:
        print(
            f"{case['case']:<6} {case['seconds']:>8g} {case['timer_late_ms']:>14.3f} "
            f"{case['sleep_late_ms']:>14.3f} {case['target_ms']:>10g}  {'yes' if case['met'] else 'NO'}"
        )


def rows(result: dict) -> list:
    """The table rows of ``benchmarks.run`` for one ``--json`` result."""
    from benchmarks.common import Row, status

    made = []
    for case in result["cases"]:
        made.append(
            Row(
                figure=f"Countdown end noticed late, {case['case']} of {case['seconds']:g} s",
                measured=case["timer_late_ms"],
                unit="ms",
                reference=case["sleep_late_ms"],
                reference_name="a bare asyncio.sleep of the same length, in the same loop at the same time",
                checked=f"{case['timer_late_ms']:.2f} ms late",
                target=f"< {case['target_ms']:g} ms late",
                status=status(case["met"]),
                note=f"refresh every {result['refresh_seconds']} s; {case['early_wakes']} early wake-up(s)",
            )
        )
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hold-seconds", type=float, default=30.0, help="length of the hold case (default 30)")
    parser.add_argument("--block-seconds", type=float, default=15 * 60.0, help="length of the block case (default 900)")
    parser.add_argument("--refresh-seconds", type=float, default=0.25, help="periodic refresh interval (default 0.25)")
    parser.add_argument("--render-ms", type=float, default=0.0, help="busy work per refresh, standing in for a redraw")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = parser.parse_args(argv)
    result = asyncio.run(run(args))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print_report(result)
    return 0 if all(case["met"] for case in result["cases"]) else 1


if __name__ == "__main__":
    sys.exit(main())
