"""`kneetui plugins doctor NAME`: one plug-in loaded alone, every problem with its file and line."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

from kneetui.storage import locations

FIXTURES = Path(__file__).parent / "fixture_plugins"


def kneetui(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kneetui", *args], capture_output=True, text=True, env=env, timeout=120, check=False
    )


def drop_in(*names: str) -> None:
    folder = locations.user_plugin_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(FIXTURES / f"{name}.py", folder / f"{name}.py")


def test_doctor_shows_import_time_hooks_and_contributions_of_a_healthy_plugin(subprocess_env):
    result = kneetui("plugins", "doctor", "medial-knee", env=subprocess_env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("medial-knee 0.1.0: built-in, kneetui: kneetui_medial_knee")
    assert "  import:      " in result.stdout and " ms" in result.stdout
    assert "kneetui_register_exercises" in result.stdout
    assert "6 exercises" in result.stdout and "no problems" in result.stdout


def test_doctor_lists_every_problem_with_file_and_line_and_fails(subprocess_env):
    drop_in("raising_hook", "bad_data")
    result = kneetui("plugins", "doctor", "raising_hook", env=subprocess_env)
    assert result.returncode == 1
    assert "  problems (2):" in result.stdout
    assert (
        "kneetui_register_exercises raised ValueError: database not found (at plugins/raising_hook.py:9)"
        in result.stdout
    )
    assert "kneetui_register_faq raised KeyError: 'faq' (at plugins/raising_hook.py:14)" in result.stdout
    bad = kneetui("plugins", "doctor", "bad_data", "--json", env=subprocess_env)
    record = json.loads(bad.stdout)
    assert record["status"] == "problems" and all("(at plugins/bad_data.py:" in p for p in record["problems"])


def test_doctor_loads_the_plugin_alone(subprocess_env):
    drop_in("raising_hook", "printing")
    result = kneetui("plugins", "doctor", "printing", env=subprocess_env)
    assert result.returncode == 0, result.stdout
    assert "raising_hook" not in result.stdout
    assert "printed:     3 line(s), kept out of kneetui's output" in result.stdout
    assert "    | hello from the printing plug-in" in result.stdout


def test_doctor_names_the_known_plugins_when_the_name_is_wrong(subprocess_env):
    result = kneetui("plugins", "doctor", "medial_knee", env=subprocess_env)
    assert result.returncode == 1
    assert "no plug-in is named 'medial_knee'; installed: medial-knee" in result.stderr


def test_a_slow_plugin_is_flagged_in_the_plugins_listing(subprocess_env):
    folder = locations.user_plugin_dir()
    folder.mkdir(parents=True)
    # A slow import, measured by kneetui's own timer: the plug-in moves the clock kneetui reads.
    (folder / "sluggish.py").write_text(
        "import time\n"
        "_real = time.perf_counter\n"
        "_start = _real()\n"
        "time.perf_counter = lambda: _real() + (0.5 if _real() >= _start else 0)\n"
        "from kneetui.api import hookimpl\n\n"
        "@hookimpl\n"
        "def kneetui_register_faq(register):\n"
        "    time.perf_counter = _real\n"
    )
    # The measured time is the 0.5 s the plug-in adds plus the import's own real time, which a
    # busy machine can stretch by a few milliseconds.
    listing = kneetui("plugins", env=subprocess_env)
    line = next(line for line in listing.stdout.splitlines() if line.startswith("sluggish"))
    listed = re.search(r"\(slow to import: (\d+\.\d\d) s; see 'kneetui plugins doctor sluggish'\)", line)
    assert listed is not None, line
    assert 0.5 <= float(listed[1]) < 0.6
    doctor = kneetui("plugins", "doctor", "sluggish", env=subprocess_env)
    shown = re.search(r"import:      (\d+) ms \(slow: over 100 ms; every kneetui command waits for it\)", doctor.stdout)
    assert shown is not None, doctor.stdout
    assert 500 <= int(shown[1]) < 600
    assert doctor.returncode == 1
