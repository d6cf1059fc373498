"""The listing commands: exercises, faq, plugins, paths."""

from __future__ import annotations

import argparse
import sys

from kneetui.cli.output import print_json, print_table
from kneetui.content.answers import KIND_LABELS, AnswerKind, answer_index, answers_in
from kneetui.content.model import Dosage, FaqEntry, Provenance, Range
from kneetui.content.search import Field, SearchIndex
from kneetui.plugin_host.loader import LoadResult
from kneetui.storage import locations


def faq_index(entries: list[FaqEntry]) -> SearchIndex[FaqEntry]:
    return SearchIndex(entries, lambda entry: (Field(entry.question, 2.0), Field(entry.answer, 1.0)))


def dosage_fields(dosage: Dosage) -> dict[str, object]:
    """A dosage as numbers a program can read: each range as [low, high], units in the names."""

    def span(value: Range | None) -> list[int] | None:
        return None if value is None else [value.low, value.high]

    return {
        "hold_seconds": span(dosage.hold_seconds),
        "reps": span(dosage.reps),
        "sets": span(dosage.sets),
        "duration_minutes": span(dosage.duration_minutes),
        "per": str(dosage.per),
        "rest_seconds": dosage.rest_seconds,
    }


def exercises(args: argparse.Namespace, loaded: LoadResult) -> int:
    catalog = loaded.catalog
    if args.json:
        print_json(
            [
                {
                    "id": exercise.id,
                    "name": exercise.name,
                    "provenance": str(exercise.provenance),
                    "dosage": exercise.dosage.describe(),
                    "dose_ranges": dosage_fields(exercise.dosage),
                    "dosage_provenance": str(exercise.dosage.provenance),
                    "category": str(exercise.category),
                    "suits_acute": exercise.suits_acute,
                    "steps": [{"text": step.text, "provenance": str(step.provenance)} for step in exercise.steps],
                    "cautions": [{"text": line.text, "provenance": str(line.provenance)} for line in exercise.cautions],
                    "plugin": catalog.owner_of("exercises", exercise.id),
                }
                for exercise in catalog.exercises
            ]
        )
        return 0
    rows = [
        (
            exercise.id,
            f"{exercise.provenance.mark} {exercise.name}",
            f"{exercise.dosage.provenance.mark} {exercise.dosage.describe()}" if exercise.dosage.provenance else "",
            str(exercise.category),
        )
        for exercise in catalog.exercises
    ]
    print_table(("ID", "NAME", "DOSAGE", "CATEGORY"), rows)
    shown: set[Provenance | None] = {exercise.provenance for exercise in catalog.exercises}
    shown |= {exercise.dosage.provenance for exercise in catalog.exercises}
    if shown:
        print("\n" + "  ".join(f"{p.mark} {p.label}" for p in Provenance if p in shown))
    return 0


def faq(args: argparse.Namespace, loaded: LoadResult) -> int:
    """The FAQ, or with words, the best answers to them from the FAQ, Learn and the aids."""
    query = " ".join(args.query).strip()
    if query:
        found = answer_index(loaded.catalog).search(query)
    else:
        found = [answer for answer in answers_in(loaded.catalog) if answer.kind is AnswerKind.FAQ]
    if args.json:
        print_json(
            [
                {"kind": str(answer.kind), "id": answer.id, "question": answer.title, "answer": answer.text}
                for answer in found
            ]
        )
    else:
        for number, answer in enumerate(found):
            if number:
                print()
            label = "" if answer.kind is AnswerKind.FAQ else f"[{KIND_LABELS[answer.kind]}] "
            print(label + answer.title)
            for line in answer.text.split("\n"):
                print(f"  {line}")
    if not found:
        print(
            f"Nothing in the FAQ, Learn or the aids matches {query!r}. Try fewer or other words, "
            "or run 'kneetui faq' to list every question.",
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
        if record.slow:
            # Every command pays for a slow import; say so where the person looks.
            status += f" (slow to import: {record.import_seconds:.2f} s; see 'kneetui plugins doctor {record.name}')"
        rows.append((record.name, record.version or "-", str(record.origin), contributes or "-", status))
    print_table(("NAME", "VERSION", "FROM", "CONTRIBUTES", "STATUS"), rows)
    return 0


def paths(args: argparse.Namespace, loaded: LoadResult | None) -> int:
    found = {
        "config file": locations.config_file(),
        "theme dir": locations.user_theme_dir(),
        "data dir": locations.data_dir(),
        "plug-in dir": locations.user_plugin_dir(),
        "plug-in log": locations.plugin_log_file(),
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
    located.set_defaults(run=paths, needs_plugins=False)
    for parser in (listed, searched, located):
        parser.add_argument("--json", action="store_true", help="print JSON")
