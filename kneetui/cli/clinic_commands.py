"""``kneetui clinic``: add, list and remove the patients ``serve ssh`` serves, see who is connected and who needs a call."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from kneetui.cli.clinic_report_command import add_report_command
from kneetui.cli.serve_commands import absolute_path
from kneetui.storage import locations

if TYPE_CHECKING:
    from kneetui.serve.clinic import Clinic


def clinic_of(args: argparse.Namespace) -> Clinic:
    from kneetui.serve.clinic import Clinic

    return Clinic(
        keys_dir=absolute_path(args.authorized_keys or locations.serve_keys_dir()),
        users_dir=absolute_path(args.users_dir or locations.serve_users_dir()),
        state_dir=absolute_path(args.state_dir or locations.serve_dir()),
    )


def when(stamp: str) -> str:
    """An ISO time from the state file, shown in the operator's local time to the minute."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp


def clinic_add(args: argparse.Namespace, loaded: object = None) -> int:
    from kneetui.serve.clinic import ClinicError

    clinic = clinic_of(args)
    source = "standard input" if str(args.keyfile) == "-" else str(args.keyfile)
    try:
        text = sys.stdin.read() if source == "standard input" else absolute_path(args.keyfile).read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        print(f"kneetui: cannot read {source}: {error}", file=sys.stderr)
        return 1
    try:
        path, added = clinic.add(args.name, text, source)
    except ClinicError as error:
        print(f"kneetui: {error}", file=sys.stderr)
        return 1
    if added:
        print(f"Added {args.name}: {added} key{'s' if added != 1 else ''} in {path}")
    else:
        print(f"{args.name} already has every key in {source}; nothing changed")
    print(f"Their folder: {clinic.users_dir / args.name}")
    return 0


def clinic_list(args: argparse.Namespace, loaded: object = None) -> int:
    clinic = clinic_of(args)
    patients = clinic.patients()
    if not patients:
        print(f"No patients yet in {clinic.keys_dir}; add one with: kneetui clinic add NAME KEYFILE")
        return 0
    width = max(len("patient"), *(len(patient.name) for patient in patients))
    print(f"{'patient':<{width}}  keys  last session")
    for patient in patients:
        if patient.connected:
            last = "connected now"
        elif patient.last is not None:
            last = f"{when(patient.last.since)} to {when(patient.last.until)} from {patient.last.peer}"
        else:
            last = "never"
        keys = str(patient.keys) if patient.keys else "none (cannot log in)"
        print(f"{patient.name:<{width}}  {keys:>4}  {last}")
    return 0


def clinic_remove(args: argparse.Namespace, loaded: object = None) -> int:
    from kneetui.serve.clinic import ClinicError

    clinic = clinic_of(args)
    connected = bool(clinic.connected(args.name))
    try:
        aside = clinic.remove(args.name, delete_data=args.delete_data, force=args.force)
    except ClinicError as error:
        print(f"kneetui: {error}", file=sys.stderr)
        return 1
    print(f"Removed {args.name}: they can no longer log in.")
    if aside is not None:
        print(f"Their settings and history were kept in {aside}")
    elif args.delete_data:
        print("Their settings and history were deleted.")
    if connected:
        print(f"{args.name} was connected; their kneetui was ended.")
    return 0


def clinic_sessions(args: argparse.Namespace, loaded: object = None) -> int:
    clinic = clinic_of(args)
    sessions = clinic.sessions()
    if not sessions.server_running:
        print(f"The SSH server is not running (no live state in {clinic.state_dir}).")
        return 0
    if not sessions.live:
        print("Nobody is connected.")
        return 0
    width = max(len("patient"), *(len(record.user) for record in sessions.live))
    print(f"{'patient':<{width}}  since             from")
    for record in sorted(sessions.live, key=lambda record: record.since):
        print(f"{record.user:<{width}}  {when(record.since)}  {record.peer}")
    return 0


def add_folder_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--authorized-keys", metavar="DIR", type=Path, help="the keys folder serve ssh uses")
    parser.add_argument("--users-dir", metavar="DIR", type=Path, help="the users folder serve ssh uses")
    parser.add_argument("--state-dir", metavar="DIR", type=Path, help="the state folder serve ssh uses")


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clinic add|list|remove|sessions|report`` to the ``kneetui`` parser."""
    clinic = commands.add_parser(
        "clinic", help="add, list and remove the patients serve ssh serves; see who needs a call"
    )
    actions = clinic.add_subparsers(dest="clinic_action", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help="let a patient log in with a public key (run again to add another key)",
        description="List a patient's public key in the keys folder and make their own folder.",
    )
    add.add_argument("name", help="their login name: lower case letters, digits, '_' and '-'")
    add.add_argument("keyfile", type=Path, help="their public key file (id_ed25519.pub), or - to read it from input")
    add_folder_options(add)
    add.set_defaults(run=clinic_add, needs_plugins=False)

    listing = actions.add_parser("list", help="every patient, with their last session")
    add_folder_options(listing)
    listing.set_defaults(run=clinic_list, needs_plugins=False)

    remove = actions.add_parser(
        "remove",
        help="stop a patient logging in; their data is kept aside unless --delete-data",
        description="Remove a patient's keys. Their folder is moved to .removed/ in the users folder.",
    )
    remove.add_argument("name")
    remove.add_argument("--delete-data", action="store_true", help="delete their settings and history too")
    remove.add_argument(
        "--force", action="store_true", help="if they are connected now, end their kneetui first (else refused)"
    )
    add_folder_options(remove)
    remove.set_defaults(run=clinic_remove, needs_plugins=False)

    sessions = actions.add_parser("sessions", help="who is connected now, and since when")
    add_folder_options(sessions)
    sessions.set_defaults(run=clinic_sessions, needs_plugins=False)

    add_report_command(actions)
