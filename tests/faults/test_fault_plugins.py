"""Plug-ins failing every way: kneetui starts, says which and why, and keeps what is recorded."""

from __future__ import annotations

import inspect
import subprocess
import sys
import textwrap

import pytest
from fault_helpers import back_on_kneetuis_session, notices, start_exercise, wait_until
from textual.widgets import DataTable, Static

from kneetui import hookspecs
from kneetui.engine.clock import FakeClock
from kneetui.engine.recording import BlockKind, BlockRecord, SessionStart
from kneetui.history.store import open_history_store
from kneetui.plugin_host.loader import load_plugins
from kneetui.plugin_host.records import Status
from kneetui.storage import locations
from kneetui.storage.config import LoadedSettings, Settings
from kneetui.tui.app import KneeApp
from kneetui.tui.screens.home import HomeScreen

HOOKS = sorted(
    name for name, function in inspect.getmembers(hookspecs, inspect.isfunction) if name.startswith("kneetui_")
)
BUILT_IN_EXERCISES = 6


def test_every_hook_is_covered():
    assert len(HOOKS) == 7 and "kneetui_session_screen" in HOOKS


def raising_plugin(hook: str) -> str:
    """A user-folder plug-in with one good exercise that raises in ``hook`` (when called, for the screen)."""
    exercise = (
        "register(Exercise('steady-hold', 'Steady hold', 's', ('Hold.',), "
        "Dosage(hold_seconds=Range(10, 20)), Category.STRETCH, 'b'))"
    )
    parameters = ", ".join(inspect.signature(getattr(hookspecs, hook)).parameters)
    body = f"""
        from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


        @hookimpl
        def {hook}({parameters}):
            {exercise if hook == "kneetui_register_exercises" else "pass"}
            raise OSError("the plug-in's {hook} broke")
    """
    if hook != "kneetui_register_exercises":
        body += f"""

        @hookimpl
        def kneetui_register_exercises(register):
            {exercise}
        """
    return textwrap.dedent(body)


def seed_history() -> int:
    """A session recorded before the faulty plug-in was installed."""
    with open_history_store().store as store:
        session_id = store.start_session(SessionStart(1000.0, None, ("wall-slides",)))
        store.record_block(session_id, BlockRecord("wall-slides", BlockKind.REPS, 1, None, 10, 10, 1001.0, 1030.0))
        store.finish_session(session_id, 1, 1040.0)
    return session_id


def app_over_installed_plugins(clock=None) -> KneeApp:
    plugins = load_plugins(locations.user_plugin_dir())
    history = open_history_store()
    settings = Settings(safety_acknowledged=True, get_ready_seconds=0)
    return KneeApp(plugins, LoadedSettings(settings), clock=clock or FakeClock(), history=history.store, save=False)


@pytest.mark.parametrize("hook", HOOKS)
async def test_an_exception_in_any_hook_is_contained_and_nothing_recorded_is_lost(hook):
    earlier = seed_history()
    locations.user_plugin_dir().mkdir(parents=True)
    (locations.user_plugin_dir() / "faulty.py").write_text(raising_plugin(hook))
    clock = FakeClock()
    app = app_over_installed_plugins(clock)
    record = app.plugins.record("faulty")
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, HomeScreen)
        assert len(app.catalog.exercises) >= BUILT_IN_EXERCISES
        if hook == "kneetui_session_screen":
            assert record.status is Status.OK  # nothing is wrong until the screen is asked for
            await start_exercise(pilot, "steady-hold")
            await wait_until(pilot, lambda: back_on_kneetuis_session(app))
            assert "kneetui_session_screen raised OSError: the plug-in's kneetui_session_screen broke" in notices(app)
            clock.advance(10)
            app.screen.tick()
            await pilot.pause()
            assert [block.done for block in app.history.sessions()[0].blocks] == [10]
        else:
            assert record.status is Status.PROBLEMS
            assert f"{hook} raised OSError: the plug-in's {hook} broke (at plugins/faulty.py:8)" in record.problems
            assert "faulty" in notices(app)
            await pilot.press("p")
            table = app.screen.query_one(DataTable)
            table.move_cursor(row=[r.name for r in app.plugins.plugins].index("faulty"))
            await pilot.pause()
            assert f"{hook} broke" in str(app.screen.query_one("#plugin-description", Static).render())
        assert app.is_running
    assert app.history.session(earlier).blocks[0].done == 10
    app.history.close()


