"""The tri-fold layout: panel order on the sheet, flow between panels, fit, fold guides, print."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pypdf
import pypdfium2
import pytest
import yaml
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import mm

from builder.color import WHITE
from layouts import trifold

from .conftest import HANDOUT_YAML, chars, comparable, invoke, make_project

FIXTURE = Path(__file__).parent / "fixtures" / "trifold-demo"
HANDOUT = FIXTURE / "handouts" / "trifold-demo"
SHEETS = {"a4": (A4[1], A4[0]), "letter": (LETTER[1], LETTER[0])}
LANGUAGES = ["en", "ja", "es", "vi", "zh-Hans", "ko", "ar"]
PHONE = "5555-0142"  # the fixture brand's phone number, in every language


def build(runner, out: Path, *args: str):
    """Build the fixture handout as a tri-fold for its clinic."""
    return invoke(runner, "build", "--root", str(FIXTURE), "-b", "trifold-clinic", "--layout",
                  "trifold", "-o", str(out), *args)


def built(runner, tmp_path: Path, lang: str = "en", paper: str = "a4", *args: str) -> Path:
    """The fixture's tri-fold in one language on one paper."""
    result = build(runner, tmp_path / "out", "-l", lang, "--paper", paper, *args)
    assert result.exit_code == 0, result.output
    suffix = "-print" if "--print-ready" in args else ""
    return tmp_path / "out" / "trifold-clinic" / lang / f"trifold-demo-trifold-{paper}{suffix}.pdf"


def demo(runner, tmp_path: Path, **project: str):
    """Build conftest's demo project, with `project` overrides, as a tri-fold on A4; returns
    the result and the PDF's path."""
    proj = make_project(tmp_path / "proj", **project)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "--layout",
                    "trifold", "-o", str(tmp_path / "out"))
    return result, tmp_path / "out/demo-brand/en/demo-trifold-a4.pdf"


def numbered_paragraphs(count: int) -> str:
    """An en.yaml whose one section is `count` numbered paragraphs of two lines or so."""
    paras = "\n\n".join(f"      Paragraph {n:02d}. This sentence is long enough to fill most of "
                        "a line." for n in range(1, count + 1))
    return f"title: Fit\nsections:\n  - type: about\n    text: |\n{paras}\n"


def thirds(path: Path, side: int) -> list[str]:
    """The text of each third of a sheet side, left to right, in logical order."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[side]
        width, height = page.get_width(), page.get_height()
        text = page.get_textpage()
        return [text.get_text_bounded(left=width * k / 3, bottom=0, right=width * (k + 1) / 3,
                                      top=height) for k in range(3)]
    finally:
        pdf.close()


def translation(lang: str) -> dict:
    return yaml.safe_load((HANDOUT / f"{lang}.yaml").read_text(encoding="utf-8"))


def pixels(path: Path, side: int, scale: float = 2.0):
    """A sheet side as an RGB image, `scale` pixels per point."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        return pdf[side].render(scale=scale).to_pil().convert("RGB")
    finally:
        pdf.close()


def is_white(rgb: tuple[int, int, int]) -> bool:
    return min(rgb) > 245


# -- the sheet ---------------------------------------------------------------------------

@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_two_landscape_sheet_sides(runner, tmp_path: Path, paper: str) -> None:
    pages = pypdf.PdfReader(built(runner, tmp_path, "en", paper)).pages
    assert len(pages) == 2
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(SHEETS[paper])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_shipped_language_builds_on_both_papers(runner, tmp_path: Path, lang: str) -> None:
    result = build(runner, tmp_path / "out", "-l", lang, "--paper", "a4", "--paper", "letter")
    assert result.exit_code == 0, result.output
    assert "Built 2, 0 up to date, 0 failed" in result.output


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("ja", "letter"), ("ar", "a4"),
                                             ("ar", "letter")])
def test_outside_side_is_flap_back_cover_mirrored_for_right_to_left(
        runner, tmp_path: Path, lang: str, paper: str) -> None:
    path = built(runner, tmp_path, lang, paper)
    regions = [comparable(t, lang) for t in thirds(path, 0)]
    rtl = lang == "ar"
    flap, back, cover = regions[::-1] if rtl else regions
    title = comparable(translation(lang)["title"], lang)
    assert title in cover
    assert title not in back and title not in flap
    # The back: the clinic's contact details and the review date.
    assert PHONE.replace("-", "") in back.replace("-", "")
    assert "2026" in back and "2028" in back


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("en", "letter"), ("ja", "a4"),
                                             ("ar", "a4")])
