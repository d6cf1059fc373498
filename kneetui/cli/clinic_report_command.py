"""``kneetui clinic report``: every patient's adherence, last session and stops for pain, who needs a call first."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from kneetui.cli.output import print_json, print_table
from kneetui.history.clinic_report import DEFAULT_DAYS, PatientFiles, PatientSummary, clinic_overview
from kneetui.plugin_host.loader import LoadResult
from kneetui.serve.patients import PatientHome, is_valid_user_name
from kneetui.storage import locations


def patients_in(users_dir: Path) -> list[PatientFiles]:
    """Each patient folder under ``users_dir`` (valid login names only), with where their kneetui keeps its files."""
    found = []
    for folder in sorted(users_dir.iterdir()):
        if not folder.is_dir() or folder.is_symlink() or not is_valid_user_name(folder.name):
            continue
        home = PatientHome.of(users_dir, folder.name)
        data = home.data_home / locations.APP_NAME
        found.append(
            PatientFiles(
                folder.name,
                history=data / locations.history_file().name,
                settings=home.config_home / locations.APP_NAME / locations.config_file().name,
                programs=data / locations.programs_dir().name,
            )
        )
    return found


def _last(summary: PatientSummary) -> str:
    return "never" if summary.last_session is None else summary.last_session.isoformat()


def _adherence(summary: PatientSummary) -> str:
    percent = summary.adherence_percent
    planned = summary.done + summary.missed
    return "-" if percent is None else f"{percent}% ({summary.done}/{planned})"


def clinic_report(users_dir: Path, loaded: LoadResult, today: date, days: int, as_json: bool) -> int:
    """Print the overview of the patients in ``users_dir``; read-only on every patient's files."""
    if not users_dir.is_dir():
        print(f"kneetui: no patients folder at {users_dir}; give it with --users-dir", file=sys.stderr)
        return 1
    programmes = {program.id: program for program in loaded.catalog.programs}
    summaries = clinic_overview(patients_in(users_dir), loaded.catalog, programmes, today, days)
    if as_json:
        print_json(
            [
                {
                    "patient": summary.name,
                    "programme": summary.programme,
                    "adherence_percent": summary.adherence_percent,
                    "days_done": summary.done,
                    "days_missed": summary.missed,
                    "last_session": summary.last_session and summary.last_session.isoformat(),
                    "stops_for_pain": summary.pain_stops,
                    "last_stop_for_pain": summary.last_pain_stop and summary.last_pain_stop.isoformat(),
                    "needs_a_call": summary.needs_a_call,
                    "reasons": list(summary.reasons),
                    "problem": summary.problem,
                }
                for summary in summaries
            ]
        )
        return 0
    if not summaries:
        print(f"No patients in {users_dir}.")
        return 0
    print(f"Last {days} days, to {today.isoformat()}. Adherence is days done of the days the programme planned.")
    print_table(
        ("PATIENT", "PROGRAMME", "ADHERENCE", "LAST SESSION", "PAIN STOPS", "CALL?"),
        [
            (
                summary.name,
                summary.programme or "-",
                _adherence(summary),
                _last(summary),
                str(summary.pain_stops),
                "; ".join(summary.reasons) if summary.needs_a_call else "-",
            )
            for summary in summaries
        ],
    )
    return 0


def positive_days(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of days (1 or more)")
    return value


def report_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    users_dir = Path(args.users_dir) if args.users_dir else locations.serve_users_dir()
    return clinic_report(users_dir, loaded, date.today(), args.days, args.json)


def add_report_command(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report`` to the ``kneetui clinic`` subcommands."""
    report = actions.add_parser(
        "report",
        help="every patient's adherence, last session and stops for pain; who needs a call first",
        description=(
            "Reads each patient's history read-only (it never changes their files) and lists, for the last "
            "days: adherence against their programme's frequency, the last session and the stops for pain. "
            "Patients who stopped for pain, have not exercised for a week, or did under half the planned "
            "days come first."
        ),
    )
    report.add_argument("--users-dir", metavar="DIR", help="the patients' folders (default: the one serve ssh uses)")
    report.add_argument(
        "--days", type=positive_days, default=DEFAULT_DAYS, help=f"how far back (default {DEFAULT_DAYS})"
    )
    report.add_argument("--json", action="store_true", help="print JSON instead of a table")
    report.set_defaults(run=report_command)
