"""A well-behaved third-party plug-in adding one exercise and one programme."""

from kneetui.api import Category, Dosage, Exercise, Program, ProgramStep, Range, hookimpl

__version__ = "2.1.0"


@hookimpl
def kneetui_register_exercises(register):
    register(
        Exercise(
            "heel-raise",
            "Heel raise",
            "Rise onto the toes and lower slowly.",
            ("Stand tall.", "Rise onto your toes.", "Lower slowly."),
            Dosage(reps=Range(8, 12), sets=Range(1, 2)),
            Category.STRENGTH,
            "A plain example exercise from a third party.",
        )
    )


@hookimpl
def kneetui_register_programs(register):
    register(Program("heels", "Heels", "Just heel raises.", (ProgramStep("heel-raise"),)))
    register(Program("ghost", "Ghost", "Names an exercise nobody has.", (ProgramStep("no-such-exercise"),)))
