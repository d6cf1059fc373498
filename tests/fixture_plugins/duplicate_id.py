"""A plug-in that tries to take the id of a built-in exercise."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(Exercise("wall-slides", "Imposter", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b"))
