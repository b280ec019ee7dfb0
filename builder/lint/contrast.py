"""Brand colours against every background the layouts print them on (WCAG 2 contrast)."""

from __future__ import annotations

from dataclasses import dataclass

from ..color import WHITE, contrast, tint
from ..errors import Problem
from ..model import Brand
from ..source import Source
from ..theme import RED_FLAG_TINT, SUMMARY_TINT

NORMAL_TEXT = 4.5  # WCAG 1.4.3 (AA) for text below 18 pt (14 pt bold)
LARGE_TEXT = 3.0   # WCAG 1.4.3 (AA) for large text: headings at 14 pt bold or more


@dataclass(frozen=True)
class Pairing:
    """One brand colour printed on one background, and the contrast it needs there."""

    color: str       # the brand colour's name in brand.yaml (colors.<name>)
    background: str  # 'page', 'summary' or 'red_flags'
    minimum: float
    what: str        # what is printed in that colour there


# Every place a layout prints text in a brand colour. Sizes are the leaflet's (11 pt body):
# headings are 14 pt bold and the title 23 pt bold (large text); small headings, links and
# the emergency line are body-sized or smaller.
PAIRINGS = (
    Pairing("text", "page", NORMAL_TEXT, "body text"),
    Pairing("text", "summary", NORMAL_TEXT, "the summary"),
    Pairing("text", "red_flags", NORMAL_TEXT, "red-flag items"),
    Pairing("primary", "page", LARGE_TEXT, "the title and headings"),
    Pairing("primary", "page", NORMAL_TEXT, "links, small headings and the booking line"),
    Pairing("primary", "summary", NORMAL_TEXT, "links in the summary"),
    Pairing("accent", "red_flags", LARGE_TEXT, "the red-flag heading"),
    Pairing("accent", "red_flags", NORMAL_TEXT, "the emergency number line"),
)


def backgrounds(brand: Brand) -> dict[str, str]:
    """The page and the tinted panels as the theme paints them."""
    return {"page": WHITE, "summary": tint(brand.colors.primary, SUMMARY_TINT),
            "red_flags": tint(brand.colors.accent, RED_FLAG_TINT)}


def contrast_problems(brand: Brand, source: Source) -> list[Problem]:
    """Each colour that falls short somewhere, once, where it falls shortest."""
    grounds = backgrounds(brand)
    worst: dict[str, tuple[float, Pairing]] = {}
    for pairing in PAIRINGS:
        ratio = contrast(getattr(brand.colors, pairing.color), grounds[pairing.background])
        margin = ratio / pairing.minimum
        if margin < 1 and margin < worst.get(pairing.color, (1.0, pairing))[0]:
            worst[pairing.color] = (margin, pairing)
    out = []
    for name, (_margin, pairing) in worst.items():
        color = getattr(brand.colors, name)
        ground = grounds[pairing.background]
        place = "white" if pairing.background == "page" else \
            f"the {pairing.background.replace('_', '-')} panel ({ground})"
        out.append(source.problem(("colors", name), (
            f"{color} on {place} has contrast {contrast(color, ground):.1f}:1; at least "
            f"{pairing.minimum:g}:1 is needed for {pairing.what}; choose a darker colour")))
    return out
