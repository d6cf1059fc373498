"""The app's catalog follows the programmes folder, however often it is reloaded."""

from __future__ import annotations

from kneetui.content.model import Dose, Program, ProgramStep
from kneetui.exchange.user_programs import UserPrograms

MINE = Program("chronic", "My chronic", "", (ProgramStep("wall-slides", Dose(reps=12)),))


def test_deleting_your_programme_brings_back_the_plugin_one_it_replaced(make_app, tmp_path):
    programs = UserPrograms(tmp_path)
    programs.save(MINE)
    app = make_app(user_programs=programs)
    assert app.catalog.program("chronic") == MINE
    assert app.catalog.owner_of("programs", "chronic") == "your-programmes"
    programs.delete("chronic")
    assert app.reload_user_programs() == []
    assert app.catalog.program("chronic").name == "Chronic pain: stretch and strengthen"
    assert app.catalog.owner_of("programs", "chronic") == "medial-knee"
    assert app.user_program_ids == set()


def test_a_file_that_stops_loading_is_reported_by_the_reload(make_app, tmp_path):
    programs = UserPrograms(tmp_path)
    app = make_app(user_programs=programs)
    (tmp_path / "broken.toml").write_text("not a programme", encoding="utf-8")
    notices = app.reload_user_programs()
    assert len(notices) == 1 and notices[0].startswith("Programme file broken.toml was skipped")
    assert [program.id for program in app.catalog.programs] == ["acute", "chronic"]


async def test_a_programme_imported_while_the_app_runs_shows_on_the_programmes_screen(make_app, tmp_path):
    programs = UserPrograms(tmp_path)
    app = make_app(user_programs=programs)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.catalog.program("my-evenings") is None
        # What `kneetui import` in another terminal does: a new file in the folder.
        UserPrograms(tmp_path).save(Program("my-evenings", "My evenings", "", (ProgramStep("wall-slides"),)))
        await pilot.press("r")
        await pilot.pause()
        assert app.catalog.program("my-evenings") is not None
        assert "my-evenings" in app.user_program_ids
