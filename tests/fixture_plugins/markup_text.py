"""A plug-in whose text contains console markup and control characters."""

from kneetui.api import Category, Dosage, Exercise, FaqEntry, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(
        Exercise(
            "markup-stretch",
            "[bold red]Loud[/] stretch [link=https://example.invalid]click[/link]",
            "Summary with \x1b[31mescape\x1b[0m codes",
            ("Step [i]one[/i]",),
            Dosage(hold_seconds=Range(10, 20)),
            Category.STRETCH,
            "Benefit [blink]now[/blink]",
        )
    )


@hookimpl
def kneetui_register_faq(register):
    register(FaqEntry("markup-faq", "Is [bold]this[/bold] bold?", "No: [red]it is literal[/red]."))
