"""The safety rule, scenario by scenario, in every front end: each ends the same way and writes the
same history rows in the full-screen app and in ``guide --plain``; ``!`` stops on plug-in screens too."""

from __future__ import annotations

import io
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from kneetui.cli import guide as guide_module
from kneetui.cli.main import build_parser
from kneetui.engine.clock import FakeClock
from kneetui.engine.safety import STOP_ADVICE
from kneetui.engine.session import SKIPPED_AFTER_NOTE, WORSE_BEFORE_START_NOTE
from kneetui.history.store import HistoryStore, open_history_store
from kneetui.plugin_host.loader import load_plugins
from kneetui.storage.config import Settings
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.safety_check import SafetyCheckScreen
from kneetui.tui.screens.session import SessionScreen

REST = 10


@dataclass(frozen=True)
class Row:
    """What the history keeps of a session, as a physiotherapist would read it."""

    stop_reason: str | None
    pain_before: int | None
    pain_after: int | None
    checks: tuple[int, ...]
    blocks: tuple[tuple[str | None, int], ...]
    went_on: bool
    notes: tuple[str, ...]


def row_of(history: HistoryStore) -> Row:
    [session] = history.sessions()
    return Row(
        session.stop_reason,
        session.pain_before,
        session.pain_after,
        tuple(check.pain for check in session.pain_checks),
        tuple((block.side, block.done) for block in session.blocks),
        session.continued_despite_advice,
        session.notes,
    )


# -- the front ends, driven by the same steps -------------------------------------------------


class AppDriver:
    """The full-screen app, on a fake clock, through the keys a person presses."""

    def __init__(self, make_app, target: str) -> None:
        self.clock = FakeClock()
        self.history = HistoryStore.in_memory()
        self.app = make_app(
            settings=Settings(safety_acknowledged=True, get_ready_seconds=0, rest_seconds=REST),
            clock=self.clock,
            history=self.history,
        )
        self.target = target

    async def run(self, steps: list[Callable]) -> Row:
        async with self.app.run_test(size=(80, 24)) as pilot:
            self.pilot = pilot
            is_programme = self.app.catalog.program(self.target) is not None
            screen = SessionScreen(program_id=self.target) if is_programme else SessionScreen(exercise_id=self.target)
            self.app.push_screen(screen)
            await pilot.pause()
            for step in steps:
                await step(self)
            await pilot.pause()
            self.session_screen = screen
            self.outcome = str(screen.query_one("#outcome").render())
        return row_of(self.history)

    async def keys(self, *keys: str) -> None:
        await self.pilot.press(*keys)
        await self.pilot.pause()

    async def safety(self, pain: int, swollen: bool, unstable: bool, choice: str | None) -> None:
        assert isinstance(self.app.screen, SafetyCheckScreen)
        await self.keys(*str(pain), "enter", "y" if swollen else "n", "y" if unstable else "n")
        if choice is not None:
            assert isinstance(self.app.screen, SafetyCheckScreen), "the policy asks before starting"
            await self.keys(*(["enter"] if choice == "stop" else ["tab", "enter"]))

    async def pain_before(self, score: int) -> None:
        """Only the first of the questions before the start: the pain now."""
        assert isinstance(self.app.screen, SafetyCheckScreen)
        await self.keys(*str(score), "enter")

    async def wait(self, seconds: float) -> None:
        left = seconds
        while left > 1e-9:
            step = min(0.5, left)
            self.clock.advance(step)
            left -= step
            for screen in self.app.screen_stack:
                if isinstance(screen, SessionScreen):
                    screen.tick()
            await self.pilot.pause()

    async def reps(self, count: int) -> None:
        await self.keys(*["enter"] * count)

    async def worse(self) -> None:
        await self.keys("exclamation_mark")

    async def skip(self) -> None:
        await self.keys("n")

    async def quit(self) -> None:
        await self.keys("q", "y")

    async def pain(self, score: int) -> None:
        assert isinstance(self.app.screen, PainQuestionScreen)
        await self.keys(*str(score), "enter")

    async def skip_check(self) -> None:
        assert isinstance(self.app.screen, PainQuestionScreen)
        await self.keys("escape")
        assert isinstance(self.app.screen, PainQuestionScreen), "one Escape only warns"
        await self.keys("escape")


