"""Checks that content handed over by a plug-in is well formed.

Plug-ins are untrusted: every field's type is checked against the dataclass
annotations, ids and ranges are checked for sense, and text is cleaned of
control characters so it cannot steer the terminal.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from enum import Enum
from functools import cache
from typing import Any

from kneetui.content import model
from kneetui.content.text import clean_text

ID_REGEX = "^[a-z0-9][a-z0-9._-]{0,63}$"
#: Use with ``fullmatch``: ``$`` alone would also accept a trailing newline.
ID_PATTERN = re.compile(ID_REGEX)
MAX_TEXT = 20_000
MAX_ITEMS = 500
#: The largest amount of each dose quantity. These are kneetui's own bounds, not the article's
#: (which gives 15–30 s holds, 10–15 repetitions, 2–3 sets, 10–15 minutes) and not medical
#: advice: they are far beyond any home exercise, so they catch a typo (300 for 30) and keep
#: every timer and sum an ordinary number. The dose a person does is their physiotherapist's call.
MAX_DOSE = {"hold_seconds": 600, "reps": 100, "duration_minutes": 120, "sets": 10}
#: The longest rest between sets: kneetui's own bound against typos, like :data:`MAX_DOSE`.
MAX_REST_SECONDS = 600
#: The shortest time a drawing's frame may show: faster frames keep the app too busy to answer keys.
MIN_FRAME_SECONDS = 0.1
MAX_FRAME_SECONDS = 60


class ContentError(ValueError):
    """A content item that failed validation, naming the plug-in, item and field."""

    def __init__(self, plugin: str, kind: str, item_id: str, field: str, reason: str):
        self.plugin, self.kind, self.item_id, self.field, self.reason = (
            plugin,
            kind,
            item_id,
            field,
            reason,
        )
        super().__init__(f"plug-in {plugin!r}: {kind} {item_id!r}: field {field!r}: {reason}")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls, vars(model))


class _Shape:
    """What checking against one type hint takes, worked out once per hint."""

    __slots__ = ("expected", "inner", "kind")

    def __init__(self, kind: str, expected: Any, inner: _Shape | None = None) -> None:
        #: "optional", "union", "tuple", "dataclass", "enum" or "plain".
        self.kind = kind
        #: The hint itself.
        self.expected = expected
        #: The shape of what an optional, a union or a tuple holds.
        self.inner = inner


@cache
def _shape(expected: Any) -> _Shape:
    origin = typing.get_origin(expected)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(expected)
        non_none = [option for option in options if option is not type(None)]
        return _Shape("optional" if type(None) in options else "union", expected, _shape(non_none[0]))
    if origin is tuple:
        return _Shape("tuple", expected, _shape(typing.get_args(expected)[0]))
    if isinstance(expected, type) and dataclasses.is_dataclass(expected):
        return _Shape("dataclass", expected)
    if isinstance(expected, type) and issubclass(expected, Enum):
        return _Shape("enum", expected)
    return _Shape("plain", expected)


@cache
def _copy_plan(expected: type, made: type) -> tuple[tuple[tuple[str, _Shape | None], ...], bool]:
    """How to copy a ``made`` where the dataclass ``expected`` is asked for.

    Each of its fields with the shape to check it against (None for a field only a
    subclass has), and whether ``__init__`` sets them all.
    """
    copied = _copied_fields(made)
    names, every_one_in_init = copied if copied is not None else ((), True)  # a subclass of a dataclass is one
    shapes = {name: _shape(hint) for name, hint in _hints(expected).items()}
    return tuple((name, shapes.get(name)) for name in names), every_one_in_init


class _Problem(Exception):
    """The first thing wrong with an item: the field's path and why."""

    def __init__(self, field: str, reason: str) -> None:
        super().__init__(field, reason)
        self.field, self.reason = field, reason


def _checked_copy(value: Any, shape: _Shape, path: str, provenances: set[model.Provenance]) -> Any:
    """``value`` checked against the hint of ``shape`` and copied with its text cleaned, in one pass.

    Raises :class:`_Problem` at the first thing wrong; adds each provenance met to ``provenances``.
    """
    kind, expected, inner = shape.kind, shape.expected, shape.inner
    if inner is not None and kind != "tuple":  # an optional or a union
        return None if kind == "optional" and value is None else _checked_copy(value, inner, path, provenances)
    if inner is not None:  # a tuple
        if not isinstance(value, tuple):
            raise _Problem(path, f"expected a tuple, got {type(value).__name__}")
        if len(value) > MAX_ITEMS:
            raise _Problem(path, f"has {len(value)} items, at most {MAX_ITEMS} are allowed")
        copies = []
        for index, item in enumerate(value):
            if (copy := _plain_copy(item, inner)) is _NOT_PLAIN:
                copy = _checked_copy(item, inner, f"{path}[{index}]", provenances)
            copies.append(copy)
        return tuple(copies)
    if kind == "dataclass":
        if not isinstance(value, expected):
            raise _Problem(path, f"expected {expected.__name__}, got {type(value).__name__}")
        made: type = type(value)
        fields, every_one_in_init = _copy_plan(expected, made)
        changes = {}
        for name, field_shape in fields:
            field_value = getattr(value, name)
            if field_shape is None:  # a field a subclass added: kneetui never reads it, so it is only cleaned
                copy = _cleaned(field_value)
            elif (copy := _plain_copy(field_value, field_shape)) is _NOT_PLAIN:
                copy = _checked_copy(field_value, field_shape, f"{path}.{name}" if path else name, provenances)
            changes[name] = copy
        # Always a copy: what the catalogue holds is kneetui's own, whatever the plug-in does with its objects later.
        # Made as dataclasses.replace makes it, without its per-field checks when every field is set by __init__.
        return made(**changes) if every_one_in_init else dataclasses.replace(value, **changes)
    if kind == "enum":
        if not isinstance(value, expected):
            allowed = ", ".join(member.value for member in expected)
            raise _Problem(path, f"expected one of: {allowed}")
        if isinstance(value, model.Provenance):
            provenances.add(value)
        return value
    if expected is float:
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise _Problem(path, f"expected a number, got {type(value).__name__}")
        return value
    if expected is int and isinstance(value, bool):
        raise _Problem(path, "expected a whole number, got bool")
    if not isinstance(value, expected):
        raise _Problem(path, f"expected {expected.__name__}, got {type(value).__name__}")
    if expected is str:
        if len(value) > MAX_TEXT:
            raise _Problem(path, f"text is longer than {MAX_TEXT} characters")
        return clean_text(value)
    return value


