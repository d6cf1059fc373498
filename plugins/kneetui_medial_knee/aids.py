"""Ergonomic aids the article describes, to be used alongside exercise."""

from kneetui.api import Advice, Aid, Provenance
from kneetui_medial_knee.sources import ALL

CHOOSE_WITH_A_PROFESSIONAL = Advice(
    "Choose an aid that suits your condition, and ask a healthcare professional to make sure you use it correctly."
)
ALONGSIDE_EXERCISE = Advice("Aids are most useful alongside a tailored exercise programme.")

AIDS = (
    Aid(
        id="knee-support",
        name="Knee supports",
        what_it_does=(
            "Give the knee stability and support and help spread weight more evenly "
            "across the joint. They can ease pressure during activities that might "
            "otherwise make the pain worse, so exercises can be done more comfortably."
        ),
        advice=(ALONGSIDE_EXERCISE, CHOOSE_WITH_A_PROFESSIONAL),
        source_ids=ALL,
        keywords=("sleeve", "bandage", "support"),
        provenance=Provenance.ARTICLE,
    ),
    Aid(
        id="knee-brace",
        name="Knee braces",
        what_it_does=(
            "Give the affected area stability and support and help spread weight more "
            "evenly across the knee, reducing strain during movement."
        ),
        advice=(ALONGSIDE_EXERCISE, CHOOSE_WITH_A_PROFESSIONAL),
        source_ids=ALL,
        keywords=("brace", "splint", "hinged"),
        provenance=Provenance.ARTICLE,
    ),
    Aid(
        id="custom-insoles",
        name="Custom insoles",
        what_it_does=(
            "Can correct alignment problems that may contribute to knee pain, "
            "supporting better posture and lowering the risk of further injury."
        ),
        advice=(ALONGSIDE_EXERCISE, CHOOSE_WITH_A_PROFESSIONAL),
        source_ids=ALL,
        keywords=("insole", "orthotics", "shoes", "arch", "flat feet"),
        provenance=Provenance.ARTICLE,
    ),
)
