"""Launch to first painted Home screen, and peak memory, beside a bare Textual app.

``python -m kneetui`` is started in an 80x24 pseudo-terminal with fresh XDG
folders whose ``config.toml`` says the safety notice was already acknowledged,
and timed until its output shows Home ("Start today's session"). The
reference, ``benchmarks/bare_app.py`` (Header, Static, Footer), is started the
same way and timed until its Static's text appears. Runs alternate between the
two so a noisy spell hits both; the medians are compared. Both run from cached
bytecode (``PYTHONDONTWRITEBYTECODE`` is removed), as an installed app does; the
first, untimed launch of each writes it. Home's menu is drawn before the
plug-ins load, so the time until its today panel shows the programme
("Your first session is due today.") is recorded too (``today_seconds``).

Peak memory is the child's maximum resident set size from ``os.wait4`` after
it quits (``q`` on Home in both apps), over the same runs.

    python -m benchmarks.startup [--runs 7]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from benchmarks.bare_app import READY_TEXT
from benchmarks.common import PYTHON, ROOT, Row, median, status, times
from benchmarks.terminal import TerminalRun, kneetui_home

TARGET_RATIO = 1.3
HOME_TEXT = "Start today's session"
#: The first line of Home's today panel in fresh folders, there once the plug-ins are loaded.
TODAY_TEXT = "Your first session is due today."
APPS = {
    "kneetui": ([PYTHON, "-m", "kneetui"], HOME_TEXT),
    "bare": ([PYTHON, str(ROOT / "benchmarks" / "bare_app.py")], READY_TEXT),
}


def launch_once(name: str) -> dict:
    """Start one app, time it to its first screen, quit it; seconds and peak RSS in MiB."""
    argv, ready_text = APPS[name]
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-home-") as home:
        env = kneetui_home(Path(home))
        # Both apps run from their cached bytecode, as an installed one does. With the variable set
        # (some shells and CI set it), kneetui's own modules were compiled again at every launch,
        # while Textual's, compiled when pip installed it, were not: 15-20 % of kneetui's start-up.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        run = TerminalRun.start(argv, env, cwd=str(ROOT))
        try:
            painted = run.wait_for(ready_text, timeout=60)
            # Home's menu is drawn before the plug-ins load; the today panel fills once they have.
            today = run.wait_for(TODAY_TEXT, timeout=60) if name == "kneetui" else painted
        finally:
            rusage = run.finish("q", timeout=10)
    if run.process.returncode != 0:
        raise RuntimeError(f"{name} exited with {run.process.returncode}")
    # ru_maxrss is in KiB on Linux.
    return {
        "seconds": painted - run.started,
        "today_seconds": today - run.started,
        "max_rss_mib": rusage.ru_maxrss / 1024,
    }


def measure(runs: int = 7) -> dict:
    launch_once("kneetui")  # warm the disk cache and bytecode for both, untimed
    launch_once("bare")
    samples: dict[str, list[dict]] = {"kneetui": [], "bare": []}
    for _ in range(runs):
        for name in samples:
            samples[name].append(launch_once(name))
    result: dict = {"runs": runs}
    for name, taken in samples.items():
        result[name] = {
            "seconds": [sample["seconds"] for sample in taken],
            "today_seconds": [sample["today_seconds"] for sample in taken],
            "max_rss_mib": [sample["max_rss_mib"] for sample in taken],
            "median_seconds": median([sample["seconds"] for sample in taken]),
            "median_today_seconds": median([sample["today_seconds"] for sample in taken]),
            "median_max_rss_mib": median([sample["max_rss_mib"] for sample in taken]),
        }
    return result


def rows(result: dict) -> list[Row]:
    kneetui, bare = result["kneetui"], result["bare"]
    made = []
    for figure, key, unit, scale in (
        ("Launch to Home painted (80x24 pty)", "median_seconds", "ms", 1000),
        ("Peak memory (max RSS)", "median_max_rss_mib", "MiB", 1),
    ):
        row = Row(
            figure=figure,
            measured=kneetui[key] * scale,
            unit=unit,
            reference=bare[key] * scale,
            reference_name="benchmarks/bare_app.py (Header, Static, Footer) started the same way",
            checked="",
            target=f"≤ {TARGET_RATIO:g}× reference",
            status="",
            note=f"median of {result['runs']} interleaved runs each",
        )
        row.checked = times(row.ratio)
        row.status = status(row.ratio is not None and row.ratio <= TARGET_RATIO)
        made.append(row)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
