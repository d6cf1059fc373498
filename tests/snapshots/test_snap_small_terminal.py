"""Every screen and dialog at 40x12, a phone's SSH client or a split pane (review the report before updating).

The sections reached from Home with one key are in test_snap_screens.py (test_small_terminal_40x12);
these are the rest: the session from its first question to its end, every dialog, the programme
screens, and what is read by scrolling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pytest

from kneetui.content.model import Dose, Program, ProgramStep
from kneetui.engine.clock import FakeClock
from kneetui.exchange.program_file import export_program
from kneetui.exchange.user_programs import UserPrograms
from kneetui.history.store import open_history_store
from kneetui.storage.config import Settings

SMALL = (40, 12)
STILL = {"safety_acknowledged": True, "animations": False, "flash": False, "get_ready_seconds": 3}

Step = str | Callable[..., object]


def guide(exercise_id: str) -> Step:
    """Open the dose choice for one exercise, as Enter on the library does."""

    async def step(pilot) -> None:
        pilot.app.action_guide_exercise(exercise_id)
        await pilot.pause()

    return step


def after(seconds: float) -> Step:
    """Let ``seconds`` pass on the session's clock."""

    async def step(pilot) -> None:
        pilot.app.clock.advance(seconds)
        pilot.app.screen.tick()
        await pilot.pause()

    return step


async def searched(pilot) -> None:
    """Wait until the command palette has searched what was typed."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


#: Low dose, starting pain 2, not swollen, not giving way.
START = ["enter", "2", "enter", "n", "n"]
TEN_REPS = ["enter"] * 10

SCENES: dict[str, Sequence[Step]] = {
    # The session, from the first question to its end.
    "dose-choice": [guide("adductor-squeeze")],
    "safety-check": ["s"],
    "advice-to-stop-first": ["s", "8", "enter", "n", "n"],
    "get-ready": [guide("sitting-adductor-stretch"), *START],
    "rest-between-sets": [guide("adductor-squeeze"), *START, after(3.5), *TEN_REPS, after(1)],
    "steps-shown-during-a-hold": [guide("sitting-adductor-stretch"), *START, after(8.5), "i"],
    "pain-check-after-an-exercise": ["s", "2", "enter", "n", "n", after(3.5), after(600)],
    "asked-before-ending-early": [guide("sitting-adductor-stretch"), *START, after(8.5), "q"],
    "pain-after-the-session": [guide("wall-slides"), *START, after(3.5), *TEN_REPS],
    "pain-after-the-session-read-to-its-end": [guide("wall-slides"), *START, after(3.5), *TEN_REPS, "pagedown"],
    "session-complete": [guide("wall-slides"), *START, after(3.5), *TEN_REPS, "2", "enter"],
    "stopped-for-pain": [
        guide("adductor-squeeze"),
        *START,
        after(3.5),
        "enter",
        "enter",
        "exclamation_mark",
        "5",
        "enter",
    ],
    # Programmes and their dialogs.
    "programmes": ["r"],
    "programme-details-read-to-the-end": ["r", "tab", "end"],
    "builder": ["r", "n"],
    "builder-with-two-exercises": ["r", "n", *"Plan", "tab", "tab", "tab", "tab", "down", "enter", "down", "enter"],
    "asked-before-leaving-the-builder": ["r", "n", *"Plan", "escape"],
    "import-prompt": ["r", "i"],
    "export-prompt": ["r", "x"],
    # Read by scrolling, or found by searching.
    "exercise-detail": ["e", "enter"],
    "exercise-detail-read-to-the-end": ["e", "enter", "end"],
    "faq-found-by-an-everyday-word": ["f", *"swollen"],
    "safety-notice": ["exclamation_mark"],
    "progress-with-no-history": ["g"],
    "command-palette-finding-an-exercise": ["ctrl+p", *"wall", searched],
}


def still_app(make_app, **options):
    settings = Settings(**{**STILL, **options.pop("settings", {})})
    return make_app(settings=settings, clock=FakeClock(), history=open_history_store().store, **options)


async def play(pilot, steps: Sequence[Step]) -> None:
    for step in steps:
        if isinstance(step, str):
            await pilot.press(step)
        else:
            await step(pilot)
    # A dialog pushed by the session's tick is laid out over the next few refreshes.
    for _ in range(3):
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


@pytest.mark.parametrize("scene", SCENES)
def test_at_40_by_12(make_app, snap_compare, scene):
    async def run_before(pilot) -> None:
        await play(pilot, SCENES[scene])

    assert snap_compare(still_app(make_app), terminal_size=SMALL, run_before=run_before)


@pytest.mark.parametrize("pages", [0, 3], ids=["opened", "read-to-its-button"])
def test_first_run_safety_notice_at_40_by_12(make_app, snap_compare, pages):
    app = still_app(make_app, settings={"safety_acknowledged": False})
    assert snap_compare(app, terminal_size=SMALL, press=["pagedown"] * pages)


def test_importing_a_programme_whose_id_is_taken_at_40_by_12(make_app, snap_compare, tmp_path):
    plan = Program(id="evenings", name="Evenings", description="", steps=(ProgramStep("wall-slides", Dose(reps=12)),))
    user_programs = UserPrograms(tmp_path / "programs")
    user_programs.save(plan)
    (tmp_path / "evenings.toml").write_text(export_program(plan), encoding="utf-8")
    app = still_app(make_app, user_programs=user_programs)

    async def import_it(pilot) -> None:
        await play(pilot, ["r", "i", "backspace", "backspace", *str(tmp_path / "evenings.toml"), "enter"])

    assert snap_compare(app, terminal_size=SMALL, run_before=import_it)


@pytest.fixture
def utc(monkeypatch):
    """Dates on screen read the same on every machine."""
    import time

    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_home_after_a_stop_for_pain_at_40_by_12(make_app, snap_compare, utc):
    # The check after the last exercise is a rise of 1: the session stops, and Home says so first.
    stopped = [guide("wall-slides"), *START, after(3.5), *TEN_REPS, "3", "enter", "escape"]

    async def stop_then_go_home(pilot) -> None:
        await play(pilot, stopped)

    assert snap_compare(still_app(make_app), terminal_size=SMALL, run_before=stop_then_go_home)
