"""A plug-in with a misspelt hook name."""

from kneetui.api import hookimpl


@hookimpl
def kneetui_register_exercise(register):
    register("nope")
