"""Printing tables and JSON for the plain command-line commands."""

from __future__ import annotations

import codecs
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

from kneetui.content.text import reason
from kneetui.storage.atomic import why_it_cannot_be_written, write_atomic


def fail(message: str) -> int:
    """Say ``message`` on stderr as kneetui's and return the exit status for a refused command."""
    print(f"kneetui: {message}", file=sys.stderr)
    return 1


def write_output(target: Path, data: bytes, force: bool, example_name: str) -> str:
    """Write ``data`` to ``target`` atomically, never over a file unless ``force``; '' or why not.

    ``example_name`` is the file name suggested when ``target`` is a folder.
    """
    why_not = why_it_cannot_be_written(target, example_name)
    if why_not:
        return why_not
    if target.exists() and not force:
        return f"{target} already exists; use --force to replace it"
    try:
        write_atomic(target, data)
    except OSError as error:
        return f"cannot write {target}: {reason(error)}"
    return ""


#: What to print for characters kneetui uses when the terminal's encoding lacks them.
PLAIN_STAND_INS = {
    "–": "-",
    "—": "-",
    "→": "->",
    "←": "<-",
    "…": "...",
    "·": "-",
    "•": "*",
    "✓": "v",
    "✗": "x",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "◀": "<",
    "▶": ">",
    "◆": "*",
    "◇": "+",
    "○": "o",
    "●": "@",
    "æ": "ae",
    "ø": "o",
    "Æ": "AE",
    "Ø": "O",
}
ERROR_HANDLER = "kneetui-plain"


def _plain(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeEncodeError):
        raise error
    text = error.object[error.start : error.end]
    # A stand-in, else the letter without its accent (å -> a), else '?'.
    plain = "".join(
        PLAIN_STAND_INS.get(char) or unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode() or "?"
        for char in text
    )
    return plain, error.end


codecs.register_error(ERROR_HANDLER, _plain)


def degrade_gracefully(*streams: TextIO) -> None:
    """Let text a stream's encoding cannot hold degrade to plain stand-ins instead of raising.

    Under a locale that is not UTF-8 (LANG=C with Python's coercion off, or
    ISO-8859-1) printing '–' or '→' raised UnicodeEncodeError; now it prints
    '-' and '->'.
    """
    for stream in streams:
        encoding = getattr(stream, "encoding", None) or "utf-8"
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and codecs.lookup(encoding).name != "utf-8":
            reconfigure(errors=ERROR_HANDLER)


def print_json(value: Any, out: TextIO = sys.stdout) -> None:
    import json  # not before the full-screen app's first frame, which imports this module

    json.dump(value, out, indent=2, ensure_ascii=False)
    out.write("\n")


def print_table(header: Sequence[str], rows: Sequence[Sequence[str]], out: TextIO = sys.stdout) -> None:
    """Columns padded to line up, the last one left ragged; no colour, so it pipes cleanly."""
    widths = [max(len(str(row[column])) for row in [header, *rows]) for column in range(len(header))]
    for row in [header, *rows]:
        cells = [str(cell).ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        out.write("  ".join([*cells, str(row[-1])]).rstrip() + "\n")
