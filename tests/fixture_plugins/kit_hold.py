"""A plug-in whose hold runs on a screen built from kneetui.screen_kit, as the guide shows."""

from kneetui.api import Category, Dosage, Drawing, Exercise, Range, hookimpl

EXERCISE = Exercise(
    "kit-hold",
    "Kit hold",
    "Hold still.",
    ("Hold still.",),
    Dosage(hold_seconds=Range(20, 30)),
    Category.STRETCH,
    "b",
    drawing=Drawing(frames=("  o\n /|\\\n / \\",), captions=("stand tall",)),
)


@hookimpl
def kneetui_register_exercises(register):
    register(EXERCISE)


@hookimpl
def kneetui_session_screen(exercise, guide):
    from kneetui.screen_kit import PluginSessionScreen

    class KitHoldScreen(PluginSessionScreen):
        def on_mount(self):
            self.show_phase("Hold")
            self.show_instruction("Hold still; only as far as is free of pain.")

        def tick(self):
            left = self.stopwatch.remaining(self.guide.dose.hold_seconds)
            self.clock.show_seconds(left)
            self.show_count("set 1 of 1")
            if left == 0:
                self.record("hold", planned=self.guide.dose.hold_seconds, done=self.guide.dose.hold_seconds)
                self.finish()

    return KitHoldScreen(guide)
