"""The benchmarks are not tests, but their code must not rot: import them all and run the search one small."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MODULES = [
    "benchmarks.run",
    "benchmarks.bare_app",
    "benchmarks.clinic_scale",
    "benchmarks.key_to_screen",
    "benchmarks.locked_history",
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


def test_the_locked_history_benchmark_runs_one_short_session_each_way_and_fills_its_row() -> None:
    from benchmarks.common import MET, NOT_MET
    from benchmarks.locked_history import measure, row

    result = measure(lock_seconds=0.5, hold_seconds=1, sets=1)
    made = row(result)

    assert made.status in (MET, NOT_MET) and made.measured is not None and made.reference is not None
    assert all(case[0]["blocks_kept"] == 2 and case[0]["problems"] == [] for case in result["cases"].values())


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux's /proc/PID/smaps_rollup")
def test_the_clinic_benchmark_serves_one_patient_each_way_and_fills_its_rows() -> None:
    from benchmarks.clinic_scale import measure, rows

    result = measure(patients=1, window=0.5, round_trips=1)
    made = rows(result)

    assert [row.figure.split()[0] for row in made] == ["PSS", "Login", "Key"]
    assert all(row.measured and row.reference for row in made)
    assert result["forked"]["fork_server_pss_mib"] > 0 and result["spawned"]["fork_server_pss_mib"] == 0
    assert result["forked"]["holding_at_the_end_of_the_window"] == 1
