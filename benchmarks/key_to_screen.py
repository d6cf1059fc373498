"""How long from a key press on Home to the next screen painted (library, FAQ)?

Drives the real :class:`~kneetui.tui.app.KneeApp` (installed plug-ins, an
in-memory history, settings with the safety notice acknowledged) with
Textual's Pilot at 80x24. Each repetition presses the section's key on Home,
waits until that screen is active and everything has settled
(``pilot.pause()`` and ``wait_for_scheduled_animations()``), then presses
Escape to come back. One untimed round first imports each screen's module; its
time is reported as the first press.

Pilot runs headless: Textual lays out and renders each frame to segments but
does not write them anywhere. ``App._display`` is wrapped to note when each
frame is produced, which leaves Pilot's own idle-waiting out of the figures:

* painted: key press to the first frame of the new screen (what a person sees
  change), the figure checked against the target;
* complete: key press to the last frame of the new screen before Pilot found
  everything settled (the footer and focus styles catching up).

The reference is the same measurement, in the same process, for
``benchmarks/bare_app.py``: a key that pushes a new screen holding only a
Header, a Static and a Footer.

Each app runs its round trips in one go (100 by default), so the p95 covers a
long stretch of going back and forth. Live objects (``len(gc.get_objects())``
after a full collection) are counted back on the first screen after round trip
10 and after the last: a screen that leaves objects behind on every return
shows as growth, and makes each garbage collection slower than the last.

    python -m benchmarks.key_to_screen [--repetitions 100]
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from collections.abc import Callable

from benchmarks.common import Row, percentile, status

TARGET_P95_MS = 50.0
#: Live objects after the last round trip, against after round trip ``EARLY_ROUND_TRIP``.
TARGET_GROWTH = 1.10
EARLY_ROUND_TRIP = 10
#: (key on Home, section name, what the figure is called)
TRANSITIONS = (("e", "library", "Home → exercise library"), ("f", "faq", "Home → FAQ"))


def build_app():
    from kneetui.engine.clock import FakeClock
    from kneetui.plugin_host.loader import load_plugins
    from kneetui.storage.config import LoadedSettings, Settings
    from kneetui.tui.app import KneeApp

    plugins = load_plugins()
    return KneeApp(plugins, LoadedSettings(Settings(safety_acknowledged=True)), clock=FakeClock(), save=False)


class _FrameLog:
    """Wraps ``app._display`` to note when each frame of each screen was rendered.

    Call :meth:`clear` before each press: the log holds its screens, and popped
    screens kept alive would make every garbage collection slower and slower.
    """

    def __init__(self, app) -> None:
        self.frames: list[tuple[float, object]] = []
        original = app._display

        def display(screen, renderable) -> None:
            if renderable is not None:
                self.frames.append((time.perf_counter(), screen))
            original(screen, renderable)

        app._display = display

    def clear(self) -> None:
        self.frames.clear()

    def frames_of(self, screen, start: float, end: float) -> list[float]:
        return [when for when, shown in self.frames if shown is screen and start <= when <= end]


async def _settle(pilot) -> None:
    await pilot.pause()
    await pilot.wait_for_scheduled_animations()


async def _press_and_time(pilot, frames: _FrameLog, key: str, arrived: Callable[[object], bool]) -> tuple[float, float]:
    """Press ``key``; return ms to the first and to the last frame of the screen it leads to."""
    app = pilot.app
    frames.clear()
    started = time.perf_counter()
    await pilot.press(key)
    while not arrived(app.screen):
        await asyncio.sleep(0.001)
        if time.perf_counter() - started > 10:
            raise TimeoutError(f"key {key!r} did not lead to the expected screen")
    await _settle(pilot)
    shown = frames.frames_of(app.screen, started, time.perf_counter())
    if not shown:
        raise RuntimeError(f"no frame was rendered after key {key!r}")
    return (shown[0] - started) * 1000, (shown[-1] - started) * 1000


async def _round_trips(app, transitions, repetitions: int, home_type: type) -> dict[str, dict]:
    """Press each transition's key, time it, Escape back; ``repetitions`` timed rounds after one untimed."""
    timings: dict = {name: {"painted_ms": [], "complete_ms": [], "first_press_ms": None} for name, _, _ in transitions}
    timings["live_objects"] = {}
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        frames = _FrameLog(app)
        home = app.screen
        assert isinstance(home, home_type)
        for repetition in range(repetitions + 1):
            for name, key, wanted in transitions:
                painted, complete = await _press_and_time(
                    pilot, frames, key, lambda screen, wanted=wanted: isinstance(screen, wanted)
                )
                if repetition == 0:
                    timings[name]["first_press_ms"] = painted
                else:
                    timings[name]["painted_ms"].append(painted)
                    timings[name]["complete_ms"].append(complete)
                await pilot.press("escape")
                await _settle(pilot)
                if app.screen is not home:
                    raise RuntimeError("Escape did not lead back to the first screen")
            if repetition in (EARLY_ROUND_TRIP, repetitions):
                frames.clear()
                gc.collect()
                timings["live_objects"][repetition] = len(gc.get_objects())
    return timings


