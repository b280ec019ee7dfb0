"""Draw the logos of the two example clinic brands shipped with Handout Builder.

The marks are built from simple geometry (Bezier ribbons, discs and cut-outs) on
a transparent canvas four times the final size, then downsampled with LANCZOS
for smooth anti-aliased edges.  They contain no text: the builder typesets the
clinic name itself.

Usage (from the repository root)::

    python scripts/make_logos.py

Writes ``assets/brands/hinode-tokyo/logo.png`` and
``assets/brands/riverbend-physio/logo.png``.  Requires Pillow only.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path

from drawing import RGB, Point, bezier
from PIL import Image, ImageChops, ImageDraw

SIZE = 600  # final edge length in pixels
SCALE = 4  # supersampling factor
BRANDS_DIR = Path(__file__).resolve().parent.parent / "assets" / "brands"


def hex_rgb(value: str) -> RGB:
    """Convert ``#RRGGBB`` to an RGB tuple."""
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def ribbon(path: Sequence[Point], width: Callable[[float], float]) -> list[Point]:
    """Outline a stroke along ``path`` whose width at fraction t is ``width(t)``."""
    left: list[Point] = []
    right: list[Point] = []
    last = len(path) - 1
    for i, (x, y) in enumerate(path):
        ax, ay = path[max(i - 1, 0)]
        bx, by = path[min(i + 1, last)]
        dx, dy = bx - ax, by - ay
        norm = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / norm, dx / norm
        half = width(i / last) / 2
        left.append((x + nx * half, y + ny * half))
        right.append((x - nx * half, y - ny * half))
    return left + right[::-1]


def leaf_width(max_width: float, base: float = 0.85) -> Callable[[float], float]:
    """Width profile of a pointed leaf: zero at both ends, widest nearer the stalk.

    ``base`` below 1 moves the widest point towards the stalk and sharpens the tip.
    """
    return lambda t: max_width * math.sin(math.pi * t**base) ** 1.1


def line(a: Point, b: Point) -> list[Point]:
    """A straight path from ``a`` to ``b``."""
    return [a, b]


class Mark:
    """A supersampled RGBA canvas addressed in final-size (600 px) coordinates."""

    def __init__(self) -> None:
        side = SIZE * SCALE
        self.image = Image.new("RGBA", (side, side), (0, 0, 0, 0))

    def _mask(self, shape: Callable[[ImageDraw.ImageDraw], None]) -> Image.Image:
        mask = Image.new("L", self.image.size, 0)
        shape(ImageDraw.Draw(mask))
        return mask

    @staticmethod
    def _scaled(points: Sequence[Point]) -> list[Point]:
        return [(x * SCALE, y * SCALE) for x, y in points]

    def polygon(self, points: Sequence[Point], color: RGB) -> None:
        """Fill a polygon."""
        mask = self._mask(lambda d: d.polygon(self._scaled(points), fill=255))
        self.image.paste((*color, 255), mask=mask)

    def disc(self, centre: Point, radius: float, color: RGB) -> None:
        """Fill a circle."""
        self.image.paste((*color, 255), mask=self._disc_mask(centre, radius))

    def erase_polygon(self, points: Sequence[Point]) -> None:
        """Make a polygon fully transparent (a cut-out)."""
        self._erase(self._mask(lambda d: d.polygon(self._scaled(points), fill=255)))

    def _disc_mask(self, centre: Point, radius: float) -> Image.Image:
        (x, y), r = self._scaled([centre])[0], radius * SCALE
        return self._mask(lambda d: d.ellipse((x - r, y - r, x + r, y + r), fill=255))

    def _erase(self, mask: Image.Image) -> None:
        alpha = ImageChops.subtract(self.image.getchannel("A"), mask)
        self.image.putalpha(alpha)

    def save(self, path: Path) -> None:
        """Downsample with LANCZOS and write an optimized PNG."""
        path.parent.mkdir(parents=True, exist_ok=True)
        final = self.image.resize((SIZE, SIZE), Image.Resampling.LANCZOS)
        final.save(path, optimize=True)


