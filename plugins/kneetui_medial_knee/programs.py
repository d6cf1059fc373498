"""Ready-made programmes: the gentle acute one and the full chronic one."""

from kneetui.api import Frequency, Program, ProgramStep
from kneetui_medial_knee.sources import ALL

PROGRAMS = (
    Program(
        id="acute",
        name="Acute phase: gentle movement",
        description=(
            "For a recent, acute injury: follow RICEM (Rest, Ice, Compression, Elevation, "
            "Movement) and keep moving gently within a pain-free range."
        ),
        steps=(
            ProgramStep("gentle-cycling"),
            ProgramStep("wall-slides"),
            ProgramStep("dynamic-mobility"),
        ),
        frequency=Frequency.DAILY,
        advice=(
            "Rest, ice, compression and elevation come first; move only as far as the pain allows.",
            "Pause anything that makes the symptoms worse.",
        ),
        source_ids=ALL,
    ),
    Program(
        id="chronic",
        name="Chronic pain: stretch and strengthen",
        description="A structured routine of stretching and strengthening with all six exercises.",
        steps=(
            ProgramStep("gentle-cycling"),
            ProgramStep("sitting-adductor-stretch"),
            ProgramStep("wall-slides"),
            ProgramStep("dynamic-mobility"),
            ProgramStep("adductor-squeeze"),
            ProgramStep("kneeling-leg-extension"),
        ),
        frequency=Frequency.EVERY_OTHER_DAY,
        advice=(
            "Start at the low end of each range and build up gradually as you tolerate it.",
            "Pause anything that makes the symptoms worse.",
        ),
        source_ids=ALL,
    ),
)
