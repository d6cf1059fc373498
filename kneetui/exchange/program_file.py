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

import re
import tomllib
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import tomli_w

from kneetui.content.catalog import Catalog
from kneetui.content.model import Advice, Dosage, Dose, Frequency, Program, ProgramStep, Provenance, Range
from kneetui.content.validation import ID_PATTERN, ContentError, validate
from kneetui.plugin_host.loader import program_problem

FORMAT_NAME = "kneetui-program"
#: The newest format version this kneetui reads. It writes the oldest version that holds the programme.
FORMAT_VERSION = 2
#: The version that added ``provenance`` and advice lines written as tables.
PROVENANCE_VERSION = 2

MAX_FILE_BYTES = 256 * 1024
MAX_STEPS = 50
MAX_ADVICE = 20
MAX_SOURCES = 50
MAX_NAME = 100
MAX_DESCRIPTION = 2000
MAX_ADVICE_TEXT = 500

DOSE_KEYS = ("hold_seconds", "reps", "duration_minutes", "sets")
STEP_KEYS = ("exercise", *DOSE_KEYS)
PROGRAM_KEYS = ("id", "name", "description", "frequency", "advice", "sources", "steps")
PROGRAM_KEYS_V2 = (*PROGRAM_KEYS, "provenance")
ADVICE_KEYS = ("text", "provenance")
#: What a programme file that says nothing about provenance is: the person's own.
DEFAULT_PROVENANCE = Provenance.YOURS
TOP_KEYS = ("format", "version", "program")

HEADER = "# A kneetui programme. Every key is explained in docs/program-format.md.\n"

# Control characters would steer the terminal that shows the text; lone
# surrogates cannot be written as UTF-8. Newline and tab are allowed only in
# the description.
_NOT_TEXT = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_MULTILINE_TEXT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


class ProgramFileError(ValueError):
    """A programme file that cannot be used; ``field`` says where ('' for the whole file)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}" if field else reason)


def export_program(program: Program) -> str:
    """``program`` as the text of a programme file, in the newest format version."""
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
    try:
        with open(path, "rb") as file:
            # One byte past the limit is enough to know it is too big, even for /dev/zero.
            data = file.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise ProgramFileError("", f"cannot read {path}: {error.strerror or error}") from error
    if len(data) > MAX_FILE_BYTES:
        raise ProgramFileError("", f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        # utf-8-sig: editors on Windows start UTF-8 files with a byte-order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ProgramFileError("", f"the file is not UTF-8 text (byte {error.start})") from error
    return parse_program(text, catalog)


def parse_program(text: str, catalog: Catalog) -> Program:
    """The programme in ``text``, checked against ``catalog``; raises :class:`ProgramFileError`."""
    if not isinstance(text, str):
        raise ProgramFileError("", f"expected text, got {_kind(text)}")
    if len(text) > MAX_FILE_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise ProgramFileError("", f"the file is larger than {MAX_FILE_BYTES // 1024} KiB")
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ProgramFileError("", f"not valid TOML: {error}") from error
    except RecursionError as error:
        raise ProgramFileError("", "not valid TOML: arrays or tables are nested too deeply") from error
    version = _check_format(document)
    body = document.get("program")
    if body is None:
        raise ProgramFileError("program", "missing: add a [program] table")
    if not isinstance(body, dict):
        raise ProgramFileError("program", f"expected a table, got {_kind(body)}")
    if version < PROVENANCE_VERSION and "provenance" in body:
        raise ProgramFileError("provenance", f"needs version = {PROVENANCE_VERSION} at the top of the file")
    _no_unknown_keys(body, PROGRAM_KEYS_V2, "", "in [program]")
    provenance = _provenance(body.get("provenance", str(DEFAULT_PROVENANCE)), "provenance")
    program = Program(
        id=_program_id(body),
        name=_text(body.get("name"), "name", MAX_NAME),
        description=_text(body.get("description", ""), "description", MAX_DESCRIPTION, multiline=True, blank=True),
        steps=_steps(body.get("steps"), catalog),
        frequency=_frequency(body.get("frequency", str(Frequency.DAILY))),
        advice=tuple(
            _advice(line, f"advice[{number}]", version)
            for number, line in _numbered(_array(body.get("advice", []), "advice", MAX_ADVICE))
        ),
        source_ids=_sources(body.get("sources", []), catalog),
        provenance=provenance,
    )
    # The same checks the plug-in loader makes, as a last line of defence.
    problem = program_problem(program, catalog)
    if problem:
        raise ProgramFileError("", problem)
    try:
        validate(program, Program, "import")
    except ContentError as error:
        raise ProgramFileError(error.field, error.reason) from error
    return program


def _check_format(document: dict[str, Any]) -> int:
    """The file's format version, checked."""
    found = document.get("format")
    if found != FORMAT_NAME:
        if found is None:
            raise ProgramFileError("format", f'missing: a programme file starts with format = "{FORMAT_NAME}"')
        raise ProgramFileError("format", f'expected "{FORMAT_NAME}", got {_shown(found)}')
    version = document.get("version")
    if version is None:
        raise ProgramFileError("version", f"missing: add version = {FORMAT_VERSION}")
    if not _is_whole_number(version):
        raise ProgramFileError("version", f"expected a whole number, got {_kind(version)}")
    if version > FORMAT_VERSION:
        raise ProgramFileError(
            "version",
            f"this file uses version {version} of the programme format, but this kneetui reads "
            f"version {FORMAT_VERSION} at most; update kneetui to import it",
        )
    if version < 1:
        raise ProgramFileError("version", f"{version} is not a format version; use {FORMAT_VERSION}")
    _no_unknown_keys(document, TOP_KEYS, "", "at the top of the file")
    return version


