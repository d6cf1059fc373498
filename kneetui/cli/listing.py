"""The listing commands: exercises, faq, plugins, paths."""

from __future__ import annotations

import argparse
import sys

from kneetui.cli.output import print_json, print_table
from kneetui.content.search import Field, SearchIndex
from kneetui.content.model import FaqEntry
from kneetui.plugin_host.loader import LoadResult
from kneetui.storage import locations


def faq_index(entries: list[FaqEntry]) -> SearchIndex[FaqEntry]:
    return SearchIndex(entries, lambda entry: (Field(entry.question, 2.0), Field(entry.answer, 1.0)))


def exercises(args: argparse.Namespace, loaded: LoadResult) -> int:
    catalog = loaded.catalog
    if args.json:
        print_json(
            [
                {
                    "id": exercise.id,
                    "name": exercise.name,
                    "dosage": exercise.dosage.describe(),
                    "category": str(exercise.category),
                    "suits_acute": exercise.suits_acute,
                    "plugin": catalog.owner_of("exercises", exercise.id),
                }
                for exercise in catalog.exercises
            ]
        )
        return 0
    rows = [
        (exercise.id, exercise.name, exercise.dosage.describe(), str(exercise.category))
        for exercise in catalog.exercises
    ]
    print_table(("ID", "NAME", "DOSAGE", "CATEGORY"), rows)
    return 0


def faq(args: argparse.Namespace, loaded: LoadResult) -> int:
    entries = loaded.catalog.faq
    query = " ".join(args.query).strip()
    found = faq_index(entries).search(query) if query else entries
    if args.json:
        print_json([{"id": e.id, "question": e.question, "answer": e.answer} for e in found])
    else:
        for number, entry in enumerate(found):
            if number:
                print()
            print(entry.question)
            print(f"  {entry.answer}")
    if not found:
        print(
            f"No question matches {query!r}. Try fewer or other words, or run 'kneetui faq' to list every question.",
            file=sys.stderr,
        )
        return 1
    return 0


def plugins(args: argparse.Namespace, loaded: LoadResult) -> int:
    if args.json:
        print_json([record.as_json() for record in loaded.plugins])
        return 0
    rows = []
    for record in loaded.plugins:
        contributes = ", ".join(f"{count} {kind}" for kind, count in record.contributions.items() if count)
        status = str(record.status) + (f": {record.reason}" if record.reason else "")
        rows.append((record.name, record.version or "-", str(record.origin), contributes or "-", status))
    print_table(("NAME", "VERSION", "FROM", "CONTRIBUTES", "STATUS"), rows)
    return 0


def paths(args: argparse.Namespace, loaded: LoadResult) -> int:
    found = {
        "config file": locations.config_file(),
        "theme dir": locations.user_theme_dir(),
        "data dir": locations.data_dir(),
        "plug-in dir": locations.user_plugin_dir(),
        "history": locations.history_file(),
    }
    if args.json:
        print_json({name.replace(" ", "_").replace("-", ""): str(path) for name, path in found.items()})
    else:
        print_table(("WHAT", "PATH"), [(name, str(path)) for name, path in found.items()])
    return 0


def add_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the listing commands to the ``kneetui`` parser."""
    listed = commands.add_parser("exercises", help="list the exercises with their dosage")
    listed.set_defaults(run=exercises)
    searched = commands.add_parser("faq", help="search the frequently asked questions offline")
    searched.add_argument("query", nargs="*", help="words to look for (none lists every question)")
    searched.set_defaults(run=faq)
    located = commands.add_parser("paths", help="show where kneetui keeps its files")
    located.set_defaults(run=paths)
    for parser in (listed, searched, located):
        parser.add_argument("--json", action="store_true", help="print JSON")
