"""The example third-party plug-in: pip-installed, listed, and run inside kneetui's safety frame."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kneetui.engine.clock import FakeClock
from kneetui.history.store import HistoryStore
from kneetui.plugin_host.loader import load_plugins
from kneetui.storage.config import LoadedSettings, Settings
from kneetui.tui.app import KneeApp
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.session import SessionScreen

EXAMPLE = Path(__file__).parents[1] / "plugins" / "kneetui_paced_bends"


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory) -> Path:
    # Build from a copy: an in-tree build would leave metadata in the repository.
    source = tmp_path_factory.mktemp("source") / "kneetui_paced_bends"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("*.egg-info", "build", "__pycache__"))
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return target


def test_the_example_plugins_own_tests_pass_once_it_is_installed(installed_example, subprocess_env, tmp_path):
    env = dict(subprocess_env, PYTHONPATH=str(installed_example))
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(EXAMPLE / "tests")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert result.stdout.count(".") >= 4 and "failed" not in result.stdout


def test_after_pip_install_it_appears_in_plugins_and_exercises(installed_example, subprocess_env):
    env = dict(subprocess_env, PYTHONPATH=str(installed_example))

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=60
        )

    records = {r["name"]: r for r in json.loads(run("plugins", "--json").stdout)}
    assert records["paced-bends"]["origin"] == "entry point"
    assert records["paced-bends"]["status"] == "ok"
    assert "kneetui_session_screen" in records["paced-bends"]["hooks"]
    assert "paced-knee-bends" in run("exercises").stdout


async def tick_until(pilot, clock, predicate, step=1.0, limit=200):
    for _ in range(limit):
        if predicate():
            return
        clock.advance(step)
        for screen in list(pilot.app.screen_stack):
            if hasattr(screen, "tick"):
                screen.tick()
        await pilot.pause()
    raise AssertionError("condition never met")


async def test_its_own_screen_runs_inside_the_safety_frame(installed_example, monkeypatch):
    monkeypatch.syspath_prepend(str(installed_example))
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = KneeApp(
        load_plugins(),
        LoadedSettings(Settings(safety_acknowledged=True, get_ready_seconds=2)),
        clock=clock,
        history=history,
        save=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_guide_exercise("paced-knee-bends")
        await pilot.pause()
        await pilot.press("enter", "1", "enter", "n", "n")  # dose, then kneetui's safety check
        await tick_until(pilot, clock, lambda: type(app.screen).__name__ == "PacedBendsScreen")
        await tick_until(pilot, clock, lambda: isinstance(app.screen, PainQuestionScreen))
        await pilot.press("1", "enter")  # kneetui's pain check after the exercise, the last: the pain after
        await pilot.pause()
        recorded = history.sessions()[0]
        assert [(b.exercise_id, b.done, b.plugin) for b in recorded.blocks] == [("paced-knee-bends", 10, "paced-bends")]
        assert (recorded.pain_before, recorded.pain_after) == (1, 1)


async def test_pain_worse_on_the_plugins_screen_applies_kneetuis_stop_rule(installed_example, monkeypatch):
    monkeypatch.syspath_prepend(str(installed_example))
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = KneeApp(
        load_plugins(),
        LoadedSettings(Settings(safety_acknowledged=True, get_ready_seconds=0)),
        clock=clock,
        history=history,
        save=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_guide_exercise("paced-knee-bends")
        await pilot.pause()
        await pilot.press("enter", "1", "enter", "n", "n")
        await tick_until(pilot, clock, lambda: type(app.screen).__name__ == "PacedBendsScreen", step=0.1)
        await tick_until(pilot, clock, lambda: app.screen.bends_done() >= 2)
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        assert "consult a healthcare professional" in str(app.screen.query_one(".pain-note").render())
        recorded = history.sessions()[0]
        assert recorded.stop_reason and recorded.blocks[0].done == 2


async def test_a_plugin_screen_that_raises_returns_the_person_to_kneetuis_own_screen(make_app):
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = make_app(
        "raising_screen", settings=Settings(safety_acknowledged=True, get_ready_seconds=0), clock=clock, history=history
    )
    async with app.run_test(size=(80, 24)) as pilot:
        app.action_guide_exercise("fragile-hold")
        await pilot.pause()
        await pilot.press("enter", "1", "enter", "n", "n")
        for _ in range(20):
            await pilot.pause(0.02)
            if (
                isinstance(app.screen, SessionScreen)
                and app.screen.runner
                and app.screen.runner.state == "running"
                and not app.plugin_screen_guard
            ):
                break
        assert isinstance(app.screen, SessionScreen), "back on kneetui's own screen"
        assert app.is_running
        assert any("the plug-in's timer broke" in str(n.message) for n in app._notifications)
        screen = app.screen
        assert screen.runner.phase.kind == "hold"
        clock.advance(10)
        screen.tick()
        await pilot.pause()
        assert history.sessions()[0].blocks[0].done == 10, "kneetui guided the hold to its end"


def test_the_testing_helpers_work_on_the_installed_plugin_beside_kneetuis_own_content_only(
    installed_example, subprocess_env, tmp_path
):
    code = (
        "import kneetui_paced_bends, kneetui_medial_knee\n"
        "from kneetui.testing import assert_plugin_valid, load_plugin\n"
        "loaded = assert_plugin_valid(kneetui_paced_bends)\n"
        "print(sorted(record.name for record in loaded.plugins))\n"
        "print(sorted(record.name for record in load_plugin(kneetui_medial_knee).plugins))\n"
        "print(sorted(record.name for record in load_plugin(kneetui_paced_bends, with_builtin=False).plugins))\n"
    )
    env = dict(subprocess_env, PYTHONPATH=str(installed_example))
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120, cwd=tmp_path, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["['medial-knee', 'paced-bends']", "['medial-knee']", "['paced-bends']"]
