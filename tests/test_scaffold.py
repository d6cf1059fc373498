"""`kneetui plugin new` writes a project that installs, shows up and passes its own test."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def test_both_scaffolds_install_show_up_and_pass_their_own_tests(subprocess_env, tmp_path):
    for name, extra in (("heel-raises", []), ("wall-hold", ["--with-screen"])):
        made = run(
            sys.executable, "-m", "kneetui", "plugin", "new", name, str(tmp_path / name), *extra, env=subprocess_env
        )
        assert made.returncode == 0, made.stderr
    assert (tmp_path / "wall-hold" / "kneetui_wall_hold" / "screen.py").exists()
    assert not (tmp_path / "heel-raises" / "kneetui_heel_raises" / "screen.py").exists()
    site = tmp_path / "site"
    installed = run(
        sys.executable,
        "-m",
        "pip",
        "install",
        "--quiet",
        "--no-index",
        "--no-deps",
        "--no-build-isolation",
        "--target",
        str(site),
        str(tmp_path / "heel-raises"),
        str(tmp_path / "wall-hold"),
    )
    assert installed.returncode == 0, installed.stderr
    env = dict(subprocess_env, PYTHONPATH=str(site))
    for name, count in (("heel-raises", 3), ("wall-hold", 6)):
        # Run from the project, against the installed copy (the tests folder is not installed).
        own_test = run(
            sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests", env=env, cwd=tmp_path / name
        )
        assert own_test.returncode == 0, own_test.stdout + own_test.stderr
        assert f"{count} passed" in own_test.stdout
    records = {
        r["name"]: r for r in json.loads(run(sys.executable, "-m", "kneetui", "plugins", "--json", env=env).stdout)
    }
    assert records["heel-raises"]["status"] == "ok" and records["wall-hold"]["status"] == "ok"
    assert records["wall-hold"]["contributes"] == {"sources": 1, "exercises": 1, "programs": 1}
    assert "kneetui_session_screen" in records["wall-hold"]["hooks"]
    exercises = run(sys.executable, "-m", "kneetui", "exercises", env=env).stdout
    assert "heel-raises-hold" in exercises and "wall-hold-hold" in exercises and "wall-slides" in exercises


def test_the_scaffold_never_overwrites_a_folder(subprocess_env, tmp_path):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "keep.txt").write_text("mine")
    result = run(sys.executable, "-m", "kneetui", "plugin", "new", "x", str(tmp_path / "proj"), env=subprocess_env)
    assert result.returncode == 1 and "not empty" in result.stderr
    assert (tmp_path / "proj" / "keep.txt").read_text() == "mine"


def test_a_bad_name_is_refused(subprocess_env, tmp_path):
    result = run(sys.executable, "-m", "kneetui", "plugin", "new", "Bad Name!", str(tmp_path / "p"), env=subprocess_env)
    assert result.returncode == 1 and "not a usable name" in result.stderr


@pytest.mark.parametrize("name", ["medial-knee", "themes", "kneetui", "kneetui-extra"])
def test_kneetuis_own_names_are_refused(subprocess_env, tmp_path, name):
    result = run(sys.executable, "-m", "kneetui", "plugin", "new", name, str(tmp_path / "p"), env=subprocess_env)
    assert result.returncode == 1
    assert "choose another name" in result.stderr or "choose a name without 'kneetui'" in result.stderr
    assert not (tmp_path / "p").exists()
