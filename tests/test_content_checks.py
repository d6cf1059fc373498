"""Checking a plug-in's item: one pass that finds the first thing wrong, cleans its text and copies it."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kneetui.content.model import Advice, Category, Dosage, Drawing, Exercise, Provenance, Range, Step
from kneetui.content.text import clean_text
from kneetui.content.validation import ContentError, checked

HEEL_SLIDE = Exercise(
    id="heel-slide",
    name="Heel slide",
    summary="Slide the heel towards you.",
    steps=("Lie down.", Step("Slide the heel.", Provenance.KNEETUI)),
    dosage=Dosage(reps=Range(8, 12)),
    category=Category.MOBILITY,
    benefits="Keeps the knee moving.",
    cautions=(Advice("Stop if it hurts.", Provenance.ARTICLE),),
)


def exercise(**changes) -> Exercise:
    return dataclasses.replace(HEEL_SLIDE, **changes)


class Text(str):
    """A plug-in's own kind of text: never taken for plain text, so it is checked in full."""


@given(st.text())
def test_text_loses_its_control_characters_and_nothing_else(text):
    expected = "".join(
        "\ufffd" if unicodedata.category(character) == "Cc" and character not in "\n\t" else character
        for character in text
    )
    assert clean_text(text) == expected


def test_the_checked_item_is_a_copy_through_and_through_with_its_text_cleaned():
    original = exercise(name="Heel\x1b[2J slide", steps=("Lie\x07 down.",))
    copy, _ = checked(original, Exercise, "coach")
    assert copy is not original and copy.dosage is not original.dosage
    assert copy.dosage.reps is not original.dosage.reps and copy.steps[0] is not original.steps[0]
    assert copy.name == "Heel\ufffd[2J slide"
    assert copy.steps == (Step("Lie\ufffd down.", Provenance.PLUGIN),)
    assert dataclasses.replace(copy, name=original.name, steps=original.steps) == original


def test_every_provenance_an_item_states_is_found_in_the_same_pass():
    _, provenances = checked(exercise(), Exercise, "coach")
    assert provenances == {Provenance.PLUGIN, Provenance.KNEETUI, Provenance.ARTICLE}


@pytest.mark.parametrize(
    ("changes", "field", "reason"),
    [
        ({"name": 3, "steps": (4,)}, "name", "expected str, got int"),
        ({"steps": ("Lie down.", Step("Slide.", Provenance.PLUGIN), 3)}, "steps[2]", "expected Step, got int"),
        ({"dosage": Dosage(reps=Range(8, True))}, "dosage.reps.high", "expected a whole number, got bool"),
        ({"cautions": ["Gently."]}, "cautions", "expected a tuple, got list"),
        ({"category": "mobility"}, "category", "expected one of: stretch, strength, mobility, cardio"),
        ({"drawing": Drawing(("o",), frame_seconds="slow")}, "drawing.frame_seconds", "expected a number, got str"),
        ({"drawing": Drawing(("o",), frame_seconds=True)}, "drawing.frame_seconds", "expected a number, got bool"),
        ({"source_ids": ("a",) * 501}, "source_ids", "has 501 items, at most 500 are allowed"),
        ({"summary": "x" * 20_001}, "summary", "text is longer than 20000 characters"),
        ({"summary": Text("x" * 20_001)}, "summary", "text is longer than 20000 characters"),
        ({"name": "  "}, "name", "must not be empty"),
    ],
)
def test_the_first_thing_wrong_is_named_by_its_field(changes, field, reason):
    with pytest.raises(ContentError) as caught:
        checked(exercise(**changes), Exercise, "coach")
    assert (caught.value.field, caught.value.plugin, caught.value.item_id) == (field, "coach", "heel-slide")
    assert caught.value.reason == reason


def test_the_largest_text_and_the_most_items_allowed_pass_in_full_check_or_quick_one():
    most = exercise(summary="x" * 20_000, name=Text("y" * 20_000), source_ids=("a",) * 500)
    copy, _ = checked(most, Exercise, "coach")
    assert (len(copy.summary), len(copy.name), len(copy.source_ids)) == (20_000, 20_000, 500)
    assert type(copy.name) is str


def test_an_item_whose_id_is_not_text_is_named_by_a_question_mark():
    with pytest.raises(ContentError) as caught:
        checked(exercise(id=3), Exercise, "coach")
    assert (caught.value.item_id, caught.value.field) == ("?", "id")


@dataclasses.dataclass(frozen=True)
class NotedExercise(Exercise):
    """A plug-in's own kind of exercise, with a field kneetui does not know."""

    note: str = ""


def test_a_subclass_keeps_its_own_fields_cleaned_in_the_copy():
    copy, _ = checked(NotedExercise(**vars(exercise()), note="Mine\x1b."), Exercise, "coach")
    assert type(copy) is NotedExercise and copy.note == "Mine\ufffd."
