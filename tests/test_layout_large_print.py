"""The large-print layout, read back: sizes, spacing, no italics, contrast, all the text."""

from __future__ import annotations

import itertools
from collections import defaultdict
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner

from builder.color import contrast, tint, to_hex
from builder.text import paragraphs, plain_text
from builder.theme import RED_FLAG_TINT, SUMMARY_TINT

from .conftest import Char, chars, comparable, embedded_fonts, fold, invoke, pdf_text

HANDOUT = "acupuncture-session"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("large-print")
    runner = CliRunner()
    for lang, brand in (("en", "hinode-tokyo"), ("ja", "hinode-tokyo"), ("ar", "hinode-tokyo"),
                        ("en", "riverbend-physio")):
        result = invoke(runner, "build", HANDOUT, "-l", lang, "-b", brand, "--layout",
                        "large-print", "-o", str(out))
        assert result.exit_code == 0, result.output
    return {f"{p.parent.parent.name}/{p.parent.name}": p for p in out.rglob("*.pdf")}


def test_every_character_is_at_least_16_pt(built: dict[str, Path]) -> None:
    for name, pdf in built.items():
        small = {c.text for c in chars(pdf) if c.size < 16 - 0.01}
        assert not small, f"{name}: characters below 16 pt: {sorted(small)[:20]}"


def test_body_is_18_pt_and_headings_at_least_22(built: dict[str, Path], library) -> None:
    pdf = built["hinode-tokyo/en"]
    tr = library.handouts[HANDOUT].translations["en"]
    by_size: dict[float, str] = defaultdict(str)
    for c in chars(pdf):
        by_size[round(c.size, 1)] += c.text
    assert max(by_size, key=lambda s: len(by_size[s])) == 18.0  # most text is body
    headings = "".join(by_size[s] for s in by_size if s >= 22)
    for section in tr.sections:
        if section.heading:
            assert "".join(section.heading.split()) in headings, section.heading


def test_lines_are_spaced_at_least_one_and_a_half(built: dict[str, Path]) -> None:
    for name in ("hinode-tokyo/en", "hinode-tokyo/ja"):
        baselines: dict[int, set[float]] = defaultdict(set)
        for c in chars(built[name]):
            if abs(c.size - 18) < 0.01:
                baselines[c.page].add(round(c.y, 1))
        gaps = [a - b for ys in baselines.values()
                for a, b in itertools.pairwise(sorted(ys, reverse=True))]
        assert gaps and min(gaps) >= 18 * 1.5 - 0.1, (name, min(gaps))


def test_no_italic_font_is_used(built: dict[str, Path]) -> None:
    for name, pdf in built.items():
        fonts = embedded_fonts(pdf)
        assert all(fonts.values()), name
        assert not [f for f in fonts if "Italic" in f], (name, list(fonts))


def test_text_contrast_is_at_least_7_to_1(built: dict[str, Path], library) -> None:
    for name, pdf in built.items():
        brand_colors = library.brands[name.split("/")[0]].colors
        # Text stands on white, in the tinted summary panel and in the red-flag box.
        grounds = ["#FFFFFF", tint(brand_colors.accent, RED_FLAG_TINT),
                   tint(brand_colors.primary, SUMMARY_TINT)]
        found = chars(pdf)
        heading = _hex(next(c.color for c in found if c.size >= 22))
        for color in {c.color for c in found}:
            hex_color = _hex(color)
            # White is only used for the numbers on list discs, drawn in the heading colour.
            on = [heading] if hex_color == "#FFFFFF" else grounds
            worst = min(contrast(hex_color, g) for g in on)
            assert worst >= 7.0, f"{name}: {hex_color} reaches only {worst:.2f}:1"


def _hex(color: tuple[int, int, int]) -> str:
    return to_hex(tuple(v / 255 for v in color))  # type: ignore[arg-type]


def test_all_the_text_is_there_and_left_aligned(built: dict[str, Path], library) -> None:
    for name, pdf in built.items():
        lang = name.split("/")[1]
        tr = library.handouts[HANDOUT].translations[lang]
        text = comparable(pdf_text(pdf, lang), lang)
        for section in tr.sections:
            for item in section.items:
                for para in paragraphs(item.text):
                    assert comparable(fold(plain_text(para)), lang) in text, (name, para)
    # Body lines of a left-to-right page all start at the same left edge (never justified
    # or centred): the most common line start is the margin.
    starts = _line_starts(chars(built["hinode-tokyo/en"]))
    assert max(starts.values()) > 0.4 * sum(starts.values())


def _line_starts(found: list[Char]) -> dict[float, int]:
    first: dict[tuple[int, float], float] = {}
    for c in found:
        key = (c.page, round(c.y, 1))
        first[key] = min(first.get(key, c.x), c.x)
    counts: dict[float, int] = defaultdict(int)
    for x in first.values():
        counts[round(x)] += 1
    return counts


def test_arabic_large_print_aligns_right(built: dict[str, Path]) -> None:
    found = [c for c in chars(built["hinode-tokyo/ar"]) if abs(c.size - 18) < 0.01]
    page_width = float(pypdf.PdfReader(built["hinode-tokyo/ar"]).pages[0].mediabox.width)
    ends: dict[tuple[int, float], float] = {}
    for c in found:
        key = (c.page, round(c.y, 1))
        ends[key] = max(ends.get(key, c.right), c.right)
    # Most body lines end at the same right edge, in the right half of the page.
    counts: dict[int, int] = defaultdict(int)
    for x in ends.values():
        counts[round(x / 4)] += 1
    edge, hits = max(counts.items(), key=lambda kv: kv[1])
    assert edge * 4 > page_width / 2 and hits > 0.3 * len(ends)


def test_no_page_budget_and_a_footer_on_every_page(built: dict[str, Path]) -> None:
    pdf = built["riverbend-physio/en"]
    reader = pypdf.PdfReader(pdf)
    pages = len(reader.pages)
    assert pages > 2  # far more than a leaflet's two pages, and that is allowed
    for n, page in enumerate(reader.pages, start=1):
        text = fold(page.extract_text())
        assert f"Page {n} of {pages}" in text
        assert "Last reviewed" in text
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
