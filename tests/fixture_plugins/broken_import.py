"""A plug-in whose import fails."""

raise RuntimeError("this plug-in cannot be imported")
