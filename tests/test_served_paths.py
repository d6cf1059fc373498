"""A served patient's typed paths stay in their own folder: Programmes export and import, tried as a hostile patient."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.widgets import Input, Static

from kneetui.content.model import Dose, Frequency, Program, ProgramStep
from kneetui.exchange.program_file import export_program
from kneetui.exchange.user_programs import UserPrograms
from kneetui.served import SERVED_HOME_VARIABLE, OutsideYourFolder, confine, read_confined
from kneetui.tui.screens.path_prompt import PathPromptScreen
from kneetui.tui.screens.programs import ProgramsScreen

SIZE = (80, 24)
PLAN = Program(
    id="anna-plan",
    name="Anna's plan",
    description="",
    steps=(ProgramStep("wall-slides", Dose(reps=12)),),
    frequency=Frequency.DAILY,
)


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """Two patients' folders; this process is anna's kneetui, served."""
    anna, bob = tmp_path / "users" / "anna", tmp_path / "users" / "bob"
    for home in (anna, bob):
        (home / "data" / "kneetui").mkdir(parents=True)
    (bob / "secret.toml").write_text(export_program(PLAN).replace("anna-plan", "bob-plan"), encoding="utf-8")
    monkeypatch.setenv(SERVED_HOME_VARIABLE, str(anna))
    monkeypatch.setenv("HOME", str(anna))
    return anna, bob


@pytest.mark.parametrize(
    "typed",
    [
        "../bob/programs.toml",
        "~/../bob/secret.toml",
        "data/../../bob/secret.toml",
        "/etc/passwd.toml",
        "~",
        "~/",
        "notes.txt",
        "kneetui.py",
        "data/kneetui/plugins/evil.py",
        "history.sqlite3",
    ],
)
def test_paths_outside_the_folder_or_not_toml_are_refused(clinic, typed):
    anna, _ = clinic
    with pytest.raises(OutsideYourFolder):
        confine(Path(typed).expanduser(), anna)


def test_an_absolute_path_into_another_patients_folder_is_refused(clinic):
    anna, bob = clinic
    with pytest.raises(OutsideYourFolder) as refused:
        confine(bob / "secret.toml", anna)
    assert "bob" not in str(refused.value), "the refusal names nothing outside the patient's folder"


def test_a_link_at_any_depth_is_refused(clinic):
    anna, bob = clinic
    (anna / "shared").symlink_to(bob)
    (anna / "plan.toml").symlink_to(bob / "secret.toml")
    for typed in ("shared/secret.toml", "plan.toml", "shared/new.toml"):
        with pytest.raises(OutsideYourFolder, match="is a link"):
            confine(Path(typed), anna)


def test_plain_toml_files_in_the_folder_are_allowed(clinic):
    anna, _ = clinic
    assert confine(Path("~/plan.toml").expanduser(), anna) == anna / "plan.toml"
    assert confine(Path("exports/plan.toml"), anna) == anna / "exports" / "plan.toml"


def test_not_served_leaves_paths_alone(monkeypatch):
    monkeypatch.delenv(SERVED_HOME_VARIABLE, raising=False)
    assert confine(Path("/anywhere/at/all.txt")) == Path("/anywhere/at/all.txt")


def test_reading_never_follows_a_link(clinic):
    anna, bob = clinic
    (anna / "plan.toml").symlink_to(bob / "secret.toml")
    with pytest.raises(OSError, match="symbolic links"):
        read_confined(anna / "plan.toml")


async def answer(pilot, typed: str) -> str:
    """Type ``typed`` into the open path prompt and press Enter; the problem shown, if any."""
    assert isinstance(pilot.app.screen, PathPromptScreen)
    prompt = pilot.app.screen.query_one("#path", Input)
    prompt.value = typed
    await pilot.press("enter")
    await pilot.pause()
    if isinstance(pilot.app.screen, PathPromptScreen) and pilot.app.screen.query("#problem"):
        return str(pilot.app.screen.query_one("#problem", Static).render())
    return ""


async def test_exporting_into_another_patients_folder_is_refused_and_writes_nothing(make_app, clinic):
    anna, bob = clinic
    before = sorted(bob.rglob("*"))
    programs = UserPrograms(anna / "data" / "kneetui" / "programs")
    programs.save(PLAN)
    app = make_app(user_programs=programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r")
        await pilot.pause()
        options = app.screen.query_one("#programs")
        options.highlighted = [program.id for program in app.catalog.programs].index("anna-plan")
        await pilot.press("x")
        await pilot.pause()
        for typed in ("../bob/programs.toml", str(bob / "secret.toml"), "~/../bob/x.toml", "data/kneetui/plugins/x.py"):
            problem = await answer(pilot, typed)
            assert problem, f"{typed} should be refused"
            assert str(bob) not in problem
        problem = await answer(pilot, "~/mine.toml")
        assert problem == ""
        assert isinstance(app.screen, ProgramsScreen)
    assert sorted(bob.rglob("*")) == before
    assert (anna / "mine.toml").read_text(encoding="utf-8") == export_program(PLAN)


async def test_importing_another_patients_file_is_refused(make_app, clinic, tmp_path):
    anna, bob = clinic
    programs = UserPrograms(anna / "data" / "kneetui" / "programs")
    (anna / "link.toml").symlink_to(bob / "secret.toml")
    app = make_app(user_programs=programs)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "i")
        await pilot.pause()
        for typed in (str(bob / "secret.toml"), "../bob/secret.toml", "link.toml"):
            assert await answer(pilot, typed), f"{typed} should be refused"
        await pilot.press("escape")
    assert programs.list() == []
    assert os.path.islink(anna / "link.toml")


async def test_a_home_folder_that_does_not_exist_gets_a_message_not_a_crash(make_app, clinic):
    anna, _ = clinic
    app = make_app(user_programs=UserPrograms(anna / "data" / "kneetui" / "programs"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("r", "i")
        await pilot.pause()
        problem = await answer(pilot, "~no-such-user-here/x.toml")
        assert "There is no home folder ~no-such-user-here" in problem
        assert isinstance(app.screen, PathPromptScreen)


def test_another_users_home_is_refused_even_unexpanded(clinic):
    anna, _ = clinic
    with pytest.raises(OutsideYourFolder):
        confine(Path("~bob/x.toml"), anna)


def test_each_refusal_is_told_to_the_server(clinic, monkeypatch):
    anna, _ = clinic
    read, write = os.pipe()
    monkeypatch.setenv("KNEETUI_REFUSALS_FD", str(write))
    with pytest.raises(OutsideYourFolder):
        confine(Path("../bob/x.toml"), anna, purpose="export")
    os.close(write)
    with os.fdopen(read, "rb") as told:
        assert told.read() == b"export\tdot-dot\t../bob/x.toml\n"


def fill(pipe: int) -> None:
    """Write to ``pipe`` until it is full (a non-blocking pipe then raises BlockingIOError)."""
    while True:
        os.write(pipe, b"x" * 4096)


def test_a_server_that_stopped_listening_never_stalls_the_app(clinic, monkeypatch):
    anna, _ = clinic
    read, write = os.pipe()
    os.set_blocking(write, False)
    with pytest.raises(BlockingIOError):
        fill(write)
    monkeypatch.setenv("KNEETUI_REFUSALS_FD", str(write))
    for _ in range(200):
        with pytest.raises(OutsideYourFolder):
            confine(Path("/elsewhere.toml"), anna, purpose="import")
    os.close(read)
    os.close(write)


def test_the_app_never_imports_the_servers_and_served_mode_imports_neither():
    import ast

    package = Path(__file__).parents[1] / "kneetui"

    def imports(path: Path) -> set[str]:
        found = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                found.add(node.module)
        return found

    for path in (package / "tui").rglob("*.py"):
        serving = {
            module for module in imports(path) if module == "kneetui.serve" or module.startswith("kneetui.serve.")
        }
        assert not serving, f"{path} imports {serving}"
    assert not any(
        module.startswith(("textual", "kneetui.tui", "kneetui.serve")) for module in imports(package / "served.py")
    )


def test_a_path_through_a_file_or_a_name_too_long_is_left_to_the_write_to_refuse(clinic):
    anna, _ = clinic
    (anna / "history.sqlite3").write_bytes(b"")
    through_a_file = Path("history.sqlite3/x.toml")
    assert confine(through_a_file, anna) == anna / through_a_file
    too_long = Path("a" * 300 + ".toml")
    assert confine(too_long, anna) == anna / too_long


async def open_export(pilot, app) -> None:
    await pilot.press("r")
    await pilot.pause()
    app.screen.query_one("#programs").highlighted = [program.id for program in app.catalog.programs].index("anna-plan")
    await pilot.press("x")
    await pilot.pause()


@pytest.mark.parametrize(
    ("typed", "told"),
    [
        ("data/kneetui/history.sqlite3/x.toml", "There is no folder ~/data/kneetui/history.sqlite3;"),
        ("Downloads/x.toml", "There is no folder ~/Downloads;"),
        ("a" * 300 + ".toml", "Cannot write ~/aaa"),
    ],
)
async def test_a_path_that_cannot_be_written_is_a_message_in_the_patients_words(make_app, clinic, typed, told):
    anna, _ = clinic
    (anna / "data" / "kneetui" / "history.sqlite3").write_bytes(b"")
    programs = UserPrograms(anna / "data" / "kneetui" / "programs")
    programs.save(PLAN)
    app = make_app(user_programs=programs)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, app)
        problem = await answer(pilot, typed)
        assert problem.startswith(told)
        assert str(anna) not in problem
        assert isinstance(app.screen, PathPromptScreen)
        await pilot.press("escape")
        await pilot.press("i")
        await pilot.pause()
        problem = await answer(pilot, typed)
        assert "Nothing was imported" in problem
        assert str(anna) not in problem
    assert (anna / "data" / "kneetui" / "history.sqlite3").read_bytes() == b""
    assert not (anna / "Downloads").exists()


async def test_the_export_names_the_file_in_the_patients_words(make_app, clinic):
    anna, _ = clinic
    programs = UserPrograms(anna / "data" / "kneetui" / "programs")
    programs.save(PLAN)
    app = make_app(user_programs=programs)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, app)
        assert await answer(pilot, "mine.toml") == ""
        [notice] = [str(message.message) for message in app._notifications]
        assert notice == 'Exported "Anna\'s plan" to ~/mine.toml.'
        await pilot.press("i")
        await pilot.pause()
        assert app.screen.query_one("#path", Input).value == "~/mine.toml"


async def test_a_name_too_long_is_a_message_when_not_served_too(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv(SERVED_HOME_VARIABLE, raising=False)
    programs = UserPrograms(tmp_path / "programs")
    programs.save(PLAN)
    app = make_app(user_programs=programs)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, app)
        problem = await answer(pilot, str(tmp_path / ("a" * 300 + ".toml")))
        assert "File name too long" in problem
        assert isinstance(app.screen, PathPromptScreen)


async def test_the_app_never_replaces_a_pipe_or_a_link_it_is_asked_to_write(make_app, tmp_path, monkeypatch):
    monkeypatch.delenv(SERVED_HOME_VARIABLE, raising=False)
    programs = UserPrograms(tmp_path / "programs")
    programs.save(PLAN)
    pipe, link = tmp_path / "pipe.toml", tmp_path / "link.toml"
    os.mkfifo(pipe)
    link.symlink_to(tmp_path / "elsewhere.toml")
    app = make_app(user_programs=programs)
    async with app.run_test(size=SIZE) as pilot:
        await open_export(pilot, app)
        assert "is not a regular file" in await answer(pilot, str(pipe))
        assert "is a link" in await answer(pilot, str(link))
        assert isinstance(app.screen, PathPromptScreen)
    assert link.is_symlink() and not (tmp_path / "elsewhere.toml").exists()
