"""A plug-in that registers one good item and several malformed ones."""

from kneetui.api import Category, Dosage, Exercise, FaqEntry, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(Exercise("good-one", "Good one", "s", ("step",), Dosage(reps=Range(5, 8)), Category.MOBILITY, "b"))
    register(Exercise("backwards", "Backwards", "s", ("step",), Dosage(reps=Range(8, 5)), Category.MOBILITY, "b"))
    register(Exercise("no-steps", "No steps", "s", (), Dosage(reps=Range(5, 8)), Category.MOBILITY, "b"))
    register({"id": "a-dict", "name": "not an Exercise"})


@hookimpl
def kneetui_register_faq(register):
    register(FaqEntry("number-answer", "Why?", 42))
    register(FaqEntry("Bad Id!", "Why?", "Because."))
