"""A chosen dose reads as one short line."""

from __future__ import annotations

import pytest

from kneetui.content.model import Dose


@pytest.mark.parametrize(
    ("dose", "line"),
    [
        (Dose(reps=12), "12 reps"),
        (Dose(hold_seconds=20), "hold 20 s"),
        (Dose(duration_minutes=10), "10 min"),
        (Dose(reps=10, sets=3), "10 reps, 3 sets"),
    ],
)
def test_a_dose_describes_itself(dose, line):
    assert dose.describe() == line
