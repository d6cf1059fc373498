"""Throw-away Python environments and wheels for testing how plug-ins install, offline and fast."""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path


def run(*args: str | Path, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(arg) for arg in args], capture_output=True, text=True, timeout=300, check=False, **kwargs
    )


def kneetui_environment(folder: Path) -> Path:
    """A venv that sees kneetui (and pip) from this one but installs into its own site-packages.

    Returns its python. Installing a plug-in there leaves this environment, and
    every other test, untouched.
    """
    made = run(sys.executable, "-m", "venv", "--without-pip", folder)
    assert made.returncode == 0, made.stderr
    python = folder / "bin" / "python"
    purelib = run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").stdout.strip()
    # addsitedir also runs this environment's .pth files, which make an editable kneetui importable.
    Path(purelib, "_kneetui_under_test.pth").write_text(
        f"import site; site.addsitedir({sysconfig.get_paths()['purelib']!r})\n"
    )
    return python


def build_wheel(project: Path, into: Path) -> Path:
    """A wheel of ``project``, built with the setuptools already installed (no network)."""
    built = run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "-q",
        "--no-deps",
        "--no-index",
        "--no-build-isolation",
        "-w",
        into,
        project,
    )
    assert built.returncode == 0, built.stderr
    return next(into.glob(f"{project.name.replace('-', '_')}*.whl"))
