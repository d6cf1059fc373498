"""Keeping a plug-in's side effects out of kneetui's output, and saying where its code failed."""

from __future__ import annotations

import io
import os
import sys
import time
from functools import lru_cache
from pathlib import Path
from types import CodeType, FunctionType, TracebackType
from typing import Any

#: Lines of printed output kept per plug-in (for ``kneetui plugins doctor``).
KEPT_LINES = 50
#: The log is started afresh when it grows past this many bytes.
LOG_LIMIT_BYTES = 1_000_000

_KNEETUI_ROOT = Path(__file__).resolve().parents[1]
_STDLIB_ROOT = Path(os.__file__).resolve().parent


class PrintedLines(io.TextIOBase):
    """A write-only text stream that keeps what a plug-in prints, line by line."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.count = 0
        self._partial = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        text = str(text)
        *complete, self._partial = (self._partial + text).split("\n")
        for line in complete:
            self._keep(line)
        return len(text)

    def close_line(self) -> None:
        if self._partial:
            self._keep(self._partial)
            self._partial = ""

    def _keep(self, line: str) -> None:
        self.count += 1
        if len(self.lines) < KEPT_LINES:
            self.lines.append(line[:500])


def printed_to(lines: PrintedLines) -> _PrintedTo:
    """Send what is printed to ``sys.stdout`` (and ``sys.stderr``) meanwhile into ``lines``.

    kneetui's own output (``--json`` above all) must stay exactly what kneetui wrote.
    """
    return _PrintedTo(lines)


class _PrintedTo:
    """What :func:`contextlib.redirect_stdout` does for one stream, for both at once: the loader
    enters one a few times for every plug-in."""

    __slots__ = ("_lines", "_saved")

    def __init__(self, lines: PrintedLines) -> None:
        self._lines = lines
        self._saved: tuple[Any, Any] = (None, None)

    def __enter__(self) -> None:
        self._saved = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = self._lines

    def __exit__(self, *exc_info: object) -> None:
        sys.stdout, sys.stderr = self._saved
        self._lines.close_line()


def append_to_log(plugin: str, lines: list[str], log_file: Path) -> None:
    """Add ``lines`` printed by ``plugin`` to the plug-in log; a log that cannot be written is skipped."""
    if not lines:
        return
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    text = "".join(f"{stamp} {plugin}: {line}\n" for line in lines)
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        if log_file.exists() and log_file.stat().st_size > LOG_LIMIT_BYTES:
            os.replace(log_file, log_file.with_suffix(".log.1"))
        with open(log_file, "a", encoding="utf-8", errors="replace") as log:
            log.write(text)
    except OSError:
        pass


def _is_plugin_frame(package: str, module_name: str) -> bool:
    top = module_name.split(".")[0]
    return bool(package) and top == package


def _is_foreign(filename: str) -> bool:
    """Code that is kneetui's, pluggy's or Python's own, not the plug-in's."""
    if filename.startswith("<"):
        return True
    path = Path(filename).resolve()
    return (
        path.is_relative_to(_KNEETUI_ROOT)
        or (path.is_relative_to(_STDLIB_ROOT) and "site-packages" not in path.parts)
        or "pluggy" in path.parts
    )


def short_path(filename: str, package: str = "") -> str:
    """``filename`` from its plug-in package on (``kneetui_x/hooks.py``), else the file name."""
    parts = Path(filename).parts
    if package and package in parts:
        return "/".join(parts[len(parts) - parts[::-1].index(package) - 1 :])
    if package and parts and parts[-1] == f"{package}.py":
        return parts[-1]
    return "/".join(parts[-2:])


def error_location(error: BaseException, package: str = "") -> str:
    """``file:line`` in the plug-in's code where ``error`` was raised ('' when unknown)."""
    if isinstance(error, SyntaxError) and error.filename and error.lineno:
        return f"{short_path(error.filename, package)}:{error.lineno}"
    frames: list[tuple[str, int, str]] = []
    traceback: TracebackType | None = error.__traceback__
    while traceback is not None:
        frame = traceback.tb_frame
        frames.append((frame.f_code.co_filename, traceback.tb_lineno, str(frame.f_globals.get("__name__", ""))))
        traceback = traceback.tb_next
    own = [entry for entry in frames if _is_plugin_frame(package, entry[2])]
    chosen = own or [entry for entry in frames if not _is_foreign(entry[0])]
    if not chosen:
        return ""
    filename, line, _ = chosen[-1]
    return f"{short_path(filename, package)}:{line}"


def code_location(function: Any, package: str = "") -> str:
    """``file:line`` where ``function`` is defined ('' when it has no Python code)."""
    code: CodeType | None = getattr(function, "__code__", None)
    if code is None and not isinstance(function, FunctionType):
        code = getattr(getattr(function, "__func__", None), "__code__", None)
    if code is None:
        return ""
    return f"{short_path(code.co_filename, package)}:{code.co_firstlineno}"


# Not mutated: mutation testing puts a frame of its own between this function and its caller,
# so the frame counted would be the wrong one and every test of a location would fail.
def caller_location(depth: int, package: str = "") -> str:  # pragma: no mutate block
    """``file:line`` of the code ``depth`` frames above the caller of this function."""
    try:
        frame = sys._getframe(depth + 1)
    except ValueError:
        return ""
    return f"{_short_code_path(frame.f_code.co_filename, package)}:{frame.f_lineno}"


#: :func:`short_path` of a code object's file name (always a ``str``), asked again for every item a
#: plug-in registers from the same file.
_short_code_path = lru_cache(maxsize=1024)(short_path)


def at(location: str) -> str:
    """`` (at file:line)`` to append to a message, or '' when the location is unknown."""
    return f" (at {location})" if location else ""
