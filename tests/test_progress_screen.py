"""The Progress screen with no history, one session and a year of sessions."""

from __future__ import annotations

from datetime import date, timedelta

from history_samples import TODAY, a_year_of_history, at, chronic_doses, clock_on, record_session

from kneetui.content.model import Dose
from kneetui.history.records import PainPoint
from kneetui.history.store import HistoryStore
from kneetui.tui.screens.progress import ProgressScreen
from kneetui.tui.widgets.day_calendar import DayCalendar, week_grid
from kneetui.tui.widgets.pain_chart import PainChart, chart_columns, pain_chart

SIZE = (80, 24)


def shown(screen, selector: str) -> str:
    return "\n".join(str(widget.render()) for widget in screen.query(selector))


async def open_progress(pilot) -> ProgressScreen:
    await pilot.press("g")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ProgressScreen)
    return pilot.app.screen


async def test_with_no_history_the_screen_says_what_will_appear(make_app):
    app = make_app(history=HistoryStore.in_memory(), clock=clock_on())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot)
        text = shown(screen, "#nothing-yet")
        assert "Nothing recorded yet" in text and "your streak" in text
        assert not screen.query(DayCalendar) and not screen.query(PainChart)
        await pilot.press("escape")
        assert not isinstance(app.screen, ProgressScreen)


async def test_after_one_session_the_streak_is_one_day_and_each_exercise_has_its_totals(make_app):
    store = HistoryStore.in_memory()
    record_session(store, TODAY, chronic_doses(0), pain_before=5, pain_after=4)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot)
        summary = shown(screen, "#day-summary")
        assert "Current streak: 1 day\n" in summary
        assert "Days exercised: 1\n" in summary and "Sessions: 1\n" in summary
        assert "Last session: 15 Mar" in summary
        totals = shown(screen, ".exercise-total")
        assert "Wall slides  1 session · 10 reps · last on 15 Mar" in totals
        assert "Gentle cycling  1 session · 10 min" in totals
        assert "Last time 10 reps  = next time keep 10 reps" in totals
        assert "1 of 3 complete sessions in a row without more pain at this dose" in totals
        assert "pain before 5.0, after 4.0" in shown(screen, "#pain-summary")


async def test_a_year_of_history_shows_the_streak_days_totals_and_hints(make_app):
    # How fast it opens is for benchmarks/ to measure, not for a timed test to assert.
    store = HistoryStore.in_memory()
    days = a_year_of_history(store)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot)
        summary = shown(screen, "#day-summary")
        assert "Current streak: 10 days\n" in summary
        assert f"Days exercised: {len(days)}\n" in summary and len(days) == 263
        assert "in the last 4 weeks: 22" in summary
        totals = shown(screen, ".exercise-total")
        assert "Wall slides  263 sessions · 3,111 reps" in totals
        # The last session's pain check rose after wall slides: every exercise of it says consult, none steps down.
        assert (
            "Last time 14 reps  ! next time consult a healthcare professional first\n"
            "  ◆ Pain rose last time: consult a healthcare professional before doing this exercise again." in totals
        )
        assert "Last time 14 min  ! next time consult" in totals
        assert "next time try" not in totals and "step down" not in totals
        assert "Completed on 12 days of the last 14." in totals
        chart = screen.query_one(PainChart)
        assert "each column: one week (mean)" in str(chart.render())


async def test_a_streak_that_reaches_yesterday_asks_for_today(make_app):
    store = HistoryStore.in_memory()
    for back in (1, 2, 3, 5):
        record_session(store, TODAY - timedelta(days=back), chronic_doses(0), 4, 4)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot)
        assert "Current streak: 3 days (exercise today to keep it going)" in shown(screen, "#day-summary")


