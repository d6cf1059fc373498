"""The plain command line, run as a person would: through a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from kneetui import __version__


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=60)


def test_exercises_lists_the_six_with_their_dosages(subprocess_env):
    result = kneetui("exercises", env=subprocess_env)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "DOSAGE", "CATEGORY"]
    assert len(lines) == 9, "a header, six exercises, a blank line and the legend"
    assert lines[-1] == "◆ article"
    assert "◆ Wall slides" in result.stdout
    assert "hold 15–30 s, each side" in result.stdout
    assert "10–12 reps, 2–3 sets" in result.stdout
    assert "10–15 min" in result.stdout
    assert "\x1b" not in result.stdout


def test_exercises_json_is_machine_readable(subprocess_env):
    data = json.loads(kneetui("exercises", "--json", env=subprocess_env).stdout)
    assert {row["id"] for row in data} >= {"wall-slides", "gentle-cycling"}
    assert data[0]["dosage"] == "hold 15–30 s, each side"
    slides = next(row for row in data if row["id"] == "wall-slides")
    assert slides["provenance"] == slides["dosage_provenance"] == "article"
    assert [step["provenance"] for step in slides["steps"]] == ["article", "article", "kneetui"]
    assert {line["provenance"] for line in slides["cautions"]} == {"article"}


def test_faq_worse_finds_the_answer_about_pain_that_worsens(subprocess_env):
    result = kneetui("faq", "worse", env=subprocess_env)
    assert result.returncode == 0
    assert result.stdout.splitlines()[0] == "What should I do if my knee pain worsens with exercise?"


def test_faq_without_a_match_says_so_and_exits_1(subprocess_env):
    result = kneetui("faq", "xylophone", env=subprocess_env)
    assert result.returncode == 1
    assert "Nothing in the FAQ, Learn or the aids matches 'xylophone'" in result.stderr


def test_faq_json(subprocess_env):
    data = json.loads(kneetui("faq", "often", "--json", env=subprocess_env).stdout)
    assert data[0]["id"] == "how-often"


def test_paths_live_under_the_xdg_folders(subprocess_env, isolated_home):
    data = json.loads(kneetui("paths", "--json", env=subprocess_env).stdout)
    assert Path(data["config_file"]).is_relative_to(isolated_home)
    assert Path(data["plugin_dir"]).is_relative_to(isolated_home)


def test_version_and_help(subprocess_env):
    assert kneetui("--version", env=subprocess_env).stdout.strip() == f"kneetui {__version__}"
    help_text = kneetui("--help", env=subprocess_env).stdout
    for command in ("exercises", "faq", "plugins", "paths"):
        assert command in help_text


@pytest.mark.parametrize("args", [["bogus"], ["--bogus"], ["exercises", "--nope"]])
def test_unknown_commands_and_flags_are_usage_errors(subprocess_env, args):
    result = kneetui(*args, env=subprocess_env)
    assert result.returncode == 2
    assert "usage:" in result.stderr


def test_a_plugin_that_raises_on_import_shows_as_failed_and_others_work(subprocess_env, isolated_home):
    plugin_dir = isolated_home / "data" / "kneetui" / "plugins"
    plugin_dir.mkdir(parents=True)
    (plugin_dir / "exploding.py").write_text("raise ImportError('missing a part')\n")
    listing = kneetui("plugins", env=subprocess_env)
    assert listing.returncode == 0
    row = next(line for line in listing.stdout.splitlines() if line.startswith("exploding"))
    assert "failed: import failed: ImportError: missing a part" in row
    assert "medial-knee" in listing.stdout
    records = json.loads(kneetui("plugins", "--json", env=subprocess_env).stdout)
    failed = next(record for record in records if record["name"] == "exploding")
    assert failed["status"] == "failed" and failed["origin"] == "user folder"
    assert len(kneetui("exercises", "--json", env=subprocess_env).stdout.split('"id"')) == 7


def write_third_party_project(root: Path) -> Path:
    project = root / "kneetui-heel-raise"
    (project / "heel_raise_plugin").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [build-system]
            requires = ["setuptools"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "kneetui-heel-raise"
            version = "0.3.0"

            [project.entry-points.kneetui]
            heel-raise = "heel_raise_plugin"
            """
        )
    )
    (project / "heel_raise_plugin" / "__init__.py").write_text(
        textwrap.dedent(
            """
            from kneetui.api import Category, Dosage, Exercise, Range, hookimpl

            @hookimpl
            def kneetui_register_exercises(register):
                register(Exercise("heel-raise", "Heel raise", "Up onto the toes.",
                                  ("Rise.", "Lower."), Dosage(reps=Range(8, 12)),
                                  Category.STRENGTH, "Example."))
            """
        )
    )
    return project


