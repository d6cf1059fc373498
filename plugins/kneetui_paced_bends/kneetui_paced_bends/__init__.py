"""Paced knee bends: an example kneetui plug-in with its own screen and its own timer."""

from kneetui.api import Category, Dosage, Exercise, Range, hookimpl

__version__ = "0.1.0"
KNEETUI_API = 1

EXERCISE = Exercise(
    id="paced-knee-bends",
    name="Paced knee bends (metronome)",
    summary="Controlled knee bends kept steady by a metronome: two beats down, two beats up.",
    steps=(
        "Stand steadily; hold on to something if you need to.",
        "On the beats marked DOWN, bend your knees slowly.",
        "On the beats marked UP, straighten again.",
        "Only bend as far as is free of pain.",
    ),
    dosage=Dosage(reps=Range(10, 15)),
    category=Category.MOBILITY,
    benefits="A steady tempo helps keep each bend slow and controlled.",
    cautions=(
        "Keep every bend within a pain-free range; avoid deep squats.",
        "Stop and talk to a healthcare professional if the pain gets worse.",
    ),
)


@hookimpl
def kneetui_register_exercises(register):
    register(EXERCISE)


@hookimpl
def kneetui_session_screen(exercise, guide):
    if exercise.id != EXERCISE.id:
        return None
    # Textual is imported only when the screen is needed, as the plug-in API asks.
    from kneetui_paced_bends.screen import PacedBendsScreen

    return PacedBendsScreen(guide)
