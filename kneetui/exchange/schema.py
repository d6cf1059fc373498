"""The schema of the files a physiotherapist writes: programme files and content packs.

Each format is a tree of :class:`msgspec.Struct` types; the ``Annotated``
limits are the ones ``docs/program-format.md`` and ``docs/content-packs.md``
state, and the JSON Schema files in ``docs/`` are generated from these types
(``python -m kneetui.exchange.schema``), so an editor checks a file as it is
typed. A field added to the content model is added here once, under the same
name, and both formats read it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any, Literal

import msgspec
from msgspec import UNSET, Meta, Struct, UnsetType

from kneetui.content.model import Category, Frequency, Laterality, Provenance, TopicKind
from kneetui.content.toml_data import Wording
from kneetui.content.validation import (
    ID_REGEX,
    MAX_DOSE,
    MAX_FRAME_SECONDS,
    MAX_ITEMS,
    MAX_REST_SECONDS,
    MAX_TEXT,
    MIN_FRAME_SECONDS,
)

PROGRAM_FORMAT = "kneetui-program"
PACK_FORMAT = "kneetui-pack"
#: The newest format versions this kneetui reads and the ones it writes.
PROGRAM_VERSION = 2
#: The programme format version that added ``provenance`` and advice lines written as tables.
PROVENANCE_VERSION = 2
PACK_VERSION = 1

MAX_PROGRAM_BYTES = 256 * 1024
MAX_PACK_BYTES = 1024 * 1024
MAX_STEPS = 50
MAX_ADVICE = 20
MAX_SOURCES = 50
MAX_NAME = 100
MAX_DESCRIPTION = 2000
MAX_ADVICE_TEXT = 500
PACK_NAME_REGEX = "^[a-z0-9][a-z0-9_-]{0,63}$"

Id = Annotated[str, Meta(pattern=ID_REGEX, description="1–64 lower-case letters, digits, '.', '_' or '-'")]
Text = Annotated[str, Meta(max_length=MAX_TEXT)]
Texts = Annotated[list[Text], Meta(max_length=MAX_ITEMS)]
Ids = Annotated[list[Id], Meta(max_length=MAX_ITEMS)]


#: Said beside every dose limit, in the schema an editor shows: the limits are not the article's.
BOUND_NOTE = "kneetui's own bound for catching typos, not medical advice: the physiotherapist sets the dose"
HoldSeconds = Annotated[
    int,
    Meta(
        ge=1,
        le=MAX_DOSE["hold_seconds"],
        description=f"seconds to hold; at most {MAX_DOSE['hold_seconds']}, {BOUND_NOTE}",
    ),
]
Reps = Annotated[
    int, Meta(ge=1, le=MAX_DOSE["reps"], description=f"repetitions; at most {MAX_DOSE['reps']}, {BOUND_NOTE}")
]
DurationMinutes = Annotated[
    int,
    Meta(
        ge=1,
        le=MAX_DOSE["duration_minutes"],
        description=f"minutes; at most {MAX_DOSE['duration_minutes']}, {BOUND_NOTE}",
    ),
]
Sets = Annotated[
    int,
    Meta(
        ge=1, le=MAX_DOSE["sets"], description=f"sets (1 for most exercises); at most {MAX_DOSE['sets']}, {BOUND_NOTE}"
    ),
]
#: The dose quantities a step may name, in the order a file lists them.
DOSE_KEYS = ("hold_seconds", "reps", "duration_minutes", "sets")


class Step(Struct, forbid_unknown_fields=True):
    """One exercise of a programme and, optionally, its dose; a quantity left out starts at the low end."""

    exercise: Annotated[str, Meta(description="the id of an exercise kneetui knows (`kneetui exercises`)")]
    hold_seconds: HoldSeconds | UnsetType = UNSET
    reps: Reps | UnsetType = UNSET
    duration_minutes: DurationMinutes | UnsetType = UNSET
    sets: Sets | UnsetType = UNSET

    def given(self) -> dict[str, int]:
        """The dose quantities the step names."""
        return {name: value for name in DOSE_KEYS if (value := getattr(self, name)) is not UNSET}


# --- programme files ------------------------------------------------------------------------

OneLineName = Annotated[str, Meta(min_length=1, max_length=MAX_NAME, description="one line")]
Description = Annotated[str, Meta(max_length=MAX_DESCRIPTION, description="line breaks and tabs allowed")]
AdviceLine = Annotated[str, Meta(min_length=1, max_length=MAX_ADVICE_TEXT, description="one line")]


class AdviceTable(Struct, forbid_unknown_fields=True):
    """A line of advice that says its own provenance (version 2)."""

    text: AdviceLine
    provenance: Provenance | UnsetType = UNSET


class ProgramBody(Struct, forbid_unknown_fields=True):
    """The ``[program]`` table."""

    id: Annotated[str, Meta(pattern=ID_REGEX, description="saved as <id>.toml")]
    name: OneLineName
    steps: Annotated[list[Step], Meta(min_length=1, max_length=MAX_STEPS, description="done in the order written")]
    description: Description = ""
    frequency: Frequency = Frequency.DAILY
    advice: Annotated[list[AdviceLine | AdviceTable], Meta(max_length=MAX_ADVICE)] = []
    sources: Annotated[list[str], Meta(max_length=MAX_SOURCES, description="ids of sources kneetui knows")] = []
    provenance: Provenance | UnsetType = UNSET


class ProgramFile(Struct, forbid_unknown_fields=True):
    """A kneetui programme file (docs/program-format.md)."""

    format: Literal["kneetui-program"]
    version: Annotated[int, Meta(ge=1, le=PROGRAM_VERSION)]
    program: ProgramBody


ID_WORDS = "is not a valid id: use 1–64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
PROGRAM_WORDING = Wording(
    first_index=1,
    strip="program",
    places={
        "": "at the top of the file",
        "program": "in [program]",
        "program.steps[]": "in a step",
        "program.advice[]": "in a line of advice",
    },
    missing={
        "format": f'a programme file starts with format = "{PROGRAM_FORMAT}"',
        "version": f"add version = {PROGRAM_VERSION}",
        "program": "add a [program] table",
        "program.id": 'give the programme an id such as "my-knee-plan"',
        "program.steps": "add at least one [[program.steps]] table",
        "program.steps[].exercise": "name the exercise by its id",
    },
    empty={"program.steps": "give at least one exercise"},
    patterns={ID_REGEX: ID_WORDS},
)


# --- content packs --------------------------------------------------------------------------


# [low, high] is a list of two rather than a tuple: msgspec 0.23 misreads a fixed-size
# tuple of constrained numbers.
_PAIR = Meta(min_length=2, max_length=2, description="[low, high]")
HoldSpan = HoldSeconds | Annotated[list[HoldSeconds], _PAIR]
RepsSpan = Reps | Annotated[list[Reps], _PAIR]
DurationSpan = DurationMinutes | Annotated[list[DurationMinutes], _PAIR]
SetsSpan = Sets | Annotated[list[Sets], _PAIR]


class LineFields(Struct, forbid_unknown_fields=True):
    """A step, caution or line of advice that says its own provenance."""

    text: Text
    provenance: Provenance | UnsetType = UNSET


Lines = Annotated[list[Text | LineFields], Meta(max_length=MAX_ITEMS)]


class DosageFields(Struct, forbid_unknown_fields=True):
    """An exercise's ``dosage`` table: every quantity one whole number or ``[low, high]``."""

    hold_seconds: HoldSpan | UnsetType = UNSET
    reps: RepsSpan | UnsetType = UNSET
    sets: SetsSpan | UnsetType = UNSET
    duration_minutes: DurationSpan | UnsetType = UNSET
    per: Laterality = Laterality.BOTH
    rest_seconds: (
        Annotated[
            int,
            Meta(ge=0, le=MAX_REST_SECONDS, description=f"seconds of rest; at most {MAX_REST_SECONDS}, {BOUND_NOTE}"),
        ]
        | UnsetType
    ) = UNSET
    provenance: Provenance | UnsetType = UNSET


