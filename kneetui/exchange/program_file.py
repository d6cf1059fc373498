"""Programmes as TOML files: written by kneetui, readable and writable by a physiotherapist.

The format is documented key by key in ``docs/program-format.md``. A file
names its format and version first, so a file from a newer kneetui is refused
with a clear message rather than half understood.

:func:`parse_program` trusts nothing: whatever the text, it returns a
:class:`Program` that runs with the given catalog or raises one
:class:`ProgramFileError` whose message names the field, e.g.
``steps[1].reps: 20 is outside the range 10–12 of 'adductor-squeeze'``.
Steps are numbered from 1, in the order they appear in the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w
from msgspec import UNSET

from kneetui.content.catalog import Catalog
from kneetui.content.model import Advice, Dose, Exercise, Program, ProgramStep, Provenance
from kneetui.content.text import control_character, kind, shown
from kneetui.content.toml_data import SchemaError, convert, parse_toml, read_toml_bytes
from kneetui.content.validation import ContentError, validate
from kneetui.exchange.schema import (
    DOSE_KEYS,
    MAX_PROGRAM_BYTES,
    PROGRAM_FORMAT,
    PROGRAM_VERSION,
    PROGRAM_WORDING,
    PROVENANCE_VERSION,
    AdviceTable,
    FormatHeader,
    ProgramFile,
    Step,
)

FORMAT_NAME = PROGRAM_FORMAT
#: The newest format version this kneetui reads. It writes the oldest version that holds the programme.
FORMAT_VERSION = PROGRAM_VERSION
MAX_FILE_BYTES = MAX_PROGRAM_BYTES
#: What a programme file that says nothing about provenance is: the person's own.
DEFAULT_PROVENANCE = Provenance.YOURS

HEADER = "# A kneetui programme. Every key is explained in docs/program-format.md.\n"

#: A programme file's errors are a :class:`SchemaError`; the name says which file it was.
ProgramFileError = SchemaError


def export_program(program: Program) -> str:
    """``program`` as the text of a programme file, in the oldest format version that holds it."""
    body: dict[str, Any] = {
        "id": program.id,
        "name": program.name,
        "description": program.description,
        "frequency": str(program.frequency),
    }
    advice = [_exported_advice(line, program.provenance) for line in program.advice]
    if advice:
        body["advice"] = advice
    if program.source_ids:
        body["sources"] = list(program.source_ids)
    version = 1
    if program.provenance is not DEFAULT_PROVENANCE or any(isinstance(line, dict) for line in advice):
        body["provenance"] = str(program.provenance)
        version = PROVENANCE_VERSION
    document = {"format": FORMAT_NAME, "version": version, "program": body}
    # Each step as its own [[program.steps]] table, the layout the documentation
    # shows; tomli-w alone would squeeze short steps into one inline array.
    steps = "".join("\n[[program.steps]]\n" + tomli_w.dumps(_exported_step(step)) for step in program.steps)
    return HEADER + tomli_w.dumps(document) + steps


def _exported_advice(line: Advice, provenance: Provenance) -> str | dict[str, str]:
    """A line as plain text when it has the programme's provenance, else as a table that says its own."""
    if line.provenance in (None, provenance):
        return line.text
    return {"text": line.text, "provenance": str(line.provenance)}


def _exported_step(step: ProgramStep) -> dict[str, Any]:
    exported: dict[str, Any] = {"exercise": step.exercise_id}
    if step.dose is not None:
        for name in DOSE_KEYS:
            value = getattr(step.dose, name)
            if value is not None:
                exported[name] = value
    return exported


def read_program_file(path: Path, catalog: Catalog) -> Program:
    """Read and parse a programme file; every failure, reading included, is a :class:`ProgramFileError`."""
    return parse_program(read_toml_bytes(path, MAX_FILE_BYTES), catalog)


def parse_program(text: str, catalog: Catalog) -> Program:
    """The programme in ``text``, checked against ``catalog``; raises :class:`ProgramFileError`."""
    document = parse_toml(text, MAX_FILE_BYTES)
    version = check_format(document, FORMAT_NAME, FORMAT_VERSION, "programme")
    _check_version_2_keys(document, version)
    body = convert(document, ProgramFile, PROGRAM_WORDING).program
    advice = [
        (f"advice[{number}]", line) if isinstance(line, str) else (f"advice[{number}].text", line.text)
        for number, line in enumerate(body.advice, start=1)
    ]
    for where, line, multiline in [
        ("name", body.name, False),
        ("description", body.description, True),
        *((where, line, False) for where, line in advice),
    ]:
        problem = control_character(line, multiline) or ("" if multiline or line.strip() else "must not be empty")
        if problem:
            raise ProgramFileError(where, problem)
    for number, source_id in enumerate(body.sources, start=1):
        if catalog.source(source_id) is None:
            raise ProgramFileError(f"sources[{number}]", f"unknown source {shown(source_id)}")
    program = Program(
        id=body.id,
        name=body.name,
        description=body.description,
        steps=tuple(
            program_step(step, catalog.exercise(step.exercise), f"steps[{number}]", catalog)
            for number, step in enumerate(body.steps, start=1)
        ),
        frequency=body.frequency,
        advice=tuple(_advice(line) for line in body.advice),
        source_ids=tuple(body.sources),
        provenance=DEFAULT_PROVENANCE if body.provenance is UNSET else body.provenance,
    )
    try:
        validate(program, Program, "import")
    except ContentError as error:
        raise ProgramFileError(error.field, error.reason) from error
    return program


