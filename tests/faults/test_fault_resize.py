"""The terminal resized many times a second, down to 20x8, on every screen and during a session."""

from __future__ import annotations

import itertools

from fault_helpers import wait_until
from textual.events import Resize
from textual.geometry import Size

from kneetui.content.model import Program, ProgramStep
from kneetui.engine.clock import FakeClock
from kneetui.history.store import HistoryStore
from kneetui.storage.config import Settings
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.session import SessionScreen
from kneetui.tui.sections import SECTIONS

SIZES = [(80, 24), (20, 8), (120, 40), (21, 9), (33, 11), (20, 8), (200, 60), (40, 12), (20, 8)]
BURST = [(20, 8), (120, 40), (21, 9), (200, 60), (33, 11)]


async def shake(pilot) -> None:
    """A burst of resizes with no pause between (as a dragged window sends them), then 20x8."""
    app = pilot.app
    for width, height in BURST:
        size = Size(width, height)
        app._driver._size = size
        app.post_message(Resize(size, size))
    await pilot.resize_terminal(20, 8)
    assert app.is_running


async def test_every_section_survives_being_shaken(make_app):
    app = make_app(settings=Settings(safety_acknowledged=True, get_ready_seconds=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await shake(pilot)  # home
        for section in SECTIONS:
            if section.name == "session":
                continue  # the session has its own test below
            app.action_open(section.name)
            await pilot.pause()
            screen = app.screen
            await shake(pilot)
            assert app.screen is screen, f"still on {section.name}"
            if section.name == "library":
                await pilot.press("enter")  # the exercise detail, with its drawing
                await shake(pilot)


async def test_the_dialogs_survive_being_shaken(make_app):
    app = make_app(settings=Settings(safety_acknowledged=False, get_ready_seconds=0))
    async with app.run_test(size=(80, 24)) as pilot:
        await shake(pilot)  # the first-run safety notice
        await pilot.press("enter")
        app.action_guide_exercise("adductor-squeeze")
        await pilot.pause()
        await shake(pilot)  # dose choice
        await pilot.press("enter")
        await shake(pilot)  # safety check
        await pilot.press("1", "enter", "y")
        await shake(pilot)  # the advice to be evaluated, with its buttons
        assert app.is_running


async def test_a_running_session_survives_being_shaken_from_start_to_summary(make_app):
    clock, history = FakeClock(), HistoryStore.in_memory()
    settings = Settings(safety_acknowledged=True, get_ready_seconds=3, rest_seconds=5, program="shaken")
    app = make_app(settings=settings, clock=clock, history=history)
    # Holds on each side, reps in two sets with a rest, pain checks: every kind of phase, briefly.
    steps = ("sitting-adductor-stretch", "adductor-squeeze", "wall-slides")
    app.catalog.add("programs", Program("shaken", "Shaken", "s", tuple(ProgramStep(step) for step in steps)), "test")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("1", "enter", "n", "n")
        await wait_until(pilot, lambda: isinstance(app.screen, SessionScreen) and app.screen.runner is not None)
        session = app.screen
        sizes = itertools.cycle(SIZES)
        for _ in range(150):
            if session.over:
                break
            for _ in range(2):
                size = Size(*next(sizes))
                app._driver._size = size
                app.post_message(Resize(size, size))
            clock.advance(3)
            session.tick()
            if isinstance(app.screen, PainQuestionScreen):
                await pilot.press("1", "enter")
            elif app.screen is session and session.runner.phase.kind == "reps":
                for _ in range(5):
                    session.action_count_rep()
            await pilot.pause()
        assert session.over, "the whole programme was guided while the terminal kept changing size"
        await shake(pilot)
        assert app.is_running
    recorded = history.sessions()[0]
    assert recorded.ended_at is not None and len(recorded.blocks) >= 5