MISBEHAVING = [
    "broken_import",
    "bad_data",
    "duplicate_id",
    "raising_hook",
    "unknown_hook",
    "future_api",
    "raising_screen",
]


async def test_every_misbehaving_plugin_at_once_leaves_a_working_app(make_app):
    app = make_app(*MISBEHAVING, "good_extra", settings=Settings(safety_acknowledged=True, get_ready_seconds=0))
    async with app.run_test(size=(80, 24)) as pilot:
        statuses = {record.name: record.status for record in app.plugins.plugins}
        assert statuses["broken_import"] is Status.FAILED
        assert statuses["unknown_hook"] is Status.FAILED
        assert statuses["future_api"] is Status.FAILED
        assert statuses["bad_data"] is Status.PROBLEMS
        assert statuses["duplicate_id"] is Status.PROBLEMS
        assert app.catalog.exercise("wall-slides").name == "Wall slides"
        assert app.catalog.exercise("heel-raise") is not None
        for section in ("library", "learn", "aids", "faq", "sources", "plugins"):
            app.action_open(section)
            await pilot.pause()
            assert app.screen.SECTION_TITLE
        await start_exercise(pilot, "wall-slides")
        await wait_until(pilot, lambda: getattr(app.screen, "runner", None) and app.screen.runner.phase.kind == "reps")
        for _ in range(10):
            app.screen.action_count_rep()
        await pilot.pause()
        assert [block.done for block in app.history.sessions()[0].blocks] == [10]


HOSTILE_OBJECTS = '''
from kneetui.api import Category, Dosage, Drawing, Exercise, FaqEntry, Range, hookimpl


class Explodes:
    """Every attribute lookup raises, even the one kneetui makes for the id."""

    def __getattribute__(self, name):
        raise RuntimeError("no attributes here")


class TouchyText(str):
    def __len__(self):
        raise MemoryError("cannot measure me")


def exercise(id, **changes):
    fields = dict(name="Fine", summary="s", steps=("a",), dosage=Dosage(reps=Range(5, 8)), category=Category.MOBILITY, benefits="b")
    fields.update(changes)
    return Exercise(id, **fields)


@hookimpl
def kneetui_register_exercises(register):
    register(Explodes())
    register(exercise("touchy", name=TouchyText("x")))
    register(exercise("frantic", drawing=Drawing(frames=("a", "b"), frame_seconds=0.001)))
    register(exercise("no-time", drawing=Drawing(frames=("a",), frame_seconds=float("nan"))))
    register(exercise("huge", dosage=Dosage(reps=Range(1, 10**100))))
    register(exercise("calm-one"))


@hookimpl
def kneetui_register_faq(register):
    register(None)
    register(FaqEntry("fine-faq", "Q?", "A."))
'''


def test_hostile_objects_are_refused_one_by_one_and_never_stop_loading(tmp_path):
    (tmp_path / "hostile.py").write_text(HOSTILE_OBJECTS)
    result = load_plugins(tmp_path)
    record = result.record("hostile")
    problems = "\n".join(record.problems)
    assert "an item could not be checked: RuntimeError: no attributes here" in problems
    assert "an item could not be checked: MemoryError: cannot measure me" in problems
    assert "'frantic': field 'drawing.frame_seconds': must be from 0.1 to 60 seconds" in problems
    assert "'no-time': field 'drawing.frame_seconds'" in problems
    assert result.catalog.exercise("calm-one") is not None
    # A dose no timer could count (it used to crash `guide` with OverflowError) is refused.
    assert "'huge': field 'dosage.reps': range 1–" in problems
    assert result.catalog.exercise("huge") is None
    assert result.catalog.faq[-1].id == "fine-faq"
    assert len(result.catalog.exercises) == BUILT_IN_EXERCISES + 1


