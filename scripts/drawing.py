"""Geometry shared by the drawing scripts (figures and logos)."""

from __future__ import annotations

Point = tuple[float, float]
RGB = tuple[int, int, int]


def bezier(p0: Point, p1: Point, p2: Point, p3: Point, steps: int = 200) -> list[Point]:
    """Sample a cubic Bezier curve into ``steps + 1`` points."""
    points = []
    for i in range(steps + 1):
        t = i / steps
        u = 1 - t
        x = u**3 * p0[0] + 3 * u**2 * t * p1[0] + 3 * u * t**2 * p2[0] + t**3 * p3[0]
        y = u**3 * p0[1] + 3 * u**2 * t * p1[1] + 3 * u * t**2 * p2[1] + t**3 * p3[1]
        points.append((x, y))
    return points
