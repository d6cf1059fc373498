"""A plug-in written for a plug-in API version kneetui does not provide."""

from kneetui.api import FaqEntry, hookimpl

KNEETUI_API = 99


@hookimpl
def kneetui_register_faq(register):
    register(FaqEntry("from-the-future", "Q?", "A."))
