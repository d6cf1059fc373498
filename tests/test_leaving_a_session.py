"""A session under way ends only the way the person ends it, with its pain check: not by jumping
elsewhere from the palette, not by Ctrl+Q, not by a key meant for the countdown; ``!`` stops it
even with Help open over it."""

from __future__ import annotations

import pytest
from textual.command import CommandPalette

from kneetui.engine.clock import FakeClock
from kneetui.engine.session import RunnerState
from kneetui.history.store import HistoryStore
from kneetui.storage.config import Settings
from kneetui.tui.screens.end_session import EndSessionScreen
from kneetui.tui.screens.help import HelpScreen
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.session import SessionScreen

SIZE = (80, 24)


class Guided:
    """The full-screen app on a fake clock, guiding one exercise after a starting pain of 2."""

    def __init__(self, make_app, exercise_id: str) -> None:
        self.clock = FakeClock()
        self.history = HistoryStore.in_memory()
        self.app = make_app(
            settings=Settings(safety_acknowledged=True, get_ready_seconds=0), clock=self.clock, history=self.history
        )
        self.session = SessionScreen(exercise_id=exercise_id)

    async def start(self, pilot) -> None:
        self.pilot = pilot
        self.app.push_screen(self.session)
        await pilot.pause()
        await self.keys("2", "enter", "n", "n")
        assert self.app.screen is self.session

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def wait(self, seconds: float) -> None:
        for _ in range(int(seconds * 2)):
            self.clock.advance(0.5)
            self.session.tick()
            await self.pilot.pause()

    def recorded(self):
        self.history.flush()
        [session] = self.history.sessions()
        return session


async def test_opening_a_section_from_the_palette_asks_to_end_the_session_instead(make_app):
    guided = Guided(make_app, "sitting-adductor-stretch")
    async with guided.app.run_test(size=SIZE) as pilot:
        await guided.start(pilot)
        guided.app.action_open("library")
        await pilot.pause()
        assert guided.session in guided.app.screen_stack
        assert isinstance(guided.app.screen, EndSessionScreen)
        assert any("A session is under way" in str(note.message) for note in guided.app._notifications)
        await guided.keys("y")
        assert isinstance(guided.app.screen, PainQuestionScreen)
        await guided.keys("3", "enter")
    recorded = guided.recorded()
    assert recorded.pain_after == 3
    assert recorded.stop_reason == "pain rose from 2 to 3 after the session ended early"


async def test_the_palette_itself_cannot_jump_out_of_a_session(make_app):
    guided = Guided(make_app, "sitting-adductor-stretch")
    async with guided.app.run_test(size=SIZE) as pilot:
        await guided.start(pilot)
        await guided.keys("ctrl+p")
        assert isinstance(guided.app.screen, CommandPalette)
        await guided.keys(*"Wall slides")
        await pilot.pause(0.3)
        await guided.keys("enter")
        await pilot.pause()
        assert guided.session.under_way
        assert isinstance(guided.app.screen, EndSessionScreen)


@pytest.mark.parametrize("where", ["hold", "pain check"])
async def test_ctrl_q_ends_the_session_first_and_never_skips_its_check(make_app, where):
    guided = Guided(make_app, "sitting-adductor-stretch")
    async with guided.app.run_test(size=SIZE) as pilot:
        await guided.start(pilot)
        if where == "pain check":
            await guided.wait(80)
            assert isinstance(guided.app.screen, PainQuestionScreen)
        await guided.keys("ctrl+q")
        assert guided.app.is_running
        assert guided.session.under_way
        if where == "hold":
            assert isinstance(guided.app.screen, EndSessionScreen)
            await guided.keys("y")
        assert isinstance(guided.app.screen, PainQuestionScreen)
        await guided.keys("2", "enter")
        assert not guided.session.under_way
        await guided.keys("ctrl+q")
        assert not guided.app.is_running
    assert guided.recorded().pain_after == 2


async def test_pain_worse_with_help_open_over_the_session_stops_it(make_app):
    guided = Guided(make_app, "sitting-adductor-stretch")
    async with guided.app.run_test(size=SIZE) as pilot:
        await guided.start(pilot)
        await guided.keys("question_mark")
        assert isinstance(guided.app.screen, HelpScreen)
        await guided.keys("exclamation_mark")
        assert guided.app.screen is guided.session or isinstance(guided.app.screen, PainQuestionScreen)
        assert guided.session.runner is not None
        assert guided.session.runner.stop_reason == "pain worse"


async def test_a_skip_typed_as_a_hold_ends_behind_the_quit_question_waits_for_the_check(make_app, monkeypatch):
    # The screen looks at the runner only when told to here: no tick comes between two keys.
    monkeypatch.setattr("kneetui.tui.screens.session.TICK_SECONDS", 3600)
    guided = Guided(make_app, "sitting-adductor-stretch")
    async with guided.app.run_test(size=SIZE) as pilot:
        await guided.start(pilot)
        await guided.keys("n")  # to the right side
        await guided.keys("q")
        assert isinstance(guided.app.screen, EndSessionScreen)
        guided.clock.advance(40)  # the last hold ends while the question is open
        guided.session.tick()
        # "No, go on", and a skip typed straight after it: the check that fell due is asked at
        # once, and the skip does not pass it.
        await guided.keys("n", "n")
        assert isinstance(guided.app.screen, PainQuestionScreen)
        await guided.keys("n", "b", "minus", "space")
        assert isinstance(guided.app.screen, PainQuestionScreen)
        assert guided.session.runner is not None
        assert guided.session.runner.state is RunnerState.RUNNING
        assert guided.session.runner.notes == []


async def test_a_digit_that_is_not_ascii_is_not_a_pain_score(make_app):
    guided = Guided(make_app, "sitting-adductor-stretch")
    async with guided.app.run_test(size=SIZE) as pilot:
        guided.pilot = pilot
        guided.app.push_screen(guided.session)
        await pilot.pause()
        for character in ("①", "²", "٣"):
            await pilot.press(character)
        await pilot.pause()
        assert guided.app.is_running
        await guided.keys("4", "enter")
        assert guided.app.is_running