def test_the_cli_lists_failing_plugins_without_a_traceback(subprocess_env):
    locations.user_plugin_dir().mkdir(parents=True)
    (locations.user_plugin_dir() / "hostile.py").write_text(HOSTILE_OBJECTS)
    (locations.user_plugin_dir() / "endless_import.py").write_text("raise SystemExit('bye')\n")
    for hook in HOOKS:
        (locations.user_plugin_dir() / f"raises_in_{hook}.py").write_text(raising_plugin(hook))
    for command in (["plugins"], ["exercises"], ["faq", "worse"]):
        result = subprocess.run(
            [sys.executable, "-m", "kneetui", *command], capture_output=True, text=True, env=subprocess_env, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr + result.stdout
    listed = subprocess.run(
        [sys.executable, "-m", "kneetui", "plugins"], capture_output=True, text=True, env=subprocess_env, timeout=60
    ).stdout
    assert "endless_import" in listed and "hostile" in listed


EXITING_PLUGIN = '''
from kneetui.api import Category, Dosage, Exercise, FaqEntry, Range, hookimpl


class LeavingName(str):
    """Text whose every check asks the interpreter to stop."""

    def strip(self, *args):
        raise {exit}

    def __len__(self):
        raise {exit}


class LeavingExercise(Exercise):
    """An exercise whose summary, read like a property, stops the interpreter."""

    def __getattribute__(self, name):
        if name == "summary":
            raise {exit}
        return super().__getattribute__(name)


def exercise(id, cls=Exercise, **changes):
    fields = dict(name="Fine", summary="s", steps=("a",), dosage=Dosage(reps=Range(5, 8)), category=Category.MOBILITY, benefits="b")
    fields.update(changes)
    return cls(id, **fields)


@hookimpl
def kneetui_register_exercises(register):
    register(exercise("leaving-by-property", LeavingExercise))
    register(exercise("leaving-by-name", name=LeavingName("x")))
    register(exercise("stays"))


@hookimpl
def kneetui_register_faq(register):
    register(FaqEntry("first-faq", "Q?", "A."))
    raise {exit}
'''


@pytest.mark.parametrize("exit", ["SystemExit('bye')", "KeyboardInterrupt()", "GeneratorExit()"])
def test_an_exit_raised_in_a_register_hook_or_an_items_property_is_a_problem_not_an_exit(tmp_path, exit):
    (tmp_path / "leaving.py").write_text(EXITING_PLUGIN.replace("{exit}", exit))
    result = load_plugins(tmp_path)
    record = result.record("leaving")
    problems = "\n".join(record.problems)
    name = exit.split("(")[0]
    assert f"kneetui_register_faq raised {name}" in problems
    assert problems.count(f"an item could not be checked: {name}") == 2, problems
    assert result.catalog.exercise("stays") is not None
    assert result.catalog.exercise("leaving-by-property") is None and result.catalog.exercise("leaving-by-name") is None
    assert len(result.catalog.exercises) == BUILT_IN_EXERCISES + 1
    assert result.record("medial-knee").status == "ok"


LOOKED_UP_BY_MODULE_GETATTR = """
from kneetui.api import hookimpl

def __getattr__(name):
    print("looked up", name)
    raise {exit}

@hookimpl
def kneetui_register_faq(register):
    pass
"""

LISTED_BY_MODULE_DIR = """
from kneetui.api import hookimpl

def __dir__():
    print("listing")
    raise {exit}

@hookimpl
def kneetui_register_faq(register):
    pass
"""

AN_OBJECT_WITH_A_LEAVING_PROPERTY = """
from kneetui.api import hookimpl

class Coach:
    @property
    def KNEETUI_API(self):
        print("asked for the API")
        raise {exit}

    @hookimpl
    def kneetui_register_faq(self, register):
        pass

plugin = Coach()
"""


def test_a_plugin_that_cannot_be_read_is_placed_where_its_own_code_failed(tmp_path, monkeypatch):
    """The place is given from the plug-in's package on, however deep in it the failing code is."""
    import importlib

    from kneetui.plugin_host.records import Origin, PluginRecord

    package = tmp_path / "site" / "kneetui_deep_coach"
    (package / "screens").mkdir(parents=True)
    (package / "__init__.py").write_text("def __getattr__(name):\n    from .screens.lookup import fail\n    fail()\n")
    (package / "screens" / "__init__.py").write_text("")
    (package / "screens" / "lookup.py").write_text("def fail():\n    raise SystemExit('bye')\n")
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    record = PluginRecord(
        name="deep-coach", origin=Origin.ENTRY_POINT, location="kneetui-deep-coach: kneetui_deep_coach"
    )
    result = load_plugins(tmp_path / "none", extra=[(record, lambda: importlib.import_module("kneetui_deep_coach"))])
    assert result.record("deep-coach").failure == (
        "could not be read: SystemExit: bye (at kneetui_deep_coach/screens/lookup.py:2)"
    )


def test_a_plugin_object_without_a_dict_registers(tmp_path):
    """An object plug-in with __slots__ has no __dict__; its hooks are found all the same."""
    from kneetui.api import FaqEntry, hookimpl
    from kneetui.plugin_host.records import Origin, PluginRecord

    class Slotted:
        __slots__ = ()

        @hookimpl
        def kneetui_register_faq(self, register):
            register(FaqEntry(id="slotted-question", question="Is this found?", answer="Yes."))

    record = PluginRecord(name="slotted", origin=Origin.ENTRY_POINT, location="slotted: slotted", package="slotted")
    result = load_plugins(tmp_path, extra=[(record, Slotted)])
    assert result.record("slotted").status == Status.OK, result.record("slotted").failure
    assert "slotted-question" in {entry.id for entry in result.catalog.faq}


@pytest.mark.parametrize("exit", ["SystemExit('bye')", "KeyboardInterrupt()"])
def test_reading_a_plugins_attributes_runs_its_code_contained(tmp_path, capsys, exit):
    """A module's __getattr__ or __dir__, or an object's property, runs when kneetui reads the plug-in:
    an exit there refuses that plug-in, what it prints is kept on its record, and loading goes on."""
    (tmp_path / "by_getattr.py").write_text(LOOKED_UP_BY_MODULE_GETATTR.replace("{exit}", exit))
    (tmp_path / "by_dir.py").write_text(LISTED_BY_MODULE_DIR.replace("{exit}", exit))
    coach = tmp_path / "coach.py"
    coach.write_text(AN_OBJECT_WITH_A_LEAVING_PROPERTY.replace("{exit}", exit))
    from kneetui.plugin_host.loader import _load_file
    from kneetui.plugin_host.records import Origin, PluginRecord

    record = PluginRecord(name="coach-object", origin=Origin.USER_FOLDER, location=str(coach), package="")
    result = load_plugins(tmp_path, extra=[(record, lambda: _load_file(coach).plugin)])
    name = exit.split("(")[0]
    getattr_record = result.record("by_getattr")
    assert getattr_record.failure.startswith(f"could not be read: {name}"), getattr_record.failure
    assert getattr_record.printed == ["looked up KNEETUI_API"]
    dir_record = result.record("by_dir")
    assert dir_record.failure.startswith(f"could not register: {name}"), dir_record.failure
    assert dir_record.printed == ["listing"]
    coach_record = result.record("coach-object")
    assert coach_record.failure.startswith(f"could not be read: {name}"), coach_record.failure
    assert coach_record.printed == ["asked for the API"]
    assert capsys.readouterr() == ("", "")
    assert result.record("medial-knee").status == "ok"
    assert len(result.catalog.exercises) == BUILT_IN_EXERCISES
