"""Offline search over short texts (FAQ entries, exercises), best match first.

Words are matched by prefix, so "worse" finds "worsens". An inverted index over
a sorted vocabulary keeps each query fast even with many thousands of entries.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

Item = TypeVar("Item")
_WORD = re.compile(r"[^\W_]+")
# Words too common to say anything about which answer is wanted.
_STOP_WORDS = frozenset(
    "a an and are as at be can do for how i if in is it my of on or should the these to what when with you your".split()
)


def words(text: str) -> list[str]:
    """The lower-case words of ``text``, in order."""
    return _WORD.findall(text.lower())


@dataclass(frozen=True)
class Field:
    """A text to search, and how much a match in it counts."""

    text: str
    weight: float


class SearchIndex(Generic[Item]):
    """Index items once, then answer ``search(query)`` with the best matches first."""

    def __init__(self, items: Sequence[Item], fields: Callable[[Item], Sequence[Field]]) -> None:
        self.items = list(items)
        postings: dict[str, dict[int, float]] = defaultdict(dict)
        for position, item in enumerate(self.items):
            for searched in fields(item):
                for word in words(searched.text):
                    best = postings[word].get(position, 0.0)
                    postings[word][position] = max(best, searched.weight)
        self._postings = dict(postings)
        self._vocabulary = sorted(self._postings)

    def _prefixed(self, prefix: str) -> list[str]:
        start = bisect.bisect_left(self._vocabulary, prefix)
        end = bisect.bisect_left(self._vocabulary, prefix + "\U0010ffff")
        return self._vocabulary[start:end]

    def search(self, query: str, limit: int | None = None) -> list[Item]:
        """Items matching any meaningful word of ``query``, best first; ties keep their order."""
        query_words = [word for word in words(query) if word not in _STOP_WORDS] or words(query)
        scores: dict[int, float] = defaultdict(float)
        for word in dict.fromkeys(query_words):
            best: dict[int, float] = {}
            for found in self._prefixed(word):
                exact = 1.0 if found == word else 0.7
                for position, weight in self._postings[found].items():
                    best[position] = max(best.get(position, 0.0), weight * exact)
            for position, score in best.items():
                scores[position] += score
        ranked = sorted(scores, key=lambda position: (-scores[position], position))
        if limit is not None:
            ranked = ranked[:limit]
        return [self.items[position] for position in ranked]
