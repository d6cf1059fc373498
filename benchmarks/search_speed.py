"""How long does one search take over 10,000 FAQ entries and 10,000 exercises?

Synthetic content with realistic lengths (questions of 6–14 words, answers of
25–70, exercise names of 2–5 words and summaries of 8–20) is drawn from a
vocabulary of a few thousand words with a Zipf-like spread, so some words are
in most entries and most words are in few. About 200 varied queries (one to
four words, whole words, prefixes, stop words, misspellings) are run against
the FAQ index kneetui uses (``kneetui.cli.listing.faq_index``) and against an
exercise index over names and summaries.

The reference is the obvious index-free search: score every entry by which
query words its lower-cased text contains, measured on the same queries.

    python -m benchmarks.search_speed [--entries 10000] [--queries 200]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Sequence

from benchmarks.common import Row, median, percentile, status
from kneetui.cli.listing import faq_index
from kneetui.content.model import Category, Dosage, Exercise, FaqEntry, Range
from kneetui.content.search import Field, SearchIndex, words

TARGET_MEAN_MS = 2.0

# Words a knee FAQ really uses; the synthetic vocabulary is built around them.
_DOMAIN = [
    "knee",
    "pain",
    "inside",
    "medial",
    "ligament",
    "meniscus",
    "swelling",
    "stiffness",
    "exercise",
    "stretch",
    "strength",
    "hold",
    "repetition",
    "set",
    "rest",
    "ice",
    "heat",
    "brace",
    "support",
    "insole",
    "walking",
    "running",
    "cycling",
    "stairs",
    "squat",
    "lunge",
    "thigh",
    "hamstring",
    "quadriceps",
    "adductor",
    "hip",
    "calf",
    "ankle",
    "foot",
    "physiotherapist",
    "doctor",
    "acute",
    "chronic",
    "gradually",
    "gently",
    "slowly",
    "daily",
    "week",
    "morning",
    "evening",
    "worse",
    "better",
    "sharp",
    "dull",
    "ache",
    "tender",
    "bend",
    "straighten",
    "balance",
    "posture",
    "weight",
    "load",
    "recovery",
    "injury",
    "surgery",
    "arthritis",
    "cartilage",
    "tendon",
    "muscle",
    "joint",
    "movement",
    "sitting",
    "standing",
    "lying",
    "floor",
    "wall",
    "chair",
    "band",
    "ball",
    "towel",
    "breathe",
    "relax",
]
_FILLER = [
    "the",
    "a",
    "and",
    "of",
    "to",
    "in",
    "is",
    "it",
    "for",
    "with",
    "when",
    "you",
    "your",
    "can",
    "should",
    "if",
    "this",
    "that",
    "be",
    "or",
    "at",
    "on",
    "as",
]
_SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ten",
    "sul",
    "vo",
    "la",
    "pe",
    "dri",
    "nas",
    "tor",
    "bel",
    "fi",
    "gu",
    "hem",
    "ost",
    "ro",
    "lin",
    "ca",
    "de",
]


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """Domain words first (the common ones), then made-up words for a long tail."""
    made_up: set[str] = set()
    while len(made_up) < size - len(_DOMAIN):
        made_up.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return [*_DOMAIN, *sorted(made_up)]


class _Writer:
    """Draws sentences from the vocabulary with a Zipf-like spread."""

    def __init__(self, rng: random.Random, vocabulary: Sequence[str]) -> None:
        self.rng = rng
        self.vocabulary = list(vocabulary)
        self.weights = [1 / (rank + 1) for rank in range(len(self.vocabulary))]

    def sentence(self, low: int, high: int) -> str:
        count = self.rng.randint(low, high)
        content = self.rng.choices(self.vocabulary, self.weights, k=count)
        text = [word if self.rng.random() > 0.35 else f"{self.rng.choice(_FILLER)} {word}" for word in content]
        return " ".join(text).capitalize()


def synthetic_faq(count: int, rng: random.Random, vocabulary: Sequence[str]) -> list[FaqEntry]:
    writer = _Writer(rng, vocabulary)
    return [
        FaqEntry(
            id=f"faq-{number}",
            question=writer.sentence(4, 10) + "?",
            answer=". ".join(writer.sentence(8, 20) for _ in range(rng.randint(2, 3))) + ".",
        )
        for number in range(count)
    ]


def synthetic_exercises(count: int, rng: random.Random, vocabulary: Sequence[str]) -> list[Exercise]:
    writer = _Writer(rng, vocabulary)
    return [
        Exercise(
            id=f"exercise-{number}",
            name=" ".join(rng.choices(vocabulary[:200], k=rng.randint(2, 5))).title(),
            summary=writer.sentence(6, 14) + ".",
            steps=("Stand tall.",),
            dosage=Dosage(reps=Range(8, 12)),
            category=Category.STRENGTH,
            benefits="",
        )
        for number in range(count)
    ]


def exercise_index(exercises: Sequence[Exercise]) -> SearchIndex[Exercise]:
    return SearchIndex(exercises, lambda exercise: (Field(exercise.name, 2.0), Field(exercise.summary, 1.0)))


def queries(count: int, rng: random.Random, vocabulary: Sequence[str]) -> list[str]:
    """Varied queries: common and rare words, prefixes, stop words, misspellings, phrases."""
    made: list[str] = []
    kinds = ("common", "rare", "prefix", "phrase", "question", "misspelt")
    while len(made) < count:
        kind = kinds[len(made) % len(kinds)]
        if kind == "common":
            made.append(rng.choice(_DOMAIN))
        elif kind == "rare":
            made.append(rng.choice(vocabulary[len(_DOMAIN) :]))
        elif kind == "prefix":
            word = rng.choice(vocabulary)
            made.append(word[: max(2, len(word) // 2)])
        elif kind == "phrase":
            made.append(" ".join(rng.choices(vocabulary, k=rng.randint(2, 4))))
        elif kind == "question":
            made.append(f"what if my {rng.choice(_DOMAIN)} gets {rng.choice(_DOMAIN)}")
        else:
            word = rng.choice(_DOMAIN)
            cut = rng.randrange(1, len(word))
            made.append(word[:cut] + "x" + word[cut + 1 :])
    return made


def naive_search(items: Sequence, texts: Callable[[object], Sequence[Field]]) -> Callable[[str], list]:
    """The reference: no index, every entry's text checked for every query word."""
    lowered = [[(field.text.lower(), field.weight) for field in texts(item)] for item in items]

    def search(query: str) -> list:
        query_words = words(query)
        scored = []
        for position, fields in enumerate(lowered):
            score = sum(max((weight for text, weight in fields if word in text), default=0.0) for word in query_words)
            if score:
                scored.append((-score, position))
        scored.sort()
        return [items[position] for _, position in scored]

    return search


