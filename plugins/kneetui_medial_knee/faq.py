"""The article's five frequently asked questions, answered in our own words."""

from kneetui.api import FaqEntry, Provenance
from kneetui_medial_knee.sources import ALL

FAQ = (
    FaqEntry(
        id="pain-worse-with-exercise",
        question="What should I do if my knee pain worsens with exercise?",
        answer=(
            "If the pain increases during or after the exercises, stop straight away and "
            "consult a healthcare professional. They can reassess your knee and adjust "
            "your plan so that it is safe and effective for you."
        ),
        source_ids=ALL,
        keywords=("hurts more", "more pain", "stop", "aggravate", "flare up", "sore"),
        provenance=Provenance.ARTICLE,
    ),
    FaqEntry(
        id="how-often",
        question="How often should I do these exercises?",
        answer=(
            "Generally daily or every other day, depending on your comfort and how well "
            "you tolerate them. Start slowly and increase how often you exercise "
            "gradually as your knee gets used to it."
        ),
        source_ids=ALL,
        keywords=("how many times", "times a week", "week", "frequency", "every day", "schedule", "rest day"),
        provenance=Provenance.ARTICLE,
    ),
    FaqEntry(
        id="pain-relief",
        question="Can I use over-the-counter pain relief alongside the exercises?",
        answer=(
            "Yes, it can be used to manage symptoms, but check with a healthcare provider "
            "that it is right for your condition and does not get in the way of your recovery."
        ),
        source_ids=ALL,
        keywords=(
            "painkillers",
            "painkiller",
            "pain killers",
            "ibuprofen",
            "paracetamol",
            "acetaminophen",
            "medicine",
            "medication",
            "tablets",
            "pills",
            "drugs",
            "anti-inflammatory",
        ),
        provenance=Provenance.ARTICLE,
    ),
    FaqEntry(
        id="when-to-seek-help",
        question="When should I seek professional help for my knee pain?",
        answer=(
            "Get a professional evaluation if the pain persists despite the home exercises, "
            "if it gets worse, or if it comes with swelling or instability. Acting early can "
            "prevent further complications and make treatment more effective."
        ),
        source_ids=ALL,
        keywords=(
            "swollen",
            "swelling",
            "swells",
            "unstable",
            "gives way",
            "giving way",
            "doctor",
            "physio",
            "physiotherapist",
            "gp",
        ),
        provenance=Provenance.ARTICLE,
    ),
    FaqEntry(
        id="exercises-to-avoid",
        question="Are there exercises I should avoid with pain on the inside of the knee?",
        answer=(
            "Avoid high-impact activities, deep squats and any exercise that causes pain "
            "until you have spoken with a healthcare professional, who can tell you which "
            "movements are safe and helpful for you."
        ),
        source_ids=ALL,
        keywords=("running", "jumping", "sport", "squat", "kneel", "dangerous", "not do"),
        provenance=Provenance.ARTICLE,
    ),
)
