"""Project promises: CI runs the README's test command verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[1]


def readme_commands() -> list[str]:
    return re.findall(r"```sh\n\s*(.+?)\n\s*```", (ROOT / "README.md").read_text(), flags=re.S)


def test_the_readme_has_the_two_setup_commands_first():
    first, second = [command.strip() for command in readme_commands()[:2]]
    assert first.endswith(".venv/bin/kneetui")
    assert second.endswith("-m pytest")


def test_ci_runs_the_readme_test_command_verbatim():
    second = readme_commands()[1].strip()
    assert second in (ROOT / ".ci" / "run").read_text().splitlines()
