"""A plug-in whose hook returns its exercises instead of calling register."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    return [Exercise("returned", "Returned", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b")]
