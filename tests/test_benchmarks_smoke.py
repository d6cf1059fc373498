"""The benchmarks are not tests, but their code must not rot: import them all and run the search one small."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "benchmarks.run",
    "benchmarks.bare_app",
    "benchmarks.key_to_screen",
    "benchmarks.plugin_discovery",
    "benchmarks.search_speed",
    "benchmarks.ssh_bytes",
    "benchmarks.startup",
    "benchmarks.terminal",
    "benchmarks.timer_accuracy",
]


@pytest.fixture(autouse=True)
def repository_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))


def test_every_benchmark_module_imports() -> None:
    for name in MODULES:
        importlib.import_module(name)


def test_the_search_benchmark_runs_on_a_tiny_catalogue_and_fills_its_table_rows() -> None:
    from benchmarks.common import MET, NOT_MET
    from benchmarks.run import table
    from benchmarks.search_speed import measure, rows

    result = measure(entries=60, query_count=12, repeats=1, reference_queries=3)
    made = rows(result)

    assert [row.figure.split()[0] for row in made] == ["FAQ", "Exercise"]
    assert all(row.status in (MET, NOT_MET) and row.measured is not None and row.reference for row in made)
    assert result["faq"]["queries_with_matches"] > 0
    assert "FAQ search, 60 entries" in table(made)


def test_the_keys_benchmark_adds_a_live_objects_row_met_only_when_growth_stays_within_ten_percent() -> None:
    from benchmarks.common import MET, NOT_MET
    from benchmarks.key_to_screen import rows

    timings = {"p95_painted_ms": 20.0, "median_painted_ms": 10.0, "p95_complete_ms": 30.0, "first_press_ms": 40.0}
    result = {"repetitions": 100, "library": timings, "faq": timings, "reference": timings}
    result["live_objects"] = {"kneetui": {10: 70_000, 100: 70_500}, "reference": {10: 50_000, 100: 120_000}}
    flat = rows(result)[-1]
    result["live_objects"]["kneetui"] = {10: 70_000, 100: 90_000}
    growing = rows(result)[-1]

    assert flat.figure.startswith("Live objects after 100 round trips") and flat.status == MET
    assert growing.status == NOT_MET and growing.reference == 2.4