def test_sections_follow_each_other_from_the_inside_to_the_flap(
        runner, tmp_path: Path, lang: str, paper: str) -> None:
    path = built(runner, tmp_path, lang, paper)
    outside, inside = thirds(path, 0), thirds(path, 1)
    if lang == "ar":  # read from the right: inside [4 | 3 | 2], outside [1 | 6 | 5]
        panels = [inside[2], inside[1], inside[0], outside[2]]
    else:  # inside [2 | 3 | 4], outside [5 | 6 | 1]
        panels = [inside[0], inside[1], inside[2], outside[0]]
    panels = [comparable(p, lang) for p in panels]
    reading = " ".join(panels)
    sections = translation(lang)["sections"]
    places = [reading.find(comparable(s["heading"], lang)) for s in sections]
    assert -1 not in places
    assert places == sorted(places)
    assert comparable(sections[0]["heading"], lang) in panels[0]
    assert all(panels[:3]), "every inside panel carries text"
    for section in sections:
        items = [(i.get("text") or i["q"]).replace("*", "")  # **strong** prints unmarked
                 for i in section.get("items", section.get("steps", []))]
        if not items:
            continue
        heading = comparable(section["heading"], lang)
        home = next(p for p in panels if heading in p)
        # No heading alone at a panel's foot: it stands with its first entry.
        assert comparable(items[0], lang)[:20] in home
        if section["type"] == "red_flags":  # the box is never split
            assert all(comparable(item, lang)[:20] in home for item in items)


def test_text_flows_through_all_four_content_panels_in_order(runner, tmp_path: Path) -> None:
    count = 50  # about three and a half panels
    result, path = demo(runner, tmp_path, en=numbered_paragraphs(count))
    assert result.exit_code == 0, result.output
    outside, inside = thirds(path, 0), thirds(path, 1)
    numbers = [[int(n) for n in re.findall(r"Paragraph (\d+)", panel)]
               for panel in (inside[0], inside[1], inside[2], outside[0])]
    assert all(numbers), numbers
    assert [n for panel in numbers for n in panel] == list(range(1, count + 1))
    assert not re.search(r"Paragraph \d", outside[1] + outside[2])


def test_body_text_is_eleven_point_and_the_cover_title_white_on_the_brand_colour(
        runner, tmp_path: Path) -> None:
    path = built(runner, tmp_path)
    inside = [c for c in chars(path) if c.page == 2]
    sizes = [round(c.size, 1) for c in inside]
    assert max(set(sizes), key=sizes.count) == 11.0
    width = SHEETS["a4"][0]
    cover = [c for c in chars(path) if c.page == 1 and c.x > width * 2 / 3]
    title = [c for c in cover if c.size > 20]
    assert "".join(c.text for c in title) == "Youracupuncturesession"
    assert {c.color for c in title} == {(255, 255, 255)}
    image = pixels(path, 0)
    top = SHEETS["a4"][1] - max(c.y for c in title)  # from the top of the image
    band = image.getpixel((round((width - 3 * mm) * 2), round(top * 2)))
    assert band == (0x1A, 0x4D, 0x66)  # the clinic's primary colour


def test_each_sheet_side_names_the_clinic_the_review_date_and_its_page(runner,
                                                                       tmp_path: Path) -> None:
    path = built(runner, tmp_path)
    for side in (0, 1):
        text = " ".join(thirds(path, side))
        assert "Hinode Acupuncture Clinic" in text
        assert PHONE in text
        assert f"Last reviewed November 1, 2026 · Page {side + 1} of 2" in text
        assert f"Page {2 - side} of 2" not in text


