"""A whole guided session on a fake clock, driven by the keys a person presses."""

from __future__ import annotations

from textual.widgets import Static

from kneetui.engine.clock import FakeClock
from kneetui.history.store import HistoryStore
from kneetui.storage.config import Settings
from kneetui.tui.screens.home import HomeScreen
from kneetui.tui.screens.pain_question import PainQuestionScreen
from kneetui.tui.screens.safety_check import SafetyCheckScreen
from kneetui.tui.screens.session import SessionScreen
from kneetui.tui.widgets.session_clock import SessionClock

SIZE = (80, 24)


def session_app(make_app, **settings):
    clock = FakeClock()
    history = HistoryStore.in_memory()
    options = {"safety_acknowledged": True, "get_ready_seconds": 3, "rest_seconds": 10, "bell": True, "flash": True}
    options.update(settings)
    app = make_app(settings=Settings(**options), clock=clock, history=history)
    return app, clock, history


async def wait(pilot, clock, seconds, step=0.5):
    """Let ``seconds`` pass on the fake clock, ticking the screen as a timer would."""
    elapsed = 0.0
    while elapsed < seconds - 1e-9:
        clock.advance(min(step, seconds - elapsed))
        elapsed += step
        for screen in pilot.app.screen_stack:
            if isinstance(screen, SessionScreen):
                screen.tick()
        await pilot.pause()


def session(app) -> SessionScreen:
    return next(screen for screen in app.screen_stack if isinstance(screen, SessionScreen))


async def answer_safety(pilot, pain="2", swollen="n", unstable="n"):
    assert isinstance(pilot.app.screen, SafetyCheckScreen)
    await pilot.press(pain, "enter", swollen, unstable)
    await pilot.pause()


async def test_adductor_stretch_holds_each_side_with_a_switch_cue(make_app):
    app, clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        app.action_guide_exercise("sitting-adductor-stretch")
        await pilot.pause()
        await pilot.press("enter")  # the dose: start at 15 s, the low end
        await answer_safety(pilot)
        screen = session(app)
        assert "Get ready" in str(screen.query_one("#phase-title", Static).render())
        await wait(pilot, clock, 3)
        assert "left side" in str(screen.query_one("#where", Static).render())
        assert screen.query_one("#clock", SessionClock).value == "0:15"
        await wait(pilot, clock, 15)
        assert screen.runner.phase.kind == "switch sides"
        assert any("Switch sides" in str(n.title) for n in app._notifications)
        await wait(pilot, clock, 3 + 15)
        assert isinstance(app.screen, PainQuestionScreen)
        assert "You started at 2" in str(app.screen.query_one(".pain-note", Static).render())
        await pilot.press("1", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PainQuestionScreen), "the last check is the pain after: asked once"
        recorded = history.sessions()[0]
        assert [(b.side, b.done) for b in recorded.blocks] == [("left", 15), ("right", 15)]
        assert (recorded.pain_before, recorded.pain_after) == (2, 1)
        outcome = str(screen.query_one("#outcome", Static).render())
        assert "2 → 1" in outcome and "Session complete" in outcome
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def start_single(pilot, exercise_id, dose_keys=()):
    pilot.app.action_guide_exercise(exercise_id)
    await pilot.pause()
    await pilot.press(*dose_keys, "enter")
    await answer_safety(pilot)
    return session(pilot.app)


async def test_squeezes_are_counted_rep_by_rep_with_rest_between_sets(make_app):
    app, clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "adductor-squeeze")
        await wait(pilot, clock, 3)
        assert screen.runner.phase.kind == "reps"
        await pilot.press(*["enter"] * 9)
        assert screen.query_one("#clock", SessionClock).value == "9"
        assert "of 10 reps" in str(screen.query_one("#reps", Static).render())
        await pilot.press("enter")
        assert screen.runner.phase.kind == "rest"
        assert screen.query_one("#clock", SessionClock).value == "0:10"
        await wait(pilot, clock, 10)
        assert "set 2 of 2" in str(screen.query_one("#where", Static).render())
        await pilot.press(*["enter"] * 10)
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        assert [(b.set_number, b.done) for b in history.sessions()[0].blocks] == [(1, 10), (2, 10)]


async def test_a_timed_block_shows_its_progress(make_app):
    app, clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "gentle-cycling")
        await wait(pilot, clock, 3)
        assert screen.query_one("#clock", SessionClock).value == "10:00"
        await wait(pilot, clock, 300, step=5)
        assert screen.query_one("#clock", SessionClock).value == "5:00"
        assert 45 <= screen.query_one("#session-progress").progress * 100 <= 55
        await wait(pilot, clock, 300, step=5)
        await pilot.pause()
        assert history.sessions()[0].blocks[0].done == 600


