"""`kneetui plugin new` writes a project that installs, shows up and passes its own test."""

from __future__ import annotations

import json
import subprocess
import sys


def run(*args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)


def test_the_scaffold_installs_shows_up_and_passes_its_own_test(subprocess_env, tmp_path):
    made = run(
        sys.executable, "-m", "kneetui", "plugin", "new", "heel-raises", str(tmp_path / "proj"), env=subprocess_env
    )
    assert made.returncode == 0, made.stderr
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
        str(tmp_path / "proj"),
    )
    assert installed.returncode == 0, installed.stderr
    env = dict(subprocess_env, PYTHONPATH=str(site))
    own_test = run(
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        str(tmp_path / "proj" / "tests"),
        env=env,
        cwd=tmp_path / "proj",
    )
    assert own_test.returncode == 0, own_test.stdout + own_test.stderr
    records = {
        r["name"]: r for r in json.loads(run(sys.executable, "-m", "kneetui", "plugins", "--json", env=env).stdout)
    }
    assert records["heel-raises"]["status"] == "ok"
    assert "heel-raises-example" in run(sys.executable, "-m", "kneetui", "exercises", env=env).stdout


def test_the_scaffold_never_overwrites_a_folder(subprocess_env, tmp_path):
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "keep.txt").write_text("mine")
    result = run(sys.executable, "-m", "kneetui", "plugin", "new", "x", str(tmp_path / "proj"), env=subprocess_env)
    assert result.returncode == 1 and "not empty" in result.stderr
    assert (tmp_path / "proj" / "keep.txt").read_text() == "mine"


def test_a_bad_name_is_refused(subprocess_env, tmp_path):
    result = run(sys.executable, "-m", "kneetui", "plugin", "new", "Bad Name!", str(tmp_path / "p"), env=subprocess_env)
    assert result.returncode == 1 and "not a usable name" in result.stderr
