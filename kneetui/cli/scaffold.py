"""Writes a small, working plug-in project: ``kneetui plugin new NAME [DIR] [--with-screen]``."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from kneetui import __version__
from kneetui.api import API_VERSION
from kneetui.plugin_host.reserved import module_for, reserved_name_reason
from kneetui.storage.atomic import write_atomic

NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


class ScaffoldError(ValueError):
    """The project cannot be written (bad name, folder already there)."""


def _pyproject(name: str, module: str, title: str, with_screen: bool) -> str:
    textual = ', "textual>=8.2,<9"' if with_screen else ""
    return f"""
        [build-system]
        requires = ["setuptools>=69"]
        build-backend = "setuptools.build_meta"

        [project]
        name = "kneetui-{name}"
        version = "0.1.0"
        description = "{title}: a kneetui plug-in"
        requires-python = ">=3.11"
        dependencies = ["kneetui>={__version__}"{textual}]

        [project.optional-dependencies]
        test = ["pytest>=8", "pytest-asyncio>=0.24"]

        [project.entry-points.kneetui]
        {name} = "{module}"

        [tool.setuptools]
        packages = ["{module}"]

        [tool.pytest.ini_options]
        asyncio_mode = "auto"
        """


def _plugin(name: str, module: str, title: str, with_screen: bool) -> str:
    screen_hook = f"""


        @hookimpl
        def kneetui_session_screen(exercise, guide):
            if exercise.id != EXERCISE.id:
                return None
            # Textual is imported only when the screen is needed, so listing plug-ins stays fast.
            from {module}.screen import HoldScreen

            return HoldScreen(guide)
        """
    return f'''
        """{title}: a kneetui plug-in."""

        from kneetui.api import (
            Category,
            Dosage,
            Exercise,
            Frequency,
            Program,
            ProgramStep,
            Range,
            Source,
            hookimpl,
        )

        __version__ = "0.1.0"
        KNEETUI_API = {API_VERSION}

        SOURCE = Source(
            id="{name}-source",
            citation="Replace this with the publication your content comes from.",
            publisher="Its publisher",
        )

        EXERCISE = Exercise(
            id="{name}-hold",
            name="{title} hold",
            summary="Replace this with your exercise.",
            steps=("Describe the first step.", "Describe the next step."),
            dosage=Dosage(hold_seconds=Range(10, 30), sets=Range(1, 3)),
            category=Category.STRETCH,
            benefits="Say what it helps with, as your source says it.",
            cautions=("Stop and talk to a healthcare professional if the pain gets worse.",),
            source_ids=(SOURCE.id,),
        )

        PROGRAM = Program(
            id="{name}-routine",
            name="{title} routine",
            description="Replace this with what the programme is for.",
            steps=(ProgramStep(EXERCISE.id),),
            frequency=Frequency.DAILY,
            source_ids=(SOURCE.id,),
        )


        @hookimpl
        def kneetui_register_sources(register):
            register(SOURCE)


        @hookimpl
        def kneetui_register_exercises(register):
            register(EXERCISE)


        @hookimpl
        def kneetui_register_programs(register):
            register(PROGRAM){screen_hook if with_screen else ""}
        '''


def _screen(title: str) -> str:
    return f'''
        """{title}: the plug-in's own session screen, with its own timer."""

        from __future__ import annotations

        from kneetui.screen_kit import PluginSessionScreen


        class HoldScreen(PluginSessionScreen):
            """Counts each hold down from the dose, set after set, then hands back to kneetui."""

            def __init__(self, guide) -> None:
                super().__init__(guide)
                lowest = guide.exercise.dosage.lowest()
                self.hold_seconds = guide.dose.hold_seconds or lowest.hold_seconds
                self.sets = guide.dose.sets
                self.set_number = 1

            def on_mount(self) -> None:
                self.show_phase("Hold")
                self.show_instruction("Hold the position gently; only as far as is free of pain.")

            def tick(self) -> None:
                # Always computed from the start of the hold, never by counting ticks.
                left = self.stopwatch.remaining(self.hold_seconds)
                self.clock.show_seconds(left)
                self.show_count(f"set {{self.set_number}} of {{self.sets}}")
                if left > 0:
                    return
                self.record("hold", planned=self.hold_seconds, done=self.hold_seconds, set_number=self.set_number)
                if self.set_number >= self.sets:
                    self.finish()
                    return
                self.set_number += 1
                self.cue()
                self.stopwatch.restart()

            def record_so_far(self) -> None:
                # The person pressed ! or ended the session on kneetui's frame: keep the part held.
                held = int(self.hold_seconds - self.stopwatch.remaining(self.hold_seconds))
                if held:
                    self.record("hold", planned=self.hold_seconds, done=held, set_number=self.set_number)
        '''


def _tests(name: str, module: str, with_screen: bool) -> str:
    screen_tests = f'''


        async def test_the_screen_counts_each_hold_down_and_records_it():
            dose = Dose(hold_seconds=10, sets=2)
            async with run_plugin_screen({module}, "{name}-hold", dose=dose) as run:
                assert run.screen.clock.value == "0:10"
                run.clock.advance(4)
                run.screen.tick()
                assert run.screen.clock.value == "0:06"
                run.clock.advance(6)
                run.screen.tick()
                assert [(block.set_number, block.done) for block in run.blocks] == [(1, 10)]
                run.clock.advance(10)
                run.screen.tick()
                assert run.guide.finished
                assert [(block.set_number, block.done) for block in run.blocks] == [(1, 10), (2, 10)]


        async def test_pain_worse_keeps_the_part_of_the_hold_done():
            async with run_plugin_screen({module}, "{name}-hold", dose=Dose(hold_seconds=10)) as run:
                run.clock.advance(4)
                run.screen.tick()
                await run.pilot.press("exclamation_mark")  # kneetui's frame, not the plug-in, owns this key
                assert run.guide.stopped
                assert [(block.planned, block.done) for block in run.blocks] == [(10, 4)]


        async def test_pausing_keeps_the_time_left():
            async with run_plugin_screen({module}, "{name}-hold", dose=Dose(hold_seconds=10)) as run:
                run.clock.advance(3)
                await run.pilot.press("space")
                run.clock.advance(60)
                run.screen.tick()
                assert run.screen.clock.value == "0:07" and not run.blocks
        '''
    more = screen_tests if with_screen else ""
    imports = "from kneetui.testing import assert_plugin_valid"
    if with_screen:
        imports = (
            "from kneetui.api import Dose\n        from kneetui.testing import assert_plugin_valid, run_plugin_screen"
        )
    return f'''
        {imports}

        import {module}


        def test_the_plugin_loads_without_problems():
            loaded = assert_plugin_valid({module})
            assert loaded.catalog.exercise("{name}-hold") is not None


        def test_the_programme_uses_the_exercise_and_cites_the_source():
            loaded = assert_plugin_valid({module})
            program = loaded.catalog.program("{name}-routine")
            assert [step.exercise_id for step in program.steps] == ["{name}-hold"]
            assert loaded.catalog.source("{name}-source") is not None


        def test_it_loads_alone_too():
            loaded = assert_plugin_valid({module}, with_builtin=False)
            assert [exercise.id for exercise in loaded.catalog.exercises] == ["{name}-hold"]{more}
        '''


def _readme(name: str, with_screen: bool) -> str:
    screen = (
        "\n            Its exercise runs on the plug-in's own screen (`screen.py`), built from `kneetui.screen_kit`."
        if with_screen
        else ""
    )
    return f"""
        # kneetui-{name}

        A kneetui plug-in: a source, an exercise and a programme.{screen}

        - Install it next to kneetui: `kneetui install .` (or `pip install .` in kneetui's environment).
        - See it: `kneetui plugins`, `kneetui plugins doctor {name}`, `kneetui exercises`.
        - Test it: `pip install -e ".[test]"`, then `python -m pytest`.
        """


def _files(name: str, with_screen: bool) -> dict[str, str]:
    module = module_for(name)
    title = name.replace("-", " ").capitalize()
    files = {
        "pyproject.toml": _pyproject(name, module, title, with_screen),
        f"{module}/__init__.py": _plugin(name, module, title, with_screen),
        "tests/test_plugin.py": _tests(name, module, with_screen),
        "README.md": _readme(name, with_screen),
    }
    if with_screen:
        files[f"{module}/screen.py"] = _screen(title)
    return files


def check_name(name: str) -> None:
    """Raise :class:`ScaffoldError` when ``name`` cannot be a plug-in's name."""
    if not NAME.match(name):
        raise ScaffoldError(f"{name!r} is not a usable name: use lower-case letters, digits and '-'")
    reserved = reserved_name_reason(name)
    if reserved:
        raise ScaffoldError(reserved)


def write_plugin_project(name: str, directory: Path | None = None, with_screen: bool = False) -> Path:
    """Write the project and return its folder; never overwrites an existing folder."""
    check_name(name)
    project = directory if directory is not None else Path.cwd() / f"kneetui-{name}"
    if project.exists() and any(project.iterdir()):
        raise ScaffoldError(f"{project} exists and is not empty; choose another folder")
    for relative, text in _files(name, with_screen).items():
        write_atomic(project / relative, textwrap.dedent(text).lstrip().encode())
    return project
