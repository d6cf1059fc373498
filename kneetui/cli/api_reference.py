"""Writes docs/api.md, the plug-in API reference, from the code's own docstrings.

Run ``python -m kneetui.cli.api_reference > docs/api.md`` after changing
:mod:`kneetui.api`, :mod:`kneetui.hookspecs`, the content model or the screen
kit; a test fails while the file differs from what this writes.

Fields are documented by a ``#:`` comment on the line above them.
"""

from __future__ import annotations

import dataclasses
import enum
import importlib
import inspect
import re
from typing import Any

TITLE = "# kneetui plug-in API reference"
HEADER = f"""{TITLE}

<!-- Written by `python -m kneetui.cli.api_reference > docs/api.md` from the docstrings. Do not edit. -->

Everything here is generated from the code a plug-in imports: `kneetui.api` (content, hooks,
the session guide, clocks), `kneetui.hookspecs`, `kneetui.screen_kit` (building blocks for a
plug-in's own screen) and `kneetui.testing` (pytest helpers). How to write a plug-in, step by
step: [CONTRIBUTING.md](../CONTRIBUTING.md#writing-a-plug-in).
"""

#: What SessionGuide's attributes hold (it sets them in ``__init__``, where a docstring cannot go).
GUIDE_ATTRIBUTES = {
    "exercise": "The `Exercise` to guide.",
    "dose": "The `Dose` the person chose (inside the exercise's dosage).",
    "clock": "The `Clock`: `now()` for every wait and measurement, `wall()` for timestamps. A `FakeClock` in tests.",
    "plugin": "Your plug-in's name; kept on each block recorded.",
    "bell": "Whether the person wants a bell at each change (their setting).",
    "flash": "Whether the person wants the screen to flash at each change (their setting).",
    "animations": "Whether drawings may animate (their setting).",
    "blocks": "The `BlockRecord`s recorded so far through this guide, oldest first.",
    "stopped": "True once `pain_is_worse()` was called: the session stopped.",
    "finished": "True once `finish()` was called (or your screen was dismissed).",
    "interrupted": "True once kneetui's frame ended your screen (`!` or quit); nothing more can be recorded.",
    "skipped": "True once `skip()` was called: the rest of the exercise was skipped.",
    "quit_asked": "True once `quit()` was called: kneetui asked the person whether to end the session.",
}


#: Fields many content types share, documented once.
COMMON_FIELDS = {
    "id": "A stable id, unique among its kind: lower-case letters, digits, '.', '_' or '-', at most 64 characters.",
    "name": "The name a person reads.",
    "title": "The title a person reads.",
    "source_ids": "Ids of the `Source` objects it comes from (registered by any plug-in).",
}

#: What each field of a recorded block holds (the record is kneetui's; a plug-in only reads it).
BLOCK_FIELDS = {
    "exercise_id": "The exercise the block belongs to.",
    "kind": "`hold`, `reps` or `timed`.",
    "set_number": "Which set, counting from 1.",
    "side": "`'left'` or `'right'` when the dose is per side or per leg, else `None`.",
    "planned": "What the dose asked for: seconds for `hold` and `timed`, reps for `reps`.",
    "done": "What was done, in the same unit as `planned` (0 or more; less when stopped early).",
    "started_at": "When the block started: `clock.wall()`, seconds since the epoch.",
    "ended_at": "When it ended: `clock.wall()`, seconds since the epoch.",
    "plugin": "The plug-in that guided it ('' when kneetui did).",
}

#: Methods whose class kneetui keeps without a docstring on them.
METHOD_NOTES = {
    ("FakeClock", "now"): "Monotonic seconds; moves only with `advance`.",
    ("FakeClock", "wall"): "Seconds since the epoch; moves with `now`.",
    ("FakeClock", "advance"): "Move time on by `seconds` (never backwards).",
}

#: Textual's own handlers: part of how a screen works, not of what an author calls.
_HANDLER = re.compile(r"^(compose|on_\w+|_\w+)$")


def _signature(function: Any, drop_self: bool = True) -> str:
    parts: list[str] = []
    seen_star = False
    for parameter in inspect.signature(function).parameters.values():
        if drop_self and parameter.name in ("self", "cls") and not parts:
            continue
        text = parameter.name
        if parameter.kind is parameter.VAR_POSITIONAL:
            text, seen_star = "*" + text, True
        elif parameter.kind is parameter.VAR_KEYWORD:
            text = "**" + text
        elif parameter.kind is parameter.KEYWORD_ONLY and not seen_star:
            parts.append("*")
            seen_star = True
        if parameter.annotation is not parameter.empty:
            text += f": {_type_name(parameter.annotation)}"
        if parameter.default is not parameter.empty:
            text += f" = {parameter.default!r}"
        parts.append(text)
    returned = inspect.signature(function).return_annotation
    arrow = "" if returned is inspect.Signature.empty else f" -> {_type_name(returned)}"
    return f"({', '.join(parts)}){arrow}"


def _doc(thing: Any) -> str:
    return inspect.cleandoc(thing.__doc__ or "").strip()


def _type_name(annotation: Any) -> str:
    return annotation if isinstance(annotation, str) else getattr(annotation, "__name__", repr(annotation))


