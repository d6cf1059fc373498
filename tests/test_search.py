"""Offline search finds everyday words: stems, one typo, the keywords kept with the content, and
Learn and the aids beside the FAQ, best first, in the app and in ``kneetui faq``."""

from __future__ import annotations

import pytest

from kneetui.content.answers import AnswerKind, answer_index
from kneetui.content.search import Field, SearchIndex, stem
from kneetui.plugin_host.loader import load_plugins
from kneetui.tui.screens.faq import FaqScreen

EVERYDAY = {
    "swollen": "when-to-seek-help",
    "painkillers": "pain-relief",
    "ibuprofen": "pain-relief",
    "medicine": "pain-relief",
    "how many times a week": "how-often",
    "ice": "acute-ricem",
    "brace": "knee-brace",
    "worse": "pain-worse-with-exercise",
}


@pytest.fixture(scope="module")
def index():
    return answer_index(load_plugins().catalog)


@pytest.mark.parametrize(("query", "expected"), list(EVERYDAY.items()))
def test_each_everyday_word_finds_its_answer_first(index, query, expected):
    assert index.search(query)[0].id == expected


def test_ice_finds_learn_and_brace_finds_an_aid(index):
    assert index.search("ice")[0].kind is AnswerKind.LEARN
    assert index.search("brace")[0].kind is AnswerKind.AID


def test_one_typo_is_forgiven_in_longer_words(index):
    assert index.search("ibuprofn")[0].id == "pain-relief"
    assert index.search("swolen")[0].id == "when-to-seek-help"
    assert index.search("medecine")[0].id == "pain-relief"


def test_short_words_must_be_typed_right():
    found = SearchIndex(["ice", "ace", "icy"], lambda text: [Field(text, 1.0)])
    assert found.search("ice") == ["ice"]


def test_stems_join_a_word_with_its_endings():
    assert stem("braces") == "brac" and stem("bracing") == "brac"
    assert stem("swelling") == "swell"
    assert stem("knee") == "knee"
    found = SearchIndex(["Knee braces help", "Insoles"], lambda text: [Field(text, 1.0)])
    assert found.search("brace") == ["Knee braces help"]


def test_nothing_matches_nonsense(index):
    assert index.search("zzqqxx") == []


def test_kneetui_faq_finds_learn_and_aids_and_labels_them(capsys):
    from kneetui.cli.main import main

    assert main(["faq", "ice"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "[Learn] Acute pain: RICEM"
    assert main(["faq", "zzqqxx"]) == 1
    assert "Ctrl" not in capsys.readouterr().err


async def test_the_faq_screen_searches_learn_and_aids_and_points_to_ctrl_p(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f", *"brace")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FaqScreen)
        first = screen.query(".faq-entry").first()
        assert str(first.render()).startswith("Aid: Knee braces")
        await pilot.press(*"zzqq")
        await pilot.pause()
        assert "Ctrl+P" in str(screen.query_one("#status").render())


def _scored_one_item_at_a_time(index: SearchIndex[str], query: str) -> list[str]:
    """What ``search`` must give, worked out item by item: each query word adds the best of the
    terms it finds in an item (the term's weight there times how close it is), best total first,
    ties in the items' order."""
    from kneetui.content.search import _STOP_WORDS, words

    query_words = [word for word in words(query) if word not in _STOP_WORDS] or words(query)
    totals: dict[tuple[str, int], float] = {}
    for word in dict.fromkeys(query_words):
        found = index._matches(word)
        for position, item in enumerate(index.items):
            for text, weight in zip(item.split(" | "), (2.0, 1.0), strict=True):
                for term in {term for each in words(text) for term in (each, stem(each))} & found.keys():
                    best = totals.get((word, position), 0.0)
                    totals[(word, position)] = max(best, weight * found[term])
    scores: dict[int, float] = {}
    for (_, position), score in totals.items():
        scores[position] = scores.get(position, 0.0) + score
    ranked = sorted(scores, key=lambda position: (-scores[position], position))
    return [index.items[position] for position in ranked]


def test_search_ranks_exactly_as_scoring_each_item_alone_would():
    import random

    rng = random.Random(3)
    vocabulary = ["knee", "kneel", "knees", "pain", "painful", "brace", "braces", "ice", "icing", "stairs", "stair"]
    vocabulary += ["".join(rng.choice("abcdefg") for _ in range(rng.randint(3, 7))) for _ in range(40)]
    items = [" | ".join(" ".join(rng.choices(vocabulary, k=rng.randint(1, 8))) for _ in range(2)) for _ in range(300)]
    index = SearchIndex(
        items, lambda item: [Field(text, weight) for text, weight in zip(item.split(" | "), (2.0, 1.0), strict=True)]
    )
    queries = ["knee", "kn", "pain brace", "icing", "stiars", "the knee and stairs", "brac ice", "ab", "zzz"]
    queries += [" ".join(rng.choices(vocabulary, k=rng.randint(1, 3))) for _ in range(40)]
    for query in queries:
        expected = _scored_one_item_at_a_time(index, query)
        assert index.search(query) == expected, query
        assert index.search(query, limit=5) == expected[:5], query
