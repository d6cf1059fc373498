"""Printing tables and JSON for the plain command-line commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO


def print_json(value: Any, out: TextIO = sys.stdout) -> None:
    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO = sys.stdout) -> None:
    """Columns padded to line up, the last one left ragged; no colour, so it pipes cleanly."""
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row[:-1], widths)]
        out.write("  ".join([*cells, str(row[-1])]).rstrip() + "\n")
