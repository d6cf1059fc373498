"""Progress → x writes the physiotherapist's report to the file the person names."""

from __future__ import annotations

from pathlib import Path

from history_samples import TODAY, chronic_doses, clock_on, record_session

from kneetui.history.store import HistoryStore
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.screens.path_prompt import PathPromptScreen
from kneetui.tui.screens.progress import ProgressScreen


async def test_x_on_progress_writes_the_report_and_asks_before_replacing_it(make_app, isolated_home: Path):
    store = HistoryStore.in_memory()
    record_session(store, TODAY, chronic_doses(0), pain_before=4, pain_after=3)
    app = make_app(history=store, clock=clock_on())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ProgressScreen)
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen)
        await pilot.press("enter")
        await pilot.pause()
        written = isolated_home / "kneetui-report.html"
        page = written.read_text(encoding="utf-8")
        assert page.startswith("<!DOCTYPE html>") and "Sun 15 Mar 2026 to Sun 15 Mar 2026" in page
        assert isinstance(app.screen, ProgressScreen)

        written.write_text("keep me", encoding="utf-8")
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen)
        assert "Not replaced" in str(app.screen.problem)
        await pilot.press("escape")
        await pilot.pause()
        assert written.read_text(encoding="utf-8") == "keep me"
        assert isinstance(app.screen, ProgressScreen)


async def test_a_folder_is_refused_with_the_reason(make_app, isolated_home: Path):
    app = make_app(history=HistoryStore.in_memory(), clock=clock_on())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "x")
        await pilot.pause()
        prompt = app.screen
        assert isinstance(prompt, PathPromptScreen)
        prompt.query_one("#path").value = str(isolated_home)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen) and "is a folder" in str(app.screen.problem)


async def test_when_served_the_report_goes_only_to_an_html_file_in_the_patients_folder(
    make_app, isolated_home: Path, monkeypatch, tmp_path: Path
):
    from kneetui.served import SERVED_HOME_VARIABLE

    monkeypatch.setenv(SERVED_HOME_VARIABLE, str(isolated_home))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    app = make_app(history=HistoryStore.in_memory(), clock=clock_on())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("g", "x")
        await pilot.pause()
        for typed, refusal in (
            (str(elsewhere / "report.html"), "Only files in your own folder"),
            ("~/report.toml", "Only .html files can be used here, e.g. ~/kneetui-report.html"),
            ("~/../report.html", "'..' cannot be used here"),
        ):
            app.screen.query_one("#path").value = typed
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, PathPromptScreen) and refusal in str(app.screen.problem)
        assert not list(elsewhere.iterdir()) and not (isolated_home / "report.toml").exists()
        app.screen.query_one("#path").value = "~/kneetui-report.html"
        await pilot.press("enter")
        await pilot.pause()
        assert (isolated_home / "kneetui-report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
