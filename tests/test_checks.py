"""The one check command: lint, format, types and import contracts run with the tests.

Each tool runs as its own process, exactly as CONTRIBUTING.md shows to run it alone,
and a failure shows that tool's own output.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
BIN = Path(sys.executable).parent

CHECKS = {
    "ruff check": [str(BIN / "ruff"), "check", "."],
    "ruff format --check": [str(BIN / "ruff"), "format", "--check", "."],
    "mypy": [sys.executable, "-m", "mypy"],
    "lint-imports": [str(BIN / "lint-imports")],
}


@pytest.mark.parametrize("name", CHECKS)
def test_the_code_passes(name):
    command = CHECKS[name]
    # The checkers cache under the repository (.mypy_cache, .ruff_cache); nothing goes to the home folder.
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600, env=os.environ)
    assert result.returncode == 0, f"{name} failed:\n{result.stdout}\n{result.stderr}"
