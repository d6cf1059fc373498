"""Offline search over short texts (FAQ entries, topics, aids, exercises), best match first.

A query finds everyday words as a person types them:

* by prefix, so "worse" finds "worsens";
* by stem, so "braces" finds "brace" and "swelling" finds "swell";
* with one typo forgiven in words of four letters or more, so "ibuprofn" still finds "ibuprofen";
* through the keywords a plug-in gives each item (its small synonym table, kept with the content),
  so "painkillers" finds the answer on over-the-counter pain relief.

An inverted index over a sorted vocabulary, and an index of each word with one letter left out,
keep each query fast even with many thousands of entries.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from typing import Generic, TypeVar

Item = TypeVar("Item")
_WORD = re.compile(r"[^\W_]+")
# Words too common to say anything about which answer is wanted.
_STOP_WORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "can",
        "do",
        "for",
        "how",
        "i",
        "if",
        "in",
        "is",
        "it",
        "my",
        "of",
        "on",
        "or",
        "should",
        "the",
        "these",
        "to",
        "what",
        "when",
        "with",
        "you",
        "your",
    ]
)
#: Endings taken off a word to find its stem, longest first.
_SUFFIXES = ("ings", "ing", "edly", "ed", "es", "s", "ly")
#: How much a match counts: the word itself, a longer word it begins, a word one typo away.
EXACT, PREFIX, TYPO = 1.0, 0.7, 0.5
#: Words shorter than this must be typed right: one letter off would match too much.
_TYPO_MIN_LENGTH = 4


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, in order."""
    return _WORD.findall(text.lower())


def stem(word: str) -> str:
    """``word`` without a common ending: 'braces' → 'brac', 'swelling' → 'swell', 'knee' → 'knee'."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def _deletions(word: str) -> set[str]:
    """``word`` with each one of its letters left out."""
    return {word[:index] + word[index + 1 :] for index in range(len(word))}


@dataclass(frozen=True)
class Field:
    """A text to search, and how much a match in it counts."""

    text: str
    weight: float


class SearchIndex(Generic[Item]):
    """Index items once, then answer ``search(query)`` with the best matches first."""

    def __init__(self, items: Sequence[Item], fields: Callable[[Item], Iterable[Field]]) -> None:
        self.items = list(items)
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for position, item in enumerate(self.items):
            for searched in fields(item):
                for word in words(searched.text):
                    for term in {word, stem(word)}:
                        best = postings[term].get(position, 0.0)
                        postings[term][position] = max(best, searched.weight)
        # Each term's items grouped by how much the term counts in them, least first, so a search
        # can score whole groups at once (dict operations in C) instead of one item at a time.
        self._postings: dict[str, tuple[tuple[float, tuple[int, ...]], ...]] = {
            term: _grouped(weights) for term, weights in postings.items()
        }
        self._vocabulary = sorted(self._postings)
        one_off: dict[str, set[str]] = defaultdict(set)
        for term in self._vocabulary:
            if len(term) >= _TYPO_MIN_LENGTH:
                for deleted in _deletions(term):
                    one_off[deleted].add(term)
        self._one_off = dict(one_off)

    def _prefixed(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._vocabulary, prefix)
        end = bisect.bisect_left(self._vocabulary, prefix + "\U0010ffff")
        return self._vocabulary[start:end]

    def _one_typo_from(self, word: str) -> set[str]:
        """Indexed terms one letter added, left out, changed or swapped away from ``word``."""
        if len(word) < _TYPO_MIN_LENGTH:
            return set()
        near = set(self._one_off.get(word, ()))  # a letter left out of the query
        for deleted in _deletions(word):
            if deleted in self._postings:
                near.add(deleted)  # a letter too many in the query
            near |= self._one_off.get(deleted, set())  # a letter changed or two swapped
        near.discard(word)
        return near

    def _matches(self, word: str) -> dict[str, float]:
        """The indexed terms ``word`` finds, each with how much it counts."""
        found: dict[str, float] = {}
        for term in self._one_typo_from(word):
            found[term] = TYPO
        for query_term in {word, stem(word)}:
            for term in self._prefixed(query_term):
                found[term] = max(found.get(term, 0.0), EXACT if term == query_term else PREFIX)
        return found

    def search(self, query: str, limit: int | None = None) -> list[Item]:
        """Items matching any meaningful word of ``query``, best first; ties keep their order."""
        query_words = [word for word in words(query) if word not in _STOP_WORDS] or words(query)
        scores: dict[int, float] = {}
        for word in dict.fromkeys(query_words):
            # Each item counts the best of the terms this word finds in it: groups are applied
            # from the least to the most, so a better match overwrites a lesser one.
            groups = sorted(
                (
                    (weight * closeness, positions)
                    for term, closeness in self._matches(word).items()
                    for weight, positions in self._postings[term]
                ),
                key=itemgetter(0),
            )
            best: dict[int, float] = {}
            for score, positions in groups:
                best.update(dict.fromkeys(positions, score))
            if not scores:
                scores = best
            else:
                get = scores.get
                for position, score in best.items():
                    scores[position] = get(position, 0.0) + score
        # Sorted by position, then by score alone: a stable sort keeps equal scores in order.
        ranked = sorted(scores)
        ranked.sort(key=scores.__getitem__, reverse=True)
        if limit is not None:
            ranked = ranked[:limit]
        return list(map(self.items.__getitem__, ranked))


def _grouped(weights: dict[int, float]) -> tuple[tuple[float, tuple[int, ...]], ...]:
    """Positions grouped by their weight, the least weight first, each group in position order."""
    groups: dict[float, list[int]] = defaultdict(list)
    for position, weight in weights.items():
        groups[weight].append(position)
    return tuple((weight, tuple(groups[weight])) for weight in sorted(groups))