def check_format(document: dict[str, Any], name: str, newest: int, what: str) -> int:
    """The file's format version; refuse a file of another format, or of a newer version than this kneetui reads."""
    header = convert(document, FormatHeader)
    if header.format != name:
        if header.format is None:
            raise ProgramFileError("format", f'missing: a {what} file starts with format = "{name}"')
        raise ProgramFileError("format", f'expected "{name}", got {shown(header.format)}')
    version = header.version
    if version is None:
        raise ProgramFileError("version", f"missing: add version = {newest}")
    if not isinstance(version, int) or isinstance(version, bool):
        raise ProgramFileError("version", f"expected a whole number, got {kind(version)}")
    if version > newest:
        raise ProgramFileError(
            "version",
            f"this file uses version {version} of the {what} format, but this kneetui reads "
            f"version {newest} at most; update kneetui to {'import' if what == 'programme' else 'install'} it",
        )
    if version < 1:
        raise ProgramFileError("version", f"{version} is not a format version; use {newest}")
    return version


def program_step(step: Step, exercise: Exercise | None, where: str, catalog: Catalog | None = None) -> ProgramStep:
    """A step of a programme file or pack as it runs: each quantity left out at the low end of the exercise's range.

    Raises :class:`ProgramFileError` naming ``where`` when the exercise is unknown or
    a quantity is one it does not use or is outside its range.
    """
    if exercise is None:
        known = [item.id for item in catalog.exercises] if catalog is not None else []
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        raise ProgramFileError(
            f"{where}.exercise", f"unknown exercise {shown(step.exercise)}; known exercises: {listed or 'none'}"
        )
    given = step.given()
    if not given:
        return ProgramStep(exercise.id)
    dosage = exercise.dosage
    chosen: dict[str, int | None] = {}
    for name in DOSE_KEYS:
        span = getattr(dosage, name)
        if name not in given:
            chosen[name] = None if span is None else span.low
        elif span is None:
            used = ", ".join(other for other in DOSE_KEYS[:3] if getattr(dosage, other) is not None)
            raise ProgramFileError(
                f"{where}.{name}", f"{shown(exercise.id)} does not use {name}; it is dosed by {used}"
            )
        elif given[name] not in span:
            raise ProgramFileError(
                f"{where}.{name}", f"{shown(given[name])} is outside the range {span} of {shown(exercise.id)}"
            )
        else:
            chosen[name] = given[name]
    sets = chosen.pop("sets")
    assert sets is not None, "every dosage has a sets range"
    return ProgramStep(exercise.id, Dose(sets=sets, **chosen))


def _check_version_2_keys(document: dict[str, Any], version: int) -> None:
    """Refuse what only version 2 holds in an older file; a line of advice that is neither text nor a table.

    Checked before the schema, which would call the line "text or a table" whatever the version.
    """
    body = document.get("program")
    if version < PROVENANCE_VERSION and isinstance(body, dict) and "provenance" in body:
        raise ProgramFileError("provenance", f"needs version = {PROVENANCE_VERSION} at the top of the file")
    lines = body.get("advice") if isinstance(body, dict) else None
    for number, line in enumerate(lines if isinstance(lines, list) else [], start=1):
        if isinstance(line, dict) and version < PROVENANCE_VERSION:
            raise ProgramFileError(
                f"advice[{number}]", f"expected text, got a table (tables need version = {PROVENANCE_VERSION})"
            )
        if not isinstance(line, (str, dict)):
            raise ProgramFileError(f"advice[{number}]", f"expected text, got {kind(line)}")


def _advice(line: str | AdviceTable) -> Advice:
    """A line of advice: text (the programme's provenance), or from version 2 ``{ text, provenance }``."""
    if isinstance(line, str):
        return Advice(line)
    return Advice(line.text, None if line.provenance is UNSET else line.provenance)
