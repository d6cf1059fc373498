"""Content packs: TOML files that add exercises, FAQ entries, aids, topics, sources or programmes.

A pack is data only; nothing in it is executed. It is read into the content
model, validated like a plug-in's contributions, and then offered to kneetui
through the same hooks a plug-in implements. The format is documented in
docs/content-packs.md.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kneetui.api import hookimpl
from kneetui.content.catalog import KINDS
from kneetui.content.from_data import DataError, build
from kneetui.content.model import Dose, Program, ProgramStep
from kneetui.content.validation import ContentError, validate

FORMAT = "kneetui-pack"
VERSION = 1
MAX_BYTES = 1024 * 1024
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_STEP_QUANTITIES = ("hold_seconds", "reps", "sets", "duration_minutes")


class PackError(ValueError):
    """A pack that cannot be used; the message names the field."""


@dataclass
class Pack:
    """A parsed, validated content pack."""

    name: str
    version: str
    description: str
    items: dict[str, list[Any]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {kind: len(items) for kind, items in self.items.items() if items}


def _program(data: Any, path: str) -> Program:
    """Programmes write each step as ``{exercise = "id", reps = 10, ...}``."""
    if not isinstance(data, dict):
        raise DataError(path, "expected a table")
    steps = data.get("steps")
    if not isinstance(steps, list):
        raise DataError(f"{path}.steps", "expected a list of steps")
    built_steps = []
    for index, step in enumerate(steps):
        step_path = f"{path}.steps[{index}]"
        if not isinstance(step, dict) or not isinstance(step.get("exercise"), str):
            raise DataError(f"{step_path}.exercise", "name an exercise id")
        unknown = sorted(set(step) - {"exercise", *_STEP_QUANTITIES})
        if unknown:
            raise DataError(f"{step_path}.{unknown[0]}", "unknown key")
        dose = None
        if set(step) & set(_STEP_QUANTITIES):
            dose = build(Dose, {k: v for k, v in step.items() if k in _STEP_QUANTITIES}, step_path)
        built_steps.append(ProgramStep(step["exercise"], dose))
    rest = {key: value for key, value in data.items() if key != "steps"}
    rest["steps"] = []
    return dataclasses.replace(build(Program, rest, path), steps=tuple(built_steps))


def parse_pack(text: str, origin: str = "pack") -> Pack:
    """Read and validate a pack, or raise :class:`PackError` naming the field."""
    if len(text.encode("utf-8", "replace")) > MAX_BYTES:
        raise PackError(f"the file is larger than {MAX_BYTES // 1024} KiB")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise PackError(f"not valid TOML: {error}") from None
    if data.get("format") != FORMAT:
        raise PackError(f"format: expected {FORMAT!r}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise PackError("version: expected a whole number")
    if version > VERSION:
        raise PackError(f"version: this pack needs format version {version}; this kneetui reads version {VERSION}")
    header = data.get("pack")
    if not isinstance(header, dict) or not isinstance(header.get("name"), str):
        raise PackError("pack.name: is required")
    if not NAME_PATTERN.match(header["name"]):
        raise PackError("pack.name: use 1–64 lower-case letters, digits, '_' or '-'")
    unknown = sorted(set(data) - {"format", "version", "pack", *KINDS})
    if unknown:
        raise PackError(f"{unknown[0]}: unknown section")
    pack = Pack(header["name"], str(header.get("version", "")), str(header.get("description", "")))
    for kind, item_type in KINDS.items():
        entries = data.get(kind, [])
        if not isinstance(entries, list):
            raise PackError(f"{kind}: expected a list of tables ([[{kind}]])")
        built = []
        first_with_id: dict[str, int] = {}
        for index, entry in enumerate(entries):
            path = f"{kind}[{index}]"
            try:
                item = _program(entry, path) if kind == "programs" else build(item_type, entry, path)
                built.append(validate(item, item_type, pack.name))
            except DataError as error:
                raise PackError(str(error)) from None
            except ContentError as error:
                raise PackError(f"{path}.{error.field}: {error.reason}") from None
            # Loading would refuse the second one: a pack is taken whole or not at all.
            earlier = first_with_id.setdefault(item.id, index)
            if earlier != index:
                raise PackError(f"{path}.id: {item.id!r} is already the id of {kind}[{earlier}]")
        pack.items[kind] = built
    if not any(pack.items.values()):
        raise PackError(
            "the pack adds nothing: add [[exercises]], [[faq]], [[aids]], [[topics]], [[sources]] or [[programs]]"
        )
    return pack


def read_pack_text(path: Path) -> str:
    """A pack file's text, read once (it may be a pipe) and never more than the size limit."""
    try:
        with open(path, "rb") as file:
            # One byte past the limit is enough to know it is too big, even for /dev/zero.
            data = file.read(MAX_BYTES + 1)
    except OSError as error:
        raise PackError(f"cannot read {path}: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise PackError(f"the file is larger than {MAX_BYTES // 1024} KiB")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PackError(f"cannot read {path}: not UTF-8 text (byte {error.start})") from None


def read_pack(path: Path) -> Pack:
    return parse_pack(read_pack_text(path), origin=str(path))


class PackPlugin:
    """Offers a pack's items through the same hooks a code plug-in implements."""

    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.__version__ = pack.version

    def _register_all(self, kind: str, register: Any) -> None:
        for item in self.pack.items.get(kind, []):
            register(item)

    @hookimpl
    def kneetui_register_sources(self, register: Any) -> None:
        self._register_all("sources", register)

    @hookimpl
    def kneetui_register_exercises(self, register: Any) -> None:
        self._register_all("exercises", register)

    @hookimpl
    def kneetui_register_aids(self, register: Any) -> None:
        self._register_all("aids", register)

    @hookimpl
    def kneetui_register_faq(self, register: Any) -> None:
        self._register_all("faq", register)

    @hookimpl
    def kneetui_register_topics(self, register: Any) -> None:
        self._register_all("topics", register)

    @hookimpl
    def kneetui_register_programs(self, register: Any) -> None:
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
