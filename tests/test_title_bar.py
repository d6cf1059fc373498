"""Titles are never cut off: at 40 columns a sub-title that does not fit is left out, not cut."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from kneetui.tui.widgets.title_bar import fitted_title


def test_a_sub_title_is_shown_whole_or_not_at_all():
    assert fitted_title("Session", "Chronic pain", 30) == ("Session", "Chronic pain")
    assert fitted_title("Session", "Chronic pain: stretch and strengthen", 34) == ("Session", "")
    assert fitted_title("Help", "", 34) == ("Help", "")


@pytest.mark.parametrize(
    ("keys", "size", "shown"),
    [
        ([], (40, 12), "kneetui"),
        ([], (80, 24), "kneetui — home exercises for the inside of the knee"),
        (["f"], (40, 12), "Frequently asked questions"),
        (["e", "enter"], (40, 12), "Exercise"),
        (["e", "enter"], (80, 24), "Exercise — Sitting adductor stretch"),
        (["r", "n"], (40, 12), "Programme builder — new programme"),
    ],
)
async def test_the_header_shows_a_whole_title_at_every_size(make_app, keys, size, shown):
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.press(*keys)
        await pilot.pause()
        await pilot.pause()
        title = app.screen.query_one("HeaderTitle", Static)
        assert str(title.render()) == shown
        assert len(shown) <= title.size.width