def test_short_text_leaves_empty_panels_but_keeps_the_back_and_footer(runner,
                                                                     tmp_path: Path) -> None:
    result, path = demo(runner, tmp_path)
    assert result.exit_code == 0, result.output
    outside, inside = thirds(path, 0), thirds(path, 1)
    assert "Does it hurt?" in inside[0] and not outside[0].strip()
    assert "Sources" in outside[1] and "Demo handout" in outside[2]
    # Panel 4 got no text, yet the inside side still names the clinic and the review date.
    assert inside[2].split() == ["Demo", "Clinic", "·", "+1", "555-0100", "example.org",
                                 "Last", "reviewed", "November", "1,", "2026", "·", "Page", "2",
                                 "of", "2"]


def test_the_same_input_gives_the_same_bytes(runner, tmp_path: Path) -> None:
    first = built(runner, tmp_path / "one", "ar", "a4", "--print-ready", "--fold-guides")
    second = built(runner, tmp_path / "two", "ar", "a4", "--print-ready", "--fold-guides")
    assert first.read_bytes() == second.read_bytes()


def test_sources_stay_on_the_back_when_they_fit(runner, tmp_path: Path) -> None:
    path = built(runner, tmp_path)
    outside = thirds(path, 0)
    assert "Sources" in outside[1]
    assert "Sources" not in " ".join([outside[0], outside[2], *thirds(path, 1)])


def test_sources_that_do_not_fit_on_the_back_follow_the_text(runner, tmp_path: Path) -> None:
    sources = "".join(f"  - id: ref{n}\n    citation: \"Author {n}. A long title of a study "
                      f"that takes room. Journal 2020;{n}:1-2\"\n    url: https://doi.org/10.1/{n}\n"
                      for n in range(2, 26))
    result, path = demo(runner, tmp_path, handout=HANDOUT_YAML + sources)
    assert result.exit_code == 0, result.output
    outside, inside = thirds(path, 0), thirds(path, 1)
    content = " ".join([*inside, outside[0]])
    assert "Sources" in content and "Author 25." in content
    assert "Sources" not in outside[1]
    assert "Last reviewed November 1, 2026 · Page 1 of 2" in outside[1]
    assert "Next review due November 1, 2028" in content


# -- fit ---------------------------------------------------------------------------------

def test_text_past_the_last_panel_is_a_located_error(runner, tmp_path: Path) -> None:
    faq = "".join(f"      - q: Question number {n}?\n        a: {'A long answer. ' * 12}\n"
                  for n in range(30))
    en = "title: Long\nsections:\n  - type: about\n    text: Short.\n  - type: faq\n" \
         f"    items:\n{faq}"
    result, _ = demo(runner, tmp_path, en=en)
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "does not fit" in x]
    assert re.fullmatch(
        r".*/handouts/demo/en\.yaml:5:5: sections\[1\]: does not fit the trifold layout "
        r"\(6 panels\) on a4 paper for demo-brand: 'faq' overflows by \d+ lines; shorten the "
        r"text, or allow `fit: shrink` in handout.yaml", line), line
    assert int(re.search(r"by (\d+) lines", line).group(1)) > 20
    assert not list(tmp_path.rglob("*.pdf"))


def test_fit_shrink_steps_down_to_ten_point(runner, tmp_path: Path) -> None:
    def builds(count: int, handout: str) -> bool:
        folder = tmp_path / f"{count}-{len(handout)}"
        result, _ = demo(runner, folder, en=numbered_paragraphs(count), handout=handout)
        return result.exit_code == 0

    # The shortest text that overflows at 11 pt.
    fits, overflows = 20, 200
    while overflows - fits > 1:
        middle = (fits + overflows) // 2
        fits, overflows = (middle, overflows) if builds(middle, HANDOUT_YAML) else \
            (fits, middle)
    assert builds(overflows, HANDOUT_YAML + "fit: shrink\n")
    assert trifold.BODY_SIZE == 11 and trifold.BODY_FLOOR == 10


# -- folding -----------------------------------------------------------------------------

def fold_positions(paper: str, side: int, rtl: bool = False) -> list[float]:
    """Fold positions from the left of a sheet side: the folded-in panel is the narrow one."""
    width = SHEETS[paper][0]
    wide = (width + 2 * mm) / 3
    narrow = wide - 2 * mm
    narrow_first = (side == 0) != rtl  # outside [5 | 6 | 1], inside [2 | 3 | 4]
    return [narrow, narrow + wide] if narrow_first else [wide, 2 * wide]


