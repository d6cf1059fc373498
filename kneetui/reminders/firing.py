"""What a reminder does when its time comes: a desktop notification, or a line for the next terminal login.

It reminds only when the chosen programme has a session due today (see
:mod:`kneetui.history.adherence`): never on a rest day, after the session is
done, or after a session stopped for pain.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import platformdirs

from kneetui.history.adherence import Adherence, Status
from kneetui.storage.atomic import write_atomic

#: Statuses on which a reminder is shown.
REMIND_ON = (Status.NOT_STARTED, Status.DUE_TODAY, Status.OVERDUE)
NOTIFY_TIMEOUT_SECONDS = 10


def login_line_file() -> Path:
    """Where a reminder that found no desktop leaves its line; ``kneetui remind pending`` prints it."""
    return platformdirs.user_state_path("kneetui") / "reminder.txt"


def reminder_message(result: Adherence, programme_name: str) -> str | None:
    """The reminder's words when a session is due today, else ``None``."""
    if result.status not in REMIND_ON:
        return None
    return f"Your knee exercises are due today ({programme_name}). Run kneetui to start."


def desktop_bus(environ: Mapping[str, str]) -> dict[str, str] | None:
    """The environment notify-send needs to reach the desktop, or ``None`` when there is no desktop session.

    A job started by cron has no ``DBUS_SESSION_BUS_ADDRESS``; the user's bus
    socket in ``XDG_RUNTIME_DIR`` (or ``/run/user/<uid>``) is then used when it exists.
    """
    env = dict(environ)
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return env
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    bus = Path(runtime) / "bus"
    if not bus.exists():
        return None
    env["DBUS_SESSION_BUS_ADDRESS"] = f"unix:path={bus}"
    return env


def show_on_desktop(
    message: str,
    environ: Mapping[str, str],
    which: Callable[[str], str | None] = shutil.which,
) -> bool:
    """Show ``message`` with notify-send; ``False`` when there is no notify-send, no desktop, or it failed."""
    notify_send = which("notify-send")
    env = desktop_bus(environ)
    if notify_send is None or env is None:
        return False
    try:
        result = subprocess.run(
            [notify_send, "--app-name=kneetui", "kneetui", message],
            env=env,
            capture_output=True,
            timeout=NOTIFY_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0


def leave_login_line(message: str, when: datetime, path: Path | None = None) -> Path:
    """Keep ``message`` for the next terminal login; a newer reminder replaces an older one."""
    path = path or login_line_file()
    write_atomic(path, f"kneetui reminder, {when:%a %d %b %H:%M}: {message}\n".encode())
    return path


def take_login_line(path: Path | None = None) -> str | None:
    """The line left by a reminder, removed once read; ``None`` when there is none."""
    path = path or login_line_file()
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except FileNotFoundError:
        return None
    forget_login_line(path)
    return text or None


def forget_login_line(path: Path | None = None) -> None:
    """Remove a line left for the next login, and its folder when nothing else is in it."""
    path = path or login_line_file()
    path.unlink(missing_ok=True)
    with contextlib.suppress(OSError):
        path.parent.rmdir()
