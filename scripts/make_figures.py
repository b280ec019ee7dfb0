"""Draw the figures of the shipped handouts.

The drawings are built from simple geometry (cubic Bezier outlines, strokes and discs) on a
white canvas three times the final size, then downsampled with LANCZOS for smooth,
anti-aliased edges.  They contain no words: captions are written (and translated) in the
handout's YAML files.  The only text in a figure is an acupuncture point code such as
"BL40", which is the same in every language.

Usage (from the repository root)::

    python3 scripts/make_figures.py

Writes ``handouts/pain-behind-the-knee/figures/back-of-knee.png``.  Requires Pillow only.
The output is deterministic: the same Pillow version gives the same bytes.
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Sequence
from pathlib import Path

from drawing import RGB, Point
from drawing import bezier as _bezier
from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
FONT = ROOT / "assets" / "fonts" / "NotoSans-Bold.ttf"

WIDTH, HEIGHT = 1600, 1000  # final size in pixels
SHIFT_Y = -110  # the drawing is laid out in a taller frame; this crops its empty ends
SCALE = 3  # supersampling factor

PRIMARY: RGB = (0x1A, 0x4D, 0x66)  # outline and detail lines
ACCENT: RGB = (0xB3, 0x3A, 0x1E)  # acupuncture points and their labels
SKIN: RGB = (0xEE, 0xF3, 0xF6)  # flat fill of the leg
HOLLOW: RGB = (0xDD, 0xE8, 0xEE)  # the soft hollow behind the knee
DETAIL: RGB = (0x7E, 0x9D, 0xAD)  # muscle and tendon lines, lighter than the outline
WHITE: RGB = (0xFF, 0xFF, 0xFF)

# 120 points per curve: the committed figure was drawn with this sampling.
bezier = functools.partial(_bezier, steps=120)


def chain(*curves: list[Point]) -> list[Point]:
    """Join curves that share end points into one path."""
    path: list[Point] = []
    for curve in curves:
        path += curve[1:] if path else curve
    return path


class Canvas:
    """A supersampled RGB canvas addressed in final-size coordinates."""

    def __init__(self) -> None:
        self.image = Image.new("RGB", (WIDTH * SCALE, HEIGHT * SCALE), WHITE)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _s(points: Sequence[Point]) -> list[Point]:
        return [(x * SCALE, (y + SHIFT_Y) * SCALE) for x, y in points]

    def fill(self, points: Sequence[Point], color: RGB) -> None:
        self.draw.polygon(self._s(points), fill=color)

    def stroke(self, points: Sequence[Point], color: RGB, width: float) -> None:
        """A smooth curve of even width with round caps, filled as one outline polygon.

        Filling the outline (instead of drawing a wide polyline) keeps curved strokes free
        of the notches that wide line joins leave.
        """
        left: list[Point] = []
        right: list[Point] = []
        last = len(points) - 1
        half = width / 2
        for i, (x, y) in enumerate(points):
            ax, ay = points[max(i - 1, 0)]
            bx, by = points[min(i + 1, last)]
            norm = math.hypot(bx - ax, by - ay) or 1.0
            nx, ny = -(by - ay) / norm, (bx - ax) / norm
            left.append((x + nx * half, y + ny * half))
            right.append((x - nx * half, y - ny * half))
        self.fill(left + right[::-1], color)
        for end in (points[0], points[-1]):
            self.disc(end, half, color)

    def segments(self, points: Sequence[Point], color: RGB, width: float) -> None:
        """Straight segments with round joins and caps (for label lines)."""
        scaled = self._s(points)
        for a, b in itertools.pairwise(scaled):
            self.draw.line([a, b], fill=color, width=round(width * SCALE))
        for p in points:
            self.disc(p, width / 2, color)

    def disc(self, centre: Point, radius: float, color: RGB) -> None:
        (x, y), r = self._s([centre])[0], radius * SCALE
        self.draw.ellipse((x - r, y - r, x + r, y + r), fill=color)

    def text(self, anchor_point: Point, text: str, size: float, color: RGB,
             anchor: str) -> None:
        font = ImageFont.truetype(str(FONT), round(size * SCALE))
        self.draw.text(self._s([anchor_point])[0], text, font=font, fill=color, anchor=anchor)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        final = self.image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS)
        final.save(path, optimize=True)


def point_marker(canvas: Canvas, centre: Point) -> None:
    """An acupuncture point: an accent dot with a white ring and a soft halo."""
    canvas.disc(centre, 34, (0xF3, 0xD9, 0xD2))
    canvas.disc(centre, 23, WHITE)
    canvas.disc(centre, 17, ACCENT)


def leader(canvas: Canvas, start: Point, elbow: Point, end: Point) -> None:
    """A thin label line from a point to its label, with one bend."""
    canvas.segments([start, elbow, end], ACCENT, 5)


def back_of_knee(path: Path) -> None:
    """A right knee seen from behind: lower thigh, knee crease, upper calf.

    Seen from behind, the inner (medial) side of a right leg is on the viewer's left and the
    outer (lateral) side on the right.  The inner head of the calf muscle is the larger one
    and reaches lower.  BL40 is in the middle of the crease; BL39 at its outer end, on the
    inner edge of the outer hamstring tendon (biceps femoris).
    """
    c = Canvas()
    crease_y = 600.0

    # Outline of the leg: the thigh narrows towards the knee, the calf bulges below it.
    # The inner (left) side: thigh, knee, inner calf head.
    inner = chain(
        bezier((548, -40), (560, 200), (590, 430), (602, 560)),
        bezier((602, 560), (608, 640), (560, 720), (552, 830)),
        bezier((552, 830), (544, 960), (600, 1120), (640, 1290)),
    )
    # The outer (right) side: thigh, knee, outer calf head (higher and flatter).
    outer = chain(
        bezier((1052, -40), (1040, 200), (1010, 430), (998, 560)),
        bezier((998, 560), (992, 630), (1036, 700), (1040, 800)),
        bezier((1040, 800), (1046, 930), (990, 1110), (962, 1290)),
    )
    c.fill(inner + outer[::-1], SKIN)

    # The hollow behind the knee (popliteal fossa): a soft diamond between the hamstring
    # tendons above and the two heads of the calf muscle below.
    hollow = chain(
        bezier((800, 330), (740, 420), (690, 520), (668, crease_y)),
        bezier((668, crease_y), (700, 690), (760, 760), (800, 800)),
        bezier((800, 800), (840, 760), (900, 690), (930, crease_y)),
        bezier((930, crease_y), (910, 520), (860, 420), (800, 330)),
    )
    c.fill(hollow, HOLLOW)

    # Hamstring tendons above the crease: inner pair (semitendinosus/semimembranosus) and
    # the outer biceps femoris.
    c.stroke(bezier((700, 150), (700, 330), (680, 470), (662, 585)), DETAIL, 7)
    c.stroke(bezier((905, 150), (915, 330), (930, 470), (948, 585)), DETAIL, 7)

    # The two heads of the calf muscle (gastrocnemius) below the crease.
    c.stroke(bezier((672, 640), (640, 760), (660, 930), (770, 1060)), DETAIL, 7)
    c.stroke(bezier((926, 640), (950, 740), (935, 880), (832, 1010)), DETAIL, 7)
    c.stroke(bezier((800, 830), (798, 900), (796, 980), (800, 1100)), DETAIL, 5)

    # The knee crease: a gentle curve across the back of the knee.
    crease = bezier((640, crease_y + 8), (720, crease_y - 10), (880, crease_y - 10),
                    (960, crease_y + 8))
    c.stroke(crease, PRIMARY, 10)

    # Outline on top of the fill and details.
    c.stroke(inner, PRIMARY, 11)
    c.stroke(outer, PRIMARY, 11)

    # Acupuncture points and their labels.
    bl40 = (800.0, crease_y - 4.5)
    bl39 = (930.0, crease_y - 1.0)
    leader(c, bl40, (680, 470), (470, 470))
    leader(c, bl39, (1090, 470), (1150, 470))
    point_marker(c, bl40)
    point_marker(c, bl39)
    c.text((455, 470), "BL40", 74, ACCENT, "rm")
    c.text((1165, 470), "BL39", 74, ACCENT, "lm")

    c.save(path)


def main() -> None:
    back_of_knee(ROOT / "handouts" / "pain-behind-the-knee" / "figures" / "back-of-knee.png")


if __name__ == "__main__":
    main()
