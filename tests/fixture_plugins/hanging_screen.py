"""A plug-in whose own session screen's timer never returns (``while True: pass``)."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


@hookimpl
def kneetui_register_exercises(register):
    register(
        Exercise(
            "endless-hold", "Endless hold", "s", ("Hold.",), Dosage(hold_seconds=Range(10, 20)), Category.STRETCH, "b"
        )
    )


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widgets import Static

    class SpinningScreen(Screen):
        def compose(self):
            yield Static("Holding...")

        def on_mount(self):
            self.set_timer(0.05, self.spin)

        def spin(self):
            while True:
                pass

    return SpinningScreen()