def _program_id(body: dict[str, Any]) -> str:
    value = body.get("id")
    if value is None:
        raise ProgramFileError("id", 'missing: give the programme an id such as "my-knee-plan"')
    if not isinstance(value, str):
        raise ProgramFileError("id", f"expected text, got {_kind(value)}")
    # fullmatch: ID_PATTERN's $ would also accept a trailing newline.
    if not ID_PATTERN.fullmatch(value):
        raise ProgramFileError(
            "id",
            f"{_shown(value)} is not a valid id: use 1–64 lower-case letters, digits, '.', '_' or '-', "
            "starting with a letter or digit",
        )
    return value


def _steps(value: Any, catalog: Catalog) -> tuple[ProgramStep, ...]:
    if value is None:
        raise ProgramFileError("steps", "missing: add at least one [[program.steps]] table")
    steps = _array(value, "steps", MAX_STEPS)
    if not steps:
        raise ProgramFileError("steps", "give at least one exercise")
    return tuple(_step(step, f"steps[{number}]", catalog) for number, step in _numbered(steps))


def _step(value: Any, where: str, catalog: Catalog) -> ProgramStep:
    if not isinstance(value, dict):
        raise ProgramFileError(where, f"expected a table, got {_kind(value)}")
    _no_unknown_keys(value, STEP_KEYS, f"{where}.", "in a step")
    exercise_id = value.get("exercise")
    if exercise_id is None:
        raise ProgramFileError(f"{where}.exercise", "missing: name the exercise by its id")
    if not isinstance(exercise_id, str):
        raise ProgramFileError(f"{where}.exercise", f"expected text, got {_kind(exercise_id)}")
    exercise = catalog.exercise(exercise_id)
    if exercise is None:
        known = [item.id for item in catalog.exercises]
        listed = ", ".join(known[:12]) + (", …" if len(known) > 12 else "")
        raise ProgramFileError(
            f"{where}.exercise", f"unknown exercise {_shown(exercise_id)}; known exercises: {listed or 'none'}"
        )
    given = {name: value[name] for name in DOSE_KEYS if name in value}
    if not given:
        return ProgramStep(exercise.id)
    return ProgramStep(exercise.id, _dose(given, exercise.dosage, exercise.id, where))


def _dose(given: dict[str, Any], dosage: Dosage, exercise_id: str, where: str) -> Dose:
    chosen: dict[str, int | None] = {}
    for name in DOSE_KEYS:
        span: Range | None = getattr(dosage, name)
        if name not in given:
            # A quantity left out starts at the low end, as the advice says.
            chosen[name] = None if span is None else span.low
            continue
        value = given[name]
        if not _is_whole_number(value):
            raise ProgramFileError(f"{where}.{name}", f"expected a whole number, got {_kind(value)}")
        if span is None:
            used = ", ".join(other for other in DOSE_KEYS[:3] if getattr(dosage, other) is not None)
            raise ProgramFileError(
                f"{where}.{name}", f"{_shown(exercise_id)} does not use {name}; it is dosed by {used}"
            )
        if value not in span:
            raise ProgramFileError(
                f"{where}.{name}", f"{_shown(value)} is outside the range {span} of {_shown(exercise_id)}"
            )
        chosen[name] = value
    sets = chosen.pop("sets")
    assert sets is not None
    return Dose(sets=sets, **chosen)


