"""Reminders the person installs and removes: a daily job that runs ``kneetui remind fire``.

Each platform's own scheduler runs it, so nothing of kneetui keeps running:

* a systemd user timer (``Persistent=true``, so a time missed while the
  computer was off fires at the next start) where systemd runs the user's session;
* a line in the user's crontab otherwise;
* a LaunchAgent on macOS.

A reminder is named after its time (``kneetui-reminder-0800``). Every file or
line kneetui writes carries that name, and ``remove`` takes away exactly those,
so removing leaves nothing behind. The scheduler is the record of what is
installed: ``installed()`` reads it back; kneetui keeps no list of its own.
"""

from __future__ import annotations

import contextlib
import os
import plistlib
import re
import shlex
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

#: What the job runs: this very interpreter, so it finds this kneetui.
FIRE_COMMAND = (sys.executable, "-m", "kneetui", "remind", "fire")
#: Where kneetui keeps its files; passed on to the job so it reads the same history.
PASSED_ON = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")
NAME_PREFIX = "kneetui-reminder-"
LAUNCH_AGENT_PREFIX = "org.kneetui.reminder."
#: How long a scheduler's own command may take.
COMMAND_TIMEOUT_SECONDS = 20
TIME = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")


class ReminderError(Exception):
    """A reminder that cannot be added or removed; the message says why and what to do."""


@dataclass(frozen=True, order=True)
class ReminderTime:
    hour: int
    minute: int

    @classmethod
    def parse(cls, text: str) -> ReminderTime:
        found = TIME.fullmatch(text.strip())
        if found is None:
            raise ValueError(f"{text!r} is not a time like 08:00 or 18:30")
        return cls(int(found.group(1)), int(found.group(2)))

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"

    @property
    def name(self) -> str:
        """``kneetui-reminder-0800``: the name every file and line of this reminder carries."""
        return f"{NAME_PREFIX}{self.hour:02d}{self.minute:02d}"


@dataclass(frozen=True)
class Installed:
    """A reminder found in a scheduler, and the files or lines that make it."""

    at: ReminderTime
    scheduler: str
    where: tuple[str, ...]


