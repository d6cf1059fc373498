"""Writes a small, working plug-in project: ``kneetui plugin new NAME [DIR]``."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from kneetui import __version__
from kneetui.api import API_VERSION
from kneetui.storage.atomic import write_atomic

NAME = re.compile(r"^[a-z][a-z0-9-]{0,40}$")


class ScaffoldError(ValueError):
    """The project cannot be written (bad name, folder already there)."""


def _files(name: str) -> dict[str, str]:
    module = "kneetui_" + name.replace("-", "_")
    title = name.replace("-", " ").capitalize()
    exercise_id = f"{name}-example"
    return {
        "pyproject.toml": f"""
            [build-system]
            requires = ["setuptools>=69"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "kneetui-{name}"
            version = "0.1.0"
            description = "{title}: a kneetui plug-in"
            requires-python = ">=3.11"
            dependencies = ["kneetui>={__version__}"]

            [project.entry-points.kneetui]
            {name} = "{module}"

            [tool.setuptools]
            packages = ["{module}"]
            """,
        f"{module}/__init__.py": f'''
            """{title}: a kneetui plug-in."""

            from kneetui.api import Category, Dosage, Exercise, Range, hookimpl

            __version__ = "0.1.0"
            KNEETUI_API = {API_VERSION}


            @hookimpl
            def kneetui_register_exercises(register):
                register(
                    Exercise(
                        id="{exercise_id}",
                        name="{title} example",
                        summary="Replace this with your exercise.",
                        steps=("Describe the first step.", "Describe the next step."),
                        dosage=Dosage(reps=Range(8, 12)),
                        category=Category.MOBILITY,
                        benefits="Say what it helps with, as your source says it.",
                        cautions=("Stop and talk to a healthcare professional if the pain gets worse.",),
                    )
                )
            ''',
        "tests/test_plugin.py": f'''
            from kneetui.testing import assert_plugin_valid

            import {module}


            def test_the_plugin_loads_without_problems():
                loaded = assert_plugin_valid({module}, name="{name}")
                assert loaded.catalog.exercise("{exercise_id}") is not None
            ''',
        "README.md": f"""
            # kneetui-{name}

            A kneetui plug-in. Install it next to kneetui with `pip install .`, then run
            `kneetui plugins` to see it and `kneetui exercises` to see its exercise.
            Test it with `python -m pytest`.
            """,
    }


def write_plugin_project(name: str, directory: Path | None = None) -> Path:
    """Write the project and return its folder; never overwrites an existing folder."""
    if not NAME.match(name):
        raise ScaffoldError(f"{name!r} is not a usable name: use lower-case letters, digits and '-'")
    project = directory if directory is not None else Path.cwd() / f"kneetui-{name}"
    if project.exists() and any(project.iterdir()):
        raise ScaffoldError(f"{project} exists and is not empty; choose another folder")
    for relative, text in _files(name).items():
        write_atomic(project / relative, textwrap.dedent(text).lstrip().encode())
    return project
