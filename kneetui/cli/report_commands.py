"""``kneetui report``: one printable HTML page about a stretch of days, for a physiotherapist."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kneetui.cli.exchange_commands import open_history_for_reading, user_program_failures
from kneetui.cli.output import fail, write_output
from kneetui.history.report import report_for
from kneetui.history.report_html import report_html
from kneetui.plugin_host.loader import LoadResult
from kneetui.storage.config import load_settings

#: The days a report can cover: nothing is recorded before 1970, and a period reaching the end of the
#: calendar cannot be laid out (the plan and the weeks around it run past 9999-12-31).
EARLIEST_DAY = date(1970, 1, 1)
LATEST_DAY = date(2999, 12, 31)
#: The longest period one report lays out, a square a day: about ten years (a page of well under 1 MB).
MAX_REPORT_DAYS = 3660


def iso_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-15") from None
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise argparse.ArgumentTypeError(f"{text} is not a day a report can cover ({EARLIEST_DAY} to {LATEST_DAY})")
    return day


def report_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    today = date.today()
    if args.start and args.end and args.start > args.end:
        return fail(f"--from {args.start} is after --to {args.end}")
    if args.start and not args.end and args.start > today:
        return fail(f"--from {args.start} is after today ({today}), where the report ends unless --to says otherwise")
    user_program_failures(loaded)
    programs = {program.id: program for program in loaded.catalog.programs}
    chosen = load_settings().settings.program
    program = programs.get(chosen) or next(iter(programs.values()), None)
    with open_history_for_reading() as store:
        report = report_for(store, loaded.catalog, program, today, args.start, args.end)
    days = (report.last - report.first).days + 1
    if days > MAX_REPORT_DAYS:
        return fail(
            f"{report.first} to {report.last} is {days:,} days; a report covers at most {MAX_REPORT_DAYS:,} "
            "(about ten years). Choose a shorter period with --from and --to."
        )
    page = report_html(report)
    if args.output is None:
        sys.stdout.write(page)
        return 0
    target = Path(args.output)
    problem = write_output(target, page.encode("utf-8"), args.force, "report.html")
    if problem:
        return fail(problem)
    count = len(report.sessions)
    print(
        f"Wrote the report for {report.first} to {report.last} ({count} session{'s' * (count != 1)}) to {target}. "
        "Open it in a browser; print it to PDF from there."
    )
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report`` to the ``kneetui`` parser."""
    report = commands.add_parser(
        "report",
        help="a printable HTML page for your physiotherapist: programme, adherence, pain, stops",
        description=(
            "Write one self-contained HTML page (no network, charts inline) about your sessions: the programme "
            "and its doses, adherence against its frequency, pain before and after and at each exercise, "
            "stops and their reasons, and the swelling and instability answers. It prints well to PDF."
        ),
    )
    report.add_argument(
        "--from", dest="start", metavar="DATE", type=iso_day, help="first day (default: your first session)"
    )
    report.add_argument("--to", dest="end", metavar="DATE", type=iso_day, help="last day (default: today)")
    report.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    report.add_argument("--force", action="store_true", help="replace FILE if it exists")
    report.set_defaults(run=report_command)
