"""Plug-in screens that do the least a plug-in may do: bind no keys, open a screen of their own, or try
to close kneetui. kneetui's frame must keep the person able to stop on each."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl


def _exercise(exercise_id: str, name: str) -> Exercise:
    return Exercise(exercise_id, name, "s", ("Hold.",), Dosage(hold_seconds=Range(10, 20)), Category.STRETCH, "b")


@hookimpl
def kneetui_register_exercises(register):
    register(_exercise("bare-hold", "Bare hold"))
    register(_exercise("pushy-hold", "Pushy hold"))
    register(_exercise("exiting-hold", "Exiting hold"))


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widgets import Static

    class InnerScreen(Screen):
        def compose(self):
            yield Static("A screen the plug-in opened itself.")

    class BareScreen(Screen):
        """Binds nothing: no !, no quit, no footer."""

        def compose(self):
            yield Static(f"{exercise.name}: holding, the plug-in's way.")

        def on_mount(self):
            if exercise.id == "pushy-hold":
                self.app.push_screen(InnerScreen())
            elif exercise.id == "exiting-hold":
                self.set_timer(0.01, self.app.exit)

    return BareScreen()
