"""The pain scale's keys: a score is typed, and a slip of a key never lowers the worst pain to none."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from kneetui.tui.widgets.pain_scale import PainScale


class ScaleApp(App[None]):
    def compose(self) -> ComposeResult:
        yield PainScale()

    def on_mount(self) -> None:
        self.query_one(PainScale).focus()


@pytest.mark.parametrize(
    ("keys", "score"),
    [
        ("3", 3),
        ("10", 10),
        ("100", 10),
        ("1000", 10),
        ("105", 5),
        ("1050", 0),
        ("30", 0),
        ("0", 0),
        ("71", 1),
    ],
)
async def test_typed_digits_give_the_score(keys, score):
    app = ScaleApp()
    async with app.run_test() as pilot:
        await pilot.press(*keys)
        assert app.query_one(PainScale).value == score


async def test_arrows_move_within_the_scale_and_reach_none_from_ten():
    app = ScaleApp()
    async with app.run_test() as pilot:
        await pilot.press("1", "0", "right")
        assert app.query_one(PainScale).value == 10
        await pilot.press(*["left"] * 12)
        assert app.query_one(PainScale).value == 0


async def test_zero_after_ten_reached_with_arrows_is_zero():
    app = ScaleApp()
    async with app.run_test() as pilot:
        await pilot.press("left", "0")  # left from nothing starts at 10
        assert app.query_one(PainScale).value == 0
