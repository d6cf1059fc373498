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
