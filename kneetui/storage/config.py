"""The user's settings, kept as TOML in the user config dir.

A file that cannot be read is moved aside to a timestamped backup and the app
starts with defaults; a value of the wrong type falls back to its default, and the
file is moved aside the same way the first time the settings are saved over it. In
both cases a notice says what happened, and nothing is overwritten silently.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import tomllib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeGuard

import tomli_w
from msgspec import Meta

from kneetui.content.text import reason
from kneetui.content.toml_data import SchemaError, convert
from kneetui.storage import locations
from kneetui.storage.atomic import keep_aside, write_atomic

LightMode = Literal["auto", "on", "off"]


def is_light_mode(value: object) -> TypeGuard[LightMode]:
    """Whether ``value`` is one of the choices of the ``light_mode`` setting."""
    return value in typing.get_args(LightMode)


@dataclass
class Settings:
    """Everything a person can change in Settings, with its default and, where it has one, its limits."""

    theme: str = "kneetui-dark"
    bell: bool = True
    flash: bool = True
    countdown_warning: bool = True
    get_ready_seconds: Annotated[int, Meta(ge=0, le=60)] = 5
    rest_seconds: Annotated[int, Meta(ge=0, le=600)] = 30
    animations: bool = True
    #: "auto" goes light (no animation, fewer updates) over SSH or on a limited terminal.
    light_mode: LightMode = "auto"
    #: How far pain may rise above the start of a session before it stops. 0 is the source
    #: article's rule (any rise stops); up to 2 only when a physiotherapist said so.
    pain_rise_tolerance: Annotated[int, Meta(ge=0, le=2)] = 0
    safety_acknowledged: bool = False
    program: str = "chronic"
    disabled_plugins: list[str] = field(default_factory=list)
    #: How long a plug-in's session screen may keep the app from responding before it is closed.
    plugin_screen_timeout_seconds: Annotated[float, Meta(ge=0.1, le=60)] = 3.0

    def to_toml(self) -> bytes:
        return tomli_w.dumps(dataclasses.asdict(self)).encode()


@dataclass
class LoadedSettings:
    settings: Settings
    notices: list[str] = field(default_factory=list)
    #: The file holds a setting kneetui no longer uses; saving the settings once drops it.
    outdated: bool = False


def _coerced(raw: dict[str, Any], notices: list[str]) -> tuple[Settings, list[str]]:
    """The settings in ``raw`` and the names of the values that did not fit (each falls back, with a notice)."""
    known = {spec.name for spec in dataclasses.fields(Settings)}
    values = {name: value for name, value in raw.items() if name in known}
    defaults = Settings()
    if "pain_rise_to_stop" in raw:
        notices.append(
            "The setting 'pain_rise_to_stop' is no longer used: a session now stops at any rise in pain, "
            "as the source article advises. If your physiotherapist allows a small rise, set it under "
            "Settings (o)."
        )
    dropped: list[str] = []
    # Each pass drops the one value the schema named; a file has only so many keys.
    while True:
        try:
            return convert(values, Settings), dropped
        except SchemaError as error:
            name = error.field.split(".")[0].split("[")[0]
            if name not in values:
                raise
            notices.append(f"Setting {name!r} = {values.pop(name)!r} is not valid; using {getattr(defaults, name)!r}.")
            dropped.append(name)


def _read(path: Path) -> str:
    """The file's text; raises OSError for anything but a regular file, without waiting."""
    # O_NONBLOCK: a FIFO in place of the file would otherwise wait for a writer forever.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return file.read().decode("utf-8")


def load_settings(path: Path | None = None) -> LoadedSettings:
    """Read the settings; never raises for a bad file."""
    path = path or locations.config_file()
    notices: list[str] = []
    try:
        raw = tomllib.loads(_read(path))
    except FileNotFoundError:
        return LoadedSettings(Settings())
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as error:
        why = reason(error)
        verb = "opened" if isinstance(error, OSError) else "read"
        # Kept aside even when it only could not be opened, so that saving a
        # setting later never replaces a file the person may still want.
        try:
            backup = keep_aside(path)
        except OSError as move_error:
            notices.append(
                f"The settings file {path} cannot be {verb} ({why}) nor moved aside "
                f"({reason(move_error)}); using defaults."
            )
        else:
            notices.append(
                f"The settings file {path} cannot be {verb} ({why}); it was kept as {backup}. Using defaults."
            )
        return LoadedSettings(Settings(), notices)
    settings, dropped = _coerced(raw, notices)
    if dropped:
        notices.append(
            f"The settings file {path} is left as it is until a setting is saved; it is then kept beside it as "
            f"{path.name}.broken-<date>-<time>."
        )
    return LoadedSettings(settings, notices, outdated="pain_rise_to_stop" in raw)


def save_settings(settings: Settings, path: Path | None = None) -> Path | None:
    """Write ``settings``; the path of the old file when it held values kneetui could not use and was kept aside.

    Raises OSError when the file cannot be written, or cannot be kept aside when it has to be.
    """
    path = path or locations.config_file()
    backup = keep_aside(path) if _holds_unusable_values(path) else None
    write_atomic(path, settings.to_toml())
    return backup


def _holds_unusable_values(path: Path) -> bool:
    """Whether the file at ``path`` holds what saving would lose: a value that does not fit, or text unreadable."""
    try:
        raw = tomllib.loads(_read(path))
    except FileNotFoundError:
        return False
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError):
        return True  # made unreadable since it was loaded: kept, never replaced
    return bool(_coerced(raw, [])[1])
