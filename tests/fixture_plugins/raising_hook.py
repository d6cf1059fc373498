"""A plug-in that registers one exercise and then raises inside the same hook."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(Exercise("half-done", "Half done", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b"))
    raise ValueError("database not found")


@hookimpl
def kneetui_register_faq(register):
    raise KeyError("faq")
