"""Moving programmes and history in and out: export program, import, history."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from kneetui.cli.output import fail, print_json, print_table, write_output
from kneetui.content.text import reason
from kneetui.exchange.program_file import ProgramFileError, export_program, read_program_file
from kneetui.exchange.user_programs import PLUGIN_NAME, ProgramExistsError, UserPrograms
from kneetui.history.export import history_csv, history_json
from kneetui.history.records import RecordedSession
from kneetui.history.store import HistoryStore, open_history_store
from kneetui.plugin_host.loader import LoadResult
from kneetui.storage import locations


def user_program_failures(loaded: LoadResult) -> None:
    """Say on stderr which of the person's programme files were skipped, and why."""
    own = loaded.objects.get(PLUGIN_NAME)
    for failure in own.failures if isinstance(own, UserPrograms) else []:
        print(f"kneetui: programme file {failure.path} skipped: {failure.reason}", file=sys.stderr)


def export_program_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    user_program_failures(loaded)
    found = loaded.catalog.programs_called(args.name)
    if not found:
        known = "; ".join(f"{program.id} ({program.name})" for program in loaded.catalog.programs) or "none"
        return fail(f"no programme has the id or name {args.name!r}; known programmes: {known}")
    if len(found) > 1:
        ids = ", ".join(program.id for program in found)
        return fail(f"{len(found)} programmes are called {args.name!r} ({ids}); give the id of the one to export")
    program = found[0]
    text = export_program(program)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    problem = write_output(target, text.encode("utf-8"), args.force, program.id + ".toml")
    if problem:
        return fail(problem)
    print(f"Exported {program.id!r} to {target}.")
    return 0


def import_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    source = Path(args.file)
    try:
        program = read_program_file(source, loaded.catalog)
    except ProgramFileError as error:
        return fail(f"cannot import {source}: {error}")
    user_programs = UserPrograms()
    owner = loaded.catalog.owner_of("programs", program.id) if loaded.catalog.program(program.id) else ""
    if owner == PLUGIN_NAME:
        owner = ""
    if not args.force:
        if user_programs.exists(program.id):
            where = f"saved as {user_programs.path_for(program.id)}"
        elif owner:
            where = f"from the plug-in {owner!r}"
        else:
            where = ""
        if where:
            return fail(
                f"a programme with the id {program.id!r} already exists ({where}); "
                "use --force to replace it, or change the id in the file"
            )
    try:
        program, saved = user_programs.save_imported(program, loaded.catalog, overwrite=args.force)
    except ProgramFileError as error:
        return fail(f"cannot import {source}: {error}")
    except ProgramExistsError as error:
        return fail(f"{error}")
    except OSError as error:
        return fail(f"cannot save the programme: {reason(error)}")
    count = len(program.steps)
    print(f"Imported {program.name!r} ({program.id}, {count} exercise{'s' * (count != 1)}) to {saved}.")
    if owner:
        print(f"It is used instead of the programme {program.id!r} from the plug-in {owner!r}.")
    return 0


def open_history_for_reading() -> HistoryStore:
    """The history, or an empty one when nothing has been recorded, so reading creates no file.

    A damaged history is read from a copy repaired in memory and never moved aside here.
    """
    path = locations.history_file()
    if not path.exists():
        return HistoryStore.in_memory()
    opened = open_history_store(path, for_reading=True)
    for notice in opened.notices:
        print(f"kneetui: {notice}", file=sys.stderr)
    return opened.store


def _session_row(session: RecordedSession) -> tuple[str, ...]:
    when = datetime.fromtimestamp(session.started_at).strftime("%Y-%m-%d %H:%M")
    done = len({block.exercise_id for block in session.blocks})
    planned = len(session.exercise_ids)
    minutes = "-" if session.ended_at is None else str(round((session.ended_at - session.started_at) / 60))
    before = "?" if session.pain_before is None else str(session.pain_before)
    after = "?" if session.pain_after is None else str(session.pain_after)
    if session.stop_reason:
        status = f"stopped: {session.stop_reason}"
    elif session.ended_at is not None:
        status = "finished"
    else:
        status = "not finished"
    return (when, session.program_id or "-", f"{done}/{planned}", minutes, f"{before} → {after}", status)


def history_command(args: argparse.Namespace, loaded: LoadResult) -> int:
    with open_history_for_reading() as store:
        sessions = store.sessions()[::-1]
    if args.csv:
        # The CSV brings its own CRLF line ends (RFC 4180); keep them as they are.
        if hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(newline="")
        sys.stdout.write(history_csv(sessions))
    elif args.json:
        print_json(history_json(sessions))
    elif not sessions:
        print("No sessions recorded yet.")
    else:
        print_table(
            ("STARTED", "PROGRAM", "EXERCISES", "MINUTES", "PAIN", "STATUS"),
            [_session_row(session) for session in sessions],
        )
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add export, import and history to the ``kneetui`` parser."""
    exporting = commands.add_parser("export", help="write a programme as a TOML file")
    kinds = exporting.add_subparsers(dest="what", metavar="WHAT", required=True)
    program = kinds.add_parser("program", help="a built-in, plug-in or user programme, by id or name")
    program.add_argument("name", metavar="NAME", help='the programme\'s id or name, e.g. chronic or "My knee plan"')
    program.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of printing")
    program.add_argument("--force", action="store_true", help="replace FILE if it exists")
    program.set_defaults(run=export_program_command)

    importing = commands.add_parser(
        "import", help="check a programme file and add it to your programmes (all or nothing)"
    )
    importing.add_argument("file", metavar="FILE", help="a programme file (see docs/program-format.md)")
    importing.add_argument("--force", action="store_true", help="replace a programme with the same id")
    importing.set_defaults(run=import_command)

    history = commands.add_parser("history", help="your sessions, oldest first, as a table, CSV or JSON")
    output = history.add_mutually_exclusive_group()
    output.add_argument("--csv", action="store_true", help="one row per block, for a spreadsheet")
    output.add_argument("--json", action="store_true", help="sessions with their blocks nested")
    history.set_defaults(run=history_command)
