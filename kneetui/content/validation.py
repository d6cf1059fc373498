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


@cache
def _shape(expected: Any) -> tuple[str, Any]:
    """What checking against the hint ``expected`` takes, worked out once per hint."""
    origin = typing.get_origin(expected)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(expected)
        non_none = [option for option in options if option is not type(None)]
        return ("optional" if type(None) in options else "union", non_none[0])
    if origin is tuple:
        return "tuple", typing.get_args(expected)[0]
    if isinstance(expected, type) and dataclasses.is_dataclass(expected):
        return "dataclass", expected
    if isinstance(expected, type) and issubclass(expected, Enum):
        return "enum", expected
    return "plain", expected


def _check_type(value: Any, expected: Any, path: str) -> list[tuple[str, str]]:
    shape, inner = _shape(expected)
    if shape == "optional" and value is None:
        return []
    if shape in ("optional", "union"):
        return _check_type(value, inner, path)
    if shape == "tuple":
        if not isinstance(value, tuple):
            return [(path, f"expected a tuple, got {type(value).__name__}")]
        if len(value) > MAX_ITEMS:
            return [(path, f"has {len(value)} items, at most {MAX_ITEMS} are allowed")]
        problems: list[tuple[str, str]] = []
        for index, item in enumerate(value):
            if not _plainly_fine(item, inner):
                problems += _check_type(item, inner, f"{path}[{index}]")
        return problems
    if shape == "dataclass":
        if not isinstance(value, inner):
            return [(path, f"expected {inner.__name__}, got {type(value).__name__}")]
        problems = []
        for name, hint in _hints(inner).items():
            field_value = getattr(value, name)
            if not _plainly_fine(field_value, hint):
                problems += _check_type(field_value, hint, f"{path}.{name}" if path else name)
        return problems
    if shape == "enum":
        if not isinstance(value, inner):
            allowed = ", ".join(member.value for member in inner)
            return [(path, f"expected one of: {allowed}")]
        return []
    if expected is float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return [] if ok else [(path, f"expected a number, got {type(value).__name__}")]
    if expected is int and isinstance(value, bool):
        return [(path, "expected a whole number, got bool")]
    if not isinstance(value, expected):
        return [(path, f"expected {expected.__name__}, got {type(value).__name__}")]
    if expected is str and len(value) > MAX_TEXT:
        return [(path, f"text is longer than {MAX_TEXT} characters")]
    return []


def _plainly_fine(value: Any, expected: Any) -> bool:
    """The common case, decided without building the field's path: exactly a ``str`` of allowed length
    or exactly an ``int`` where one is expected (a subclass, which may run its own code, takes the full check)."""
    kind = type(value)
    return (kind is str and expected is str and len(value) <= MAX_TEXT) or (kind is int and expected is int)


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
    kind = expected.__name__.lower()
    item_id = getattr(item, "id", "?") if isinstance(getattr(item, "id", None), str) else "?"
    problems = _check_type(item, expected, "")
    if not problems:
        problems = _check_sense(item)
    if problems:
        field, reason = problems[0]
        raise ContentError(plugin, kind, item_id, field or kind, reason)
    return _cleaned(item)


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


def provenances_in(item: Any) -> set[model.Provenance]:
    """Every provenance an item states, its own and those of its dosage, steps and lines of advice."""
    found: set[model.Provenance] = set()
    _add_provenances(item, found)
    return found


def _add_provenances(item: Any, found: set[model.Provenance]) -> None:
    if isinstance(item, model.Provenance):
        found.add(item)
    elif item is None or isinstance(item, (str, int, float, Enum)):
        return
    elif isinstance(item, tuple):
        for part in item:
            _add_provenances(part, found)
    else:
        kind: type = type(item)
        copied = _copied_fields(kind)
        for name in copied[0] if copied is not None else ():
            _add_provenances(getattr(item, name), found)