def _advice(value: Any, where: str, version: int) -> Advice:
    """A line of advice: text (the programme's provenance), or from version 2 ``{ text, provenance }``."""
    if not isinstance(value, dict):
        return Advice(_text(value, where, MAX_ADVICE_TEXT))
    if version < PROVENANCE_VERSION:
        raise ProgramFileError(where, f"expected text, got a table (tables need version = {PROVENANCE_VERSION})")
    _no_unknown_keys(value, ADVICE_KEYS, f"{where}.", "in a line of advice")
    provenance = value.get("provenance")
    return Advice(
        _text(value.get("text"), f"{where}.text", MAX_ADVICE_TEXT),
        None if provenance is None else _provenance(provenance, f"{where}.provenance"),
    )


def _provenance(value: Any, where: str) -> Provenance:
    allowed = " or ".join(f'"{member.value}"' for member in Provenance)
    if not isinstance(value, str):
        raise ProgramFileError(where, f"expected {allowed}, got {_kind(value)}")
    try:
        return Provenance(value)
    except ValueError:
        raise ProgramFileError(where, f"expected {allowed}, got {_shown(value)}") from None


def _frequency(value: Any) -> Frequency:
    allowed = " or ".join(f'"{member.value}"' for member in Frequency)
    if not isinstance(value, str):
        raise ProgramFileError("frequency", f"expected {allowed}, got {_kind(value)}")
    try:
        return Frequency(value)
    except ValueError:
        raise ProgramFileError("frequency", f"expected {allowed}, got {_shown(value)}") from None


def _sources(value: Any, catalog: Catalog) -> tuple[str, ...]:
    found = []
    for number, source_id in _numbered(_array(value, "sources", MAX_SOURCES)):
        if not isinstance(source_id, str):
            raise ProgramFileError(f"sources[{number}]", f"expected text, got {_kind(source_id)}")
        if catalog.source(source_id) is None:
            raise ProgramFileError(f"sources[{number}]", f"unknown source {_shown(source_id)}")
        found.append(source_id)
    return tuple(found)


def _text(value: Any, where: str, limit: int, multiline: bool = False, blank: bool = False) -> str:
    if value is None:
        raise ProgramFileError(where, "missing")
    if not isinstance(value, str):
        raise ProgramFileError(where, f"expected text, got {_kind(value)}")
    if not blank and not value.strip():
        raise ProgramFileError(where, "must not be empty")
    if len(value) > limit:
        raise ProgramFileError(where, f"is {len(value)} characters long; at most {limit} are allowed")
    bad = (_NOT_MULTILINE_TEXT if multiline else _NOT_TEXT).search(value)
    if bad:
        what = "a line break" if bad.group() in "\r\n" else f"the control character U+{ord(bad.group()):04X}"
        raise ProgramFileError(where, f"contains {what} at position {bad.start() + 1}")
    return value


def _array(value: Any, where: str, limit: int) -> list[Any]:
    if not isinstance(value, list):
        raise ProgramFileError(where, f"expected an array, got {_kind(value)}")
    if len(value) > limit:
        raise ProgramFileError(where, f"has {len(value)} entries; at most {limit} are allowed")
    return value


def _numbered(items: list[Any]) -> list[tuple[int, Any]]:
    return list(enumerate(items, start=1))


def _no_unknown_keys(table: dict[str, Any], allowed: tuple[str, ...], prefix: str, place: str) -> None:
    for key in table:
        if key not in allowed:
            expected = ", ".join(allowed)
            raise ProgramFileError(f"{prefix}{_key(key)}", f"unknown key {place}; expected one of: {expected}")


def _is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _kind(value: Any) -> str:
    """What a TOML value is, in the words of the format's documentation."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a decimal number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, datetime):
        return "a date-time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    return type(value).__name__


def _shown(value: Any, limit: int = 60) -> str:
    # repr() escapes control characters, so a message never steers the terminal.
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key) else _shown(key, 40)
