"""The layers stay visible: the plug-in API and the domain import no Textual."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "kneetui"
DOMAIN = ["content", "plugin_host", "storage", "engine", "history", "exchange", "reminders"]


def test_the_plugin_api_and_builtin_content_import_no_textual():
    code = (
        "import sys, kneetui.api, kneetui_medial_knee\n"
        "from kneetui.plugin_host.loader import load_plugins\n"
        "load_plugins()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


@pytest.mark.parametrize("layer", [name for name in DOMAIN if (PACKAGE / name).is_dir()])
def test_domain_layers_never_import_textual_or_the_tui(layer):
    for path in (PACKAGE / layer).rglob("*.py"):
        for module in imported_modules(path):
            assert not module.startswith(("textual", "kneetui.tui")), f"{path} imports {module}"


def test_every_package_is_listed_for_the_wheel():
    import tomllib

    listed = set(tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    found = {".".join(init.parent.relative_to(PACKAGE.parent).parts) for init in PACKAGE.rglob("__init__.py")}
    assert found <= listed, f"add to pyproject packages: {sorted(found - listed)}"
