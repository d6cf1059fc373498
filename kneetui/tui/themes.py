"""Colour themes read from TOML: kneetui's own, then the user's.

Each ``.toml`` file holds one theme (the format is in ``docs/themes.md``). The
built-in files ship in the ``kneetui_themes`` package; the user's live in
:func:`kneetui.storage.locations.user_theme_dir`. A file that cannot be used
becomes a :class:`ThemeFailure` for the UI to show once; loading never raises.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType
from textual.color import Color, ColorParseError
from textual.theme import BUILTIN_THEMES, Theme

from kneetui.content.text import one_line
from kneetui.content.toml_data import SchemaError, Wording, convert, decode, parse_toml
from kneetui.storage import locations

DEFAULT_THEME = "kneetui-dark"
MAX_THEME_BYTES = 64 * 1024

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
# Typed after --theme and in config.toml; Textual reads "a,b" as "a, else b".
_NAME_REGEX = r"^\w[\w.-]*\Z"

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
    taken = dict.fromkeys(BUILTIN_THEMES, "a theme built into Textual")
    for path, read in _builtin_files(result):
        _load_one(path, read, taken, result, owner="a built-in kneetui theme")
    folder = locations.user_theme_dir() if user_dir is None else user_dir
    for path, read in _user_files(folder, result):
        _load_one(path, read, taken, result, owner=path.name)
    return result


def _builtin_files(result: ThemeLoad) -> list[tuple[Path, ReadBytes]]:
    # The package's own folder: kneetui is installed as files, never zipped, and importlib.resources
    # would import zipfile and its readers before the first frame to list five files.
    try:
        package = importlib.import_module("kneetui_themes")
        if package.__file__ is None:
            raise ImportError("kneetui_themes is not a folder of files")
        folder = Path(package.__file__).parent
        found = sorted(entry for entry in folder.iterdir() if entry.name.endswith(".toml"))
    except (ImportError, OSError) as error:
        result.failed.append(ThemeFailure(Path("kneetui_themes"), f"built-in themes missing: {one_line(error)}"))
        return []
    return [(entry, entry.read_bytes) for entry in found]


def _user_files(folder: Path, result: ThemeLoad) -> list[tuple[Path, ReadBytes]]:
    try:
        if not folder.exists():
            return []
        if not folder.is_dir():
            result.failed.append(ThemeFailure(folder, "the theme folder is a file, not a folder"))
            return []
        paths = sorted(path for path in folder.glob("*.toml") if path.is_file())
    except OSError as error:
        result.failed.append(ThemeFailure(folder, f"cannot read the theme folder: {one_line(error)}"))
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
        return parse_toml(decode(read()), MAX_THEME_BYTES)
    except OSError as error:
        raise _BadTheme(f"cannot read the file: {one_line(error)}") from None
    except SchemaError as error:
        raise _BadTheme(str(error)) from None


class ThemeFile(Struct, forbid_unknown_fields=True):
    """A theme file (docs/themes.md): a name, the main colour, and what else it sets."""

    name: Annotated[str, Meta(pattern=_NAME_REGEX)]
    primary: str
    secondary: str | UnsetType = UNSET
    accent: str | UnsetType = UNSET
    foreground: str | UnsetType = UNSET
    background: str | UnsetType = UNSET
    surface: str | UnsetType = UNSET
    panel: str | UnsetType = UNSET
    success: str | UnsetType = UNSET
    warning: str | UnsetType = UNSET
    error: str | UnsetType = UNSET
    boost: str | UnsetType = UNSET
    dark: bool | UnsetType = UNSET
    ansi: bool | UnsetType = UNSET
    luminosity_spread: Annotated[float, Meta(ge=0, le=1)] | UnsetType = UNSET
    text_alpha: Annotated[float, Meta(ge=0, le=1)] | UnsetType = UNSET
    variables: dict[str, str] = {}


_WORDING = Wording(
    missing={"primary": "the main colour"},
    patterns={_NAME_REGEX: "is not a theme name: use letters, digits, '-', '_' and '.'"},
)


def _parse(raw: dict[str, Any]) -> Theme:
    try:
        parsed = convert(raw, ThemeFile, _WORDING)
    except SchemaError as error:
        raise _BadTheme(str(error)) from None
    options = {name: value for name, value in msgspec.structs.asdict(parsed).items() if value is not UNSET}
    for key in COLOUR_KEYS:
        if key in options:
            _colour(key, options[key])
    return Theme(**options)


def _colour(key: str, value: str) -> None:
    try:
        Color.parse(value)
    except ColorParseError as error:
        hint = f"; did you mean {error.suggested_color!r}?" if error.suggested_color else ""
        raise _BadTheme(f"{key}: {value!r} is not a colour{hint}") from None
