"""The six exercises of the article, with its dosages."""

from kneetui.api import Category, Dosage, Exercise, Laterality, Range
from kneetui_medial_knee.drawings import DRAWINGS
from kneetui_medial_knee.sources import ALL

STOP_IF_WORSE = "Stop and talk to a healthcare professional if the pain gets worse."

EXERCISES = (
    Exercise(
        id="sitting-adductor-stretch",
        name="Sitting adductor stretch",
        summary="A seated stretch for the inner thigh.",
        steps=(
            "Sit on the floor with both legs straight out in front of you.",
            "Bend one knee and draw that foot in towards the inside of the other thigh.",
            "Lean forward gently until you feel a stretch along the inner thigh and knee.",
            "Hold, then change sides.",
        ),
        dosage=Dosage(hold_seconds=Range(15, 30), per=Laterality.EACH_SIDE),
        category=Category.STRETCH,
        benefits="Stretches the inner thigh muscles and so eases tension on the inside of the knee.",
        cautions=("Lean only as far as is gentle.", STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["sitting-adductor-stretch"],
    ),
    Exercise(
        id="wall-slides",
        name="Wall slides",
        summary="Lying on your back, slide a foot down a wall to bend the knee.",
        steps=(
            "Lie on your back with the foot of the sore leg resting on a wall.",
            "Let the foot glide slowly down the wall so the knee bends a little more.",
            "Slide back up and repeat.",
        ),
        dosage=Dosage(reps=Range(10, 15)),
        category=Category.MOBILITY,
        benefits="Improves how far the knee moves and stretches the muscles around it, which helps relieve pain.",
        cautions=("Increase the bend gently.", STOP_IF_WORSE),
        suits_acute=True,
        source_ids=ALL,
        drawing=DRAWINGS["wall-slides"],
    ),
    Exercise(
        id="adductor-squeeze",
        name="Inner thigh (adductor) squeeze",
        summary="Squeeze a soft ball or a resistance band between the knees.",
        steps=(
            "Place a soft ball or a resistance band between your knees.",
            "Keep a steady, stable posture.",
            "Squeeze gently, then relax. That is one repetition.",
        ),
        dosage=Dosage(reps=Range(10, 12), sets=Range(2, 3)),
        category=Category.STRENGTH,
        benefits="Strengthens the muscles that stabilise the inside of the knee, giving support and reducing pain.",
        cautions=("Squeeze gently.", STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["adductor-squeeze"],
    ),
    Exercise(
        id="dynamic-mobility",
        name="Dynamic mobility: controlled knee bends",
        summary="Slow, controlled knee bends that stay within a pain-free range.",
        steps=(
            "Stand steadily; hold on to something if you need to.",
            "Bend your knees in a slow, controlled way.",
            "Only go as far as is free of pain, then straighten again.",
        ),
        dosage=Dosage(reps=Range(10, 15)),
        category=Category.MOBILITY,
        benefits="Improves the knee's overall mobility and function and helps reduce stiffness and discomfort.",
        cautions=("Keep every bend within a pain-free range.", "Avoid deep squats.", STOP_IF_WORSE),
        suits_acute=True,
        source_ids=ALL,
        drawing=DRAWINGS["dynamic-mobility"],
    ),
    Exercise(
        id="kneeling-leg-extension",
        name="Leg extension, kneeling",
        summary="Kneeling on a soft surface, stretch one leg out at a time.",
        steps=(
            "Kneel on a soft surface.",
            "Extend one leg, in a slow and controlled way.",
            "Bring it back, and repeat; then do the other leg.",
        ),
        dosage=Dosage(reps=Range(10, 12), per=Laterality.EACH_LEG),
        category=Category.STRENGTH,
        benefits="Strengthens the thigh muscles at the front (quadriceps), which makes the knee more stable and work better.",
        cautions=("Kneel on something soft.", STOP_IF_WORSE),
        source_ids=ALL,
        drawing=DRAWINGS["kneeling-leg-extension"],
    ),
    Exercise(
        id="gentle-cycling",
        name="Gentle cycling",
        summary="Easy pedalling on a stationary bike at minimal resistance.",
        steps=(
            "Set a stationary bike to minimal resistance.",
            "Pedal smoothly and without stopping.",
        ),
        dosage=Dosage(duration_minutes=Range(10, 15)),
        category=Category.CARDIO,
        benefits=(
            "Keeps the knee moving without putting undue stress on the joint, "
            "which makes it well suited to periods of acute inflammation."
        ),
        cautions=("Keep the resistance minimal.", STOP_IF_WORSE),
        suits_acute=True,
        source_ids=ALL,
        drawing=DRAWINGS["gentle-cycling"],
    ),
)