def time_queries(search: Callable[[str], list], asked: Sequence[str], repeats: int) -> list[float]:
    """Per query, the median of ``repeats`` timings, in milliseconds."""
    per_query = []
    for query in asked:
        timings = []
        for _ in range(repeats):
            started = time.perf_counter()
            search(query)
            timings.append((time.perf_counter() - started) * 1000)
        per_query.append(median(timings))
    return per_query


def measure(
    entries: int = 10_000, query_count: int = 200, repeats: int = 3, reference_queries: int = 40, seed: int = 7
) -> dict:
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    faq = synthetic_faq(entries, rng, vocab)
    exercises = synthetic_exercises(entries, rng, vocab)
    asked = queries(query_count, rng, vocab)
    result: dict = {"entries": entries, "queries": query_count, "repeats": repeats}
    for name, items, build, fields in (
        ("faq", faq, faq_index, lambda entry: (Field(entry.question, 2.0), Field(entry.answer, 1.0))),
        (
            "exercises",
            exercises,
            exercise_index,
            lambda exercise: (Field(exercise.name, 2.0), Field(exercise.summary, 1.0)),
        ),
    ):
        started = time.perf_counter()
        index = build(items)
        build_ms = (time.perf_counter() - started) * 1000
        timings = time_queries(index.search, asked, repeats)
        # The naive scan is slow; a spread-out subset of the same queries is enough.
        step = max(1, len(asked) // max(1, reference_queries))
        reference = time_queries(naive_search(items, fields), asked[::step], 1)
        matched = sum(1 for query in asked if index.search(query, limit=1))
        result[name] = {
            "build_ms": build_ms,
            "mean_ms": sum(timings) / len(timings),
            "p95_ms": percentile(timings, 0.95),
            "max_ms": max(timings),
            "reference_mean_ms": sum(reference) / len(reference),
            "queries_with_matches": matched,
        }
    return result


def rows(result: dict) -> list[Row]:
    made = []
    for name, label in (("faq", "FAQ"), ("exercises", "Exercise")):
        figures = result[name]
        made.append(
            Row(
                figure=f"{label} search, {result['entries']:,} entries, mean per query",
                measured=figures["mean_ms"],
                unit="ms",
                reference=figures["reference_mean_ms"],
                reference_name="index-free scan of the same entries for the same queries",
                checked=f"{figures['mean_ms']:.2f} ms (p95 {figures['p95_ms']:.2f})",
                target=f"< {TARGET_MEAN_MS:g} ms mean",
                status=status(figures["mean_ms"] < TARGET_MEAN_MS),
                note=(
                    f"{result['queries']} queries; p95 {figures['p95_ms']:.2f} ms, max {figures['max_ms']:.2f} ms; "
                    f"index built in {figures['build_ms']:.0f} ms"
                ),
            )
        )
    return made


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.entries, args.queries), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
