"""Content packs: TOML files that add exercises, FAQ entries, aids, topics, sources or programmes.

A pack is data only; nothing in it is executed. It is read into the content
model, validated like a plug-in's contributions, and then offered to kneetui
through the same hooks a plug-in implements. The format is documented in
docs/content-packs.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import msgspec

from kneetui.api import Register, hookimpl
from kneetui.content.catalog import Catalog
from kneetui.content.model import KINDS, Advice, Dosage, Dose, Drawing, Exercise, Program, ProgramStep, Range
from kneetui.content.model import Step as ContentStep
from kneetui.content.text import shown
from kneetui.content.toml_data import SchemaError, convert, parse_toml, read_toml_bytes
from kneetui.content.validation import ContentError, validate
from kneetui.exchange.program_file import check_format, program_step
from kneetui.exchange.schema import (
    MAX_PACK_BYTES,
    PACK_FORMAT,
    PACK_VERSION,
    PACK_WORDING,
    DosageFields,
    ExerciseFields,
    LineFields,
    PackFile,
    ProgramFields,
)

FORMAT = PACK_FORMAT
VERSION = PACK_VERSION
MAX_BYTES = MAX_PACK_BYTES

#: A pack's errors are a :class:`SchemaError`; the name says which file it was.
PackError = SchemaError


@dataclass
class Pack:
    """A parsed, validated content pack."""

    name: str
    version: str
    description: str
    items: dict[str, list[Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.items.items() if items}


def parse_pack(text: str, origin: str = "pack", catalog: Catalog | None = None) -> Pack:
    """Read and validate a pack, or raise :class:`PackError` naming the field.

    With ``catalog`` (what is installed now), programme steps may name its
    exercises and every ``source_ids`` entry must name a source of the pack or
    of the catalog; without it, only the pack's own exercises and sources are known.
    """
    document = parse_toml(text, MAX_BYTES)
    check_format(document, FORMAT, VERSION, "pack")
    parsed = convert(document, PackFile, PACK_WORDING)
    pack = Pack(parsed.pack.name, parsed.pack.version, parsed.pack.description)
    own_exercises = {exercise.id: exercise for exercise in map(_exercise, parsed.exercises)}
    known_sources = {source.id for source in parsed.sources}
    if catalog is not None:
        known_sources |= {source.id for source in catalog.sources}

    def exercise(exercise_id: str) -> Exercise | None:
        found = own_exercises.get(exercise_id)
        return found if found is not None or catalog is None else catalog.exercise(exercise_id)

    for kind, item_type in KINDS.items():
        built = []
        first_with_id: dict[str, int] = {}
        for number, entry in enumerate(getattr(parsed, kind), start=1):
            path = f"{kind}[{number}]"
            if catalog is not None:
                for index, source_id in enumerate(getattr(entry, "source_ids", ()), start=1):
                    if source_id not in known_sources:
                        raise PackError(f"{path}.source_ids[{index}]", f"unknown source {shown(source_id)}")
            if isinstance(entry, ProgramFields):
                item: Any = _program(entry, path, exercise, catalog)
            elif isinstance(entry, ExerciseFields):
                item = own_exercises[entry.id]
            else:
                item = item_type(**_fields(entry))
            try:
                built.append(validate(item, item_type, pack.name))
            except ContentError as error:
                raise PackError(f"{path}.{error.field}", error.reason) from None
            # Loading would refuse the second one: a pack is taken whole or not at all.
            earlier = first_with_id.setdefault(item.id, number)
            if earlier != number:
                raise PackError(f"{path}.id", f"{item.id!r} is already the id of {kind}[{earlier}]")
        pack.items[kind] = built
    if not any(pack.items.values()):
        raise PackError(
            "", "the pack adds nothing: add [[exercises]], [[faq]], [[aids]], [[topics]], [[sources]] or [[programs]]"
        )
    return pack


def _fields(struct: msgspec.Struct) -> dict[str, Any]:
    """A schema struct's fields by name, lists as tuples, the ones left out not at all (the model's default).

    A step, caution or line of advice written as ``{ text, provenance }`` becomes the model's
    :class:`Step` or :class:`Advice`; a plain line is left as text and takes its item's provenance.
    """
    fields = {}
    for name, value in msgspec.structs.asdict(struct).items():
        if value is msgspec.UNSET:
            continue
        if isinstance(value, list):
            kind = ContentStep if name == "steps" else Advice
            value = tuple(_line(line, kind) if isinstance(line, LineFields) else line for line in value)
        fields[name] = value
    return fields


def _line(line: LineFields, kind: type[ContentStep | Advice]) -> ContentStep | Advice:
    return kind(line.text, None if line.provenance is msgspec.UNSET else line.provenance)


def _exercise(entry: ExerciseFields) -> Exercise:
    fields = _fields(entry)
    fields["dosage"] = _dosage(entry.dosage)
    if entry.drawing is not msgspec.UNSET:
        fields["drawing"] = Drawing(**_fields(entry.drawing))
    return Exercise(**fields)


def _dosage(entry: DosageFields) -> Dosage:
    fields = _fields(entry)
    for name in ("hold_seconds", "reps", "sets", "duration_minutes"):
        if name in fields:
            span = fields[name]
            fields[name] = Range(span, span) if isinstance(span, int) else Range(*span)
    return Dosage(**fields)


def _program(entry: ProgramFields, path: str, exercise: Any, catalog: Catalog | None) -> Program:
    fields = _fields(entry)
    steps = []
    for number, step in enumerate(entry.steps, start=1):
        found = exercise(step.exercise)
        if found is None and catalog is None:
            # Read while kneetui starts, before the plug-ins' exercises are known: the step
            # keeps what it names, and the loader checks it against the exercise like any
            # plug-in's programme. `pack install` has checked it with the catalog already.
            given = step.given()
            steps.append(ProgramStep(step.exercise, Dose(**given) if given else None))
        else:
            steps.append(program_step(step, found, f"{path}.steps[{number}]", catalog))
    fields["steps"] = tuple(steps)
    return Program(**fields)


def read_pack_text(path: Path) -> str:
    """A pack file's text, read once (it may be a pipe) and never more than the size limit."""
    return read_toml_bytes(path, MAX_BYTES)


