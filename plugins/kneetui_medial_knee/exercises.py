"""The six exercises of the article, with its dosages.

Everything here is the article's, in our own words, unless it is marked
``KNEETUI``: a detail the article leaves open that kneetui fills in. Where the
article says nothing, we say as little as we can.
"""

from kneetui.api import Advice, Category, Dosage, Exercise, Laterality, Provenance, Range, Step
from kneetui_medial_knee.drawings import DRAWINGS
from kneetui_medial_knee.sources import ALL

ARTICLE = Provenance.ARTICLE
KNEETUI = Provenance.KNEETUI

#: The article: "If you experience increased pain during or after exercises, it is crucial to stop
#: immediately and consult a healthcare professional."
STOP_IF_WORSE = Advice(
    "If the pain increases during or after the exercise, stop at once and consult a healthcare professional."
)

EXERCISES = (
    Exercise(
        id="sitting-adductor-stretch",
        name="Sitting adductor stretch",
        summary="A seated stretch for the inner thigh.",
        steps=(
            Step("Sit with your legs straight out in front of you."),
            Step("Bend one knee and bring that foot towards the other thigh."),
            Step("Lean forward gently until you feel a stretch along the inner thigh and knee."),
            Step("Hold, then change sides."),
        ),
        dosage=Dosage(hold_seconds=Range(15, 30), per=Laterality.EACH_SIDE),
        category=Category.STRETCH,
        benefits="Stretches the inner thigh muscles and so eases tension on the inside of the knee.",
        cautions=(Advice("Lean forward only gently."), STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["sitting-adductor-stretch"],
        provenance=ARTICLE,
    ),
    Exercise(
        id="wall-slides",
        name="Wall slides",
        summary="Lying on your back, let a foot glide down a wall to bend the knee.",
        steps=(
            Step("Lie on your back with your foot placed on a wall."),
            Step("Let the foot glide downwards, gently increasing the bend in your knee."),
            # The article gives 10–15 repetitions but not how one ends.
            Step("Slide the foot back up; that is one repetition.", KNEETUI),
        ),
        dosage=Dosage(reps=Range(10, 15)),
        category=Category.MOBILITY,
        benefits="Improves how far the knee moves and stretches the muscles around it, which helps relieve pain.",
        cautions=(Advice("Increase the bend gently."), STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["wall-slides"],
        provenance=ARTICLE,
    ),
    Exercise(
        id="adductor-squeeze",
        name="Inner thigh (adductor) squeeze",
        summary="Squeeze a soft ball or a resistance band between the knees.",
        steps=(
            Step("Place a soft ball or a resistance band between your knees."),
            Step("Keep a stable posture."),
            Step("Squeeze gently."),
            Step("Relax; that is one repetition.", KNEETUI),
        ),
        dosage=Dosage(reps=Range(10, 12), sets=Range(2, 3)),
        category=Category.STRENGTH,
        benefits="Strengthens the muscles that stabilise the inside of the knee, giving support and reducing pain.",
        cautions=(Advice("Squeeze gently."), STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["adductor-squeeze"],
        provenance=ARTICLE,
    ),
    Exercise(
        id="dynamic-mobility",
        name="Dynamic mobility: controlled knee bends",
        summary="Controlled knee bends that stay within a pain-free range.",
        steps=(
            # The article does not say how to stand or whether to hold on.
            Step("Stand steadily; hold on to something if you need to.", KNEETUI),
            Step("Bend your knees in a controlled way, only as far as is free of pain."),
            Step("Straighten again; that is one repetition.", KNEETUI),
        ),
        dosage=Dosage(reps=Range(10, 15)),
        category=Category.MOBILITY,
        benefits="Improves the knee's overall mobility and function and helps reduce stiffness and discomfort.",
        cautions=(Advice("Keep every movement within a pain-free range."), Advice("Avoid deep squats."), STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["dynamic-mobility"],
        provenance=ARTICLE,
    ),
    Exercise(
        id="kneeling-leg-extension",
        name="Leg extension, kneeling",
        summary="Kneeling on a soft surface, extend one leg at a time.",
        steps=(
            Step("Kneel on a soft surface."),
            Step("Extend one leg, focusing on a controlled movement."),
            Step("Bring it back; that is one repetition.", KNEETUI),
            Step("Do the repetitions with one leg, then with the other."),
        ),
        dosage=Dosage(reps=Range(10, 12), per=Laterality.EACH_LEG),
        category=Category.STRENGTH,
        benefits="Strengthens the thigh muscles at the front (quadriceps), which makes the knee more stable and work better.",
        cautions=(Advice("Kneel on something soft."), STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["kneeling-leg-extension"],
        provenance=ARTICLE,
    ),
    Exercise(
        id="gentle-cycling",
        name="Gentle cycling",
        summary="Easy pedalling on a stationary bike at minimal resistance.",
        steps=(
            Step("Set a stationary bike to minimal resistance."),
            Step("Pedal in a smooth, continuous motion."),
        ),
        dosage=Dosage(duration_minutes=Range(10, 15)),
        category=Category.CARDIO,
        benefits=(
            "Keeps the knee moving without putting undue stress on the joint, "
            "which makes it ideal for periods of acute inflammation."
        ),
        cautions=(Advice("Keep the resistance minimal."), STOP_IF_WORSE),
        # The only exercise the article names for the acute phase.
        suits_acute=True,
        source_ids=ALL,
        drawing=DRAWINGS["gentle-cycling"],
        provenance=ARTICLE,
    ),
)