class DrawingFields(Struct, forbid_unknown_fields=True):
    """An exercise's ``drawing`` table: key poses of the same size, shown in turn."""

    frames: Annotated[list[Text], Meta(min_length=1, max_length=MAX_ITEMS)]
    frame_seconds: Annotated[float, Meta(ge=MIN_FRAME_SECONDS, le=MAX_FRAME_SECONDS)] = 1.0
    captions: Texts = []


class SourceFields(Struct, forbid_unknown_fields=True):
    id: Id
    citation: Text
    publisher: Text = ""
    url: Text = ""


class ExerciseFields(Struct, forbid_unknown_fields=True):
    id: Id
    name: Text
    summary: Text
    steps: Lines
    dosage: DosageFields
    category: Category
    benefits: Text
    cautions: Lines = []
    suits_acute: bool = False
    source_ids: Ids = []
    provenance: Provenance | UnsetType = UNSET
    drawing: DrawingFields | UnsetType = UNSET


class AidFields(Struct, forbid_unknown_fields=True):
    id: Id
    name: Text
    what_it_does: Text
    advice: Lines = []
    source_ids: Ids = []
    provenance: Provenance | UnsetType = UNSET


class FaqFields(Struct, forbid_unknown_fields=True):
    id: Id
    question: Text
    answer: Text
    source_ids: Ids = []
    provenance: Provenance | UnsetType = UNSET


