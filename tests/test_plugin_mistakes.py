"""Every usual mistake in a plug-in gets one line that says what to change, and where."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

from conftest import fixture_plugin

from kneetui.plugin_host import loader
from kneetui.plugin_host.loader import load_plugins
from kneetui.plugin_host.records import Status
from kneetui.storage import locations


def load_with(*names: str):
    return load_plugins(extra=[fixture_plugin(name) for name in names])


def test_what_a_plugin_prints_is_kept_off_kneetuis_output_and_written_to_the_log(capsys, tmp_path):
    log = tmp_path / "plugins.log"
    result = load_plugins(extra=[fixture_plugin("printing")], log_file=log)
    assert capsys.readouterr() == ("", "")
    record = result.record("printing")
    assert record.status is Status.OK
    assert record.printed == [
        "hello from the printing plug-in",
        "a debug line on stderr",
        "registering my exercise",
    ]
    assert "printing: registering my exercise" in log.read_text()


def test_a_hook_that_returns_its_items_instead_of_registering_them_is_a_problem():
    record = load_with("returns_list").record("returns_list")
    assert record.status is Status.PROBLEMS
    assert record.problems == [
        (
            "kneetui_register_exercises returned a list, which kneetui ignores: call register(item) once per item "
            "and return nothing (at fixture_plugins/returns_list.py:6)"
        )
    ]


def test_a_misspelt_hook_gets_did_you_mean():
    record = load_with("typo_hook").record("typo_hook")
    assert record.status is Status.FAILED
    assert record.reason == (
        "unknown hook 'kneetui_register_exercise'; did you mean 'kneetui_register_exercises'? "
        "(at fixture_plugins/typo_hook.py:6)"
    )


def test_a_marked_function_without_the_hook_prefix_gets_did_you_mean():
    record = load_with("unprefixed_hook").record("unprefixed_hook")
    assert record.status is Status.FAILED
    assert record.reason == (
        "unknown hook 'register_faq'; did you mean 'kneetui_register_faq'? (at fixture_plugins/unprefixed_hook.py:6)"
    )


def test_a_hook_without_hookimpl_and_a_hook_with_wrong_arguments_are_named():
    record = load_with("unmarked_hook").record("unmarked_hook")
    assert "kneetui_register_faq asks for 'add', which kneetui does not pass" in record.failure
    assert "fixture_plugins/unmarked_hook.py:10" in record.failure
    assert record.problems == [
        (
            "kneetui_register_exercises is not marked @hookimpl, so kneetui never calls it: add '@hookimpl' above it "
            "(from kneetui.api import hookimpl) (at fixture_plugins/unmarked_hook.py:6)"
        )
    ]


def test_an_invalid_item_names_the_line_that_registered_it():
    problems = "\n".join(load_with("bad_data").record("bad_data").problems)
    assert "field 'dosage.reps'" in problems and "(at fixture_plugins/bad_data.py:" in problems


def test_a_slow_import_is_measured_and_flagged(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(loader.time, "perf_counter", lambda: now[0])
    name, load = fixture_plugin("good_extra")

    def slow_load():
        now[0] += 0.25
        return load()

    record = load_plugins(extra=[(name, slow_load)]).record("good_extra")
    assert record.import_seconds == 0.25 and record.slow
    assert record.as_json()["import_ms"] == 250 and record.as_json()["slow"] is True


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def test_a_printing_plugin_leaves_every_json_output_valid(subprocess_env):
    folder = locations.user_plugin_dir()
    folder.mkdir(parents=True)
    (folder / "chatty.py").write_text(
        textwrap.dedent(
            """
            from kneetui.api import Category, Dosage, Exercise, Range, hookimpl
            print("imported!")

            @hookimpl
            def kneetui_register_exercises(register):
                print("{not json")
                register(Exercise("chatty", "Chatty", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b"))
            """
        )
    )
    for command in (["plugins", "--json"], ["exercises", "--json"], ["faq", "--json"], ["paths", "--json"]):
        result = kneetui(*command, env=subprocess_env)
        assert result.returncode == 0, result.stderr
        json.loads(result.stdout)
    records = {r["name"]: r for r in json.loads(kneetui("plugins", "--json", env=subprocess_env).stdout)}
    assert records["chatty"]["status"] == "ok" and records["chatty"]["printed_lines"] == 2
    assert "chatty: {not json" in locations.plugin_log_file().read_text()
    shown = json.loads(kneetui("paths", "--json", env=subprocess_env).stdout)["plugin_log"]
    assert shown == str(locations.plugin_log_file())


def test_a_distribution_that_installs_kneetuis_own_module_is_refused_and_reported(subprocess_env, tmp_path):
    project = tmp_path / "impostor"
    (project / "kneetui_medial_knee").mkdir(parents=True)
    (project / "pyproject.toml").write_text(
        textwrap.dedent(
            """
            [build-system]
            requires = ["setuptools>=69"]
            build-backend = "setuptools.build_meta"

            [project]
            name = "kneetui-medial-knee"
            version = "0.1.0"

            [project.entry-points.kneetui]
            medial-knee = "kneetui_medial_knee"

            [tool.setuptools]
            packages = ["kneetui_medial_knee"]
            """
        )
    )
    (project / "kneetui_medial_knee" / "__init__.py").write_text("KNEETUI_API = 1\n")
    site = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            "--no-build-isolation",
            "--target",
            str(site),
            str(project),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    env = dict(subprocess_env, PYTHONPATH=str(site))
    records = json.loads(kneetui("plugins", "--json", env=env).stdout)
    impostor = next(r for r in records if r["origin"] == "entry point")
    assert impostor["status"] == "failed"
    assert "installs 'kneetui_medial_knee', a module of kneetui itself" in impostor["reason"]
    assert "pip uninstall kneetui-medial-knee" in impostor["reason"]
    own = next(r for r in records if r["origin"] == "built-in")
    exercises = kneetui("exercises", "--json", env=env).stdout
    # Either kneetui's own module still wins the import, or the replacement is named as the cause.
    assert (own["status"] == "ok" and "wall-slides" in exercises) or "was replaced by the one" in own["reason"]
