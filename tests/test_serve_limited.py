"""``python -m kneetui.serve.limited``: a browser patient's kneetui started under the same limits as SSH's."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from kneetui.serve import limited
from kneetui.serve.terminal import ChildLimits

USAGE = "usage: python -m kneetui.serve.limited MEMORY CPU FILES -- PROGRAM [ARG...]"


@pytest.fixture
def started(monkeypatch):
    """What ``main`` did instead of replacing the test process: limits applied, umask, exec."""
    done: list[tuple[str, object]] = []
    monkeypatch.setattr(ChildLimits, "apply", lambda limits: done.append(("limits", limits)))
    monkeypatch.setattr(limited.os, "umask", lambda mask: done.append(("umask", mask)))
    monkeypatch.setattr(limited.os, "execv", lambda path, argv: done.append(("exec", (path, argv))))
    return done


def test_the_limits_are_applied_then_the_program_runs_with_a_private_umask(started):
    limited.main(["1000000", "60", "32", "--", "/usr/bin/kneetui", "--plain", "x"])
    assert started == [
        ("limits", ChildLimits(memory_bytes=1000000, cpu_seconds=60, open_files=32)),
        ("umask", 0o077),
        ("exec", ("/usr/bin/kneetui", ["/usr/bin/kneetui", "--plain", "x"])),
    ]


@pytest.mark.parametrize(
    "argv",
    [["1", "2", "3", "-", "/bin/true"], ["1", "2", "3", "--"], ["1", "2", "3", "/bin/true", "--"]],
    ids=["no separator", "no program", "separator last"],
)
def test_a_command_line_without_a_separator_and_a_program_is_refused(started, argv):
    with pytest.raises(SystemExit) as refused:
        limited.main(argv)
    assert refused.value.code == USAGE
    assert started == []


def test_the_module_run_as_a_program_limits_the_child_for_real(tmp_path):
    script = "import os, resource; print(resource.getrlimit(resource.RLIMIT_NOFILE), oct(os.umask(0)))"
    result = subprocess.run(
        [
            sys.executable,
            "-I",
            "-m",
            "kneetui.serve.limited",
            str(2**31),
            "100",
            "40",
            "--",
            sys.executable,
            "-c",
            script,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ},
    )
    assert result.stdout.strip() == "(40, 40) 0o77"


def test_limits_are_never_raised_above_the_hard_limits_the_server_itself_runs_under():
    script = (
        "import resource\n"
        "from kneetui.serve.terminal import ChildLimits\n"
        "resource.setrlimit(resource.RLIMIT_CPU, (90, 90))\n"
        "resource.setrlimit(resource.RLIMIT_NOFILE, (30, 30))\n"
        "ChildLimits(memory_bytes=2**31, cpu_seconds=3600, open_files=256).apply()\n"
        "print(*(resource.getrlimit(which) for which in (resource.RLIMIT_AS, resource.RLIMIT_CPU,"
        " resource.RLIMIT_NOFILE, resource.RLIMIT_CORE)))\n"
        "ChildLimits(memory_bytes=2**30, cpu_seconds=60, open_files=20).apply()\n"
        "print(*(resource.getrlimit(which) for which in (resource.RLIMIT_AS, resource.RLIMIT_CPU,"
        " resource.RLIMIT_NOFILE)))\n"
    )
    result = subprocess.run(
        [sys.executable, "-I", "-c", script], capture_output=True, text=True, timeout=30, env={**os.environ}
    )
    assert result.stderr == ""
    assert result.stdout.splitlines() == [
        f"({2**31}, {2**31}) (90, 90) (30, 30) (0, 0)",
        f"({2**30}, {2**30}) (60, 65) (20, 20)",
    ]