def test_pip_installing_a_separate_entry_point_package_adds_its_exercise(subprocess_env, tmp_path):
    project = write_third_party_project(tmp_path)
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(target),
            str(project),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = dict(subprocess_env, PYTHONPATH=str(target))
    listing = kneetui("exercises", env=env).stdout
    assert "heel-raise" in listing and "8–12 reps" in listing
    plugins = {record["name"]: record for record in json.loads(kneetui("plugins", "--json", env=env).stdout)}
    assert plugins["heel-raise"]["origin"] == "entry point"
    assert plugins["heel-raise"]["version"] == "0.3.0"


def test_exercises_json_gives_each_dose_range_as_numbers(subprocess_env):
    import json
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "kneetui", "exercises", "--json"], capture_output=True, text=True, env=subprocess_env
    )
    squeeze = next(item for item in json.loads(result.stdout) if item["id"] == "adductor-squeeze")
    assert squeeze["dose_ranges"]["reps"] == [10, 12] and squeeze["dose_ranges"]["sets"] == [2, 3]
    assert squeeze["dose_ranges"]["hold_seconds"] is None


def test_paths_and_version_load_no_plugin_and_import_only_their_command(subprocess_env, isolated_home):
    plugin_dir = isolated_home / "data" / "kneetui" / "plugins"
    plugin_dir.mkdir(parents=True)
    marker = isolated_home / "loaded.txt"
    (plugin_dir / "recorder.py").write_text(
        f"from pathlib import Path\nPath({str(marker)!r}).write_text('loaded')\n", encoding="utf-8"
    )
    check = (
        "import sys\n"
        "from kneetui.cli.main import main\n"
        "status = main(sys.argv[1:])\n"
        "heavy = ('kneetui_medial_knee', 'textual', 'asyncssh', 'icalendar', 'kneetui.cli.serve_commands')\n"
        "print('IMPORTED', sorted(name for name in heavy if name in sys.modules))\n"
    )
    for args in (["paths"], ["paths", "--json"], ["--version"]):
        result = subprocess.run(
            [sys.executable, "-c", check, *args], capture_output=True, text=True, env=subprocess_env, timeout=60
        )
        assert result.returncode == 0, result.stderr
        assert not marker.exists(), f"kneetui {' '.join(args)} loaded a plug-in"
        if args[0] != "--version":  # --version exits inside the parser
            assert "IMPORTED []" in result.stdout

    assert kneetui("exercises", env=subprocess_env).returncode == 0
    assert marker.read_text() == "loaded", "the recording plug-in is loaded by a command that lists content"


def test_every_command_is_found_in_the_module_that_adds_it():
    import argparse

    from kneetui.cli.main import COMMAND_MODULES, COMMANDS, build_parser, modules_needed

    for name in COMMAND_MODULES:
        parser = build_parser([name])
        commands = next(action for action in parser._actions if isinstance(action, argparse._SubParsersAction))
        for command in commands.choices:
            assert COMMANDS[command] == name, f"{command!r} is added by kneetui.cli.{name}"
    assert set(COMMANDS.values()) == set(COMMAND_MODULES)
    assert modules_needed([]) == []
    assert modules_needed(["--theme", "paths"]) == []
    assert modules_needed(["--theme", "nord", "paths", "--json"]) == ["listing"]
    assert modules_needed(["--help"]) == COMMAND_MODULES
    assert modules_needed(["pathz"]) == COMMAND_MODULES


@pytest.mark.parametrize(
    ("argv", "module", "function"),
    [
        (["serve", "ssh"], "serve_commands", "serve_ssh"),
        (["serve", "web"], "serve_commands", "serve_web"),
        (["clinic", "add", "anna", "anna.pub"], "clinic_commands", "clinic_add"),
        (["clinic", "list"], "clinic_commands", "clinic_list"),
        (["clinic", "remove", "anna"], "clinic_commands", "clinic_remove"),
        (["clinic", "sessions"], "clinic_commands", "clinic_sessions"),
    ],
)
def test_the_servers_and_the_operators_commands_load_no_plugin(monkeypatch, argv, module, function):
    """The SSH server holds the host key: no plug-in's code may run in it (each patient's kneetui loads its own)."""
    import importlib

    from kneetui.cli.main import main
    from kneetui.exchange import installed

    def no_plugins(*args, **kwargs):
        raise AssertionError("plug-ins were loaded")

    ran = []
    monkeypatch.setattr(installed, "load_installed_plugins", no_plugins)
    monkeypatch.setattr(
        importlib.import_module(f"kneetui.cli.{module}"), function, lambda args, loaded: ran.append(0) or 0
    )
    assert main(argv) == 0 and ran == [0]
