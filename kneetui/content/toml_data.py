"""Reading the TOML files kneetui accepts, against a msgspec schema, with one error wording.

Every file format (settings, programme files, content packs, themes) is a tree
of :class:`msgspec.Struct` types whose ``Annotated`` limits are the limits its
documentation states. :func:`read_toml_bytes` and :func:`parse_toml` turn bytes
or text into plain data, and :func:`convert` turns plain data into the schema's
types; each raises one :class:`SchemaError` whose message names the field, in
the words the format documentation uses: ``steps[1].reps: expected a whole
number, got text``.
"""

from __future__ import annotations

import difflib
import enum
import re
import tomllib
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeVar

import msgspec

from kneetui.content.text import kind, reason, shown

T = TypeVar("T")

_MSGSPEC_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "str": "text",
    "bool": "true/false",
    "array": "an array",
    "object": "a table",
    "null": "nothing",
    "datetime": "a date-time",
    "date": "a date",
    "time": "a time",
}
_PATH_PART = re.compile(r"\.([A-Za-z0-9_-]+)|\[(\d+)\]|(\[\.\.\.\])")


class SchemaError(ValueError):
    """A file that does not fit its schema; ``field`` says where ('' for the whole file)."""

    def __init__(self, field: str, reason: str) -> None:
        self.field, self.reason = field, reason
        super().__init__(f"{field}: {reason}" if field else reason)


@dataclass(frozen=True)
class Wording:
    """How one file format names its fields in messages.

    ``first_index`` is the number of the first entry of an array (1 for files
    people write by hand). ``strip`` is a table whose keys are named without it
    (``program.name`` is ``name``). ``places`` says where an unknown key is,
    by the path of its table with indices left out (``"program.steps[]"``);
    ``missing`` adds a hint to a missing key and ``empty`` replaces the reason
    for an array that must not be empty, both by path.
    """

    first_index: int = 1
    strip: str = ""
    places: Mapping[str, str] = field(default_factory=dict)
    missing: Mapping[str, str] = field(default_factory=dict)
    empty: Mapping[str, str] = field(default_factory=dict)
    patterns: Mapping[str, str] = field(default_factory=dict)


def read_toml_bytes(path: Path, limit: int) -> str:
    """The text of the file at ``path``, at most ``limit`` bytes of UTF-8 (a leading byte-order mark is fine)."""
    try:
        with open(path, "rb") as file:
            # One byte past the limit is enough to know it is too big, even for /dev/zero.
            data = file.read(limit + 1)
    except OSError as error:
        raise SchemaError("", f"cannot read {path}: {reason(error)}") from None
    if len(data) > limit:
        raise SchemaError("", f"the file is larger than {limit // 1024} KiB")
    return decode(data)