def marked(image, x: float, top: float, bottom: float, scale: float = 2.0) -> bool:
    """Whether anything is drawn in a thin column at x between two heights (points from the
    top of the image)."""
    column = round(x * scale)
    return any(not is_white(image.getpixel((c, r)))
               for c in range(column - 1, column + 2)
               for r in range(round(top * scale), round(bottom * scale)))


@pytest.mark.parametrize(("lang", "paper"), [("en", "a4"), ("en", "letter"), ("ar", "a4")])
def test_fold_guides_only_when_asked(runner, tmp_path: Path, lang: str, paper: str) -> None:
    plain = built(runner, tmp_path / "plain", lang, paper)
    guided = built(runner, tmp_path / "guided", lang, paper, "--fold-guides")
    height = SHEETS[paper][1]
    for side in (0, 1):
        with_guides, without = pixels(guided, side), pixels(plain, side)
        for x in fold_positions(paper, side, rtl=lang == "ar"):
            for top, bottom in ((0, 4 * mm), (height - 4 * mm, height)):
                assert marked(with_guides, x, top, bottom), (side, x, top)
                assert not marked(without, x, top, bottom), (side, x, top)
            # Light, and short: the guides leave the rest of the fold as it was.
            assert all(min(with_guides.getpixel((round(x * 2) + dx, y))) > 100
                       for dx in (-1, 0, 1) for y in range(round(4 * mm * 2)))
            middle = (round(x * 2) - 1, round(12 * mm * 2), round(x * 2) + 2,
                      round((height - 12 * mm) * 2))
            assert with_guides.crop(middle).tobytes() == without.crop(middle).tobytes()


def test_the_narrow_panel_is_the_one_that_folds_in() -> None:
    assert trifold.panel_width("a4", 4) == pytest.approx(trifold.panel_width("a4", 2) - 2 * mm)
    assert trifold.panel_width("a4", 5) == trifold.panel_width("a4", 4)
    widths = [trifold.panel_width("letter", p) for p in (5, 6, 1)]
    assert sum(widths) == pytest.approx(SHEETS["letter"][0])


# -- print -------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ar"])
def test_print_ready_boxes_fold_marks_and_bleed(runner, tmp_path: Path, lang: str) -> None:
    path = built(runner, tmp_path, lang, "a4", "--print-ready")
    width, height = SHEETS["a4"]
    bleed = 3 * mm
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 2
    for page in reader.pages:
        trim, bleed_box = page.trimbox, page.bleedbox
        assert (float(trim.width), float(trim.height)) == pytest.approx((width, height))
        assert float(trim.left) - float(bleed_box.left) == pytest.approx(bleed)
        assert float(bleed_box.top) - float(trim.top) == pytest.approx(bleed)
    trim = reader.pages[0].trimbox
    left = float(trim.left)
    top = float(reader.pages[0].mediabox.top) - float(trim.top)  # from the top of the image
    rtl = lang == "ar"
    for side in (1, 0):  # the folds of the inside side differ from the outside's
        image = pixels(path, side)
        for x in fold_positions("a4", side, rtl):
            # Fold marks stand in the slug above the trim, clear of the bleed.
            assert marked(image, left + x, top - bleed - 6 * mm, top - bleed - 1.5 * mm)
    # The cover's band runs into the bleed at the sheet's edge, and stops at the fold.
    band_y = round((top + 65 * mm) * 2)
    edge = left - bleed / 2 if rtl else left + width + bleed / 2
    cover_fold = fold_positions("a4", 0, rtl)[0 if rtl else 1]
    inner = left + cover_fold + (1.5 * mm if rtl else -1.5 * mm)
    assert not is_white(image.getpixel((round(edge * 2), band_y)))
    assert is_white(image.getpixel((round(inner * 2), band_y)))


def test_band_text_is_white_only_where_it_is_legible() -> None:
    dark = SimpleNamespace(theme=SimpleNamespace(primary="#1A4D66"))
    light = SimpleNamespace(theme=SimpleNamespace(primary="#4FA3D1"))
    assert trifold._band_colors(dark) == ("#1A4D66", WHITE)  # type: ignore[arg-type]
    band, text = trifold._band_colors(light)  # type: ignore[arg-type]
    assert text == "#4FA3D1" and band != "#4FA3D1"
