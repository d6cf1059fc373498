"""Builds content dataclasses from plain data (parsed TOML), naming the field on any error.

Used for content packs: data only, nothing in them is executed. Ranges may be
written as ``[low, high]`` or as one number; enums by their value; tuples as lists;
a step or a line of advice as text or as ``{ text = "...", provenance = "..." }``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from enum import Enum
from typing import Any

from kneetui.content import model
from kneetui.content.validation import _hints


class DataError(ValueError):
    """Data that does not fit the content model; ``path`` names the field."""

    def __init__(self, path: str, reason: str) -> None:
        self.path, self.reason = path, reason
        super().__init__(f"{path}: {reason}" if path else reason)


def _type_name(value: Any) -> str:
    return {dict: "table", list: "list", str: "text", bool: "true/false", int: "number", float: "number"}.get(
        type(value), type(value).__name__
    )


def build(expected: Any, data: Any, path: str = "") -> Any:
    """Turn ``data`` into an instance of ``expected`` or raise :class:`DataError`."""
    origin = typing.get_origin(expected)
    if origin in (types.UnionType, typing.Union):
        options = [option for option in typing.get_args(expected) if option is not type(None)]
        return None if data is None else build(options[0], data, path)
    if origin is tuple:
        if not isinstance(data, list):
            raise DataError(path, f"expected a list, got {_type_name(data)}")
        item_type = typing.get_args(expected)[0]
        return tuple(build(item_type, item, f"{path}[{index}]") for index, item in enumerate(data))
    if expected is model.Range:
        if isinstance(data, int) and not isinstance(data, bool):
            return model.Range(data, data)
        if isinstance(data, list) and len(data) == 2 and all(type(x) is int for x in data):
            return model.Range(data[0], data[1])
        raise DataError(path, "expected a whole number or [low, high]")
    if expected in (model.Step, model.Advice) and isinstance(data, str):
        # A plain line takes the provenance of the item that holds it.
        return expected(data)
    if dataclasses.is_dataclass(expected):
        return _build_dataclass(expected, data, path)
    if isinstance(expected, type) and issubclass(expected, Enum):
        try:
            return expected(data)
        except ValueError:
            allowed = ", ".join(repr(member.value) for member in expected)
            raise DataError(path, f"expected one of {allowed}") from None
    if expected is float and isinstance(data, (int, float)) and not isinstance(data, bool):
        return float(data)
    if expected is int and isinstance(data, bool) or not isinstance(data, expected):
        raise DataError(path, f"expected {_type_name(expected())}, got {_type_name(data)}")
    return data


def _build_dataclass(cls: type, data: Any, path: str) -> Any:
    if not isinstance(data, dict):
        raise DataError(path, f"expected a table, got {_type_name(data)}")
    hints = _hints(cls)
    unknown = sorted(set(data) - set(hints))
    if unknown:
        raise DataError(f"{path}.{unknown[0]}" if path else unknown[0], "unknown key")
    values = {}
    for spec in dataclasses.fields(cls):
        field_path = f"{path}.{spec.name}" if path else spec.name
        if spec.name in data:
            values[spec.name] = build(hints[spec.name], data[spec.name], field_path)
        elif spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING:
            raise DataError(field_path, "is required")
    return cls(**values)
