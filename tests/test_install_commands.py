"""`kneetui install` / `uninstall` use kneetui's own pip, check pins first and say what a plug-in adds."""

from __future__ import annotations

import json
import shutil

import pytest
from plugin_envs import build_wheel, kneetui_environment, run

from kneetui.cli.scaffold import write_plugin_project


@pytest.fixture(scope="module")
def wheels(tmp_path_factory):
    """A good plug-in's wheel and two that pin what kneetui runs with."""
    root = tmp_path_factory.mktemp("projects")
    out = tmp_path_factory.mktemp("wheels")
    good = write_plugin_project("knee-circles", root / "kneetui-knee-circles")
    found = {"good": build_wheel(good, out)}
    for name, pin in (("future-kneetui", "kneetui>=99"), ("old-textual", "textual<1")):
        project = write_plugin_project(name, root / f"kneetui-{name}")
        text = (project / "pyproject.toml").read_text()
        (project / "pyproject.toml").write_text(
            text.replace('dependencies = ["kneetui>=', f'dependencies = ["{pin}", "kneetui>=')
        )
        found[name] = project
    return found


@pytest.fixture
def environment(tmp_path, subprocess_env):
    python = kneetui_environment(tmp_path / "env")

    def kneetui(*args):
        return run(python, "-m", "kneetui", *args, env=subprocess_env)

    kneetui.site = next((tmp_path / "env").glob("lib/python*/site-packages"))
    return kneetui


def test_install_uses_kneetuis_own_pip_then_shows_what_it_adds_and_uninstall_removes_it(environment, wheels):
    installed = environment("install", "--no-index", str(wheels["good"]))
    assert installed.returncode == 0, installed.stderr
    assert "Installing kneetui-knee-circles 0.1.0 with" in installed.stdout
    assert "knee-circles 0.1.0: ok; adds 1 sources, 1 exercises, 1 programs" in installed.stdout
    assert list(environment.site.glob("kneetui_knee_circles-0.1.0.dist-info"))
    assert "knee-circles-hold" in environment("exercises").stdout

    removed = environment("uninstall", "knee-circles")
    assert removed.returncode == 0, removed.stderr
    assert "Uninstalled kneetui-knee-circles (plug-in knee-circles)" in removed.stdout
    assert not list(environment.site.glob("kneetui_knee_circles*"))
    assert "knee-circles" not in environment("plugins").stdout


@pytest.mark.parametrize(
    ("plugin", "pin", "name"), [("future-kneetui", "kneetui>=99", "kneetui"), ("old-textual", "textual<1", "textual")]
)
def test_a_plugin_pinning_another_kneetui_or_textual_is_refused_before_anything_changes(
    environment, wheels, tmp_path, plugin, pin, name
):
    wheel = build_wheel(wheels[plugin], tmp_path / "wheel")
    for spec in (str(wheels[plugin]), str(wheel)):
        before = sorted(path.name for path in environment.site.iterdir())
        refused = environment("install", "--no-index", "--no-build-isolation", spec)
        assert refused.returncode == 1
        assert (
            f"kneetui: refused: kneetui-{plugin} requires {pin}, but this kneetui runs with {name} " in refused.stderr
        )
        assert "Nothing was changed." in refused.stderr
        assert sorted(path.name for path in environment.site.iterdir()) == before


def test_kneetuis_own_content_and_unknown_names_are_not_uninstalled(environment):
    own = environment("uninstall", "medial-knee")
    assert own.returncode == 1 and "kneetui plugins disable medial-knee" in own.stderr
    unknown = environment("uninstall", "no-such-plugin")
    assert unknown.returncode == 1 and "no installed plug-in is named 'no-such-plugin'" in unknown.stderr
    assert "medial-knee" in environment("plugins").stdout


def test_installing_something_that_is_no_plugin_says_so(environment, tmp_path, wheels):
    project = tmp_path / "not-a-plugin"
    shutil.copytree(wheels["old-textual"].parent / "kneetui-knee-circles", project)
    text = (project / "pyproject.toml").read_text()
    text = text.replace('name = "kneetui-knee-circles"', 'name = "plain-library"')
    (project / "pyproject.toml").write_text(
        text.split("[project.entry-points.kneetui]")[0] + '[tool.setuptools]\npackages = ["kneetui_knee_circles"]\n'
    )
    result = environment("install", "--no-index", "--no-build-isolation", str(project))
    assert result.returncode == 1
    assert "plain-library has no entry point in the 'kneetui' group" in result.stdout
    assert json.loads(environment("plugins", "--json").stdout)
