"""docs/api.md is what the docstrings say today, and leaves nothing a plug-in uses undocumented."""

from __future__ import annotations

import dataclasses
import enum
from pathlib import Path

from kneetui import api, hookspecs, screen_kit, testing
from kneetui.cli.api_reference import reference

DOCS = Path(__file__).parents[1] / "docs" / "api.md"


def test_the_reference_is_current():
    assert DOCS.read_text(encoding="utf-8") == reference(), (
        "docs/api.md is out of date: run  python -m kneetui.cli.api_reference > docs/api.md"
    )


def test_every_public_name_field_and_value_is_documented():
    text = reference()
    for name in [*api.__all__, *screen_kit.__all__, *testing.__all__]:
        assert f"`{name}" in text, name
    for name in vars(hookspecs):
        if name.startswith("kneetui_"):
            assert f"### `{name}(" in text, name
    for name in api.__all__:
        value = getattr(api, name)
        if isinstance(value, type) and issubclass(value, enum.Enum):
            for member in value:
                assert f"| `{value.__name__}.{member.name}` | `{member.value!r}` |" in text
        elif dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                assert f"| `{field.name}` |" in text, f"{name}.{field.name}"
    undocumented = [line for line in text.splitlines() if line.startswith("| `") and line.endswith("|  |")]
    assert not undocumented, "fields without a meaning (add a '#:' comment above them): " + ", ".join(undocumented)


def test_every_attribute_of_the_session_guide_is_explained():
    from kneetui.api import Dose, Exercise, FakeClock, SessionGuide
    from kneetui.cli.api_reference import GUIDE_ATTRIBUTES
    from kneetui.content.model import Category, Dosage, Range
    from kneetui.engine.recording import MemoryRecorder

    exercise = Exercise("x", "X", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b")
    guide = SessionGuide(
        exercise=exercise, dose=Dose(reps=1), clock=FakeClock(), recorder=MemoryRecorder(), session_id=1, plugin="p"
    )
    public = {name for name in vars(guide) if not name.startswith("_")}
    assert public == set(GUIDE_ATTRIBUTES)