def hinode(primary: RGB, accent: RGB) -> Mark:
    """Hinode: a vermilion sun rising behind a leaf whose midrib is a needle."""
    mark = Mark()
    mark.disc((262.0, 214.0), 132.0, accent)

    # The leaf runs from its stem (lower left) to its tip (upper right).
    stem, tip = (178.0, 452.0), (500.0, 150.0)
    axis = bezier(stem, (250.0, 400.0), (410.0, 270.0), tip)
    mark.erase_polygon(ribbon(axis, leaf_width(200.0)))  # halo between leaf and sun
    mark.polygon(ribbon(axis, leaf_width(168.0)), primary)

    # Needle shaft: a fine cut along the midrib, tapering to a point.
    mark.erase_polygon(ribbon(axis[10:182], lambda t: 8.0 * (1 - t) + 1.0))

    # Needle handle, doubling as the leaf stalk: a short bar with coil grooves,
    # continuing the leaf's axis backwards from the stem.
    (ax, ay), (bx, by) = axis[0], axis[1]
    norm = math.hypot(bx - ax, by - ay)
    ux, uy = (bx - ax) / norm, (by - ay) / norm
    sx, sy = stem[0] + ux * 10, stem[1] + uy * 10

    def along(d: float) -> Point:
        """The point ``d`` pixels down the handle from the leaf."""
        return sx - ux * d, sy - uy * d

    mark.polygon(ribbon(line(along(0), along(104)), lambda t: 20.0), primary)
    for k in range(5):
        mark.erase_polygon(ribbon(line(along(30 + k * 15), along(34 + k * 15)), lambda t: 26.0))
    mark.disc(along(110), 11.0, primary)
    return mark


def riverbend(primary: RGB, accent: RGB) -> Mark:
    """Riverbend: a river bending like a knee, with a leaf at the kneecap."""
    mark = Mark()
    thigh = ((80.0, 126.0), (220.0, 126.0), (380.0, 166.0), (388.0, 286.0))
    shin = ((388.0, 286.0), (394.0, 386.0), (300.0, 446.0), (226.0, 506.0))
    bend = bezier(*thigh)[:-1] + bezier(*shin)
    last = len(bend) - 1

    def strand(offset: float, width: float, start: float, end: float) -> list[Point]:
        """One current of the river, beside the centre line, tapering to fine points."""
        path = ribbon(bend, lambda t: 2 * offset)[: last + 1]
        path = path[round(start * last) : round(end * last) + 1]
        return ribbon(path, lambda t: width * math.sin(math.pi * t) ** 0.6)

    mark.polygon(strand(-30.0, 64.0, 0.0, 1.0), primary)
    mark.polygon(strand(38.0, 30.0, 0.12, 0.9), primary)

    # Leaf on the outside of the bend, where the kneecap sits.
    leaf_axis = bezier((430.0, 300.0), (466.0, 250.0), (498.0, 190.0), (514.0, 96.0))
    mark.erase_polygon(ribbon(leaf_axis, leaf_width(140.0)))  # halo between leaf and river
    mark.polygon(ribbon(leaf_axis, leaf_width(112.0)), accent)
    mark.erase_polygon(ribbon(leaf_axis[26:178], lambda t: 6.0 * (1 - t) + 1.0))
    return mark


def main() -> None:
    """Draw both logos and write them into their brand folders."""
    logos = {
        "hinode-tokyo": hinode(hex_rgb("#1A4D66"), hex_rgb("#B33A1E")),
        "riverbend-physio": riverbend(hex_rgb("#17695A"), hex_rgb("#A04A14")),
    }
    for brand, mark in logos.items():
        path = BRANDS_DIR / brand / "logo.png"
        mark.save(path)
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
