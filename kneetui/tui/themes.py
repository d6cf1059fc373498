"""Colour themes read from TOML: kneetui's own, then the user's.

Each ``.toml`` file holds one theme (the format is in ``docs/themes.md``). The
built-in files ship in the ``kneetui_themes`` package; the user's live in
:func:`kneetui.storage.locations.user_theme_dir`. A file that cannot be used
becomes a :class:`ThemeFailure` for the UI to show once; loading never raises.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from kneetui.storage import locations

DEFAULT_THEME = "kneetui-dark"

COLOUR_KEYS = (
    "primary",
    "secondary",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "success",
    "warning",
    "error",
    "boost",
)
_FLAG_KEYS = ("dark", "ansi")
_NUMBER_KEYS = ("luminosity_spread", "text_alpha")
KNOWN_KEYS = ("name", *_FLAG_KEYS, *COLOUR_KEYS, *_NUMBER_KEYS, "variables")
# Typed after --theme and in config.toml; Textual reads "a,b" as "a, else b".
_NAME = re.compile(r"\w[\w.-]*")

ReadBytes = Callable[[], bytes]


@dataclass(frozen=True)
class ThemeFailure:
    """A theme file that was skipped, and a one-line reason a person can act on."""

    path: Path
    reason: str


@dataclass
class ThemeLoad:
    """Every theme that loaded, built-ins first, and every file that did not."""

    loaded: list[Theme] = field(default_factory=list)
    failed: list[ThemeFailure] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [theme.name for theme in self.loaded]


class _BadTheme(Exception):
    """Why a theme file cannot be used; its message is the failure's reason."""


def load_themes(user_dir: Path | None = None) -> ThemeLoad:
    """Load the built-in themes, then every ``*.toml`` in ``user_dir``.

    ``user_dir`` defaults to the user's theme folder; a folder that does not
    exist simply adds no themes. A user theme may not reuse the name of a
    built-in (kneetui's or Textual's) or of an earlier user file.
    """
    result = ThemeLoad()
    taken = {name: "a theme built into Textual" for name in BUILTIN_THEMES}
    for path, read in _builtin_files(result):
        _load_one(path, read, taken, result, owner="a built-in kneetui theme")
    folder = locations.user_theme_dir() if user_dir is None else user_dir
    for path, read in _user_files(folder, result):
        _load_one(path, read, taken, result, owner=path.name)
    return result


def _builtin_files(result: ThemeLoad) -> list[tuple[Path, ReadBytes]]:
    try:
        found = [entry for entry in files("kneetui_themes").iterdir() if entry.name.endswith(".toml")]
    except (ImportError, OSError) as error:
        result.failed.append(ThemeFailure(Path("kneetui_themes"), f"built-in themes missing: {_one_line(error)}"))
        return []
    return [(Path(str(entry)), entry.read_bytes) for entry in sorted(found, key=lambda entry: entry.name)]


def _user_files(folder: Path, result: ThemeLoad) -> list[tuple[Path, ReadBytes]]:
    try:
        if not folder.exists():
            return []
        if not folder.is_dir():
            result.failed.append(ThemeFailure(folder, "the theme folder is a file, not a folder"))
            return []
        paths = sorted(path for path in folder.glob("*.toml") if path.is_file())
    except OSError as error:
        result.failed.append(ThemeFailure(folder, f"cannot read the theme folder: {_one_line(error)}"))
        return []
    return [(path, path.read_bytes) for path in paths]


def _load_one(path: Path, read: ReadBytes, taken: dict[str, str], result: ThemeLoad, owner: str) -> None:
    try:
        theme = _parse(_read_toml(read))
        if theme.name in taken:
            raise _BadTheme(f"the name {theme.name!r} is taken by {taken[theme.name]}; choose another name")
    except _BadTheme as error:
        result.failed.append(ThemeFailure(path, str(error)))
        return
    taken[theme.name] = owner
    result.loaded.append(theme)


def _read_toml(read: ReadBytes) -> dict[str, Any]:
    try:
        text = read().decode("utf-8")
    except OSError as error:
        raise _BadTheme(f"cannot read the file: {_one_line(error)}") from None
    except UnicodeDecodeError:
        raise _BadTheme("the file is not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise _BadTheme(f"not valid TOML: {_one_line(error)}") from None


def _parse(raw: dict[str, Any]) -> Theme:
    for key in raw:
        if key not in KNOWN_KEYS:
            raise _BadTheme(f"unknown key {key!r}{_did_you_mean(key)}")
    name = raw.get("name")
    if name is None:
        raise _BadTheme("missing 'name'")
    if not isinstance(name, str) or not name.strip():
        raise _BadTheme("'name' must be a non-empty string")
    if not _NAME.fullmatch(name.strip()):
        raise _BadTheme(f"'name' {name.strip()!r} may use only letters, digits, '-', '_' and '.'")
    if "primary" not in raw:
        raise _BadTheme("missing 'primary' (the main colour)")
    options: dict[str, Any] = {key: _colour(key, raw[key]) for key in COLOUR_KEYS if key in raw}
    options |= {key: _flag(key, raw[key]) for key in _FLAG_KEYS if key in raw}
    options |= {key: _number(key, raw[key]) for key in _NUMBER_KEYS if key in raw}
    options["variables"] = _variables(raw.get("variables", {}))
    return Theme(name=name.strip(), **options)


def _colour(key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise _BadTheme(f"{key!r} must be a colour in quotes, not {_kind(value)}")
    try:
        Color.parse(value)
    except ColorParseError as error:
        hint = f"; did you mean {error.suggested_color!r}?" if error.suggested_color else ""
        raise _BadTheme(f"{key!r} is not a colour: {value!r}{hint}") from None
    return value


def _flag(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _BadTheme(f"{key!r} must be true or false, not {_kind(value)}")
    return value


def _number(key: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise _BadTheme(f"{key!r} must be a number from 0 to 1")
    return float(value)


def _variables(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise _BadTheme(f"'variables' must be a table, not {_kind(value)}")
    for key, item in value.items():
        if not isinstance(item, str):
            raise _BadTheme(f"variable {key!r} must be a string, not {_kind(item)}")
    return dict(value)


def _did_you_mean(key: str) -> str:
    close = difflib.get_close_matches(key, KNOWN_KEYS, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _kind(value: Any) -> str:
    kinds = {bool: "true/false", int: "a number", float: "a number", str: "a string"}
    kinds |= {list: "a list", dict: "a table"}
    return kinds.get(type(value), type(value).__name__)


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
