"""The user's settings, kept as TOML in the user config dir.

A file that cannot be read is moved aside to a timestamped backup and the app
starts with defaults; a value of the wrong type falls back to its default. In
both cases a notice says what happened, and nothing is overwritten silently.
"""

from __future__ import annotations

import dataclasses
import errno
import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomli_w

from kneetui.storage import locations
from kneetui.storage.atomic import keep_aside, write_atomic


@dataclass
class Settings:
    """Everything a person can change in Settings, with its default."""

    theme: str = "kneetui-dark"
    bell: bool = True
    flash: bool = True
    countdown_warning: bool = True
    get_ready_seconds: int = 5
    rest_seconds: int = 30
    animations: bool = True
    #: "auto" goes light (no animation, fewer updates) over SSH or on a limited terminal.
    light_mode: str = "auto"
    #: How far pain may rise above the start of a session before it stops. 0 is the source
    #: article's rule (any rise stops); up to 2 only when a physiotherapist said so.
    pain_rise_tolerance: int = 0
    safety_acknowledged: bool = False
    program: str = "chronic"
    disabled_plugins: list[str] = field(default_factory=list)
    #: How long a plug-in's session screen may keep the app from responding before it is closed.
    plugin_screen_timeout_seconds: float = 3.0

    def to_toml(self) -> bytes:
        return tomli_w.dumps(dataclasses.asdict(self)).encode()


@dataclass
class LoadedSettings:
    settings: Settings
    notices: list[str] = field(default_factory=list)
    #: The file holds a setting kneetui no longer uses; saving the settings once drops it.
    outdated: bool = False


_CHOICES = {"light_mode": ("auto", "on", "off")}
_BOUNDS = {
    "get_ready_seconds": (0, 60),
    "rest_seconds": (0, 600),
    "pain_rise_tolerance": (0, 2),
    "plugin_screen_timeout_seconds": (0.1, 60),
}


def _coerce(raw: dict[str, Any], notices: list[str]) -> Settings:
    defaults = Settings()
    values: dict[str, Any] = {}
    for spec in dataclasses.fields(Settings):
        if spec.name not in raw:
            continue
        value, default = raw[spec.name], getattr(defaults, spec.name)
        if isinstance(default, float) and type(value) is int:
            value = float(value)  # TOML writes 3.0 as 3 when a person types it
        fits = type(value) is type(default)
        if fits and isinstance(value, list):
            fits = all(isinstance(item, str) for item in value)
        if fits and spec.name in _CHOICES:
            fits = value in _CHOICES[spec.name]
        if fits and spec.name in _BOUNDS:
            low, high = _BOUNDS[spec.name]
            fits = low <= value <= high
        if fits:
            values[spec.name] = value
        else:
            notices.append(f"Setting {spec.name!r} = {value!r} is not valid; using {default!r}.")
    if "pain_rise_to_stop" in raw:
        notices.append(
            "The setting 'pain_rise_to_stop' is no longer used: a session now stops at any rise in pain, "
            "as the source article advises. If your physiotherapist allows a small rise, set it under "
            "Settings (o)."
        )
    return Settings(**values)


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
        why = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        verb = "opened" if isinstance(error, OSError) else "read"
        # Kept aside even when it only could not be opened, so that saving a
        # setting later never replaces a file the person may still want.
        try:
            backup = keep_aside(path)
        except OSError as move_error:
            notices.append(
                f"The settings file {path} cannot be {verb} ({why}) nor moved aside "
                f"({move_error.strerror or move_error}); using defaults."
            )
        else:
            notices.append(
                f"The settings file {path} cannot be {verb} ({why}); it was kept as {backup}. Using defaults."
            )
        return LoadedSettings(Settings(), notices)
    return LoadedSettings(_coerce(raw, notices), notices, outdated="pain_rise_to_stop" in raw)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    write_atomic(path or locations.config_file(), settings.to_toml())