class PlainDriver:
    """``guide --plain``: the same steps become the lines typed and the moments they arrive."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.lines: list[str] = []
        self.input_at: list[float] = []
        self.elapsed = 0.0
        self.counting_down = False

    async def run(self, steps: list[Callable]) -> Row:
        for step in steps:
            await step(self)
        clock = FakeClock()
        start = clock.now()
        moments = list(self.input_at)

        def wait(seconds: float) -> bool:
            until = clock.now() + seconds
            if moments and start + moments[0] <= until:
                clock.advance(max(0.0, start + moments.pop(0) - clock.now()))
                return True
            clock.advance(seconds)
            return False

        history = HistoryStore.in_memory()
        history.close = lambda: None  # the guide closes its recorder; this one is read afterwards
        stdout = io.StringIO()
        args = build_parser().parse_args(["guide", self.target, "--plain", "--get-ready", "0", "--rest", str(REST)])
        self.code = guide_module.run_guide(
            args,
            load_plugins(),
            recorder=history,
            clock=clock,
            wait=wait,
            stdin=io.StringIO("".join(line + "\n" for line in self.lines)),
            stdout=stdout,
        )
        self.out = stdout.getvalue().replace("\a", "")
        return row_of(history)

    def type(self, line: str) -> None:
        if self.counting_down:
            self.input_at.append(self.elapsed)
        self.lines.append(line)

    async def safety(self, pain: int, swollen: bool, unstable: bool, choice: str | None) -> None:
        self.lines += [str(pain), "y" if swollen else "n", "y" if unstable else "n"]
        if choice is not None:
            self.lines.append("s" if choice == "stop" else "g")

    async def pain_before(self, score: int) -> None:
        self.lines.append(str(score))

    async def wait(self, seconds: float) -> None:
        self.counting_down = True
        self.elapsed += seconds

    async def reps(self, count: int) -> None:
        self.counting_down = False
        self.lines += [""] * count

    async def worse(self) -> None:
        self.type("!")
        self.counting_down = False

    async def skip(self) -> None:
        self.type("n")

    async def quit(self) -> None:
        self.type("q")
        self.counting_down = False

    async def pain(self, score: int) -> None:
        self.counting_down = False
        self.lines.append(str(score))

    async def skip_check(self) -> None:
        self.counting_down = False
        self.lines.append("s")


# -- the scenarios -----------------------------------------------------------------------------


def answer_pain_before(score):
    return lambda driver: driver.pain_before(score)


def safety(pain=2, swollen=False, unstable=False, choice=None):
    return lambda driver: driver.safety(pain, swollen, unstable, choice)


def wait(seconds):
    return lambda driver: driver.wait(seconds)


def reps(count):
    return lambda driver: driver.reps(count)


def pain(score):
    return lambda driver: driver.pain(score)


def worse(driver):
    return driver.worse()


def skip(driver):
    return driver.skip()


def quit_(driver):
    return driver.quit()


def skip_check(driver):
    return driver.skip_check()


CYCLING, SLIDES = "Gentle cycling", "Wall slides"
WENT_ON = ("went on after the advice to stop: swelling or instability",)


@dataclass(frozen=True)
class Scenario:
    target: str
    steps: tuple
    row: Row
    advised: bool


SCENARIOS = {
    "a rise of 1 at an exercise check": Scenario(
        "acute",
        (safety(2), wait(1), skip, pain(3)),
        Row(f"pain rose from 2 to 3 after {CYCLING}", 2, 3, (3,), ((None, 1),), False, ()),
        advised=True,
    ),
    "a rise only at the end": Scenario(
        "wall-slides",
        (safety(2), reps(10), pain(3)),
        Row(f"pain rose from 2 to 3 after {SLIDES}", 2, 3, (3,), ((None, 10),), False, ()),
        advised=True,
    ),
    "! during a hold": Scenario(
        "sitting-adductor-stretch",
        (safety(2), wait(6), worse, pain(4)),
        Row("pain worse", 2, 4, (), (("left", 6),), False, ()),
        advised=True,
    ),
    "! during a rep count": Scenario(
        "adductor-squeeze",
        (safety(2), reps(3), worse, pain(4)),
        Row("pain worse", 2, 4, (), ((None, 3),), False, ()),
        advised=True,
    ),
    "! during a rest": Scenario(
        "adductor-squeeze",
        (safety(2), reps(10), wait(4), worse, pain(4)),
        Row("pain worse", 2, 4, (), ((None, 10),), False, ()),
        advised=True,
    ),
    "! before the start": Scenario(
        "acute",
        (worse,),
        Row("pain worse", None, None, (), (), False, (WORSE_BEFORE_START_NOTE,)),
        advised=True,
    ),
    "! at the swelling question": Scenario(
        "wall-slides",
        (answer_pain_before(3), worse),
        Row("pain worse", None, None, (), (), False, (WORSE_BEFORE_START_NOTE,)),
        advised=True,
    ),
    "swelling, then ! at the advice": Scenario(
        "wall-slides",
        (safety(2, swollen=True), worse),
        Row("pain worse", 2, None, (), (), False, (WORSE_BEFORE_START_NOTE,)),
        advised=True,
    ),
    "swelling, then stop": Scenario(
        "wall-slides",
        (safety(2, swollen=True, choice="stop"),),
        Row("advised a professional evaluation", 2, None, (), (), False, ()),
        advised=True,
    ),
    "swelling, then go on": Scenario(
        "wall-slides",
        (safety(2, swollen=True, choice="go on"), reps(10), pain(2)),
        Row(None, 2, 2, (2,), ((None, 10),), True, WENT_ON),
        advised=False,
    ),
    "starting at 9": Scenario(
        "wall-slides",
        (safety(9, choice="stop"),),
        Row("pain high at the start", 9, None, (), (), False, ()),
        advised=True,
    ),
    "starting at 9, going on, then 10": Scenario(
        "wall-slides",
        (safety(9, choice="go on"), reps(10), pain(10)),
        Row(
            f"pain rose from 9 to 10 after {SLIDES}",
            9,
            10,
            (10,),
            ((None, 10),),
            True,
            ("went on after the advice to stop: high pain",),
        ),
        advised=True,
    ),
    "quit mid-exercise": Scenario(
        "sitting-adductor-stretch",
        (safety(2), wait(6), quit_, pain(2)),
        Row("quit", 2, 2, (), (("left", 6),), False, ()),
        advised=False,
    ),
    "quit mid-exercise, worse at the end": Scenario(
        "sitting-adductor-stretch",
        (safety(2), wait(6), quit_, pain(3)),
        Row("pain rose from 2 to 3 after the session ended early", 2, 3, (), (("left", 6),), False, ()),
        advised=True,
    ),
    "quit mid-exercise, pain after skipped": Scenario(
        "sitting-adductor-stretch",
        (safety(2), wait(6), quit_, skip_check),
        Row("quit", 2, None, (), (("left", 6),), False, (SKIPPED_AFTER_NOTE,)),
        advised=False,
    ),
    "skipping a check": Scenario(
        "wall-slides",
        (safety(2), reps(10), skip_check),
        Row(None, 2, None, (), ((None, 10),), False, (f"pain check after {SLIDES} skipped",)),
        advised=False,
    ),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
@pytest.mark.parametrize("front_end", ["app", "plain"])
async def test_each_scenario_ends_the_same_in_every_front_end(name, front_end, make_app):
    scenario = SCENARIOS[name]
    driver = AppDriver(make_app, scenario.target) if front_end == "app" else PlainDriver(scenario.target)
    row = await driver.run(list(scenario.steps))
    assert row == scenario.row
    if front_end == "app":
        shown = driver.outcome
        assert ("STOP." in shown and STOP_ADVICE.split(",")[0] in shown) == scenario.advised
    else:
        lines = driver.out.splitlines()
        said = [line for line in lines if line.endswith(STOP_ADVICE)]
        assert bool(said) == scenario.advised
        assert len(said) <= 2, "said when it happens, and once more at most in the summary"
        assert driver.code == (0 if scenario.row.stop_reason is None else 1)


# -- plug-in screens: kneetui's frame, whatever the plug-in binds --------------------------------


async def start_plugin_exercise(make_app, exercise_id):
    clock, history = FakeClock(), HistoryStore.in_memory()
    app = make_app(
        "bare_screens",
        settings=Settings(safety_acknowledged=True, get_ready_seconds=0),
        clock=clock,
        history=history,
    )
    return app, history


async def enter_plugin_screen(pilot, exercise_id):
    app = pilot.app
    app.push_screen(SessionScreen(exercise_id=exercise_id))
    await pilot.pause()
    await pilot.press("2", "enter", "n", "n")
    for _ in range(20):
        await pilot.pause()
        if app.in_plugin_frame():
            return
    raise AssertionError("the plug-in's screen never showed")


async def test_a_plugin_screen_that_binds_nothing_can_still_be_stopped_with_the_exclamation_mark(make_app):
    app, history = await start_plugin_exercise(make_app, "bare-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_plugin_screen(pilot, "bare-hold")
        bar = app.screen.query_one("SafetyFrameBar")
        assert "! pain is worse" in str(bar.render()) and "q end the session" in str(bar.render())
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert row_of(history) == Row("pain worse", 2, 4, (), (), False, ())


async def test_the_exclamation_mark_stops_even_while_a_text_field_of_the_plugin_has_focus(make_app):
    app, history = await start_plugin_exercise(make_app, "typed-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_plugin_screen(pilot, "typed-hold")
        await pilot.press("n", "o", "t", "e")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert row_of(history).stop_reason == "pain worse"


async def test_a_plugin_screen_that_finishes_on_its_own_timer_hands_back_to_kneetuis_check(make_app):
    app, history = await start_plugin_exercise(make_app, "timed-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SessionScreen(exercise_id="timed-hold"))
        await pilot.pause()
        await pilot.press("2", "enter", "n", "n")
        for _ in range(20):
            await pilot.pause(0.02)
            if isinstance(app.screen, PainQuestionScreen):
                break
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert row_of(history) == Row(None, 2, 2, (2,), ((None, 10),), False, ())
        assert isinstance(app.screen, SessionScreen) and app.screen.over


async def run_until(pilot, predicate, tries=40):
    for _ in range(tries):
        await pilot.pause(0.02)
        if predicate():
            return
    raise AssertionError("never happened")


async def test_guide_quit_from_a_plugin_asks_the_person_first(make_app):
    from kneetui.tui.screens.end_session import EndSessionScreen

    app, history = await start_plugin_exercise(make_app, "quitting-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SessionScreen(exercise_id="quitting-hold"))
        await pilot.pause()
        await pilot.press("2", "enter", "n", "n")
        await run_until(pilot, lambda: isinstance(app.screen, EndSessionScreen))
        await pilot.press("y")
        await run_until(pilot, lambda: isinstance(app.screen, PainQuestionScreen))
        await pilot.press("2", "enter")
        await pilot.pause()
        assert row_of(history).stop_reason == "quit"


async def test_guide_skip_from_a_plugin_goes_to_kneetuis_check_and_is_noted(make_app):
    app, history = await start_plugin_exercise(make_app, "skipping-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SessionScreen(exercise_id="skipping-hold"))
        await pilot.pause()
        await pilot.press("2", "enter", "n", "n")
        await run_until(pilot, lambda: isinstance(app.screen, PainQuestionScreen))
        await pilot.press("2", "enter")
        await pilot.pause()
        assert row_of(history) == Row(None, 2, 2, (2,), (), False, ("the rest of Skipping hold skipped",))


async def test_q_on_a_plugin_screen_asks_first_and_ends_the_session(make_app):
    app, history = await start_plugin_exercise(make_app, "bare-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_plugin_screen(pilot, "bare-hold")
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("n")  # not yet
        await pilot.pause()
        assert app.in_plugin_frame()
        await pilot.press("q", "y")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("2", "enter")
        await pilot.pause()
        assert row_of(history).stop_reason == "quit"


async def test_a_screen_the_plugin_opens_is_inside_the_frame_too(make_app):
    app, _history = await start_plugin_exercise(make_app, "pushy-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_plugin_screen(pilot, "pushy-hold")
        await pilot.pause()
        assert type(app.screen).__name__ == "InnerScreen"
        assert app.in_plugin_frame()
        assert app.screen.query("SafetyFrameBar")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        assert not any(type(screen).__name__ in ("InnerScreen", "BareScreen") for screen in app.screen_stack)


async def test_a_plugin_that_calls_app_exit_has_its_screen_closed_and_kneetui_goes_on(make_app):
    app, _history = await start_plugin_exercise(make_app, "exiting-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        app.push_screen(SessionScreen(exercise_id="exiting-hold"))
        await pilot.pause()
        await pilot.press("2", "enter", "n", "n")
        for _ in range(10):
            await pilot.pause(0.02)
        assert app.is_running and app.return_code is None
        assert isinstance(app.screen, SessionScreen)
        assert any("bare_screens" in str(n.message) and "app.exit" in str(n.message) for n in app._notifications)


# -- plain mode through a real pipe ------------------------------------------------------------


def test_exclamation_mark_through_a_pipe_stops_a_countdown_within_a_second(subprocess_env):
    process = subprocess.Popen(
        [sys.executable, "-m", "kneetui", "guide", "sitting-adductor-stretch", "--plain", "--get-ready", "0"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=subprocess_env,
    )
    try:
        process.stdin.write("2\nn\nn\n")
        process.stdin.flush()
        seen = []
        for line in process.stdout:
            seen.append(line)
            if "Left side: hold for 15 s" in line:
                break
        sent = time.monotonic()
        process.stdin.write("!\n")
        process.stdin.flush()
        for line in process.stdout:
            seen.append(line)
            if STOP_ADVICE in line:
                break
        took = time.monotonic() - sent
        process.stdin.write("s\n")
        process.stdin.close()
        assert process.wait(timeout=30) == 1
    finally:
        if process.poll() is None:
            process.kill()
    assert took < 1.0, f"the stop came {took:.2f} s after the ! arrived"
    opened = open_history_store()
    [session] = opened.store.sessions()
    assert session.stop_reason == "pain worse"
    assert all(block.side == "left" and block.done < 15 for block in session.blocks)


async def test_the_exclamation_mark_while_asked_to_end_the_session_stops_it_for_pain(make_app):
    driver = AppDriver(make_app, "sitting-adductor-stretch")

    async def worse_while_asked(driver):
        await driver.keys("q")
        await driver.keys("exclamation_mark")

    row = await driver.run([safety(2), wait(6), worse_while_asked, pain(4)])
    assert row == Row("pain worse", 2, 4, (), (("left", 6),), False, ())
    assert "STOP." in driver.outcome


async def test_the_exclamation_mark_while_asked_to_end_a_plugin_screen_stops_it_for_pain(make_app):
    app, history = await start_plugin_exercise(make_app, "bare-hold")
    async with app.run_test(size=(80, 24)) as pilot:
        await enter_plugin_screen(pilot, "bare-hold")
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("4", "enter")
        await pilot.pause()
        assert row_of(history).stop_reason == "pain worse"
