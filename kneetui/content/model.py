"""The content kneetui shows, as plain frozen dataclasses (no Textual).

Plug-ins build these objects and hand them to kneetui through the register
callbacks of the hooks in :mod:`kneetui.hookspecs`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum

from kneetui.content.catalog import KIND_NAMES


class Category(StrEnum):
    """What kind of movement an exercise is."""

    STRETCH = "stretch"
    STRENGTH = "strength"
    MOBILITY = "mobility"
    CARDIO = "cardio"


class Laterality(StrEnum):
    """Whether a dose is done once, on each side, or with each leg."""

    BOTH = "both"
    EACH_SIDE = "each side"
    EACH_LEG = "each leg"


class TopicKind(StrEnum):
    """Which part of the Learn section a topic belongs to."""

    CAUSE = "cause"
    APPROACH = "approach"
    SAFETY = "safety"
    ABOUT = "about"


class Provenance(StrEnum):
    """Where a piece of content comes from, so a person and their physiotherapist know what to confirm.

    The plug-in that supplies an item says which; kneetui shows it as a mark
    beside the item. An item that says nothing is its plug-in's own.
    """

    #: Taken from the source article kneetui is built on, in kneetui's words.
    ARTICLE = "article"
    #: kneetui's own reading: a choice or an added detail the article does not state.
    KNEETUI = "kneetui"
    #: From the author of the plug-in or content pack that supplies it.
    PLUGIN = "plugin"
    #: Made or imported by the person using kneetui.
    YOURS = "yours"

    @property
    def mark(self) -> str:
        """The one-character mark shown beside an item: ◆ ◇ ○ ●."""
        return _PROVENANCE_WORDS[self][0]

    @property
    def label(self) -> str:
        """A word or two for a legend, e.g. "article"."""
        return _PROVENANCE_WORDS[self][1]

    @property
    def meaning(self) -> str:
        """Who said it, for 'Where from:', e.g. "the source article"."""
        return _PROVENANCE_WORDS[self][2]


#: Filled for the article, hollow for kneetui's reading of it; circles for everyone else's.
_PROVENANCE_WORDS = {
    Provenance.ARTICLE: ("◆", "article", "the source article"),
    Provenance.KNEETUI: ("◇", "kneetui's reading", "kneetui's own reading of the article"),
    Provenance.PLUGIN: ("○", "plug-in", "the plug-in's author"),
    Provenance.YOURS: ("●", "yours", "you"),
}


class Frequency(StrEnum):
    """How often a programme is meant to be done."""

    DAILY = "daily"
    EVERY_OTHER_DAY = "every other day"


@dataclass(frozen=True)
class Step:
    """One instruction of an exercise; ``provenance`` ``None`` means the exercise's own.

    Plug-ins may give plain strings instead: an :class:`Exercise` turns each
    into a ``Step`` with the exercise's provenance.
    """

    #: The instruction a person reads.
    text: str
    #: Where it comes from; None means the exercise's own.
    provenance: Provenance | None = None

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Advice:
    """One line of advice (a caution, a programme's or an aid's advice); ``provenance`` ``None`` means its item's.

    Plug-ins may give plain strings instead: the item that holds the advice
    turns each into an ``Advice`` with the item's provenance.
    """

    #: The advice a person reads.
    text: str
    #: Where it comes from; None means the provenance of the item that holds it.
    provenance: Provenance | None = None

    def __str__(self) -> str:
        return self.text


def _with_provenance(lines: object, kind: type[Step | Advice], provenance: Provenance | None) -> object:
    """``lines`` with every plain string, and every line that names no provenance, given ``provenance``.

    Anything that is not a tuple, or an item that is neither text nor ``kind``,
    is left as it is for validation to name.
    """
    if not isinstance(lines, tuple):
        return lines
    return tuple(
        kind(line, provenance)
        if isinstance(line, str)
        else replace(line, provenance=provenance)
        if isinstance(line, kind) and line.provenance is None
        else line
        for line in lines
    )


def _settle(item: object, provenance: object, **lines: type[Step | Advice]) -> None:
    """Give the lines of a frozen ``item`` that name no provenance the item's own (for ``__post_init__``)."""
    # A wrong provenance is left for validation to name; the lines still become Steps or Advice.
    own = provenance if isinstance(provenance, Provenance) else None
    for name, kind in lines.items():
        object.__setattr__(item, name, _with_provenance(getattr(item, name), kind, own))


@dataclass(frozen=True)
class Range:
    """An inclusive whole-number range such as 15–30 seconds or 10–12 reps."""

    #: The smallest allowed value (a whole number).
    low: int
    #: The largest allowed value; at least ``low``.
    high: int

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high

    def __str__(self) -> str:
        return str(self.low) if self.low == self.high else f"{self.low}–{self.high}"


