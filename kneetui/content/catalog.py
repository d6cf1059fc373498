"""All content that the loaded plug-ins contributed, looked up by id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kneetui.content.model import Aid, Category, Exercise, FaqEntry, Program, Source, Topic

#: The kinds of content, in the order their register hooks are called; ``content.model.KINDS`` gives
#: the type each accepts. Not imported here: an empty catalogue is made before the first frame.
KIND_NAMES = ("sources", "exercises", "aids", "faq", "topics", "programs")


@dataclass
class Catalog:
    """Content by kind, each kind an insertion-ordered dict of id to item."""

    items: dict[str, dict[str, object]] = field(default_factory=lambda: {kind: {} for kind in KIND_NAMES})
    #: Which plug-in contributed each item, keyed by (kind, id).
    owner: dict[tuple[str, str], str] = field(default_factory=dict)

    def add(self, kind: str, item: object, plugin: str) -> str | None:
        """Add an item; return why not if another plug-in already took its id."""
        item_id = item.id  # type: ignore[attr-defined]
        taken_by = self.owner.get((kind, item_id))
        if taken_by is not None:
            return f"duplicate {kind} id {item_id!r}: already registered by {taken_by!r}"
        self.items[kind][item_id] = item
        self.owner[(kind, item_id)] = plugin
        return None

    def copy(self) -> Catalog:
        """A catalog with the same items that can be changed without changing this one."""
        return Catalog({kind: dict(items) for kind, items in self.items.items()}, dict(self.owner))

    def remove(self, kind: str, item_id: str) -> None:
        self.items[kind].pop(item_id, None)
        self.owner.pop((kind, item_id), None)

    @property
    def exercises(self) -> list[Exercise]:
        return list(self.items["exercises"].values())  # type: ignore[arg-type]

    @property
    def aids(self) -> list[Aid]:
        return list(self.items["aids"].values())  # type: ignore[arg-type]

    @property
    def faq(self) -> list[FaqEntry]:
        return list(self.items["faq"].values())  # type: ignore[arg-type]

    @property
    def topics(self) -> list[Topic]:
        return list(self.items["topics"].values())  # type: ignore[arg-type]

    @property
    def sources(self) -> list[Source]:
        return list(self.items["sources"].values())  # type: ignore[arg-type]

    @property
    def programs(self) -> list[Program]:
        return list(self.items["programs"].values())  # type: ignore[arg-type]

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self.items["exercises"].get(exercise_id)  # type: ignore[return-value]

    def program(self, program_id: str) -> Program | None:
        return self.items["programs"].get(program_id)  # type: ignore[return-value]

    def programs_called(self, name_or_id: str) -> list[Program]:
        """The programme with this id; else those with this name, ignoring case and spaces at the ends."""
        by_id = self.program(name_or_id)
        if by_id is not None:
            return [by_id]
        wanted = " ".join(name_or_id.split()).casefold()
        return [program for program in self.programs if " ".join(program.name.split()).casefold() == wanted]

    def source(self, source_id: str) -> Source | None:
        return self.items["sources"].get(source_id)  # type: ignore[return-value]

    def exercises_in(self, category: Category) -> list[Exercise]:
        return [exercise for exercise in self.exercises if exercise.category is category]

    def citing(self, source_id: str) -> list[tuple[str, object]]:
        """Every (kind, item) whose ``source_ids`` include ``source_id``."""
        return [
            (kind, item)
            for kind, items in self.items.items()
            for item in items.values()
            if source_id in getattr(item, "source_ids", ())
        ]

    def owner_of(self, kind: str, item_id: str) -> str:
        return self.owner.get((kind, item_id), "")
