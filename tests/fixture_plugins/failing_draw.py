"""A plug-in whose session screens fail while they are drawn: in compose, or in a widget's render."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    for how in ("compose", "render"):
        register(
            Exercise(
                f"fails-in-{how}",
                f"Fails in {how}",
                "s",
                ("Hold.",),
                Dosage(hold_seconds=Range(10, 20)),
                Category.STRETCH,
                "b",
            )
        )


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widget import Widget

    class Broken(Widget):
        def render(self):
            raise ArithmeticError("the plug-in's widget cannot draw itself")

    class FailsInCompose(Screen):
        def compose(self):
            raise LookupError("the plug-in's screen cannot compose itself")
            yield

    class FailsInRender(Screen):
        def compose(self):
            yield Broken()

    return FailsInCompose() if exercise.id == "fails-in-compose" else FailsInRender()
