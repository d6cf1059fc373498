"""Wrapped bullets, numbered steps and marked lines hang under their text."""

from __future__ import annotations

from textual.content import Content

from kneetui.content.model import Provenance, Step
from kneetui.tui.hanging import hang, marker_width
from kneetui.tui.literal import bullets
from kneetui.tui.provenance import marked_lines


def plain(lines: list[Content]) -> list[str]:
    return [line.plain for line in lines]


def test_a_wrapped_bullet_continues_under_its_text():
    text = bullets(["Have your knee assessed by a healthcare professional before you start."])
    assert plain(hang(text, 30)) == [
        "• Have your knee assessed by a",
        "  healthcare professional",
        "  before you start.",
    ]


def test_a_numbered_step_with_its_mark_hangs_under_the_words():
    text = marked_lines([Step("Sit with both legs straight out in front of you.", Provenance.ARTICLE)], numbered=True)
    assert plain(hang(text, 24)) == [
        "1. ◆ Sit with both legs",
        "     straight out in",
        "     front of you.",
    ]


def test_lines_without_a_marker_wrap_from_the_edge_and_blank_lines_stay():
    text = Content("A heading line that wraps here\n\n• short")
    assert plain(hang(text, 20)) == ["A heading line that", "wraps here", "", "• short"]


def test_a_marker_alone_is_text_not_a_marker():
    assert marker_width("•") == 0
    assert marker_width("- ") == 0
    assert marker_width("10. ● Yours") == 6
    assert marker_width("3 blocks") == 0
    assert marker_width("✓ ◆ Chronic pain") == 4
    assert marker_width("  daily · 3 exercises") == 2