def _run(command: Sequence[str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            list(command), input=stdin, capture_output=True, text=True, timeout=COMMAND_TIMEOUT_SECONDS, check=False
        )
    except FileNotFoundError as error:
        raise ReminderError(f"{command[0]} is not installed") from error
    except subprocess.TimeoutExpired as error:
        raise ReminderError(f"{' '.join(command)} did not answer in {COMMAND_TIMEOUT_SECONDS} s") from error


def _check(result: subprocess.CompletedProcess[str], what: str) -> None:
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip().splitlines()
        raise ReminderError(f"{what} failed: {said[-1] if said else f'exit status {result.returncode}'}")


def make_folder(folder: Path) -> list[Path]:
    """Make ``folder`` and its missing parents; return those made, deepest first, to undo with :func:`unmake`."""
    missing = [path for path in (folder, *folder.parents) if not path.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    return missing


def unmake(made: list[Path]) -> None:
    """Remove the folders :func:`make_folder` made, where they are still empty: a failed add leaves nothing."""
    for path in made:
        try:
            path.rmdir()
        except OSError:
            return


def passed_on(environ: Mapping[str, str]) -> dict[str, str]:
    return {name: environ[name] for name in PASSED_ON if environ.get(name)}


class Scheduler(Protocol):
    name: str

    def add(self, at: ReminderTime, environ: Mapping[str, str]) -> tuple[str, ...]:
        """Install the reminder; return what was written."""
        ...

    def remove(self, at: ReminderTime) -> tuple[str, ...]:
        """Take the reminder away; return what was removed."""
        ...

    def installed(self) -> list[Installed]: ...


class SystemdTimers:
    """A ``.timer`` and a ``.service`` per reminder in the systemd user unit folder."""

    name = "systemd"

    def __init__(self, unit_dir: Path) -> None:
        self.unit_dir = unit_dir

    def files(self, at: ReminderTime) -> tuple[Path, Path]:
        return self.unit_dir / f"{at.name}.timer", self.unit_dir / f"{at.name}.service"

    def add(self, at: ReminderTime, environ: Mapping[str, str]) -> tuple[str, ...]:
        timer, service = self.files(at)
        # systemd reads % as the start of a specifier; %% is a plain %.
        environment = "".join(
            f"Environment={shlex.quote(f'{key}={value}')}\n".replace("%", "%%")
            for key, value in passed_on(environ).items()
        )
        command = shlex.join(FIRE_COMMAND).replace("%", "%%")
        service_text = (
            f"[Unit]\nDescription=kneetui reminder at {at}\n\n"
            f"[Service]\nType=oneshot\n{environment}ExecStart={command}\n"
        )
        timer_text = (
            f"[Unit]\nDescription=kneetui reminder at {at}\n\n"
            f"[Timer]\nOnCalendar=*-*-* {at}:00\nPersistent=true\nUnit={service.name}\n\n"
            "[Install]\nWantedBy=timers.target\n"
        )
        made = make_folder(self.unit_dir)
        # A reminder already at this time is put back as it was if the new one cannot be enabled.
        before = {path: path.read_text(encoding="utf-8") for path in (service, timer) if path.exists()}
        service.write_text(service_text, encoding="utf-8")
        timer.write_text(timer_text, encoding="utf-8")
        try:
            _check(_run(["systemctl", "--user", "daemon-reload"]), "systemctl --user daemon-reload")
            _check(_run(["systemctl", "--user", "enable", "--now", timer.name]), f"enabling {timer.name}")
        except ReminderError:
            if len(before) < 2:
                self.remove(at)
                unmake(made)
            else:
                for path, text in before.items():
                    path.write_text(text, encoding="utf-8")
                with contextlib.suppress(ReminderError):  # the error already raised is the one to tell
                    _run(["systemctl", "--user", "daemon-reload"])
            raise
        return (str(timer), str(service))

    def remove(self, at: ReminderTime) -> tuple[str, ...]:
        timer, service = self.files(at)
        if not timer.exists() and not service.exists():
            return ()
        # Disabling takes away the timers.target.wants link; a failure here (systemctl missing or
        # not answering) must not keep the files.
        with contextlib.suppress(ReminderError):
            _run(["systemctl", "--user", "disable", "--now", timer.name])
        removed = []
        for path in (timer, service):
            if path.exists():
                path.unlink()
                removed.append(str(path))
        with contextlib.suppress(ReminderError):
            _run(["systemctl", "--user", "daemon-reload"])
        # Folders left empty go too (rmdir refuses any that still hold something).
        for folder in (self.unit_dir / "timers.target.wants", self.unit_dir, self.unit_dir.parent):
            try:
                folder.rmdir()
            except FileNotFoundError:
                continue
            except OSError:
                break
        return tuple(removed)

    def installed(self) -> list[Installed]:
        found = []
        for timer in sorted(self.unit_dir.glob(f"{NAME_PREFIX}*.timer")):
            at = _time_of(timer.stem)
            if at is not None:
                found.append(Installed(at, self.name, tuple(str(path) for path in self.files(at) if path.exists())))
        return found


#: Ends every crontab line kneetui writes, so it finds them again and only them.
CRON_MARK = "# kneetui-reminder"


class Crontab:
    """One line per reminder in the user's crontab, read with ``crontab -l`` and written with ``crontab -``."""

    name = "cron"

    def lines(self) -> list[str] | None:
        """The crontab's lines, or ``None`` when the user has none."""
        result = _run(["crontab", "-l"])
        if result.returncode != 0:
            if "no crontab" in (result.stderr + result.stdout).lower():
                return None
            _check(result, "crontab -l")
        return result.stdout.splitlines()

    def write(self, lines: list[str], had_crontab: bool) -> None:
        if not lines and not had_crontab:
            # There was no crontab before kneetui's line: leave none behind.
            _check(_run(["crontab", "-r"]), "crontab -r")
            return
        _check(_run(["crontab", "-"], stdin="".join(f"{line}\n" for line in lines)), "crontab -")

    def line(self, at: ReminderTime, environ: Mapping[str, str]) -> str:
        settings = " ".join(shlex.quote(f"{key}={value}") for key, value in passed_on(environ).items())
        # cron turns an unescaped % into a new line.
        command = f"{settings} {shlex.join(FIRE_COMMAND)}".strip().replace("%", "\\%")
        return f"{at.minute} {at.hour} * * * {command} >/dev/null 2>&1 {CRON_MARK} {at.name}"

    def add(self, at: ReminderTime, environ: Mapping[str, str]) -> tuple[str, ...]:
        existing = self.lines()
        lines = [line for line in existing or [] if not line.endswith(f"{CRON_MARK} {at.name}")]
        line = self.line(at, environ)
        self.write([*lines, line], existing is not None)
        return (f"crontab line: {line}",)

    def remove(self, at: ReminderTime) -> tuple[str, ...]:
        existing = self.lines()
        if existing is None:
            return ()
        ours = [line for line in existing if line.endswith(f"{CRON_MARK} {at.name}")]
        if not ours:
            return ()
        kept = [line for line in existing if line not in ours]
        # An empty crontab left only because kneetui's lines were in it is removed, not kept empty.
        if not [line for line in kept if line.strip()]:
            _check(_run(["crontab", "-r"]), "crontab -r")
        else:
            self.write(kept, True)
        return tuple(f"crontab line: {line}" for line in ours)

    def installed(self) -> list[Installed]:
        found = []
        for line in self.lines() or []:
            if CRON_MARK in line:
                at = _time_of(line.rsplit(" ", 1)[-1])
                if at is not None:
                    found.append(Installed(at, self.name, (f"crontab line: {line}",)))
        return sorted(found, key=lambda item: item.at)


class LaunchAgents:
    """A property list per reminder in ``~/Library/LaunchAgents``, loaded with ``launchctl``."""

    name = "launchd"

    def __init__(self, agents_dir: Path) -> None:
        self.agents_dir = agents_dir

    def file(self, at: ReminderTime) -> Path:
        return self.agents_dir / f"{LAUNCH_AGENT_PREFIX}{at.hour:02d}{at.minute:02d}.plist"

    def add(self, at: ReminderTime, environ: Mapping[str, str]) -> tuple[str, ...]:
        path = self.file(at)
        agent: dict[str, object] = {
            "Label": path.stem,
            "ProgramArguments": list(FIRE_COMMAND),
            "StartCalendarInterval": {"Hour": at.hour, "Minute": at.minute},
            "StandardOutPath": os.devnull,
            "StandardErrorPath": os.devnull,
        }
        if passed_on(environ):
            agent["EnvironmentVariables"] = passed_on(environ)
        made = make_folder(self.agents_dir)
        path.write_bytes(plistlib.dumps(agent))
        try:
            _check(_run(["launchctl", "load", "-w", str(path)]), f"launchctl load {path.name}")
        except ReminderError:
            path.unlink(missing_ok=True)
            unmake(made)
            raise
        return (str(path),)

    def remove(self, at: ReminderTime) -> tuple[str, ...]:
        path = self.file(at)
        if not path.exists():
            return ()
        _run(["launchctl", "unload", "-w", str(path)])
        path.unlink()
        return (str(path),)

    def installed(self) -> list[Installed]:
        found = []
        for path in sorted(self.agents_dir.glob(f"{LAUNCH_AGENT_PREFIX}*.plist")):
            at = _time_of(NAME_PREFIX + path.stem.removeprefix(LAUNCH_AGENT_PREFIX))
            if at is not None:
                found.append(Installed(at, self.name, (str(path),)))
        return found


def _time_of(name: str) -> ReminderTime | None:
    """The time in a name such as ``kneetui-reminder-0800``."""
    digits = name.removeprefix(NAME_PREFIX)
    if len(digits) != 4 or not digits.isdigit():
        return None
    try:
        return ReminderTime.parse(f"{digits[:2]}:{digits[2:]}")
    except ValueError:
        return None


def systemd_user_dir(environ: Mapping[str, str]) -> Path:
    config = environ.get("XDG_CONFIG_HOME") or str(Path(environ.get("HOME", "~")).expanduser() / ".config")
    return Path(config) / "systemd" / "user"


def launch_agents_dir(environ: Mapping[str, str]) -> Path:
    return Path(environ.get("HOME", "~")).expanduser() / "Library" / "LaunchAgents"


def systemd_runs_the_session(environ: Mapping[str, str]) -> bool:
    """Whether a systemd user manager runs this user's session, so a user timer would fire."""
    if shutil.which("systemctl") is None:
        return False
    runtime = environ.get("XDG_RUNTIME_DIR")
    if runtime and (Path(runtime) / "systemd").is_dir():
        return True
    try:
        return _run(["systemctl", "--user", "show-environment"]).returncode == 0
    except ReminderError:
        return False


SCHEDULERS = ("systemd", "cron", "launchd")


def scheduler_named(name: str, environ: Mapping[str, str]) -> Scheduler:
    if name == "systemd":
        return SystemdTimers(systemd_user_dir(environ))
    if name == "launchd":
        return LaunchAgents(launch_agents_dir(environ))
    if name == "cron":
        return Crontab()
    raise ReminderError(f"no scheduler called {name!r}; choose one of {', '.join(SCHEDULERS)}")


def detect_scheduler(environ: Mapping[str, str], platform: str = sys.platform) -> Scheduler:
    """The scheduler this computer runs for its user: launchd on macOS, a systemd user session, else cron."""
    if platform == "darwin":
        return scheduler_named("launchd", environ)
    if systemd_runs_the_session(environ):
        return scheduler_named("systemd", environ)
    if shutil.which("crontab") is not None:
        return scheduler_named("cron", environ)
    raise ReminderError(
        "neither a systemd user session nor cron was found here. "
        "'kneetui remind ics -o FILE' writes a calendar file your calendar app can remind you from instead."
    )


def every_installed(environ: Mapping[str, str]) -> list[Installed]:
    """Reminders in every scheduler that can be read here without installing anything."""
    found: list[Installed] = []
    candidates: list[Scheduler] = [SystemdTimers(systemd_user_dir(environ)), LaunchAgents(launch_agents_dir(environ))]
    if shutil.which("crontab") is not None:
        candidates.append(Crontab())
    for scheduler in candidates:
        try:
            found.extend(scheduler.installed())
        except ReminderError:
            continue
    return sorted(found, key=lambda item: (item.at, item.scheduler))