async def test_pausing_a_hold_keeps_the_remaining_time(make_app):
    app, clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3 + 5)
        assert screen.query_one("#clock", SessionClock).value == "0:10"
        await pilot.press("space")
        assert screen.has_class("-paused")
        await wait(pilot, clock, 120, step=10)
        assert screen.query_one("#clock", SessionClock).value == "0:10"
        await pilot.press("space")
        await wait(pilot, clock, 4)
        assert screen.query_one("#clock", SessionClock).value == "0:06"


async def test_skip_and_adjust_move_through_the_session(make_app):
    app, _clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await pilot.press("n")
        assert screen.runner.phase.kind == "hold"
        await pilot.press("plus")
        assert screen.query_one("#clock", SessionClock).value == "0:20"
        await pilot.press("minus", "minus")
        assert screen.query_one("#clock", SessionClock).value == "0:10"


async def test_exclamation_mark_stops_the_session_with_the_articles_advice(make_app):
    app, clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "adductor-squeeze")
        await wait(pilot, clock, 3)
        await pilot.press("enter", "enter", "enter")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        assert "consult a healthcare professional" in str(app.screen.query_one(".pain-note", Static).render())
        await pilot.press("6", "enter")
        await pilot.pause()
        outcome = str(screen.query_one("#outcome", Static).render())
        assert "STOP" in outcome and "consult a healthcare professional" in outcome
        recorded = history.sessions()[0]
        assert recorded.stop_reason and "pain" in recorded.stop_reason
        assert [b.done for b in recorded.blocks] == [3], "the three reps already done are kept"
        assert recorded.pain_after == 6


async def test_a_pain_rise_of_one_at_the_check_stops_the_session(make_app):
    app, _clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open("session")  # today's programme: the chronic one
        await pilot.pause()
        await answer_safety(pilot, pain="2")
        screen = session(app)
        await pilot.press("n", "n")  # skip get-ready and the cycling
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("3", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PainQuestionScreen), "the score that stopped it is the pain after"
        assert "STOP" in str(screen.query_one("#outcome", Static).render())
        assert history.sessions()[0].stop_reason is not None


async def test_the_same_pain_at_a_check_does_not_stop(make_app):
    app, _clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open("session")
        await pilot.pause()
        await answer_safety(pilot, pain="2")
        screen = session(app)
        await pilot.press("n", "n")
        await pilot.pause()
        await pilot.press("2", "enter")
        await pilot.pause()
        assert screen.runner.state == "running"
        assert "Exercise 2 of 6" in str(screen.query_one("#where", Static).render())


async def test_quitting_asks_first_and_keeps_what_was_done(make_app):
    app, clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3 + 15)
        await pilot.press("q")
        await pilot.press("n")
        assert screen.runner.state == "running"
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("escape", "escape")  # skip the pain question: the second Escape skips
        await pilot.pause()
        recorded = history.sessions()[0]
        assert [b.side for b in recorded.blocks] == ["left"]
        assert recorded.stop_reason == "quit"


async def test_pain_worse_on_the_end_question_asks_the_pain_once_and_keeps_that_answer(make_app):
    app, clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3 + 5)
        await pilot.press("q", "exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, PainQuestionScreen)
        await pilot.press("7", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, PainQuestionScreen), "asked once"
        recorded = history.sessions()[0]
        assert recorded.stop_reason == "pain worse" and recorded.pain_after == 7


async def test_swelling_advises_a_professional_and_stopping_is_recorded(make_app):
    app, _clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open("session")
        await pilot.pause()
        await pilot.press("3", "enter", "y", "n")
        await pilot.pause()
        assert "evaluation is recommended" in str(app.screen.query_one("#question", Static).render())
        await pilot.press("enter")  # "Stop here" has focus
        await pilot.pause()
        recorded = history.sessions()[0]
        assert recorded.swollen and recorded.advised_professional
        assert recorded.stop_reason == "advised a professional evaluation"


async def test_going_on_after_the_advice_is_an_explicit_choice_that_is_recorded(make_app):
    app, _clock, history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        app.action_open("session")
        await pilot.pause()
        await pilot.press("3", "enter", "n", "y", "tab", "enter")
        await pilot.pause()
        screen = session(app)
        assert screen.runner.state == "running"
        assert any("your own decision" in str(n.message) for n in app._notifications)
        recorded = history.sessions()[0]
        assert recorded.continued_despite_advice
        assert recorded.notes == ("went on after the advice to stop: swelling or instability",)


async def test_an_unchanged_second_is_not_redrawn(make_app):
    app, clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3.2)
        digits = screen.query_one("#clock", SessionClock)
        updates = []
        original = digits.update
        digits.update = lambda value: (updates.append(value), original(value))
        for _ in range(6):  # six ticks inside one second
            clock.advance(0.1)
            screen.tick()
        assert updates == []
        clock.advance(0.5)
        screen.tick()
        assert updates == ["0:14"]


