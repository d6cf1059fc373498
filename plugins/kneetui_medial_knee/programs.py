"""Ready-made programmes: a gentle one for the acute phase and a full one for chronic pain.

The article gives no programmes: which exercises go together, in what order
and how often are kneetui's reading of it, and marked so. The advice lines
that repeat the article are marked as the article's.
"""

from kneetui.api import Advice, Frequency, Program, ProgramStep, Provenance
from kneetui_medial_knee.sources import ALL

ARTICLE = Provenance.ARTICLE

#: The article: "These exercises can generally be performed daily or every other day, depending on your
#: comfort and tolerance levels. It is advisable to start slowly and gradually increase the frequency."
HOW_OFTEN = Advice(
    "The exercises can generally be done daily or every other day, as your comfort and tolerance allow; "
    "start slowly and increase how often gradually.",
    ARTICLE,
)
#: The article: "Both approaches stress the importance of pausing activities that aggravate symptoms."
PAUSE_WHAT_AGGRAVATES = Advice("Pause anything that makes the symptoms worse.", ARTICLE)

PROGRAMS = (
    Program(
        id="acute",
        name="Acute phase: gentle movement",
        description=(
            "Gentle cycling, which the article calls ideal for periods of acute inflammation, "
            "with two gentle movements kept within a pain-free range."
        ),
        steps=(
            ProgramStep("gentle-cycling"),
            ProgramStep("wall-slides"),
            ProgramStep("dynamic-mobility"),
        ),
        frequency=Frequency.DAILY,
        advice=(
            Advice(
                "For an acute injury: RICEM (Rest, Ice, Compression, Elevation, Movement), focusing on rest "
                "and on gentle exercise as far as the pain allows.",
                ARTICLE,
            ),
            PAUSE_WHAT_AGGRAVATES,
            HOW_OFTEN,
        ),
        source_ids=ALL,
        provenance=Provenance.KNEETUI,
    ),
    Program(
        id="chronic",
        name="Chronic pain: stretch and strengthen",
        description="Stretching and strengthening with all six of the article's exercises.",
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
            Advice(
                "Chronic knee pain benefits from a structured rehabilitation programme built on stretching "
                "and strengthening.",
                ARTICLE,
            ),
            PAUSE_WHAT_AGGRAVATES,
            HOW_OFTEN,
        ),
        source_ids=ALL,
        provenance=Provenance.KNEETUI,
    ),
)
