"""The plug-in in CONTRIBUTING.md, written exactly as shown, installs from its wheel and passes its own tests."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from plugin_envs import build_wheel, run

GUIDE = Path(__file__).parents[1] / "CONTRIBUTING.md"
FILE_BLOCK = re.compile(r"^`([\w./-]+)`:\n\n```\w+\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def documented_files() -> dict[str, str]:
    return dict(FILE_BLOCK.findall(GUIDE.read_text(encoding="utf-8")))


def test_the_guide_shows_a_whole_project():
    assert set(documented_files()) == {
        "pyproject.toml",
        "kneetui_heel_raises/__init__.py",
        "kneetui_heel_raises/screen.py",
        "tests/test_heel_raises.py",
    }


def test_the_documented_plugin_installed_from_its_wheel_passes_its_documented_tests(subprocess_env, tmp_path):
    project = tmp_path / "kneetui-heel-raises"
    for relative, text in documented_files().items():
        (project / relative).parent.mkdir(parents=True, exist_ok=True)
        (project / relative).write_text(text)
    wheel = build_wheel(project, tmp_path / "dist")
    site = tmp_path / "site"
    installed = run(sys.executable, "-m", "pip", "install", "-q", "--no-index", "--no-deps", "--target", site, wheel)
    assert installed.returncode == 0, installed.stderr
    env = dict(subprocess_env, PYTHONPATH=str(site))
    where = run(sys.executable, "-c", "import kneetui_heel_raises; print(kneetui_heel_raises.__file__)", env=env)
    assert where.stdout.startswith(str(site)), "the tests must run against the installed wheel"
    # Run from elsewhere so the project folder itself is not importable.
    tests = run(
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", project / "tests", env=env, cwd=tmp_path
    )
    assert tests.returncode == 0, tests.stdout[-3000:] + tests.stderr[-2000:]
    assert "4 passed" in tests.stdout
    records = {
        r["name"]: r for r in json.loads(run(sys.executable, "-m", "kneetui", "plugins", "--json", env=env).stdout)
    }
    assert records["heel-raises"]["status"] == "ok"
    assert records["heel-raises"]["contributes"] == {"sources": 1, "exercises": 1, "programs": 1}