_NOT_PLAIN = object()


def _plain_copy(value: Any, shape: _Shape) -> Any:
    """The copy of the common case, made without building the field's path: exactly a ``str`` of allowed
    length or exactly an ``int`` where one is expected. For any other value (a subclass, which may run its
    own code, among them) :data:`_NOT_PLAIN`, and the full check."""
    kind, expected = type(value), shape.expected
    if kind is str and expected is str and len(value) <= MAX_TEXT:
        return clean_text(value)
    if kind is int and expected is int:
        return value
    return _NOT_PLAIN


def _check_sense(item: Any) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if hasattr(item, "id") and not ID_PATTERN.fullmatch(item.id):
        problems.append(("id", "use 1–64 lower-case letters, digits, '.', '_' or '-'"))
    for name in ("name", "title", "question", "answer", "citation", "what_it_does"):
        if isinstance(getattr(item, name, None), str) and not getattr(item, name).strip():
            problems.append((name, "must not be empty"))
    if isinstance(item, model.Exercise):
        if not item.steps:
            problems.append(("steps", "give at least one step"))
        dosage = item.dosage
        quantities = ("hold_seconds", "reps", "duration_minutes", "sets")
        for name in quantities:
            span = getattr(dosage, name)
            if span is not None and not 0 < span.low <= span.high <= MAX_DOSE[name]:
                problems.append(
                    (f"dosage.{name}", f"range {span.low}–{span.high} is not 0 < low <= high <= {MAX_DOSE[name]}")
                )
        if not (dosage.hold_seconds or dosage.reps or dosage.duration_minutes):
            problems.append(("dosage", "give hold_seconds, reps or duration_minutes"))
        if dosage.rest_seconds is not None and not 0 <= dosage.rest_seconds <= MAX_REST_SECONDS:
            problems.append(("dosage.rest_seconds", f"must be from 0 to {MAX_REST_SECONDS} seconds"))
        drawing = item.drawing
        if drawing is not None:
            if not drawing.frames:
                problems.append(("drawing.frames", "give at least one frame"))
            if not MIN_FRAME_SECONDS <= drawing.frame_seconds <= MAX_FRAME_SECONDS:
                problems.append(
                    ("drawing.frame_seconds", f"must be from {MIN_FRAME_SECONDS} to {MAX_FRAME_SECONDS} seconds")
                )
            sizes = {len(frame.splitlines()) for frame in drawing.frames}
            if len(sizes) > 1:
                problems.append(("drawing.frames", "every frame must have the same number of lines"))
    if isinstance(item, model.Topic) and not item.paragraphs:
        problems.append(("paragraphs", "give at least one paragraph"))
    if isinstance(item, model.Program) and not item.steps:
        problems.append(("steps", "give at least one exercise"))
    return problems


def validate(item: Any, expected: type, plugin: str) -> Any:
    """Return a cleaned copy of ``item`` or raise :class:`ContentError`."""
    return checked(item, expected, plugin)[0]


def checked(item: Any, expected: type, plugin: str) -> tuple[Any, set[model.Provenance]]:
    """A cleaned copy of ``item`` and every provenance it states (its own and those of its dosage, steps and
    lines of advice), or :class:`ContentError`."""
    provenances: set[model.Provenance] = set()
    try:
        copy = _checked_copy(item, _shape(expected), "", provenances)
        problems = _check_sense(item)
    except _Problem as problem:
        problems = [(problem.field, problem.reason)]
    if problems:
        kind = expected.__name__.lower()
        item_id = getattr(item, "id", "?") if isinstance(getattr(item, "id", None), str) else "?"
        field, reason = problems[0]
        raise ContentError(plugin, kind, item_id, field or kind, reason)
    return copy, provenances


def _cleaned(value: Any) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, tuple):
        return tuple(map(_cleaned, value))
    kind: type = type(value)
    copied = _copied_fields(kind)
    if copied is None:
        return value
    names, every_one_in_init = copied
    changes = {name: _cleaned(getattr(value, name)) for name in names}
    # Always a copy: what the catalogue holds is kneetui's own, whatever the plug-in does with its objects later.
    # Made as dataclasses.replace makes it, without its per-field checks when every field is set by __init__.
    return type(value)(**changes) if every_one_in_init else dataclasses.replace(value, **changes)


@cache
def _copied_fields(cls: type) -> tuple[tuple[str, ...], bool] | None:
    """A dataclass's field names and whether ``__init__`` sets them all; None for any other class."""
    if not dataclasses.is_dataclass(cls):
        return None
    fields = dataclasses.fields(cls)
    return tuple(field.name for field in fields), all(field.init for field in fields)
