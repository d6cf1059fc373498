"""Whether this kneetui is served to a patient by ``kneetui serve``, and keeping paths they type in their folder.

The server builds each patient's environment from nothing and sets :data:`SERVED_HOME_VARIABLE`
to that patient's own folder; nothing a client sends reaches that environment, so a patient can
neither set nor clear it. When it is set, every path the patient types must name a ``.toml`` file
(or, for the report, an ``.html`` file) inside that folder, reached without ``..`` and without
following a symbolic link: their kneetui runs as the same system user as every other patient's,
so the file system alone cannot keep them apart. Only those kinds of file, because kneetui itself
loads Python from one of its folders.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

SERVED_HOME_VARIABLE = "KNEETUI_SERVED_HOME"
#: The server may also pass a pipe (its descriptor number here) for telling it of refused paths.
REFUSALS_FD_VARIABLE = "KNEETUI_REFUSALS_FD"
#: The reasons a path is refused, as the server's audit log names them.
REASONS = ("other-home", "dot-dot", "outside", "not-toml", "link", "misconfigured")
#: The only kind of file a served patient may name: programme files are TOML.
EXCHANGE_SUFFIX = ".toml"
#: A programme file is small; reading stops one byte past this.
MAX_READ_BYTES = 1024 * 1024


class OutsideYourFolder(ValueError):
    """A typed path that a served patient may not use; the message says why in their words."""

    def __init__(self, message: str, reason: str = "outside") -> None:
        super().__init__(message)
        self.reason = reason


def tell_server(purpose: str, typed: Path, reason: str) -> None:
    """Tell the server a path was refused, for its audit log; nothing happens when not served."""
    value = os.environ.get(REFUSALS_FD_VARIABLE, "")
    if not value.isdigit():
        return
    line = f"{purpose}\t{reason}\t{str(typed)[:200]}".replace("\n", " ") + "\n"
    with contextlib.suppress(OSError):
        os.write(int(value), line.encode("utf-8", "replace"))


def served_home() -> Path | None:
    """The patient's own folder when kneetui is served, None when it runs for its own user."""
    value = os.environ.get(SERVED_HOME_VARIABLE)
    return Path(value) if value else None


def shown(path: Path, home: Path) -> str:
    """``path`` as the patient knows it: ``~/...``, never the server's folder names."""
    try:
        inside = path.relative_to(home)
    except ValueError:
        return str(path)
    return "~" if not inside.parts else f"~/{inside.as_posix()}"


def for_patient(path: Path) -> str:
    """``path`` as a message shows it: ``~/...`` when served (never the server's folders), else whole."""
    home = served_home()
    return str(path) if home is None else shown(path, home)


def confine(path: Path, home: Path | None = None, purpose: str = "path", suffix: str = EXCHANGE_SUFFIX) -> Path:
    """``path`` if a served patient may use it (relative paths start at their folder); raises otherwise.

    Not served (``home`` None and no served folder set): ``path`` unchanged. Each refusal is
    also told to the server (``purpose``: what the path was for, such as "export"). ``suffix``
    is the one kind of file allowed: ``.toml`` unless a caller writes something else that
    kneetui never loads, such as the ``.html`` report.
    """
    home = home if home is not None else served_home()
    if home is None:
        return path
    try:
        return _confined(path, home, suffix)
    except OutsideYourFolder as refusal:
        tell_server(purpose, path, refusal.reason)
        raise


def _confined(path: Path, home: Path, suffix: str = EXCHANGE_SUFFIX) -> Path:
    example = f"~/my-programme{suffix}" if suffix == EXCHANGE_SUFFIX else f"~/kneetui-report{suffix}"
    if not home.is_absolute():
        raise OutsideYourFolder(
            "kneetui cannot use files here: the server set up this session wrongly.", "misconfigured"
        )
    if path.parts and path.parts[0].startswith("~"):
        raise OutsideYourFolder(f"Only your own folder (~) can be used here, e.g. {example}", "other-home")
    if ".." in path.parts:
        raise OutsideYourFolder(f"'..' cannot be used here; give a file in your folder, e.g. {example}", "dot-dot")
    candidate = Path(os.path.normpath(home / path))
    if candidate == home or not candidate.is_relative_to(home):
        raise OutsideYourFolder(f"Only files in your own folder can be used here, e.g. {example}")
    if candidate.suffix != suffix:
        raise OutsideYourFolder(f"Only {suffix} files can be used here, e.g. {example}", "not-toml")
    # A link could lead anywhere; none is followed, at any depth.
    current = home
    for part in candidate.relative_to(home).parts:
        current = current / part
        try:
            mode = os.lstat(current).st_mode
        except OSError:
            # Nothing further along exists or can be reached (missing, a file where a folder
            # should be, a name too long): no link beyond here, and using the path fails.
            break
        if stat.S_ISLNK(mode):
            raise OutsideYourFolder(
                f"{shown(current, home)} is a link; only real files in your folder can be used", "link"
            )
    return candidate


def read_confined(path: Path) -> bytes:
    """The first bytes of the regular file ``path``, opened without following a link (OSError if not)."""
    descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(descriptor, "rb") as file:
        if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
            raise OSError(f"{path.name} is not a regular file")
        return file.read(MAX_READ_BYTES + 1)
