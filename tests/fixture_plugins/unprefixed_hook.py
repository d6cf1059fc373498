"""A plug-in that marks a function as a hook but leaves ``kneetui_`` off its name."""

from kneetui.api import hookimpl


@hookimpl
def register_faq(register):
    register("nope")