def _amounts(hold_seconds: object, reps: object, duration_minutes: object) -> list[str]:
    """The hold, reps and minutes a dosage or dose names, as a person reads them."""
    parts = []
    if hold_seconds is not None:
        parts.append(f"hold {hold_seconds} s")
    if reps is not None:
        parts.append(f"{reps} reps")
    if duration_minutes is not None:
        parts.append(f"{duration_minutes} min")
    return parts


@dataclass(frozen=True)
class Dosage:
    """How much of an exercise to do; every quantity is a range to choose inside.

    ``rest_seconds`` is ``None`` when the source gives no rest between sets;
    the session then uses the rest the person chose in Settings.
    ``provenance`` ``None`` means the exercise's own.
    """

    #: Seconds to hold each time, or None when the exercise has no hold.
    hold_seconds: Range | None = None
    #: Repetitions per set, or None when it is not counted in reps.
    reps: Range | None = None
    #: How many sets (a set is the hold, the reps or the timed block once, on each side if ``per`` says so).
    sets: Range = Range(1, 1)
    #: Minutes of a timed exercise (walking, cycling), or None.
    duration_minutes: Range | None = None
    #: Whether each set is done once (``BOTH``), on each side or with each leg (left, then right).
    per: Laterality = Laterality.BOTH
    #: Seconds of rest between sets as the source gives them (0 or more), or None for the person's setting.
    rest_seconds: int | None = None
    #: Where the ranges come from; None means the exercise's own.
    provenance: Provenance | None = None

    def describe(self) -> str:
        """One line a person reads, e.g. 'hold 15–30 s, each side'."""
        parts = _amounts(self.hold_seconds, self.reps, self.duration_minutes)
        if self.per is not Laterality.BOTH:
            parts.append(str(self.per))
        if self.sets != Range(1, 1):
            parts.append(f"{self.sets} sets")
        if self.rest_seconds:
            parts.append(f"rest {self.rest_seconds} s")
        return ", ".join(parts)

    def lowest(self) -> Dose:
        """The dose at the low end of every range, where the article says to start."""
        return Dose(
            hold_seconds=self.hold_seconds.low if self.hold_seconds else None,
            reps=self.reps.low if self.reps else None,
            sets=self.sets.low,
            duration_minutes=self.duration_minutes.low if self.duration_minutes else None,
        )

    def allows(self, dose: Dose) -> list[str]:
        """The names of the fields of ``dose`` that fall outside this dosage."""
        wrong: list[str] = []
        for name in ("hold_seconds", "reps", "duration_minutes"):
            allowed: Range | None = getattr(self, name)
            chosen: int | None = getattr(dose, name)
            if (allowed is None) != (chosen is None) or (allowed is not None and chosen not in allowed):
                wrong.append(name)
        if dose.sets not in self.sets:
            wrong.append("sets")
        return wrong


@dataclass(frozen=True)
class Dose:
    """One chosen point inside a :class:`Dosage`."""

    #: Seconds per hold; set exactly when the exercise's dosage has ``hold_seconds``.
    hold_seconds: int | None = None
    #: Repetitions per set; set exactly when the dosage has ``reps``.
    reps: int | None = None
    #: How many sets, inside the dosage's ``sets`` range.
    sets: int = 1
    #: Minutes of a timed exercise; set exactly when the dosage has ``duration_minutes``.
    duration_minutes: int | None = None

    def describe(self) -> str:
        """One line a person reads, e.g. 'hold 20 s' or '12 reps, 2 sets'."""
        parts = _amounts(self.hold_seconds, self.reps, self.duration_minutes)
        if self.sets != 1:
            parts.append(f"{self.sets} sets")
        return ", ".join(parts)


@dataclass(frozen=True)
class Drawing:
    """A terminal drawing of a movement: key poses shown in turn.

    Every frame has the same lines; the first frame must tell the story on
    its own, because it is all that is shown when animations are off.
    """

    #: Key poses as text, at least one; the first alone must tell the story (shown when animations are off).
    frames: tuple[str, ...]
    #: Seconds each frame shows when animated; at least 0.1.
    frame_seconds: float = 1.0
    #: One line under each frame, in the same order; a missing caption is empty.
    captions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Exercise:
    """One home exercise with its instructions and dosage.

    ``provenance`` is the exercise's as a whole (that it is recommended, its
    summary, benefits and whether it suits the acute phase). Steps, cautions and
    the dosage that name no provenance of their own take it; plain strings are
    accepted for ``steps`` and ``cautions`` and become :class:`Step` and
    :class:`Advice`.
    """

    #: A stable id: lower-case letters, digits, '.', '_' or '-', at most 64 characters; never reuse one.
    id: str
    #: The name a person reads.
    name: str
    #: One sentence: what the person does.
    summary: str
    #: The instructions, one line each, in order; at least one. Plain strings become ``Step``s.
    steps: tuple[Step, ...]
    #: How much to do, as ranges; programmes and the person choose a ``Dose`` inside them.
    dosage: Dosage
    #: What kind of movement it is.
    category: Category
    #: What it helps with, as the source says it.
    benefits: str
    #: Warnings shown before and during the exercise. Plain strings become ``Advice``.
    cautions: tuple[Advice, ...] = ()
    #: Whether it is gentle enough to offer on a day the person reports more pain.
    suits_acute: bool = False
    #: Ids of the ``Source`` objects it comes from.
    source_ids: tuple[str, ...] = ()
    #: A terminal drawing of the movement, or None.
    drawing: Drawing | None = None
    #: Where the exercise comes from; its steps, cautions and dosage that name none take it.
    provenance: Provenance = Provenance.PLUGIN

    def __post_init__(self) -> None:
        _settle(self, self.provenance, steps=Step, cautions=Advice)
        if (
            isinstance(self.dosage, Dosage)
            and self.dosage.provenance is None
            and isinstance(self.provenance, Provenance)
        ):
            object.__setattr__(self, "dosage", replace(self.dosage, provenance=self.provenance))

    def provenances(self) -> set[Provenance]:
        """Every provenance in this exercise: its own, its dosage's, its steps' and its cautions'."""
        lines: tuple[Step | Advice, ...] = (*self.steps, *self.cautions)
        found = {self.provenance, self.dosage.provenance, *(line.provenance for line in lines)}
        return {provenance for provenance in found if provenance is not None}


