"""A plug-in that prints while it is imported and while its hook runs."""

import sys

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl

print("hello from the printing plug-in")
print("a debug line on stderr", file=sys.stderr)


@hookimpl
def kneetui_register_exercises(register):
    print("registering my exercise")
    register(Exercise("printed-bend", "Printed bend", "s", ("step",), Dosage(reps=Range(1, 2)), Category.MOBILITY, "b"))
