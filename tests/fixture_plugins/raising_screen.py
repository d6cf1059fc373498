"""A plug-in whose own session screen raises once it is running."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(
        Exercise(
            "fragile-hold", "Fragile hold", "s", ("Hold.",), Dosage(hold_seconds=Range(10, 20)), Category.STRETCH, "b"
        )
    )


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widgets import Static

    class FragileScreen(Screen):
        def compose(self):
            yield Static("Holding...")

        def on_mount(self):
            self.set_interval(0.01, self.explode)

        def explode(self):
            raise ZeroDivisionError("the plug-in's timer broke")

    return FragileScreen()