@dataclass(frozen=True)
class Aid:
    """An ergonomic aid (knee support, brace, insole...) used alongside exercise."""

    id: str
    name: str
    #: What the aid does, in a sentence or two.
    what_it_does: str
    #: Points of advice on choosing or using it, one line each. Plain strings become ``Advice``.
    advice: tuple[Advice, ...] = ()
    source_ids: tuple[str, ...] = ()
    #: Everyday words a person may search with (e.g. 'swollen' for swelling); used to find it, never shown.
    keywords: tuple[str, ...] = ()
    #: Where it comes from.
    provenance: Provenance = Provenance.PLUGIN

    def __post_init__(self) -> None:
        _settle(self, self.provenance, advice=Advice)


@dataclass(frozen=True)
class FaqEntry:
    """A common question and its answer."""

    id: str
    #: The question as a person would ask it (searched, as is the answer).
    question: str
    #: The answer, as the source gives it.
    answer: str
    source_ids: tuple[str, ...] = ()
    #: Everyday words a person may search with (e.g. 'swollen' for swelling); used to find it, never shown.
    keywords: tuple[str, ...] = ()
    #: Where it comes from.
    provenance: Provenance = Provenance.PLUGIN


@dataclass(frozen=True)
class Topic:
    """A piece of education: a cause, an approach, or safety advice."""

    id: str
    title: str
    #: Which part of the Learn screen it belongs to.
    kind: TopicKind
    #: The text, one paragraph each; at least one.
    paragraphs: tuple[str, ...]
    source_ids: tuple[str, ...] = ()
    #: Everyday words a person may search with (e.g. 'swollen' for swelling); used to find it, never shown.
    keywords: tuple[str, ...] = ()
    #: Where it comes from.
    provenance: Provenance = Provenance.PLUGIN


@dataclass(frozen=True)
class Source:
    """A citation that content items refer to by id."""

    id: str
    #: The citation a person reads (title, author, year).
    citation: str
    #: Who published it ('' when unknown).
    publisher: str = ""
    #: Where to read it ('' when none); shown, never fetched.
    url: str = ""


@dataclass(frozen=True)
class ProgramStep:
    """One exercise of a programme, at a chosen dose."""

    #: The id of an exercise from any plug-in (kneetui's own included).
    exercise_id: str
    #: The dose, inside the exercise's dosage; None means the low end of every range.
    dose: Dose | None = None


@dataclass(frozen=True)
class Program:
    """An ordered routine of exercises, with how often to do it.

    ``provenance`` is the programme's as a whole: which exercises, in what
    order, at what doses and how often. Advice lines that name no provenance
    take it; plain strings become :class:`Advice`.
    """

    id: str
    name: str
    #: What the programme is for, in a sentence or two.
    description: str
    #: The exercises in order; at least one.
    steps: tuple[ProgramStep, ...]
    #: How often to do it.
    frequency: Frequency = Frequency.DAILY
    #: Points of advice shown with the programme, one line each. Plain strings become ``Advice``.
    advice: tuple[Advice, ...] = ()
    source_ids: tuple[str, ...] = field(default_factory=tuple)
    #: Where the programme comes from: its exercises, order, doses and frequency.
    provenance: Provenance = Provenance.PLUGIN

    def __post_init__(self) -> None:
        _settle(self, self.provenance, advice=Advice)

    def provenances(self) -> set[Provenance]:
        """Every provenance in this programme: its own and its advice's."""
        return {self.provenance, *(line.provenance or self.provenance for line in self.advice)}


#: The register hooks in the order they are called, with the type each accepts.
KINDS: dict[str, type] = dict(zip(KIND_NAMES, (Source, Exercise, Aid, FaqEntry, Topic, Program), strict=True))
