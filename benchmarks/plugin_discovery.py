"""How much do 50 extra installed plug-in distributions add to ``load_plugins()``?

Fifty tiny distributions are written to a temporary folder: each a
``*.dist-info`` folder whose ``entry_points.txt`` names a module in the
``kneetui`` group and whose ``RECORD`` lists its files, and that module, which registers one exercise and one FAQ
entry. Each measurement runs in a fresh Python process (with the folder on
``PYTHONPATH``, or an empty folder in its place for the reference) and times a
single ``load_plugins()`` call there, so neither ``importlib.metadata``'s
caches nor already-imported modules flatter the figure.

    python -m benchmarks.plugin_discovery [--plugins 50] [--runs 9]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.common import PYTHON, ROOT, Row, median, status

FIGURE = "Plug-in discovery, +50 distributions"
TARGET_ADDED_MS = 30.0

_MODULE = '''"""Benchmark plug-in {number}: one exercise and one FAQ entry."""

from kneetui.api import Category, Dosage, Exercise, FaqEntry, Range, hookimpl

__version__ = "1.0"


@hookimpl
def kneetui_register_exercises(register):
    register(
        Exercise(
            id="bench-exercise-{number}",
            name="Benchmark exercise {number}",
            summary="A gentle exercise added by benchmark plug-in {number}.",
            steps=("Sit tall.", "Straighten the knee slowly.", "Lower it again."),
            dosage=Dosage(reps=Range(8, 12)),
            category=Category.STRENGTH,
            benefits="Stands in for a real plug-in's exercise.",
        )
    )


@hookimpl
def kneetui_register_faq(register):
    register(
        FaqEntry(
            id="bench-faq-{number}",
            question="Is benchmark question {number} answered?",
            answer="Yes: benchmark plug-in {number} answers it, to give the loader something to do.",
        )
    )
'''


_INFO_FILES = ("METADATA", "entry_points.txt", "RECORD")


def write_distributions(folder: Path, count: int) -> None:
    """Write ``count`` installed-looking plug-in distributions into ``folder``."""
    for number in range(count):
        module = f"kneetui_bench_plugin_{number:02d}"
        (folder / f"{module}.py").write_text(_MODULE.format(number=number), encoding="utf-8")
        info = folder / f"kneetui_bench_plugin_{number:02d}-1.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: kneetui-bench-plugin-{number:02d}\nVersion: 1.0\n", encoding="utf-8"
        )
        (info / "entry_points.txt").write_text(f"[kneetui]\nbench-{number:02d} = {module}\n", encoding="utf-8")
        # As pip writes it: the loader reads it to check that no plug-in installs a module of kneetui's own.
        (info / "RECORD").write_text(
            "".join(f"{path},,\n" for path in (f"{module}.py", *(f"{info.name}/{name}" for name in _INFO_FILES))),
            encoding="utf-8",
        )


# Runs in the child: import the loader first (start-up is not what is measured),
# then time one load_plugins() call.
_CHILD = """
import json, time
from kneetui.plugin_host.loader import load_plugins
started = time.perf_counter()
loaded = load_plugins()
elapsed = time.perf_counter() - started
print(json.dumps({
    "ms": elapsed * 1000,
    "plugins": len(loaded.plugins),
    "failed": [record.name for record in loaded.failed],
    "exercises": len(loaded.catalog.exercises),
    "faq": len(loaded.catalog.faq),
}))
"""


def time_once(path_folder: Path) -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = str(path_folder)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # installed plug-ins have their bytecode cached
    result = subprocess.run([PYTHON, "-c", _CHILD], env=env, cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def measure(plugins: int = 50, runs: int = 9) -> dict:
    with tempfile.TemporaryDirectory(prefix="kneetui-bench-plugins-") as temp:
        with_folder = Path(temp) / "with"
        without_folder = Path(temp) / "without"
        with_folder.mkdir()
        without_folder.mkdir()
        write_distributions(with_folder, plugins)
        # One discarded run each writes the bytecode caches, as an installer would have.
        first_with, first_without = time_once(with_folder), time_once(without_folder)
        added = first_with["plugins"] - first_without["plugins"]
        if added != plugins or first_with["failed"]:
            raise RuntimeError(
                f"expected {plugins} extra plug-ins to load; got {added}, failed: {first_with['failed']}"
            )
        with_ms, without_ms = [], []
        for _ in range(runs):  # interleaved, so drift in the machine's load hits both alike
            with_ms.append(time_once(with_folder)["ms"])
            without_ms.append(time_once(without_folder)["ms"])
    return {
        "plugins": plugins,
        "runs": runs,
        "with_ms": with_ms,
        "without_ms": without_ms,
        "with_median_ms": median(with_ms),
        "without_median_ms": median(without_ms),
        "added_ms": median(with_ms) - median(without_ms),
    }


def row(result: dict) -> Row:
    added = result["added_ms"]
    return Row(
        figure=f"load_plugins() with {result['plugins']} extra plug-in distributions",
        measured=result["with_median_ms"],
        unit="ms",
        reference=result["without_median_ms"],
        reference_name="load_plugins() with only the built-in plug-in, in the same kind of fresh process",
        checked=f"+{added:.1f} ms",
        target=f"≤ {TARGET_ADDED_MS:g} ms added",
        status=status(added <= TARGET_ADDED_MS),
        note=f"median of {result['runs']} fresh processes each, interleaved",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugins", type=int, default=50)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.plugins, args.runs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
