"""How many bytes a second does kneetui write to the terminal while a hold counts down?

Over SSH every byte the app writes crosses the network, so a countdown should
cost little. kneetui is started with ``python -m kneetui`` in an 80x24
pseudo-terminal (``get_ready_seconds = 0``, ``animations = false``, the safety
notice acknowledged) and driven by keys to a guided hold: ``e`` (library),
Enter (the first exercise, the sitting adductor stretch), ``g`` (guide), Enter
(the lowest dose, a 15 s hold), then the safety check (``0``, Enter, ``n``,
``n``). The bytes it writes are counted over a window of the hold that leaves
out its first second.

The reference is ``termdown 30``, started the same way and counted over the
same window after its first output. termdown is installed into a temporary
virtual environment for the run; if that is impossible the row is skipped with
the reason.

    python -m benchmarks.ssh_bytes [--window 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, Row, median, skipped, status, times
from benchmarks.terminal import TerminalRun, kneetui_home

FIGURE = "Bytes/s to an 80x24 terminal during a hold"
TARGET_RATIO = 0.6
TARGET = f"≤ {TARGET_RATIO:g}× reference"
#: Keys from Home to a running hold, each with the text that shows it has been handled.
KEYS_TO_HOLD = (
    ("e", "Any category"),  # the library's filters
    ("\r", "How to do it"),  # the first exercise's details
    ("g", "Start at the low end"),  # the dose choice
    ("\r", "How much does your knee hurt"),  # the safety check
    ("0", "[0]"),
    ("\r", "Is your knee swollen?"),
    ("n", "give way?"),
    ("n", "Exercise 1 of 1"),  # the hold has started
)
SKIP_SECONDS = 1.0
CTRL_Q = "\x11"


def kneetui_bytes(window: float) -> dict:
    """Drive kneetui to a hold; count what it writes in ``window`` seconds after the first."""
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-home-") as home:
        env = kneetui_home(Path(home), get_ready_seconds=0, animations=False)
        run = TerminalRun.start([PYTHON, "-m", "kneetui"], env, cwd=str(ROOT))
        try:
            run.wait_for("Start today's session", timeout=60)
            hold_started = 0.0
            for key, shown in KEYS_TO_HOLD:
                run.set_mark()
                run.send(key)
                hold_started = run.wait_for(shown, timeout=30)
            start = hold_started + SKIP_SECONDS
            run.read_for(start + window - time.perf_counter() + 0.2)
            total = run.bytes_between(start, start + window)
            still_holding = "Hold" in run.text_since_mark()
        finally:
            run.finish(CTRL_Q, timeout=5)
    if not still_holding:
        raise RuntimeError("kneetui never showed the hold")
    return {"bytes": total, "bytes_per_second": total / window}


def install_termdown(folder: Path) -> tuple[Path | None, str]:
    """A ``termdown`` executable in a fresh virtual environment, or None and why not."""
    venv = folder / "termdown-venv"
    try:
        subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True, capture_output=True, text=True, timeout=120)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "termdown"],
            check=True,
            capture_output=True,
            text=True,
            timeout=300,
        )
    except subprocess.CalledProcessError as error:
        lines = (error.stderr or error.stdout or "").strip().splitlines()
        return None, f"could not install termdown: {lines[-1] if lines else error}"
    except (OSError, subprocess.TimeoutExpired) as error:
        return None, f"could not install termdown: {error}"
    executable = venv / "bin" / "termdown"
    if not executable.exists():
        return None, "termdown installed, but its command is missing"
    return executable, ""


def termdown_bytes(executable: Path, window: float) -> dict:
    """Run ``termdown 30``; count what it writes in ``window`` seconds after its first second."""
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-termdown-") as home:
        env = kneetui_home(Path(home))
        run = TerminalRun.start([str(executable), "30"], env)
        try:
            run.read_for(0.0)
            while not run.chunks:
                if not run.read_for(0.05) and run.process.poll() is not None:
                    raise RuntimeError("termdown exited without output")
            first = run.chunks[0][0]
            start = first + SKIP_SECONDS
            run.read_for(start + window - time.perf_counter() + 0.2)
            total = run.bytes_between(start, start + window)
        finally:
            run.finish("q", timeout=5)
    return {"bytes": total, "bytes_per_second": total / window}


def measure(window: float = 10.0, runs: int = 3) -> dict:
    result: dict = {"window_seconds": window, "runs": runs, "skip_seconds": SKIP_SECONDS}
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-tools-") as tools:
        executable, reason = install_termdown(Path(tools))
        kneetui_rates, termdown_rates = [], []
        for _ in range(runs):
            kneetui_rates.append(kneetui_bytes(window)["bytes_per_second"])
            if executable is not None:
                termdown_rates.append(termdown_bytes(executable, window)["bytes_per_second"])
    result["kneetui_bytes_per_second"] = kneetui_rates
    result["kneetui_median"] = median(kneetui_rates)
    if executable is None:
        result["skipped"] = reason
    else:
        result["termdown_bytes_per_second"] = termdown_rates
        result["termdown_median"] = median(termdown_rates)
    return result


def row(result: dict) -> Row:
    if "skipped" in result:
        return skipped(FIGURE, TARGET, result["skipped"] + f" (kneetui alone: {result['kneetui_median']:.0f} B/s)")
    made = Row(
        figure=FIGURE,
        measured=result["kneetui_median"],
        unit="B/s",
        reference=result["termdown_median"],
        reference_name="termdown 30, in the same kind of pty, over the same window",
        checked="",
        target=TARGET,
        status="",
        note=f"median of {result['runs']} runs each; {result['window_seconds']:g} s counted after the first second",
    )
    made.checked = times(made.ratio)
    made.status = status(made.ratio is not None and made.ratio <= TARGET_RATIO)
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--window", type=float, default=10.0, help="seconds counted (default 10; at most 13)")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.window, args.runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