def field_notes(cls: type) -> dict[str, str]:
    """The ``#:`` comment above each annotated field in ``cls``'s source."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    notes: dict[str, str] = {}
    pending: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if stripped.startswith("#:"):
            pending.append(stripped[2:].strip())
            continue
        field = re.match(r"^\s+(\w+)\s*:", line)
        if field and pending:
            notes[field.group(1)] = " ".join(pending)
        pending = []
    return notes


def _default(field: dataclasses.Field[Any]) -> str:
    if field.default is not dataclasses.MISSING:
        value = field.default
        return f"`{value.__class__.__name__}.{value.name}`" if isinstance(value, enum.Enum) else f"`{value!r}`"
    if field.default_factory is not dataclasses.MISSING:
        return f"`{field.default_factory()!r}`"
    return "required"


def _one_line(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def dataclass_section(cls: type, extra_notes: dict[str, str] | None = None) -> list[str]:
    notes = {**COMMON_FIELDS, **(extra_notes or {}), **field_notes(cls)}
    lines = [
        f"### `{cls.__name__}`",
        "",
        _doc(cls),
        "",
        "| field | type | default | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for field in dataclasses.fields(cls):
        lines.append(
            f"| `{field.name}` | `{_one_line(_type_name(field.type))}` | {_default(field)} "
            f"| {_one_line(notes.get(field.name, ''))} |"
        )
    return [*lines, "", *_methods(cls)]


def enum_section(cls: type[enum.Enum]) -> list[str]:
    lines = [f"### `{cls.__name__}`", "", _doc(cls), "", "| member | value |", "| --- | --- |"]
    lines += [f"| `{cls.__name__}.{member.name}` | `{member.value!r}` |" for member in cls]
    return [*lines, ""]


def _methods(cls: type, include_init: bool = False) -> list[str]:
    lines = []
    for name, member in vars(cls).items():
        if _HANDLER.match(name) and not (include_init and name == "__init__"):
            continue
        if isinstance(member, property):
            lines.append(f"- `{name}` (read-only): {_one_line(_doc(member))}")
            continue
        function = member.__func__ if isinstance(member, (staticmethod, classmethod)) else member
        if not inspect.isfunction(function):
            continue
        shown = cls.__name__ if name == "__init__" else name
        doc = _doc(function) if name != "__init__" else "Make one."
        doc = doc or METHOD_NOTES.get((cls.__name__, name), "")
        lines.append(f"- `{shown}{_signature(function)}`" + (f": {_one_line(doc)}" if doc else ""))
    return [*lines, ""] if lines else []


def hooks_section() -> list[str]:
    from kneetui import hookspecs

    lines = ["## Hooks", "", _doc(hookspecs), ""]
    for name, function in vars(hookspecs).items():
        if name.startswith("kneetui_") and callable(function):
            lines += [f"### `{name}{_signature(function, drop_self=False)}`", "", _doc(function), ""]
    return lines


def guide_section() -> list[str]:
    from kneetui.engine.plugin_guide import SessionGuide

    lines = ["### `SessionGuide`", "", _doc(SessionGuide), "", "| attribute | holds |", "| --- | --- |"]
    lines += [f"| `guide.{name}` | {_one_line(text)} |" for name, text in GUIDE_ATTRIBUTES.items()]
    return [*lines, "", *_methods(SessionGuide)]


def class_section(cls: type, include_init: bool = True) -> list[str]:
    return [f"### `{cls.__name__}`", "", _doc(cls), "", *_methods(cls, include_init=include_init)]


def module_functions(module: Any, names: list[str]) -> list[str]:
    lines = []
    for name in names:
        value = getattr(module, name)
        if inspect.isfunction(value):
            lines += [f"### `{name}{_signature(value, drop_self=False)}`", "", _doc(value), ""]
        elif inspect.isclass(value) and dataclasses.is_dataclass(value):
            lines += dataclass_section(value)
        elif inspect.isclass(value):
            lines += class_section(value)
    return lines


def reference() -> str:
    """The whole reference, as Markdown."""
    api = importlib.import_module("kneetui.api")
    screen_kit = importlib.import_module("kneetui.screen_kit")
    testing = importlib.import_module("kneetui.testing")
    lines = [HEADER, "## `kneetui.api`", "", _doc(api), ""]
    lines += [f"- `API_VERSION = {api.API_VERSION}`: the plug-in API version. Set `KNEETUI_API = {api.API_VERSION}`."]
    lines += [
        "- `hookimpl`: mark each hook function with `@hookimpl`; without it kneetui never calls the function.",
        "- `Register`: the type of the `register` callback each register hook receives, for annotating a hook:"
        " `def kneetui_register_faq(register: Register) -> None`.",
        "",
    ]
    lines += hooks_section()
    lines += ["## Content", ""]
    enums: list[Any] = []
    classes: list[Any] = []
    others: list[Any] = []
    for name in api.__all__:
        value = getattr(api, name)
        if inspect.isclass(value) and issubclass(value, enum.Enum):
            enums.append(value)
        elif inspect.isclass(value) and dataclasses.is_dataclass(value):
            classes.append(value)
        elif inspect.isclass(value):
            others.append(value)
    for cls in classes:
        lines += dataclass_section(cls)
    lines += ["## Value sets", ""]
    for cls in enums:
        lines += enum_section(cls)
    lines += ["## Guiding an exercise on your own screen", ""]
    for cls in others:
        if cls.__name__ == "SessionGuide":
            lines += guide_section()
        else:
            lines += class_section(cls, include_init=False)
    from kneetui.engine.recording import BlockRecord

    lines += dataclass_section(BlockRecord, BLOCK_FIELDS)
    lines += ["## `kneetui.screen_kit`", "", _doc(screen_kit), ""]
    lines += module_functions(screen_kit, sorted(screen_kit.__all__))
    lines += ["## `kneetui.testing`", "", _doc(testing), ""]
    lines += module_functions(testing, sorted(testing.__all__))
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).rstrip() + "\n"


if __name__ == "__main__":
    print(reference(), end="")
