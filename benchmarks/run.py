"""Run every kneetui benchmark and print one table: figure, reference, ratio, target, status.

    .venv/bin/python -m benchmarks            # full run, ~25 min (the timer's 15 min block dominates)
    .venv/bin/python -m benchmarks --quick    # ~1–2 min: fewer repetitions, 3 s and 10 s countdowns
    .venv/bin/python -m benchmarks --json     # one JSON object: machine, rows and raw figures
    .venv/bin/python -m benchmarks --only search,plugins

Not tests: they time things on a shared machine. Every figure sits beside a
reference measured in the same run, and cheap measurements are repeated.
The whole run uses throw-away XDG folders, never the real settings or history.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from benchmarks import (
    clinic_scale,
    key_to_screen,
    locked_history,
    plugin_discovery,
    search_speed,
    ssh_bytes,
    startup,
    timer_accuracy,
)
from benchmarks.common import PYTHON, ROOT, Row


def run_startup(quick: bool) -> tuple[list[Row], dict]:
    result = startup.measure(runs=3 if quick else 7)
    return startup.rows(result), result


def run_plugins(quick: bool) -> tuple[list[Row], dict]:
    result = plugin_discovery.measure(plugins=50, runs=5 if quick else 9)
    return [plugin_discovery.row(result)], result


def run_keys(quick: bool) -> tuple[list[Row], dict]:
    result = key_to_screen.measure(repetitions=20 if quick else 100)
    return key_to_screen.rows(result), result


def run_search(quick: bool) -> tuple[list[Row], dict]:
    result = search_speed.measure(entries=10_000, query_count=100 if quick else 200)
    return search_speed.rows(result), result


def run_timer(quick: bool) -> tuple[list[Row], dict]:
    lengths = ["--hold-seconds", "3", "--block-seconds", "10"] if quick else []
    finished = subprocess.run(
        [PYTHON, str(ROOT / "benchmarks" / "timer_accuracy.py"), "--json", *lengths],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if not finished.stdout.strip():  # it exits 1 when a target is missed, but still reports
        raise RuntimeError(f"timer_accuracy.py printed nothing: {finished.stderr.strip()[-300:]}")
    result = json.loads(finished.stdout)
    return timer_accuracy.rows(result), result


def run_ssh(quick: bool) -> tuple[list[Row], dict]:
    result = ssh_bytes.measure(window=5.0 if quick else 10.0, runs=1 if quick else 3)
    return [ssh_bytes.row(result)], result


def run_locked(quick: bool) -> tuple[list[Row], dict]:
    result = locked_history.measure(lock_seconds=5.0, hold_seconds=2, sets=3, runs=1 if quick else 3)
    return [locked_history.row(result)], result


def run_clinic(quick: bool) -> tuple[list[Row], dict]:
    result = clinic_scale.measure(patients=20, window=5.0 if quick else 10.0, round_trips=10 if quick else 20)
    return clinic_scale.rows(result), result


#: name -> (what it measures, how to run it); in the order of the table.
BENCHMARKS: dict[str, tuple[str, Callable[[bool], tuple[list[Row], dict]]]] = {
    "startup": ("launch to Home and peak memory", run_startup),
    "plugins": ("plug-in discovery with 50 extra distributions", run_plugins),
    "keys": ("key press to next screen painted", run_keys),
    "search": ("FAQ and exercise search over 10,000 entries", run_search),
    "timer": ("countdown timer accuracy", run_timer),
    "ssh": ("terminal bytes per second during a hold", run_ssh),
    "locked": ("hold ends while another process holds the history's write lock", run_locked),
    "clinic": ("serve ssh with 20 patients in a hold: memory, CPU, logins", run_clinic),
}


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": time.strftime("%Y-%m-%d %H:%M:%S %z"),
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.processor(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _number(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return f"{value:.{digits}f} {unit}".strip()


def table(rows: list[Row]) -> str:
    """The rows as an aligned text table, with numbered notes under it."""
    header = ("#", "FIGURE", "REFERENCE", "KNEETUI", "RATIO", "CHECKED", "TARGET", "STATUS")
    lines = [header]
    for number, row in enumerate(rows, 1):
        lines.append(
            (
                str(number),
                row.figure,
                _number(row.reference, row.unit),
                _number(row.measured, row.unit),
                "-" if row.ratio is None else f"{row.ratio:.2f}×",
                row.checked or "-",
                row.target,
                row.status,
            )
        )
    widths = [max(len(line[column]) for line in lines) for column in range(len(header))]
    text = ["  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=False)).rstrip() for line in lines]
    text.append("")
    for number, row in enumerate(rows, 1):
        about = "; ".join(
            part for part in (f"reference: {row.reference_name}" if row.reference_name else "", row.note) if part
        )
        text.append(f"[{number}] {about}")
    return "\n".join(text)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions and short countdowns (~1–2 min)")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    parser.add_argument("--only", metavar="NAMES", help=f"comma-separated subset of: {', '.join(BENCHMARKS)}")
    args = parser.parse_args(argv)
    chosen = list(BENCHMARKS) if not args.only else [name.strip() for name in args.only.split(",") if name.strip()]
    unknown = [name for name in chosen if name not in BENCHMARKS]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}")

    # Every kneetui, reference and server started from here runs from cached bytecode, as an installed
    # one does (pip compiles at install; a shell with PYTHONDONTWRITEBYTECODE=1 would have each start
    # compile kneetui's own modules again while Textual's are cached).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    rows: list[Row] = []
    raw: dict[str, dict] = {}
    failed = False
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-xdg-") as home:
        # Keep every child process and the in-process app away from the real settings.
        for name in ("CONFIG", "DATA", "CACHE", "STATE"):
            folder = Path(home) / name.lower()
            folder.mkdir()
            os.environ[f"XDG_{name}_HOME"] = str(folder)
        for name in chosen:
            about, run = BENCHMARKS[name]
            print(f"[{name}] {about}...", file=sys.stderr, flush=True)
            started = time.perf_counter()
            try:
                made, result = run(args.quick)
            except Exception as error:  # noqa: BLE001 - one broken benchmark must not hide the others
                failed = True
                traceback.print_exc(file=sys.stderr)
                made = [Row(about, None, "", None, "", "", "", "ERROR", note=f"{type(error).__name__}: {error}")]
                result = {"error": str(error)}
            raw[name] = result
            rows.extend(made)
            print(f"[{name}] done in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)

    info = machine()
    if args.json:
        print(
            json.dumps(
                {"machine": info, "quick": args.quick, "rows": [row.as_json() for row in rows], "raw": raw}, indent=2
            )
        )
    else:
        print(
            f"kneetui benchmarks, {info['date']}; {info['cpus']} CPUs ({info['cpu_model']}), "
            f"Python {info['python']}; {'quick' if args.quick else 'full'} run\n"
        )
        print(table(rows))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
