"""A plug-in whose hook lacks @hookimpl, and one whose hook asks for an argument kneetui does not pass."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


def kneetui_register_exercises(register):
    register(Exercise("unmarked", "Unmarked", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b"))


@hookimpl
def kneetui_register_faq(add):
    pass
