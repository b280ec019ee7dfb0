"""sRGB colours: parsing, tints and WCAG contrast."""

from __future__ import annotations

WHITE = "#FFFFFF"


def rgb(hex_color: str) -> tuple[float, float, float]:
    """'#1B4F72' -> (r, g, b) in 0..1."""
    value = hex_color.lstrip("#")
    return tuple(int(value[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def to_hex(color: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(max(0.0, min(1.0, c)) * 255):02X}" for c in color)


def tint(hex_color: str, amount: float) -> str:
    """The colour mixed with white: amount 0 is white, 1 is the colour itself."""
    return to_hex(tuple(1 - amount * (1 - c) for c in rgb(hex_color)))  # type: ignore[arg-type]


def luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb(hex_color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(foreground: str, background: str = WHITE) -> float:
    """WCAG 2 contrast ratio, from 1 to 21."""
    a, b = luminance(foreground), luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def darken_to(hex_color: str, ratio: float, *backgrounds: str) -> str:
    """The colour, darkened just enough to reach `ratio` on white and on every background."""
    if ratio <= 0:
        return hex_color
    grounds = (WHITE, *backgrounds)
    color = rgb(hex_color)
    for step in range(101):
        candidate = to_hex(tuple(c * (1 - step / 100) for c in color))  # type: ignore[arg-type]
        if all(contrast(candidate, g) >= ratio for g in grounds):
            return candidate
    return "#000000"
