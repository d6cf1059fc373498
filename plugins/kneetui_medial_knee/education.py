"""Education topics: the common causes, acute and chronic approaches, and safety."""

from kneetui.api import Provenance, Topic, TopicKind
from kneetui_medial_knee.sources import ALL

TOPICS = (
    Topic(
        id="about-medial-knee-pain",
        title="Pain on the inside of the knee",
        kind=TopicKind.ABOUT,
        paragraphs=(
            "Pain on the inside of the knee (medial knee pain) is common at every age. "
            "It can make climbing stairs, walking or standing for a long time hard work.",
            "Knowing what causes it matters, because the cause guides the treatment and the "
            "choice of exercises. Exercises aim to make the knee more flexible, strengthen the "
            "muscles around it and make the joint more stable. Done with care, and suited to "
            "your condition, they can reduce pain, improve function and help prevent problems "
            "coming back.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="cause-overuse",
        title="Overuse",
        kind=TopicKind.CAUSE,
        paragraphs=(
            "Overuse often affects athletes and people who do the same movement again and "
            "again. It can lead to inflammation of the tendons on the inside of the knee.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="cause-pes-anserinus",
        title="Tendon inflammation (pes anserinus)",
        kind=TopicKind.CAUSE,
        paragraphs=(
            "Inflammation around the anserinus tendon (pes anserinus), often after overuse, "
            "can cause discomfort and swelling on the inside of the knee.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="cause-meniscus",
        title="Meniscus tears",
        kind=TopicKind.CAUSE,
        paragraphs=(
            "The meniscus is a piece of cartilage that cushions the knee joint. It can tear "
            "with a sudden twist or through wear over time, causing pain and restricted movement.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="cause-plica",
        title="Synovial plica irritation",
        kind=TopicKind.CAUSE,
        paragraphs=(
            "The synovial plica is a fold in the lining of the knee joint. When it is "
            "irritated it can cause pain on the inside of the knee, especially when bending "
            "or kneeling.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="acute-ricem",
        title="Acute pain: RICEM",
        kind=TopicKind.APPROACH,
        paragraphs=(
            "Acute and chronic knee pain call for different approaches.",
            "For an acute injury, such as a ligament strain, the advice is RICEM: Rest, Ice, "
            "Compression, Elevation, Movement. The focus is on rest and gentle exercise as far "
            "as the pain allows.",
            "Pause anything that makes the symptoms worse, and build exercise back up gradually as you tolerate it.",
        ),
        source_ids=ALL,
        keywords=(
            "ice",
            "icing",
            "cold pack",
            "compress",
            "bandage",
            "elevate",
            "raise",
            "rest",
            "injury",
            "sprain",
            "new injury",
        ),
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="chronic-rehabilitation",
        title="Chronic pain: structured rehabilitation",
        kind=TopicKind.APPROACH,
        paragraphs=(
            "Chronic knee pain, often from overuse or wear over time, benefits from a "
            "structured rehabilitation programme built on stretching and strengthening.",
            "Pause anything that makes the symptoms worse, and build exercise back up gradually as you tolerate it.",
        ),
        source_ids=ALL,
        keywords=("long term", "months", "rehab", "ongoing"),
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="professional-assessment",
        title="Get a professional assessment first",
        kind=TopicKind.SAFETY,
        paragraphs=(
            "Before starting any exercise programme for knee pain, have the knee assessed by a "
            "healthcare professional such as a physiotherapist. They can find the cause and "
            "recommend exercises that are safe and effective for you, so that the exercises "
            "help rather than make things worse.",
            "Exercises must be done correctly and carefully. A professional can give you a "
            "personal plan that fits your needs.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
    Topic(
        id="when-to-seek-help",
        title="When to seek professional help",
        kind=TopicKind.SAFETY,
        paragraphs=(
            "Stop and consult a healthcare professional if the pain increases during or after "
            "the exercises. They can adjust your plan.",
            "Get a professional evaluation if the pain persists despite home exercises, gets "
            "worse, or comes with swelling or instability. Early help can prevent further "
            "complications.",
            "Until you have professional advice, avoid high-impact activities, deep squats and "
            "any exercise that causes pain.",
        ),
        source_ids=ALL,
        provenance=Provenance.ARTICLE,
    ),
)
