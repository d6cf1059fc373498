"""Terminal drawings of each exercise: key poses as text frames."""

from kneetui.api import Drawing


def _frames(*frames: str) -> tuple[str, ...]:
    lines = [frame.strip("\n").splitlines() for frame in frames]
    height = max(len(frame) for frame in lines)
    width = max(len(line) for frame in lines for line in frame)
    return tuple(
        "\n".join(line.ljust(width) for line in frame + [""] * (height - len(frame)))
        for frame in lines
    )


DRAWINGS = {
    "sitting-adductor-stretch": Drawing(
        frames=_frames(
            r"""
   o
   |
   |\__
  _|___\___
""",
            r"""
      o
     /
   _/\__
  __\___\__
""",
        ),
        captions=("Sit tall, one foot to the other thigh", "Lean forward gently"),
    ),
    "wall-slides": Drawing(
        frames=_frames(
            r"""
          |
        _/|
 o_____/  |
""",
            r"""
          |
      /\  |
 o___/  \_|
""",
        ),
        captions=("Foot on the wall", "Let the foot glide down"),
    ),
    "adductor-squeeze": Drawing(
        frames=_frames(
            r"""
   o
  /|\
  / \
 / ● \
""",
            r"""
   o
  /|\
  /●\
  | |
""",
        ),
        captions=("Ball between the knees", "Squeeze gently"),
    ),
    "dynamic-mobility": Drawing(
        frames=_frames(
            r"""
  o
 /|\
  |
 / \
""",
            r"""

  o
 /|\
 < <
""",
        ),
        captions=("Stand steady", "Bend within a pain-free range"),
    ),
    "kneeling-leg-extension": Drawing(
        frames=_frames(
            r"""
  o
  |\
  |
 _|_
""",
            r"""
  o
  |\
  |____
 _|
""",
        ),
        captions=("Kneel on something soft", "Extend one leg, controlled"),
    ),
    "gentle-cycling": Drawing(
        frames=_frames(
            r"""
   o__
  /\ |
 (_/\)
""",
            r"""
   o__
  /\ |
 (\_/)
""",
        ),
        captions=("Pedal smoothly", "Minimal resistance"),
    ),
}
