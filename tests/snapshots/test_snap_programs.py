"""What the Programmes screen and the builder look like."""

from __future__ import annotations

import pytest

from kneetui.content.model import Dose, Frequency, Program, ProgramStep
from kneetui.exchange.user_programs import UserPrograms

EVENINGS = Program(
    id="evenings",
    name="Evenings, after work",
    description="Short, on the days I cycle to work.",
    steps=(
        ProgramStep("gentle-cycling", Dose(duration_minutes=10)),
        ProgramStep("wall-slides", Dose(reps=12)),
        ProgramStep("adductor-squeeze", Dose(reps=10, sets=3)),
    ),
    frequency=Frequency.EVERY_OTHER_DAY,
)


@pytest.fixture
def with_evenings(tmp_path) -> UserPrograms:
    programs = UserPrograms(tmp_path / "programs")
    programs.save(EVENINGS)
    return programs


def test_programmes_list_marks_today_and_yours(snap_compare, make_app, with_evenings):
    # Chronic stays highlighted: the panel of one of yours would show its temporary path.
    app = make_app(user_programs=with_evenings)
    assert snap_compare(app, terminal_size=(80, 24), press=["r"])


def test_builder_with_three_exercises_and_a_dose_changed(snap_compare, make_app, tmp_path):
    app = make_app(user_programs=UserPrograms(tmp_path / "programs"))
    keys = ["r", "n", *"Evenings", "tab", "tab", "tab", "tab"]
    keys += ["down", "enter", "down", "enter", "down", "down", "down", "enter", "tab", "up", "plus", "plus"]
    assert snap_compare(app, terminal_size=(80, 24), press=keys)


def test_builder_refuses_a_dose_outside_the_range(snap_compare, make_app, tmp_path):
    app = make_app(user_programs=UserPrograms(tmp_path / "programs"))
    keys = ["r", "n", *"Evenings", "tab", "tab", "tab", "tab", "down", "enter", "tab", "enter", "2", "0", "shift+tab"]
    assert snap_compare(app, terminal_size=(80, 24), press=keys)