class TopicFields(Struct, forbid_unknown_fields=True):
    id: Id
    title: Text
    kind: TopicKind
    paragraphs: Texts
    source_ids: Ids = []
    provenance: Provenance | UnsetType = UNSET


class ProgramFields(Struct, forbid_unknown_fields=True):
    id: Id
    name: Text
    description: Text
    steps: Annotated[list[Step], Meta(max_length=MAX_ITEMS)]
    frequency: Frequency = Frequency.DAILY
    advice: Lines = []
    source_ids: Ids = []
    provenance: Provenance | UnsetType = UNSET


class PackHeader(Struct, forbid_unknown_fields=True):
    """The ``[pack]`` table."""

    name: Annotated[str, Meta(pattern=PACK_NAME_REGEX, description="1–64 lower-case letters, digits, '_' or '-'")]
    version: Text = ""
    description: Text = ""


class PackFile(Struct, forbid_unknown_fields=True):
    """A kneetui content pack (docs/content-packs.md)."""

    format: Literal["kneetui-pack"]
    version: Annotated[int, Meta(ge=1, le=PACK_VERSION)]
    pack: PackHeader
    sources: Annotated[list[SourceFields], Meta(max_length=MAX_ITEMS)] = []
    exercises: Annotated[list[ExerciseFields], Meta(max_length=MAX_ITEMS)] = []
    aids: Annotated[list[AidFields], Meta(max_length=MAX_ITEMS)] = []
    faq: Annotated[list[FaqFields], Meta(max_length=MAX_ITEMS)] = []
    topics: Annotated[list[TopicFields], Meta(max_length=MAX_ITEMS)] = []
    programs: Annotated[list[ProgramFields], Meta(max_length=MAX_ITEMS)] = []


PACK_NAME_WORDS = "is not a valid pack name: use 1–64 lower-case letters, digits, '_' or '-'"
PACK_WORDING = Wording(
    first_index=1,
    places={"": "at the top of the file", "pack": "in [pack]"},
    patterns={ID_REGEX: ID_WORDS, PACK_NAME_REGEX: PACK_NAME_WORDS},
)


class FormatHeader(Struct):
    """The two keys every file starts with, read first so a newer file is refused by its version."""

    format: Any = None
    version: Any = None


# --- JSON Schema for editors ----------------------------------------------------------------

SCHEMA_FILES = {"program.schema.json": ProgramFile, "pack.schema.json": PackFile}
_TITLES: dict[type, str] = {ProgramFile: "kneetui programme file", PackFile: "kneetui content pack"}


def json_schema(schema: type) -> str:
    """The JSON Schema of ``schema``, as the text kept in docs/."""
    document: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": _TITLES[schema],
        **msgspec.json.schema(schema),
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_json_schemas(folder: Path) -> list[Path]:
    """Write every JSON Schema file into ``folder``; return their paths."""
    written = []
    for name, schema in SCHEMA_FILES.items():
        path = folder / name
        path.write_text(json_schema(schema), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_json_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(path)
