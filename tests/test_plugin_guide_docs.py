"""The plug-in author's guide documents exactly the hooks kneetui has."""

from __future__ import annotations

import inspect
import re
from pathlib import Path

from kneetui import hookspecs

GUIDE = Path(__file__).parents[1] / "CONTRIBUTING.md"


def hooks_in_code() -> dict[str, list[str]]:
    return {
        name: list(inspect.signature(function).parameters)
        for name, function in vars(hookspecs).items()
        if name.startswith("kneetui_") and callable(function)
    }


def hooks_in_guide() -> dict[str, list[str]]:
    found = re.findall(r"^#### `(kneetui_\w+)\(([^)]*)\)`", GUIDE.read_text(), flags=re.M)
    return {name: [arg.strip() for arg in args.split(",") if arg.strip()] for name, args in found}


def test_every_hook_is_documented_with_its_arguments_and_nothing_else():
    assert hooks_in_guide() == hooks_in_code()


def test_every_hook_has_a_one_line_docstring():
    for name in hooks_in_code():
        doc = getattr(hookspecs, name).__doc__
        assert doc and len(doc.strip().splitlines()) == 1, name