def _summary(figures: dict) -> dict:
    return {
        "p95_painted_ms": percentile(figures["painted_ms"], 0.95),
        "median_painted_ms": percentile(figures["painted_ms"], 0.5),
        "p95_complete_ms": percentile(figures["complete_ms"], 0.95),
        "median_complete_ms": percentile(figures["complete_ms"], 0.5),
        **figures,
    }


async def run(repetitions: int) -> dict:
    from benchmarks.bare_app import BareApp, BareScreen
    from kneetui.tui.screens import registry
    from kneetui.tui.screens.home import HomeScreen

    result: dict = {"repetitions": repetitions}
    kneetui_transitions = [(section, key, registry.screen_class(section)) for key, section, _ in TRANSITIONS]
    kneetui_run = await _round_trips(build_app(), kneetui_transitions, repetitions, HomeScreen)
    bare_run = await _round_trips(BareApp(), [("reference", "x", BareScreen)], repetitions, object)
    for name, run_ in [*((section, kneetui_run) for _, section, _ in TRANSITIONS), ("reference", bare_run)]:
        result[name] = _summary(run_[name])
    result["live_objects"] = {"kneetui": kneetui_run["live_objects"], "reference": bare_run["live_objects"]}
    return result


def measure(repetitions: int = 100) -> dict:
    return asyncio.run(run(repetitions))


def rows(result: dict) -> list[Row]:
    reference = result["reference"]
    made = []
    for _, section, label in TRANSITIONS:
        figures = result[section]
        value = figures["p95_painted_ms"]
        made.append(
            Row(
                figure=f"Key to screen painted, {label}, p95",
                measured=value,
                unit="ms",
                reference=reference["p95_painted_ms"],
                reference_name="bare Textual app: key to a new Header+Static+Footer screen, same measurement",
                checked=f"p95 {value:.1f} ms",
                target=f"< {TARGET_P95_MS:g} ms p95",
                status=status(value < TARGET_P95_MS),
                note=(
                    f"{result['repetitions']} presses; median {figures['median_painted_ms']:.1f} ms "
                    f"(reference {reference['median_painted_ms']:.1f}); to the screen's last frame p95 "
                    f"{figures['p95_complete_ms']:.1f} ms; first press, importing the screen, "
                    f"{figures['first_press_ms']:.1f} ms"
                ),
            )
        )
    made.append(growth_row(result))
    return made


def growth(counts: dict) -> float | None:
    """Live objects after the last round trip over after round trip ``EARLY_ROUND_TRIP`` (None if too few)."""
    counts = {int(key): value for key, value in counts.items()}
    if EARLY_ROUND_TRIP not in counts or len(counts) < 2:
        return None
    return counts[max(counts)] / counts[EARLY_ROUND_TRIP]


def growth_row(result: dict) -> Row:
    mine, reference = growth(result["live_objects"]["kneetui"]), growth(result["live_objects"]["reference"])
    counts = result["live_objects"]["kneetui"]
    return Row(
        figure=f"Live objects after {result['repetitions']} round trips to Home, over after {EARLY_ROUND_TRIP}",
        measured=mine,
        unit="×",
        reference=reference,
        reference_name="bare Textual app: the same count over its own round trips",
        checked="-" if mine is None else f"{mine:.3f}×",
        target=f"≤ {TARGET_GROWTH:.2f}×",
        status=status(mine is not None and mine <= TARGET_GROWTH),
        note=f"gc.get_objects() after gc.collect(), on Home: {', '.join(f'{count:,} after {trip}' for trip, count in counts.items())}",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repetitions", type=int, default=100)
    args = parser.parse_args(argv)
    result = measure(args.repetitions)
    for name in ("reference", *(section for _, section, _ in TRANSITIONS)):
        for key in ("painted_ms", "complete_ms"):
            result[name][key] = [round(value, 1) for value in result[name][key]]
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
