"""``kneetui remind``: reminders the person installs and removes, and a calendar file of the programme."""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from datetime import UTC, date, datetime
from pathlib import Path

from kneetui.cli.exchange_commands import open_history_for_reading, user_program_failures
from kneetui.cli.output import fail, print_table, write_output
from kneetui.content.model import Program
from kneetui.content.text import reason
from kneetui.history.adherence import due_today
from kneetui.plugin_host.loader import LoadResult
from kneetui.reminders.calendar_file import programme_calendar
from kneetui.reminders.firing import (
    desktop_bus,
    forget_login_line,
    leave_login_line,
    reminder_message,
    show_on_desktop,
    take_login_line,
)
from kneetui.reminders.schedulers import (
    FIRE_COMMAND,
    SCHEDULERS,
    ReminderError,
    ReminderTime,
    detect_scheduler,
    every_installed,
    passed_on,
    scheduler_named,
)
from kneetui.storage.config import load_settings

DEFAULT_TIME = "18:00"


def login_snippet() -> str:
    """The shell line that prints a reminder left for the next terminal login."""
    settings = " ".join(shlex.quote(f"{key}={value}") for key, value in passed_on(os.environ).items())
    command = shlex.join([*FIRE_COMMAND[:-1], "pending"])
    return f"{settings} {command} 2>/dev/null".strip()


def chosen_program(loaded: LoadResult) -> Program | None:
    user_program_failures(loaded)
    programs = {program.id: program for program in loaded.catalog.programs}
    return programs.get(load_settings().settings.program) or next(iter(programs.values()), None)


def parse_time(text: str) -> ReminderTime:
    try:
        return ReminderTime.parse(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    try:
        scheduler = scheduler_named(args.scheduler, os.environ) if args.scheduler else detect_scheduler(os.environ)
        written = scheduler.add(args.at, os.environ)
    except ReminderError as error:
        return fail(f"cannot add the reminder: {error}")
    except OSError as error:
        return fail(f"cannot add the reminder: {reason(error)}")
    print(f"Added a reminder at {args.at} every day, run by {scheduler.name}. It reminds you only when a session")
    print("is due by your programme's frequency. Written:")
    for item in written:
        print(f"  {item}")
    if desktop_bus(os.environ) is None:
        print("No desktop was found here, so the reminder leaves a line for your next terminal login.")
        print("To see it when you log in, add this line to your ~/.profile:")
        print(f"  {login_snippet()}")
    print(f"Remove it with: kneetui remind remove --at {args.at}")
    return 0


def list_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    found = every_installed(os.environ)
    if not found:
        print(f"No reminders are installed. Add one with: kneetui remind add --at {DEFAULT_TIME}")
        return 0
    print_table(("AT", "SCHEDULER", "WHERE"), [(str(item.at), item.scheduler, "; ".join(item.where)) for item in found])
    return 0


def remove_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    found = [item for item in every_installed(os.environ) if args.at is None or item.at == args.at]
    if not found:
        if args.at is not None:
            return fail(f"no reminder at {args.at} is installed; see kneetui remind list")
        print("No reminders are installed; nothing to remove.")
        return 0
    for item in found:
        try:
            removed = scheduler_named(item.scheduler, os.environ).remove(item.at)
        except ReminderError as error:
            return fail(f"cannot remove the reminder at {item.at}: {error}")
        print(f"Removed the reminder at {item.at} ({item.scheduler}):")
        for thing in removed:
            print(f"  {thing}")
    if not every_installed(os.environ):
        # No reminder is left to have fired it; a line waiting for the next login goes too.
        forget_login_line()
    return 0


def fire_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    program = chosen_program(loaded)
    if program is None:
        return fail("no programme is available, so there is nothing to remind of")
    now = datetime.now()
    with open_history_for_reading() as store:
        result = due_today(store, program.frequency, now.date())
    message = reminder_message(result, program.name)
    if message is None:
        print(f"Nothing to remind of today ({result.status}).")
        return 0
    if show_on_desktop(message, os.environ):
        print(f"Shown on the desktop: {message}")
        return 0
    path = leave_login_line(message, now)
    print(f"No desktop to show it on; left for the next terminal login in {path}: {message}")
    return 0


def pending_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    line = take_login_line()
    if line is not None:
        print(line)
    return 0


def ics_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    program = chosen_program(loaded)
    if program is None:
        return fail("no programme is available to put in a calendar")
    today = date.today()
    with open_history_for_reading() as store:
        result = due_today(store, program.frequency, today)
    first = result.next_due or today
    data = programme_calendar(program, loaded.catalog, first, args.at.hour, args.at.minute, datetime.now(UTC))
    if args.output is None:
        sys.stdout.write(data.decode("utf-8"))
        return 0
    target = Path(args.output)
    problem = write_output(target, data, args.force, "kneetui.ics")
    if problem:
        return fail(problem)
    print(
        f"Wrote {program.name!r} ({program.frequency}, from {first} at {args.at}) to {target}. "
        "Import it into your calendar app; it reminds you at the start of each session."
    )
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``remind`` and its subcommands to the ``kneetui`` parser."""
    remind = commands.add_parser(
        "remind",
        help="daily reminders you install and remove, and a calendar file of your programme",
        description=(
            "A reminder is a daily job of your computer's own scheduler (a systemd user timer, cron, or a "
            "LaunchAgent on macOS) that runs 'kneetui remind fire'. It reminds you only when a session is due "
            "by your programme's frequency. Nothing is installed unless you add it; removing it leaves nothing."
        ),
    )
    actions = remind.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="install a daily reminder at a time of day")
    add.add_argument("--at", metavar="HH:MM", type=parse_time, required=True, help="the time of day, e.g. 18:00")
    add.add_argument(
        "--scheduler", choices=SCHEDULERS, help="use this scheduler instead of the one found (systemd, cron, launchd)"
    )
    add.set_defaults(run=add_command)

    listing = actions.add_parser("list", help="the reminders installed, and where")
    listing.set_defaults(run=list_command)

    remove = actions.add_parser("remove", help="take reminders away: the one at --at, or all of them")
    remove.add_argument("--at", metavar="HH:MM", type=parse_time, help="only the reminder at this time")
    remove.set_defaults(run=remove_command)

    fire = actions.add_parser("fire", help="what an installed reminder runs: remind now if a session is due")
    fire.set_defaults(run=fire_command)

    pending = actions.add_parser("pending", help="print (once) a reminder left for the terminal; for ~/.profile")
    pending.set_defaults(run=pending_command)

    ics = actions.add_parser("ics", help="write the programme as a repeating calendar event (iCalendar)")
    ics.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    ics.add_argument(
        "--at", metavar="HH:MM", type=parse_time, default=ReminderTime.parse(DEFAULT_TIME), help="time of day"
    )
    ics.add_argument("--force", action="store_true", help="replace FILE if it exists")
    ics.set_defaults(run=ics_command)