def decode(data: bytes) -> str:
    """UTF-8 bytes as text; editors on Windows start such files with a byte-order mark, which is dropped."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise SchemaError("", f"the file is not UTF-8 text (byte {error.start})") from None


def parse_toml(text: str, limit: int) -> dict[str, Any]:
    """The TOML document in ``text`` (at most ``limit`` bytes) as plain data."""
    if not isinstance(text, str):
        raise SchemaError("", f"expected text, got {kind(text)}")
    if len(text) > limit or len(text.encode("utf-8", "surrogatepass")) > limit:
        raise SchemaError("", f"the file is larger than {limit // 1024} KiB")
    text = text.removeprefix("\ufeff")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SchemaError("", f"not valid TOML: {error}") from None
    except RecursionError:
        raise SchemaError("", "not valid TOML: arrays or tables are nested too deeply") from None


def convert(data: Any, schema: type[T], wording: Wording | None = None) -> T:
    """``data`` as an instance of ``schema``, or a :class:`SchemaError` naming the first field that does not fit."""
    try:
        return msgspec.convert(data, schema, strict=True)
    except msgspec.ValidationError as error:
        raise describe(error, data, schema, wording or Wording()) from None
    except RecursionError:
        raise SchemaError("", "arrays or tables are nested too deeply") from None


def describe(error: msgspec.ValidationError, data: Any, schema: Any, wording: Wording) -> SchemaError:
    """msgspec's error about ``data`` as a :class:`SchemaError` in the words of the format documentation."""
    message, _, at = str(error).partition(" - at `")
    keys: list[str | int] = []
    for name, number, any_key in _PATH_PART.findall(at.removesuffix("`").removeprefix("$")):
        keys.append(_failing_key(data, schema, keys) if any_key else name or int(number))
    value = _value_at(data, keys)
    expected = _type_at(schema, keys)
    if isinstance(value, dict):
        expected = _table_of(expected)
    if found := re.fullmatch(r"Object missing required field `(.*)`", message):
        keys.append(found.group(1))
        hint = wording.missing.get(_shape(keys))
        return SchemaError(_name(keys, wording), f"missing: {hint}" if hint else "missing")
    if found := re.fullmatch(r"Object contains unknown field `(.*)`", message, re.DOTALL):
        place = wording.places.get(_shape(keys), "")
        known = [field.encode_name for field in msgspec.structs.fields(expected)]
        key = found.group(1)
        close = difflib.get_close_matches(key, known, n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"expected one of: {', '.join(known)}"
        keys.append(key if re.fullmatch(r"[A-Za-z0-9_-]{1,40}", key) else shown(key, 40))
        return SchemaError(_name(keys, wording), f"unknown key{' ' + place if place else ''}; {hint}")
    return SchemaError(_name(keys, wording), _reason(message, value, expected, _shape(keys), wording))


def _reason(message: str, value: Any, expected: Any, shape: str, wording: Wording) -> str:
    choices = _choices(expected)
    if choices and (message.startswith(("Invalid enum value", "Expected `str`, got"))):
        got = shown(value) if isinstance(value, str) else kind(value)
        return f"expected {choices}, got {got}"
    if found := re.fullmatch(r"Expected `(.*)`, got `(.*)`", message):
        return f"expected {_words(found.group(1))}, got {kind(value)}"
    if found := re.fullmatch(r"Expected `(?:int|float)` (>=|>|<=|<) (\S+)", message):
        limit = found.group(2).removesuffix(".0")
        bound = "at least" if found.group(1).startswith(">") else "at most"
        return f"{shown(value)} is not allowed; use {bound} {limit}"
    if found := re.fullmatch(r"Expected `(str|array)` of length (>=|<=) (\d+)", message):
        what, compare, limit = found.groups()
        if compare == ">=":
            default = "must not be empty" if limit == "1" else f"give {limit} entries, [low, high]"
            return wording.empty.get(shape, default)
        if what == "str":
            return f"is {len(value)} characters long; at most {limit} are allowed"
        return f"has {len(value)} entries; at most {limit} are allowed"
    if found := re.fullmatch(r"Expected `str` matching regex '(.*)'", message, re.DOTALL):
        # msgspec shows the pattern as repr() does, backslashes doubled.
        words = {repr(pattern)[1:-1]: words for pattern, words in wording.patterns.items()}
        return f"{shown(value)} {words.get(found.group(1), 'is not allowed here')}"
    # A check the schema makes itself (a __post_init__): its message is already in our words.
    return message


def _failing_key(data: Any, schema: Any, keys: list[str | int]) -> str:
    """msgspec names a table's entry as ``[...]``: find the key whose value does not fit."""
    table, value_type = _value_at(data, keys), typing.get_args(_type_at(schema, keys))
    for key, value in table.items() if isinstance(table, dict) and len(value_type) == 2 else ():
        try:
            msgspec.convert(value, value_type[1], strict=True)
        except msgspec.ValidationError:
            return str(key)
    return "..."


def _choices(expected: Any) -> str:
    if isinstance(expected, type) and issubclass(expected, enum.Enum):
        values = [member.value for member in expected]
    elif typing.get_origin(expected) is Literal:
        values = list(typing.get_args(expected))
    else:
        return ""
    return " or ".join(f'"{value}"' for value in values)


def _words(msgspec_type: str) -> str:
    return " or ".join(_MSGSPEC_WORDS.get(part, part) for part in msgspec_type.split(" | "))


def _name(keys: list[str | int], wording: Wording) -> str:
    text = ""
    for key in keys:
        text += f"[{key + wording.first_index}]" if isinstance(key, int) else f".{key}"
    text = text.removeprefix(".")
    if wording.strip and text.startswith(wording.strip + "."):
        text = text.removeprefix(wording.strip + ".")
    return text


def _shape(keys: list[str | int]) -> str:
    return "".join("[]" if isinstance(key, int) else f".{key}" for key in keys).removeprefix(".")


def _value_at(data: Any, keys: list[str | int]) -> Any:
    for key in keys:
        try:
            data = data[key]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def _type_at(schema: Any, keys: list[str | int]) -> Any:
    """The schema type at ``keys``, with ``Annotated`` limits, ``| None`` and ``UnsetType`` taken off."""
    current = _bare(schema)
    for key in keys:
        if isinstance(key, int):
            arguments = typing.get_args(current)
            current = _bare(arguments[0] if arguments else Any)
            continue
        current = _table_of(current)
        if _is_struct(current):
            hints = typing.get_type_hints(current, include_extras=True)
            names = {field.encode_name: field.name for field in msgspec.structs.fields(current)}
            current = _bare(hints.get(names.get(key, key), Any))
        else:
            return Any
    return current


def _table_of(hint: Any) -> Any:
    """The table type of a value that may be written as text or as a table; other types as they are."""
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        tables = [option for option in typing.get_args(hint) if _is_struct(_bare(option))]
        return _bare(tables[0]) if len(tables) == 1 else hint
    return hint


def _is_struct(hint: Any) -> bool:
    return isinstance(hint, type) and issubclass(hint, msgspec.Struct)


def _bare(hint: Any) -> Any:
    if typing.get_origin(hint) is typing.Annotated:
        hint = typing.get_args(hint)[0]
    if typing.get_origin(hint) in (types.UnionType, typing.Union):
        options = [option for option in typing.get_args(hint) if option not in (type(None), msgspec.UnsetType)]
        if len(options) == 1:
            return _bare(options[0])
    return hint