async def test_an_exercise_no_plugin_provides_is_listed_without_a_hint(make_app):
    store = HistoryStore.in_memory()
    record_session(store, TODAY, {"retired-exercise": Dose(reps=8)}, None, None)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_progress(pilot)
        totals = shown(screen, ".exercise-total")
        assert "retired-exercise  1 session · 8 reps" in totals
        assert "Not in the loaded plug-ins" in totals
        assert "No pain scores were given yet." in shown(screen, "#pain-summary")


async def test_at_40_by_12_the_screen_scrolls_instead_of_clipping(make_app):
    store = HistoryStore.in_memory()
    a_year_of_history(store)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=(40, 12)) as pilot:
        screen = await open_progress(pilot)
        scroll = screen.query_one("#progress-scroll")
        assert scroll.has_focus and scroll.max_scroll_y > 0
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        assert screen.query_one(DayCalendar).size.width <= 36


def test_the_calendar_marks_days_with_shapes_not_only_colour():
    done = {TODAY - timedelta(days=1), TODAY - timedelta(days=3)}
    grid = week_grid(done, TODAY - timedelta(days=0), weeks=2).plain.splitlines()
    assert grid[0] == "    Mar"
    # Sunday 15 March (today) not yet done; Saturday done; Thursday done; Friday not.
    assert grid[7] == "Sun · □"
    assert grid[6] == "Sat · ■"
    assert grid[5] == "Fri · ·"
    assert grid[4] == "Thu · ■"
    assert grid[-1] == "■ exercised  · none  □ today, not yet"


def test_the_calendar_leaves_days_to_come_blank():
    wednesday = date(2026, 3, 11)
    grid = week_grid({wednesday}, wednesday, weeks=1).plain.splitlines()
    assert grid[3] == "Wed ■" and grid[4] == "Thu"


def test_the_pain_chart_keeps_the_scale_fixed_from_0_to_10():
    points = [PainPoint(1, at(TODAY - timedelta(days=1)), 3, 2), PainPoint(2, at(TODAY), 3, 0)]
    lines = pain_chart(points, 40).plain.splitlines()
    assert lines[0].strip() == "Pain before (0–10)"
    # 3 of 10 fills most of the lowest of three rows and none of the top one.
    assert lines[1] == "10 ┤" and lines[3] == " 0 ┤▇▇ ▇▇"
    # After: 2, then a recorded 0 keeps a sliver so it is not mistaken for no score.
    assert lines[7] == " 0 ┤▅▅ ▁▁"
    assert "14 Mar" in lines[9] and "15 Mar" in lines[9]
    assert lines[10].strip() == "each column: one session"


def test_too_many_sessions_for_the_width_become_weekly_means():
    points = [PainPoint(n, at(TODAY - timedelta(days=n)), 4 + n % 2, 2) for n in range(60)][::-1]
    layout = chart_columns(points, 20)
    assert layout.unit == "one week (mean)"
    assert len(layout.columns) == 9
    assert layout.columns[-1].first_day == TODAY - timedelta(days=6)
    assert layout.columns[-1].after == 2.0


async def test_cycling_skipped_after_8_seconds_is_shown_as_not_completed_and_not_as_ten_minutes(make_app):
    from kneetui.engine.recording import BlockKind, BlockRecord, SafetyAnswers, SessionStart

    store = HistoryStore.in_memory()
    started = at(TODAY, 9)
    session_id = store.start_session(
        SessionStart(started, "acute", ("gentle-cycling",), SafetyAnswers(pain=3, swollen=False, unstable=False))
    )
    store.record_block(
        session_id, BlockRecord("gentle-cycling", BlockKind.TIMED, 1, None, 600, 8, started, started + 8)
    )
    store.finish_session(session_id, pain_after=3, ended_at=started + 60)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=SIZE) as pilot:
        totals = shown(await open_progress(pilot), ".exercise-total")
        assert "Gentle cycling  1 session · 8 s" in totals
        assert "Last time not completed  = next time keep 10 min" in totals
        assert "Not completed last time (8 s of 10 min): it does not count" in totals
        assert "Completed on 0 days of the last 14." in totals
