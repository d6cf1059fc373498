"""``kneetui plugins doctor NAME``: one plug-in loaded alone, with every problem and where it is."""

from __future__ import annotations

import argparse
import sys

from kneetui.cli.output import print_json
from kneetui.plugin_host.records import SLOW_IMPORT_SECONDS


def doctor(args: argparse.Namespace, loaded: object = None) -> int:
    from kneetui.exchange.pack_file import pack_candidates
    from kneetui.plugin_host.doctor import diagnose, find_candidate, known_names
    from kneetui.storage import locations

    packs = pack_candidates(locations.packs_dir())
    candidate = find_candidate(args.name, locations.user_plugin_dir(), packs)
    if candidate is None:
        names = ", ".join(known_names(locations.user_plugin_dir(), packs))
        print(f"kneetui: no plug-in is named {args.name!r}; installed: {names}", file=sys.stderr)
        return 1
    log_file = locations.plugin_log_file()
    diagnosis = diagnose(candidate, log_file)
    record = diagnosis.record
    if args.json:
        print_json(dict(record.as_json(), printed=record.printed, import_seconds=record.import_seconds))
        return 0 if diagnosis.healthy else 1
    contributes = ", ".join(f"{count} {kind}" for kind, count in record.contributions.items() if count)
    print(f"{record.name} {record.version or '(no version)'}: {record.origin}, {record.location or '-'}")
    print(f"  status:      {record.status}")
    slow = (
        f" (slow: over {SLOW_IMPORT_SECONDS * 1000:.0f} ms; every kneetui command waits for it)" if record.slow else ""
    )
    print(f"  import:      {record.import_seconds * 1000:.0f} ms{slow}")
    print(f"  hooks:       {', '.join(record.hooks) or '-'}")
    print(f"  contributes: {contributes or 'nothing'}")
    if record.printed:
        print(f"  printed:     {len(record.printed)} line(s), kept out of kneetui's output and in {log_file}:")
        for line in record.printed[:10]:
            print(f"    | {line}")
    problems = [record.failure] if record.failure else record.problems
    if record.disabled:
        problems = ["disabled in the configuration: kneetui plugins enable " + record.name, *problems]
    if problems:
        print(f"  problems ({len(problems)}):")
        for problem in problems:
            print(f"    - {problem}")
    elif not record.slow:
        print("  no problems")
    return 0 if diagnosis.healthy else 1


def add_doctor(actions: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``doctor`` under ``kneetui plugins``."""
    checked = actions.add_parser(
        "doctor", help="load one plug-in alone: import time, hooks, contributions, every problem with file and line"
    )
    checked.add_argument("name", help="the plug-in's name, as 'kneetui plugins' lists it")
    checked.add_argument("--json", action="store_true", help="print JSON")
    checked.set_defaults(run=doctor, needs_plugins=False)
