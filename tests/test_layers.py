"""The layers stay visible: the plug-in API and the domain import no Textual.

Which package may import which is the import-linter contracts' job (pyproject.toml,
run by tests/test_checks.py); these check what a contract cannot see.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "kneetui"


def test_the_plugin_api_and_builtin_content_import_no_textual():
    code = (
        "import sys, kneetui.api, kneetui_medial_knee\n"
        "from kneetui.plugin_host.loader import load_plugins\n"
        "load_plugins()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_every_package_is_listed_for_the_wheel():
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(PACKAGE.parent).parts) for init in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"add to pyproject packages: {sorted(found - listed)}"
