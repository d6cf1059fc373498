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
    register(_exercise("typed-hold", "Typed hold"))
    register(_exercise("timed-hold", "Timed hold"))
    register(_exercise("quitting-hold", "Quitting hold"))
    register(_exercise("skipping-hold", "Skipping hold"))


@hookimpl
def kneetui_session_screen(exercise, guide):
    from textual.screen import Screen
    from textual.widgets import Input, Static

    class InnerScreen(Screen):
        def compose(self):
            yield Static("A screen the plug-in opened itself.")

    class BareScreen(Screen):
        """Binds nothing: no !, no quit, no footer."""

        def compose(self):
            yield Static(f"{exercise.name}: holding, the plug-in's way.")
            if exercise.id == "typed-hold":
                yield Input(placeholder="a note, typed while holding")

        def on_mount(self):
            if exercise.id == "pushy-hold":
                self.app.push_screen(InnerScreen())
            elif exercise.id == "exiting-hold":
                self.set_timer(0.01, self.app.exit)
            elif exercise.id == "typed-hold":
                self.query_one(Input).focus()
            elif exercise.id == "timed-hold":
                self.set_timer(0.05, self.done)
            elif exercise.id == "quitting-hold":
                self.set_timer(0.05, guide.quit)
            elif exercise.id == "skipping-hold":
                self.set_timer(0.05, guide.skip)

        def done(self):
            now = guide.clock.wall()
            guide.record_block(kind="hold", planned=10, done=10, started_at=now - 10, ended_at=now)
            guide.finish()

    return BareScreen()