async def test_pausing_says_paused_where_the_phase_title_was(make_app):
    app, _clock, _history = session_app(make_app, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "gentle-cycling")
        assert str(screen.query_one("#phase-title", Static).render()) == "Keep going"
        await pilot.press("space")
        assert str(screen.query_one("#phase-title", Static).render()) == "Paused"
        await pilot.press("space")
        assert str(screen.query_one("#phase-title", Static).render()) == "Keep going"


async def test_the_header_names_the_leg_as_the_instruction_does(make_app):
    app, _clock, _history = session_app(make_app, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "kneeling-leg-extension")
        where = str(screen.query_one("#where", Static).render())
        assert "left leg" in where and "Left leg" in screen.runner.phase.instruction


async def test_the_summary_gives_a_timed_block_in_minutes_and_seconds(make_app):
    app, clock, _history = session_app(make_app, get_ready_seconds=0)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "gentle-cycling")
        await wait(pilot, clock, 8)
        await pilot.press("n")  # skip the rest of the ride
        await pilot.press("2", "enter")
        await pilot.pause()
        outcome = str(screen.query_one("#outcome", Static).render())
        assert "Gentle cycling: timed, 0:08 of 10:00" in outcome and "1 block" in outcome


async def test_during_a_hold_the_drawing_stands_still_on_the_pose_to_hold(make_app):
    from kneetui.tui.widgets.exercise_drawing import ExerciseDrawing

    app, clock, _history = session_app(make_app, animations=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3.5)
        assert screen.runner.phase.kind == "hold"
        drawing = screen.query_one(ExerciseDrawing)
        assert not drawing.animating and drawing.frame_index == 0


async def test_the_drawing_keeps_one_width_whichever_caption_shows(make_app):
    from kneetui.tui.widgets.exercise_drawing import ExerciseDrawing

    app, _clock, _history = session_app(make_app, animations=True)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        drawing = screen.query_one(ExerciseDrawing)
        widths = set()
        for _ in range(3):
            drawing.advance()
            await pilot.pause()
            widths.add((drawing.region.x, drawing.region.width))
        assert len(widths) == 1


async def test_opening_help_over_a_hold_pauses_it_until_the_person_goes_on(make_app):
    app, clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3 + 5)
        assert screen.query_one("#clock", SessionClock).value == "0:10"
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen is not screen and app.showing_help()
        await wait(pilot, clock, 120, step=10)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.has_class("-paused")
        assert str(screen.query_one("#phase-title", Static).render()) == "Paused"
        assert screen.query_one("#clock", SessionClock).value == "0:10"
        await pilot.press("space")
        await wait(pilot, clock, 4)
        assert screen.query_one("#clock", SessionClock).value == "0:06"


async def test_f1_over_a_paused_session_keeps_it_paused(make_app):
    app, clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        screen = await start_single(pilot, "sitting-adductor-stretch")
        await wait(pilot, clock, 3 + 5)
        await pilot.press("space")
        await pilot.press("f1")
        await pilot.pause()
        assert app.showing_help()
        await pilot.press("escape")
        await pilot.pause()
        assert screen.runner is not None and screen.runner.paused
        assert screen.query_one("#clock", SessionClock).value == "0:10"


async def test_a_screen_that_was_beneath_a_session_is_drawn_whole_again_after_it(make_app):
    # A session lets the screens beneath it forget their rendered lines; shown again, they are redrawn.
    app, clock, _history = session_app(make_app)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        await pilot.pause()
        library = app.export_screenshot()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("g", "enter")
        await answer_safety(pilot)
        await wait(pilot, clock, 3 + 5)
        await pilot.press("q", "y")
        await pilot.pause()
        await pilot.press("escape", "escape", "escape")  # the pain question, then the summary
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("e")
        await pilot.pause()
        assert app.export_screenshot() == library


async def test_the_end_says_when_nothing_was_saved_and_only_then(make_app, tmp_path):
    from kneetui.history.store import open_history_store

    for history, says in ((HistoryStore.in_memory(), True), (open_history_store(tmp_path / "h.sqlite3").store, False)):
        app = make_app(
            settings=Settings(safety_acknowledged=True, get_ready_seconds=0), clock=FakeClock(), history=history
        )
        async with app.run_test(size=SIZE) as pilot:
            await start_single(pilot, "wall-slides")
            await pilot.press("q", "y")
            await pilot.pause()
            await pilot.press("2", "enter")
            await pilot.pause()
            outcome = str(session(app).query_one("#outcome", Static).render())
            assert ("Not saved: the history is kept in memory only" in outcome) is says, outcome