def read_pack(path: Path) -> Pack:
    return parse_pack(read_pack_text(path), origin=str(path))


class PackPlugin:
    """Offers a pack's items through the same hooks a code plug-in implements."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.__version__ = pack.version

    def _register_all(self, kind: str, register: Register) -> None:
        for item in self.pack.items.get(kind, []):
            register(item)

    @hookimpl
    def kneetui_register_sources(self, register: Register) -> None:
        self._register_all("sources", register)

    @hookimpl
    def kneetui_register_exercises(self, register: Register) -> None:
        self._register_all("exercises", register)

    @hookimpl
    def kneetui_register_aids(self, register: Register) -> None:
        self._register_all("aids", register)

    @hookimpl
    def kneetui_register_faq(self, register: Register) -> None:
        self._register_all("faq", register)

    @hookimpl
    def kneetui_register_topics(self, register: Register) -> None:
        self._register_all("topics", register)

    @hookimpl
    def kneetui_register_programs(self, register: Register) -> None:
        self._register_all("programs", register)


def pack_candidates(folder: Path | None) -> list[tuple[Any, Any]]:
    """A ``(record, load)`` pair per ``*.toml`` pack in ``folder``, for the plug-in loader."""
    from kneetui.plugin_host.records import Origin, PluginRecord

    if folder is None or not folder.is_dir():
        return []
    candidates = []
    for path in sorted(folder.glob("*.toml")):
        record = PluginRecord(name=f"pack:{path.stem}", origin=Origin.PACK, location=str(path))
        candidates.append((record, lambda path=path: PackPlugin(read_pack(path))))
    return candidates
