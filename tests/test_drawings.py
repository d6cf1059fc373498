"""The built-in drawings fit the space the app gives them and read at 16 colours and in a browser."""

from __future__ import annotations

import pytest

from kneetui_medial_knee.drawings import DRAWINGS, _frames
from kneetui_medial_knee.exercises import EXERCISES

MAX_WIDTH, MAX_HEIGHT = 26, 8


def is_drawable(character: str) -> bool:
    """Printable ASCII or a box-drawing line: one cell wide everywhere, in every font."""
    return " " <= character <= "~" or "\u2500" <= character <= "\u257f"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda exercise: exercise.id)
def test_each_exercise_has_two_to_four_key_poses_with_a_caption_each(exercise):
    drawing = exercise.drawing
    assert drawing is DRAWINGS[exercise.id]
    assert 2 <= len(drawing.frames) <= 4
    assert len(drawing.captions) == len(drawing.frames)
    assert all(0 < len(caption) <= 40 for caption in drawing.captions)
    assert drawing.frame_seconds > 0


@pytest.mark.parametrize("exercise_id", DRAWINGS)
def test_every_frame_fits_in_26_columns_and_8_lines(exercise_id):
    for frame in DRAWINGS[exercise_id].frames:
        lines = frame.split("\n")
        assert len(lines) <= MAX_HEIGHT
        assert max(map(len, lines)) <= MAX_WIDTH


@pytest.mark.parametrize("exercise_id", DRAWINGS)
def test_drawings_use_only_ascii_and_box_drawing_characters(exercise_id):
    drawing = DRAWINGS[exercise_id]
    for text in drawing.frames:
        assert all(is_drawable(character) for character in text.replace("\n", "")), text


def test_frames_keep_a_leading_empty_line_so_a_lower_pose_keeps_its_place():
    frames = _frames("\nab\n", "\n\nc\n")
    assert frames == ("ab\n  ", "  \nc ")
