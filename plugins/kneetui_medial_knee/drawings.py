r"""Terminal drawings of each exercise: key poses as text frames.

The person is drawn in plain ASCII strokes and the floor, wall and furniture in
box-drawing lines, so the two stay apart even without colour. Only ASCII and
box-drawing characters are used: every one of them is one cell wide in a
terminal and in a browser. The first frame of each drawing is the key pose,
because it is all that is shown when animations are off.
"""

from kneetui.api import Drawing


def _frames(*frames: str) -> tuple[str, ...]:
    """Frames padded to one shape: the same number of lines, all the same width.

    Only the newline straight after the opening quotes and the one before the
    closing quotes are dropped, so a frame may start with an empty line (a pose
    lower down than the others keeps its place).
    """
    lines = [frame.removeprefix("\n").removesuffix("\n").split("\n") for frame in frames]
    height = max(len(frame) for frame in lines)
    width = max(len(line) for frame in lines for line in frame)
    return tuple("\n".join(line.ljust(width) for line in frame + [""] * (height - len(frame))) for frame in lines)


DRAWINGS = {
    "sitting-adductor-stretch": Drawing(
        frames=_frames(
            r"""

        _O
      _/  \_
     /      \__
    /_/\_______\_|
━━━━━━━━━━━━━━━━━━━━
""",
            r"""
    O
    |\
    | \
    |  \
    |___\________|
━━━━━━━━━━━━━━━━━━━━
""",
            r"""
    O
    |\
    | \
    |  \_
    |_/ \________|
━━━━━━━━━━━━━━━━━━━━
""",
        ),
        frame_seconds=1.5,
        captions=(
            "Lean forward gently and hold",
            "Sit with both legs straight",
            "Draw one foot to the other thigh",
        ),
    ),
    "wall-slides": Drawing(
        frames=_frames(
            r"""
                      ┃
                 _   :┃
                / \_ :┃
               /    \_┃
              /      ]┃
  O__________/        ┃
━━━━━━━━━━━━━━━━━━━━━━┛
""",
            r"""
                      ┃
                      ┃
                __    ┃
               /  \__]┃
              /       ┃
  O__________/        ┃
━━━━━━━━━━━━━━━━━━━━━━┛
""",
            r"""
                      ┃
                    _]┃
                  _/  ┃
                _/    ┃
              _/      ┃
  O__________/        ┃
━━━━━━━━━━━━━━━━━━━━━━┛
""",
            r"""
                      ┃
                      ┃
                __    ┃
               /  \__]┃
              /       ┃
  O__________/        ┃
━━━━━━━━━━━━━━━━━━━━━━┛
""",
        ),
        captions=(
            "Let the foot glide down the wall",
            "Slide back up",
            "Lie on your back, foot on the wall",
            "Glide down slowly",
        ),
    ),
    "adductor-squeeze": Drawing(
        frames=_frames(
            r"""
    ╥     O     ╥
    ║    /|\    ║
    ║   / | \   ║
    ╠═══ / \ ═══╣
    ║  > (O) <  ║
    ║    | |    ║
    ║   _| |_   ║
━━━━━━━━━━━━━━━━━━━━━
""",
            r"""
    ╥     O     ╥
    ║    /|\    ║
    ║   / | \   ║
    ╠═══ / \ ═══╣
    ║   ( O )   ║
    ║   |   |   ║
    ║  _|   |_  ║
━━━━━━━━━━━━━━━━━━━━━
""",
        ),
        captions=(
            "Gently squeeze the ball with your knees",
            "Relax, keeping a steady posture",
        ),
    ),
    "dynamic-mobility": Drawing(
        frames=_frames(
            r"""

    O
    |\
    | \__╥
    |    ║
    \    ╠═══╗
    /_   ║   ║
━━━━━━━━━━━━━━━━
""",
            r"""
    O
    |\
    | \
    |  \_╥
    |    ║
    |    ╠═══╗
    |_   ║   ║
━━━━━━━━━━━━━━━━
""",
        ),
        frame_seconds=1.2,
        captions=(
            "Bend slowly, only as far as is pain-free",
            "Straighten; hold on if you need to",
        ),
    ),
    "kneeling-leg-extension": Drawing(
        frames=_frames(
            r"""
   ,---------.-------.__O
             |      |
             |      |
         ____|      |
━━━━━━━━═══════━━━━━━━━━━━
""",
            r"""
             .-------.__O
       _____/|      |
             |      |
         ____|      |
━━━━━━━━═══════━━━━━━━━━━━
""",
            r"""
             .-------.__O
             |      |
             |      |
         ____|      |
━━━━━━━━═══════━━━━━━━━━━━
""",
            r"""
             .-------.__O
       _____/|      |
             |      |
         ____|      |
━━━━━━━━═══════━━━━━━━━━━━
""",
        ),
        captions=(
            "Extend one leg, slow and controlled",
            "Bring it back",
            "Kneel on something soft",
            "Extend the leg again",
        ),
    ),
    "gentle-cycling": Drawing(
        frames=_frames(
            r"""
         O
        /\_____
       /       \═╗
   ═══/───\      ║
    ║      \    ╭┴╮
    ╚═══════@═══│ │
    ║           ╰┬╯
 ━━━┻━━━━━━━━━━━━┻━━
""",
            r"""
         O
        /\_____
       /       \═╗
   ═══/─\        ║
    ║    \      ╭┴╮
    ╚═════\═@═══│ │
    ║      \_   ╰┬╯
 ━━━┻━━━━━━━━━━━━┻━━
""",
        ),
        frame_seconds=0.5,
        captions=(
            "Pedal smoothly, without stopping",
            "Keep the resistance minimal",
        ),
    ),
}
