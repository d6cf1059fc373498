"""Choosing, building, exporting, deleting and importing programmes, by keyboard alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from kneetui.content.model import Dose, Frequency, Program, ProgramStep, Provenance
from kneetui.exchange.program_file import export_program
from kneetui.exchange.user_programs import UserPrograms
from kneetui.storage.config import Settings, load_settings
from kneetui.tui.screens.confirm import ConfirmScreen
from kneetui.tui.screens.home import HomeScreen
from kneetui.tui.screens.import_clash import ImportClashScreen
from kneetui.tui.screens.path_prompt import PathPromptScreen
from kneetui.tui.screens.program_builder import ProgramBuilderScreen, id_from_name
from kneetui.tui.screens.programs import ProgramsScreen
from kneetui.tui.widgets.dose_input import DoseInput

SIZE = (80, 24)

#: What build_my_knee_plan() makes.
MY_KNEE_PLAN = Program(
    id="my-knee-plan",
    name="My knee plan",
    description="Evenings, after work",
    steps=(
        ProgramStep("gentle-cycling", Dose(duration_minutes=10)),
        ProgramStep("wall-slides", Dose(reps=12)),
        ProgramStep("adductor-squeeze", Dose(reps=10, sets=3)),
    ),
    frequency=Frequency.DAILY,
    provenance=Provenance.YOURS,
)


@pytest.fixture
def user_programs(tmp_path: Path) -> UserPrograms:
    return UserPrograms(tmp_path / "programs")


def text_of(widget: Static) -> str:
    return str(widget.render())


def notices(app) -> str:
    return "\n".join(str(notification.message) for notification in app._notifications)


async def build_my_knee_plan(pilot) -> None:
    """From the Programmes screen: three exercises, reordered, two doses changed, saved."""
    await pilot.press("n")
    assert isinstance(pilot.app.screen, ProgramBuilderScreen)
    await pilot.press(*"My knee plan", "tab", "tab", *"Evenings, after work")
    # Past the frequency (daily already) to the list of exercises.
    await pilot.press("tab", "tab")
    await pilot.press("down", "enter")  # wall slides
    await pilot.press("down", "enter")  # adductor squeeze
    await pilot.press("down", "down", "down", "enter")  # gentle cycling
    await pilot.press("tab")  # to the programme, on the last one added
    await pilot.press("shift+up", "shift+up")  # cycling first, as a warm-up
    await pilot.press("down", "plus", "plus")  # wall slides: 12 reps
    await pilot.press("down", "enter", "tab", "3")  # squeeze: typed, 3 sets
    await pilot.press("ctrl+s")
    await pilot.pause()


async def type_path(pilot, path: Path) -> None:
    """Replace the path the prompt offers (it is selected on focus) and press Enter."""
    assert isinstance(pilot.app.screen, PathPromptScreen)
    await pilot.press(*str(path), "enter")
    await pilot.pause()


async def test_choosing_the_chronic_programme_for_today_shows_it_on_home(make_app, user_programs):
    app = make_app(settings=Settings(safety_acknowledged=True, program="acute"), user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        assert isinstance(app.screen, ProgramsScreen)
        await pilot.press("down", "t")
        assert load_settings().settings.program == "chronic"
        listed = app.screen.query_one("#programs", OptionList)
        assert str(listed.get_option_at_index(1).prompt).startswith("✓ ◇ Chronic pain")
        assert "today" in str(listed.get_option_at_index(1).prompt)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        assert "Chronic pain: stretch and strengthen" in text_of(app.screen.query_one("#today", Static))


async def test_home_shows_the_doses_chosen_in_your_programme(make_app, user_programs):
    user_programs.save(MY_KNEE_PLAN)
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "end", "t", "escape")
        today = text_of(app.screen.query_one("#today", Static))
        assert "2. Wall slides · 12 reps" in today and "3. Inner thigh (adductor) squeeze · 10 reps, 3 sets" in today


async def test_enter_on_a_programme_chooses_it_for_today(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "up", "enter")
        assert app.settings.program == "acute"


async def test_building_a_programme_saves_its_exercises_in_order_with_their_doses(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await build_my_knee_plan(pilot)
        assert isinstance(app.screen, ProgramsScreen)
        assert user_programs.list() == ["my-knee-plan"]
        assert app.catalog.program("my-knee-plan") == MY_KNEE_PLAN
        listed = app.screen.query_one("#programs", OptionList)
        highlighted = listed.get_option_at_index(listed.highlighted)
        assert highlighted.id == "my-knee-plan" and "yours" in str(highlighted.prompt)


async def test_a_built_programme_survives_export_delete_and_import_unchanged(make_app, user_programs, tmp_path):
    app = make_app(user_programs=user_programs)
    exported = tmp_path / "shared" / "knee.toml"
    exported.parent.mkdir()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await build_my_knee_plan(pilot)
        built = app.catalog.program("my-knee-plan")

        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == "~/my-knee-plan.toml"
        await type_path(pilot, exported)
        assert exported.read_text(encoding="utf-8") == export_program(built)

        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert user_programs.list() == []
        assert app.catalog.program("my-knee-plan") is None

        await pilot.press("i")
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == str(exported), "the last file is offered"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        assert user_programs.list() == ["my-knee-plan"]
        assert app.catalog.program("my-knee-plan") == built == MY_KNEE_PLAN


async def test_importing_kneetuis_own_programme_under_a_new_id_makes_it_yours(make_app, user_programs, tmp_path):
    app = make_app(user_programs=user_programs)
    chronic = app.catalog.program("chronic")
    copy = tmp_path / "mine.toml"
    copy.write_text(export_program(chronic).replace('id = "chronic"', 'id = "mine"'), encoding="utf-8")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "i")
        await pilot.pause()
        await type_path(pilot, copy)
        assert isinstance(app.screen, ProgramsScreen)
        mine = app.catalog.program("mine")
        assert mine is not None and mine.provenance is Provenance.YOURS
        assert app.screen.highlighted_id() == "mine"
        assert "Imported" in notices(app)


async def test_a_file_name_typed_alone_is_exported_to_and_imported_from_the_home_folder(
    make_app, user_programs, isolated_home, tmp_path, monkeypatch
):
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#programs", OptionList).highlighted = 0  # acute
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"mine2.toml", "enter")
        await pilot.pause()
        assert (isolated_home / "mine2.toml").is_file(), "as the ~/ the prompt offers"
        assert list(elsewhere.iterdir()) == []

        copy = (isolated_home / "mine2.toml").read_text(encoding="utf-8").replace('id = "acute"', 'id = "mine2"')
        (isolated_home / "mine2.toml").write_text(copy, encoding="utf-8")
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*"mine2.toml", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        assert app.catalog.program("mine2") is not None


async def test_importing_a_broken_file_names_the_field_and_imports_nothing(make_app, user_programs, tmp_path):
    broken = tmp_path / "too-much.toml"
    broken.write_text(export_program(MY_KNEE_PLAN).replace("reps = 12", "reps = 20"), encoding="utf-8")
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "i")
        await pilot.pause()
        await type_path(pilot, broken)
        assert isinstance(app.screen, PathPromptScreen), "the prompt stays open to try again"
        problem = text_of(app.screen.query_one("#problem", Static))
        assert "Nothing was imported" in problem
        assert "steps[2].reps" in problem and "outside the range 10–15" in problem
        assert user_programs.list() == []
        await pilot.press("escape")
        assert isinstance(app.screen, ProgramsScreen)


async def test_importing_over_a_programme_with_the_same_id_asks_replace_keep_both_or_cancel(
    make_app, user_programs, tmp_path
):
    user_programs.save(MY_KNEE_PLAN)
    newer = tmp_path / "newer.toml"
    newer.write_text(export_program(MY_KNEE_PLAN).replace("My knee plan", "My newer plan"), encoding="utf-8")
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "i")
        await pilot.pause()
        await type_path(pilot, newer)
        assert isinstance(app.screen, ImportClashScreen)
        question = text_of(app.screen.query_one("#question", Static))
        assert "has the id 'my-knee-plan', already used by your programme ‘My knee plan’" in question
        await pilot.press("enter")  # Cancel is highlighted: Enter by habit changes nothing
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        assert user_programs.list() == ["my-knee-plan"]
        assert app.catalog.program("my-knee-plan").name == "My knee plan"

        await pilot.press("i", "enter")
        await pilot.pause()
        await pilot.press("k")
        await pilot.pause()
        assert set(user_programs.list()) == {"my-knee-plan", "my-knee-plan-2"}
        assert app.catalog.program("my-knee-plan").name == "My knee plan"
        assert app.catalog.program("my-knee-plan-2").name == "My newer plan (2)"
        assert app.screen.highlighted_id() == "my-knee-plan-2"

        await pilot.press("i", "enter")
        await pilot.pause()
        await pilot.press("r")
        await pilot.pause()
        assert set(user_programs.list()) == {"my-knee-plan", "my-knee-plan-2"}
        assert app.catalog.program("my-knee-plan").name == "My newer plan"


async def test_exporting_over_an_existing_file_asks_first(make_app, user_programs, tmp_path):
    target = tmp_path / "chronic.toml"
    target.write_text("keep me", encoding="utf-8")
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "x")
        await pilot.pause()
        await type_path(pilot, target)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # No has focus: Enter by habit changes nothing
        await pilot.pause()
        assert target.read_text(encoding="utf-8") == "keep me"
        assert isinstance(app.screen, PathPromptScreen)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert target.read_text(encoding="utf-8").startswith("# A kneetui programme")
        assert "Exported" in notices(app)


async def test_a_dose_outside_the_range_is_refused(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "n", *"Plan", "tab", "tab", "tab", "tab")
        await pilot.press("down", "enter", "tab")  # wall slides, 10–15 reps
        builder = app.screen
        assert builder.steps == [ProgramStep("wall-slides", Dose(reps=10))], "it starts at the low end"
        await pilot.press("minus")
        assert "9 is outside the range 10–15" in text_of(builder.query_one("#hint", Static))
        await pilot.press("enter", *"20")
        reps = builder.query_one("#dose-reps", DoseInput)
        assert reps.value == "20"
        hint = text_of(builder.query_one("#hint", Static))
        assert "20 is outside the range 10–15 (reps) of Wall slides: refused" in hint
        assert builder.steps == [ProgramStep("wall-slides", Dose(reps=10))]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgramBuilderScreen), "not saved while a refused number shows"
        await pilot.press("backspace", "backspace", *"15", "plus")
        assert "16 is outside" in text_of(builder.query_one("#hint", Static))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.catalog.program("plan").steps == (ProgramStep("wall-slides", Dose(reps=15)),)


async def test_the_id_follows_the_name_until_the_person_types_their_own(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "n", *"Knee: evening!")
        program_id = app.screen.query_one("#program-id", Input)
        assert program_id.value == "knee-evening"
        await pilot.press("tab", *"Not An Id")
        await pilot.press("shift+tab", *"Another name")
        assert program_id.value == "Not An Id", "a typed id is left alone"
        await pilot.press("tab", "tab", "tab", "tab", "enter", "ctrl+s")
        await pilot.pause()
        assert "is not valid" in text_of(app.screen.query_one("#hint", Static))
        assert app.screen.focused is program_id
        assert user_programs.list() == []


def test_an_id_made_from_a_name_is_a_valid_id():
    assert id_from_name("  Ma routine: genou gauche (soir) ") == "ma-routine-genou-gauche-soir"
    assert id_from_name("x" * 80) == "x" * 64


async def test_leaving_the_builder_with_changes_asks_first(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "n", *"Half done", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        assert user_programs.list() == []


async def test_editing_your_programme_keeps_its_id_and_saves_the_change(make_app, user_programs):
    user_programs.save(MY_KNEE_PLAN)
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "end", "e")
        builder = app.screen
        assert isinstance(builder, ProgramBuilderScreen)
        assert builder.query_one("#program-id", Input).disabled
        builder.query_one("#steps").focus()
        await pilot.press("home", "delete", "ctrl+s")
        await pilot.pause()
        saved = app.catalog.program("my-knee-plan")
        assert [step.exercise_id for step in saved.steps] == ["wall-slides", "adductor-squeeze"]
        assert saved.description == MY_KNEE_PLAN.description


async def test_plugin_programmes_cannot_be_edited_or_deleted(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "d")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        await pilot.press("e")
        assert isinstance(app.screen, ProgramsScreen)
        assert "only your own programmes can be deleted" in notices(app)
        assert "only your own programmes can be edited" in notices(app)
        assert app.catalog.program("chronic") is not None


async def test_deleting_your_version_of_a_plugin_programme_brings_the_plugin_one_back(make_app, user_programs):
    from dataclasses import replace

    mine = replace(MY_KNEE_PLAN, id="chronic", name="My chronic")
    user_programs.save(mine)
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        assert app.catalog.program("chronic") == mine
        await pilot.press("r")
        listed = app.screen.query_one("#programs", OptionList)
        listed.highlighted = [program.id for program in app.catalog.programs].index("chronic")
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.catalog.program("chronic").name == "Chronic pain: stretch and strengthen"
        assert "back in its place" in notices(app)
        assert app.settings.program == "chronic"


async def test_deleting_todays_programme_moves_today_to_another(make_app, user_programs):
    user_programs.save(MY_KNEE_PLAN)
    app = make_app(settings=Settings(safety_acknowledged=True, program="my-knee-plan"), user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "d")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.settings.program == "acute"
        assert load_settings().settings.program == "acute"


@pytest.mark.parametrize("size", [(40, 12), (60, 20)])
async def test_programmes_and_builder_survive_small_terminals(make_app, user_programs, size):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=size) as pilot:
        await pilot.press("r", "n", *"Tiny", "tab", "tab", "tab", "tab", "enter", "tab", "plus", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        assert app.catalog.program("tiny").steps == (ProgramStep("sitting-adductor-stretch", Dose(hold_seconds=20)),)


async def test_leaving_an_untouched_builder_asks_nothing(make_app, user_programs):
    user_programs.save(MY_KNEE_PLAN)
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "n", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        await pilot.press("end", "e", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)


async def test_plugin_text_with_markup_is_shown_literally_in_the_builder_and_the_list(make_app, user_programs):
    app = make_app("markup_text", user_programs=user_programs)
    loud = "[bold red]Loud[/] stretch [link=https://example.invalid]click[/link]"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "n", *"[b]Mine[/b]", "tab", "tab", "tab", "tab", "end", "enter", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ProgramsScreen)
        listed = app.screen.query_one("#programs", OptionList)
        assert "[b]Mine[/b]" in str(listed.get_option_at_index(listed.highlighted).prompt)
        assert loud in text_of(app.screen.query_one("#program-text", Static))


async def test_a_dose_field_takes_digits_and_leaves_plus_and_minus_to_the_steps(make_app, user_programs):
    app = make_app(user_programs=user_programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "n", "tab", "tab", "tab", "tab", "enter")
        field = next(field for field in app.screen.query(DoseInput) if field.display)
        field.focus()
        field.value = ""
        await pilot.press(*"1x2.-", "plus")
        await pilot.pause()
        assert field.value.isdigit() and "x" not in field.value and "." not in field.value
        field.insert_text_at_cursor("-5")  # pasted text goes through the same restriction
        assert "-" not in field.value
