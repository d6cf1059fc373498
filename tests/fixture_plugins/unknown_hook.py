"""A plug-in that implements a hook kneetui does not have."""

from kneetui.api import hookimpl


@hookimpl
def kneetui_register_spaceships(register):
    register("nope")
