"""Mutation testing of kneetui, one area at a time, each with only its own tests.

    .venv/bin/python scripts/mutation.py                  # every area, in order: engine, plugin_host, serve, storage
    .venv/bin/python scripts/mutation.py engine serve     # only these
    .venv/bin/python scripts/mutation.py --keep engine    # reuse the last run's results for unchanged code

The areas and their tests are ``[tool.kneetui.mutation]`` in pyproject.toml. mutmut reads one
configuration from the folder it runs in, so each area runs in its own folder under
``build/mutation/<area>/``: a pyproject.toml whose ``[tool.mutmut]`` names that area, and links to
the code and tests. Results stay there (``cd build/mutation/engine && ../../../.venv/bin/mutmut
show <name>`` shows one change). Not part of the check command: it is slow.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import tomli_w

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LINKED = ("kneetui", "tests", "plugins", "themes", "docs")


def read_settings() -> tuple[dict[str, object], dict[str, dict[str, list[str]]]]:
    """The whole pyproject.toml, and the areas named in its ``[tool.kneetui.mutation]``."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    return project, project["tool"]["kneetui"]["mutation"]["areas"]


def prepare(area: str, project: dict[str, object], keep: bool) -> Path:
    """Make ``build/mutation/<area>/`` ready for mutmut and return it."""
    settings = project["tool"]["kneetui"]["mutation"]  # type: ignore[index]
    spec = settings["areas"][area]
    folder = ROOT / "build" / "mutation" / area
    if not keep:
        shutil.rmtree(folder / "mutants", ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    for name in LINKED:
        link = folder / name
        if not link.is_symlink():
            link.symlink_to(ROOT / name, target_is_directory=True)
    # The tests need the rest of pyproject.toml (pytest's options); only [tool.mutmut] differs.
    config = dict(project)
    pytest_options = dict(project["tool"]["pytest"]["ini_options"])  # type: ignore[index]
    # mutmut collects its statistics in its own test process: no xdist workers there.
    pytest_options["addopts"] = "-q"
    config["tool"] = {
        **project["tool"],  # type: ignore[dict-item]
        "pytest": {"ini_options": pytest_options},
        "mutmut": {
            "source_paths": spec["source_paths"],
            "pytest_add_cli_args_test_selection": spec["tests"],
            "also_copy": settings["also_copy"],
            "mutate_only_covered_lines": settings["mutate_only_covered_lines"],
        },
    }
    (folder / "pyproject.toml").write_bytes(tomli_w.dumps(config).encode("utf-8"))
    return folder


def run(area: str, folder: Path, children: int) -> dict[str, object]:
    """Run mutmut in ``folder`` and return its counts with the date and the time it took."""
    started = time.monotonic()
    subprocess.run([str(BIN / "mutmut"), "run", "--max-children", str(children)], cwd=folder, check=True)
    minutes = (time.monotonic() - started) / 60
    subprocess.run([str(BIN / "mutmut"), "export-cicd-stats"], cwd=folder, check=True, capture_output=True)
    counts = json.loads((folder / "mutants" / "mutmut-cicd-stats.json").read_text("utf-8"))
    counts.update(area=area, date=datetime.now(UTC).strftime("%Y-%m-%d"), minutes=round(minutes, 1))
    return counts


def survivors(folder: Path) -> list[str]:
    """The lines of ``mutmut results`` that are not killed: survivors, timeouts, untested."""
    result = subprocess.run([str(BIN / "mutmut"), "results"], cwd=folder, check=True, capture_output=True, text=True)
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def row(counts: dict[str, object]) -> str:
    """One line of the table in CONTRIBUTING.md."""
    total, killed, timeout = int(counts["total"]), int(counts["killed"]), int(counts["timeout"])  # type: ignore[call-overload]
    score = 100 * (killed + timeout) / total if total else 0.0
    return (
        f"| {counts['area']} | {total} | {killed} | {counts['survived']} | {timeout} | "
        f"{score:.0f} % | {counts['date']} | {counts['minutes']} min |"
    )


def main(argv: list[str] | None = None) -> int:
    project, areas = read_settings()
    parser = argparse.ArgumentParser(description="Mutation testing of kneetui, one area at a time.")
    parser.add_argument("areas", nargs="*", choices=list(areas), default=[], metavar="AREA")
    parser.add_argument("--keep", action="store_true", help="reuse the last run's results for unchanged code")
    parser.add_argument("--max-children", type=int, default=2, help="tests run at once (default 2)")
    args = parser.parse_args(argv)
    header = "| area | mutants | killed | survived | timeouts | score | date | run time |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
    rows = []
    for area in args.areas or list(areas):
        folder = prepare(area, project, args.keep)
        counts = run(area, folder, args.max_children)
        rows.append(row(counts))
        # Said as each area ends, so a run stopped part way still shows what finished.
        print(f"\n{area}: not killed\n" + "\n".join(survivors(folder)) + f"\n\n{header}\n{rows[-1]}", flush=True)
    print(f"\n{header}\n" + "\n".join(rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
