"""The two-sided aftercare card: its size, what is on each side, type size, and its errors."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from reportlab.lib.units import inch, mm

from .conftest import (
    BRAND_YAML,
    HANDOUT_YAML,
    chars,
    comparable,
    embedded_fonts,
    fold,
    invoke,
    make_project,
    page_texts,
    write,
)

AFTERCARE = [
    "Avoid hard exercise and heavy work for 24 hours.",
    "Drink water.",
    "Avoid alcohol for the rest of the day.",
    "Get up slowly. Do not drive if you feel dizzy.",
    "Keep the needle spots clean. A small bruise is normal.",
]
MORE_AFTERCARE = [
    "Keep doing the exercises your physiotherapist gave you.",
    "Score your pain each day from 0 (none) to 10 (worst).",
    "Your knee may feel sorer for a day or two. Call us if it lasts longer.",
    "Keep the plaster on for an hour.",
    "Rest your leg on a cushion tonight.",
    "Take a short walk every hour you are awake.",
    "Sleep with a pillow under your knee.",
]
RED_FLAGS = [
    "Swelling in your calf that is warm, red or sore.",
    "Fever, or spreading redness where a needle went in.",
    "Sudden breathlessness or chest pain.",
]


def card_yaml(aftercare: list[str] = AFTERCARE, red_flags: list[str] = RED_FLAGS, *,
              with_aftercare: bool = True, with_red_flags: bool = True) -> str:
    """A handout text with the sections a card leaves out, around the two it prints."""
    lines = ["title: Your acupuncture session", "sections:",
             "  - type: about", "    text: Acupuncture uses very fine needles.",
             "  - type: precautions", "    items:",
             "      - id: blood-thinners", "        text: Tell us if you take blood thinners."]
    if with_aftercare:
        lines += ["  - type: aftercare", "    heading: After your session", "    items:"]
        lines += [f"      - id: care-{n}\n        text: \"{t}\"" for n, t in enumerate(aftercare)]
    if with_red_flags:
        lines += ["  - type: red_flags", "    items:"]
        lines += [f"      - id: flag-{n}\n        text: \"{t}\"" for n, t in enumerate(red_flags)]
    lines += ["  - type: faq", "    items:",
              "      - q: Does it hurt?", "        a: Most people feel little."]
    return "\n".join(lines) + "\n"


def build_card(tmp_path: Path, runner, monkeypatch: pytest.MonkeyPatch, en: str | None = None,
               *args: str, handout: str = HANDOUT_YAML, brand: str = BRAND_YAML):
    """Build the card of a one-handout project; returns the CLI result and the PDF's path."""
    proj = make_project(tmp_path / "proj", en=en or card_yaml(), handout=handout, brand=brand)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "--layout",
                    "card", "-o", "out", *args)
    paper = "letter" if "paper: letter" in brand else "a4"
    return result, tmp_path / f"out/demo-brand/en/demo-card-{paper}.pdf"


def line_of(text: str, needle: str) -> int:
    return text.splitlines().index(needle) + 1


def sizes_of(pdf: Path, page: int, text: str) -> set[float]:
    """Font sizes of the characters that spell `text` (spaces aside) on a page."""
    page_chars = [c for c in chars(pdf) if c.page == page]
    spelled = "".join(c.text for c in page_chars)
    start = spelled.index(text.replace(" ", ""))
    return {round(c.size, 2) for c in page_chars[start:start + len(text.replace(" ", ""))]}


# -- size and sides ------------------------------------------------------------------------

@pytest.mark.parametrize(("paper", "size"), [
    ("a4", (105 * mm, 148 * mm)),          # A6 for A4 brands
    ("letter", (4 * inch, 6 * inch)),      # 4 x 6 in for US Letter brands
])
def test_card_is_a6_or_4x6_in_with_two_sides(tmp_path, runner, monkeypatch, paper: str,
                                             size: tuple[float, float]) -> None:
    brand = BRAND_YAML.replace("paper: a4", f"paper: {paper}")
    result, pdf = build_card(tmp_path, runner, monkeypatch, brand=brand)
    assert result.exit_code == 0, result.output
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) == 2
    assert all(embedded_fonts(pdf).values())  # no hidden Helvetica from the card's furniture
    for page in pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == \
            pytest.approx(size, abs=0.01)


def test_front_has_aftercare_and_next_appointment_back_has_red_flags_and_contact(
        tmp_path, runner, monkeypatch) -> None:
    result, pdf = build_card(tmp_path, runner, monkeypatch)
    assert result.exit_code == 0, result.output
    front, back = (comparable(t, "en") for t in page_texts(pdf))
    raw_back = fold(page_texts(pdf)[1])
    assert "Your acupuncture session" in front and "After your session" in front
    for item in AFTERCARE:
        assert comparable(item, "en") in front
    assert "Next appointment" in front
    assert "When to get urgent help" in back
    for flag in RED_FLAGS:
        assert comparable(flag, "en") in back and comparable(flag, "en") not in front
    assert "In an emergency, call 911." in back
    assert "+1 555-0100" in raw_back
    assert "1 Example Road, Example Town" in raw_back and "example.org" in raw_back


def test_precautions_and_faq_are_not_on_the_card(tmp_path, runner, monkeypatch) -> None:
    result, pdf = build_card(tmp_path, runner, monkeypatch)
    assert result.exit_code == 0, result.output
    text = " ".join(page_texts(pdf))
    assert "blood thinners" not in text and "Does it hurt?" not in text


def test_every_side_has_a_footer_with_phone_review_date_and_page(tmp_path, runner,
                                                                monkeypatch) -> None:
    result, pdf = build_card(tmp_path, runner, monkeypatch)
    assert result.exit_code == 0, result.output
    for number, text in enumerate(page_texts(pdf), start=1):
        text = fold(text)
        assert f"Page {number} of 2" in text
        assert "Last reviewed November 1, 2026" in text
        assert "+1 555-0100" in text and "Demo Clinic" in text


def test_body_text_is_at_least_11_pt(tmp_path, runner, monkeypatch) -> None:
    result, pdf = build_card(tmp_path, runner, monkeypatch)
    assert result.exit_code == 0, result.output
    for item in AFTERCARE:
        assert min(sizes_of(pdf, 1, item)) >= 11
    for flag in RED_FLAGS:
        assert min(sizes_of(pdf, 2, flag)) >= 11
    assert min(sizes_of(pdf, 1, "Next appointment")) >= 11


def test_the_booking_code_is_printed_when_the_back_has_room(tmp_path, runner,
                                                            monkeypatch) -> None:
    brand = BRAND_YAML + "booking_url: https://example.org/book\n"
    result, pdf = build_card(tmp_path, runner, monkeypatch, brand=brand)
    assert result.exit_code == 0, result.output
    assert "example.org/book" in page_texts(pdf)[1]
    assert "Book your next visit" in page_texts(pdf)[1]


# -- what does not fit, and what cannot be a card ------------------------------------------

def test_too_many_aftercare_items_is_a_located_error(tmp_path, runner, monkeypatch) -> None:
    en = card_yaml(AFTERCARE * 3)
    result, pdf = build_card(tmp_path, runner, monkeypatch, en)
    assert result.exit_code == 1
    line = line_of(en, "  - type: aftercare")
    assert re.search(rf"handouts/demo/en\.yaml:{line}:5: sections\[2\]: does not fit the card "
                     r"layout \(2 sides\) on a4 paper for demo-brand: 'aftercare' overflows "
                     r"the front by \d+ lines?", result.output), result.output
    assert not pdf.exists()


def test_red_flags_too_long_for_the_back_is_a_located_error(tmp_path, runner,
                                                            monkeypatch) -> None:
    en = card_yaml(red_flags=RED_FLAGS * 4)
    result, pdf = build_card(tmp_path, runner, monkeypatch, en)
    assert result.exit_code == 1
    line = line_of(en, "  - type: red_flags")
    assert re.search(rf"handouts/demo/en\.yaml:{line}:5: sections\[3\]: does not fit the card "
                     r"layout \(2 sides\) on a4 paper for demo-brand: 'red_flags' overflows "
                     r"the back by \d+ lines?", result.output), result.output
    assert not pdf.exists()


def test_fit_shrink_sets_a_card_that_is_one_line_too_long_in_smaller_type(
        tmp_path, runner, monkeypatch) -> None:
    en = card_yaml([*AFTERCARE, *MORE_AFTERCARE])  # a line more than the front holds at 11 pt
    result, _ = build_card(tmp_path, runner, monkeypatch, en)
    assert result.exit_code == 1
    assert re.search(r"'aftercare' overflows the front by \d+ lines?; shorten the text, or "
                     r"allow `fit: shrink`", result.output), result.output
    shrink = HANDOUT_YAML + "fit: shrink\n"
    result, pdf = build_card(tmp_path / "shrink", runner, monkeypatch, en, handout=shrink)
    assert result.exit_code == 0, result.output
    assert 10 <= min(sizes_of(pdf, 1, "Drink water.")) < 11


@pytest.mark.parametrize(("keep", "missing"), [
    ({"with_aftercare": False}, "a section of type 'aftercare' (Looking after yourself "
                                "afterwards), and this handout has none"),
    ({"with_red_flags": False}, "a section of type 'red_flags' (When to get urgent help), and "
                                "this handout has none"),
])
def test_a_handout_without_aftercare_or_red_flags_cannot_make_a_card(
        tmp_path, runner, monkeypatch, keep: dict[str, bool], missing: str) -> None:
    result, pdf = build_card(tmp_path, runner, monkeypatch, card_yaml(**keep))
    assert result.exit_code == 1
    assert f"handouts/demo/en.yaml: cannot make a card: the card layout needs {missing}" in \
        result.output
    assert "Traceback" not in result.output and not pdf.exists()


# -- right to left, and print --------------------------------------------------------------

AR_YAML = """\
title: جلسة الوخز بالإبر
sections:
  - type: aftercare
    items:
      - id: rest
        text: تجنب التمارين الشاقة لمدة 24 ساعة.
      - id: water
        text: اشرب الماء بكمية كافية.
  - type: red_flags
    items:
      - id: fever
        text: حمى أو احمرار ينتشر حول مكان الإبرة.
"""


def test_arabic_card_builds_and_mirrors(tmp_path, runner, monkeypatch) -> None:
    proj = make_project(tmp_path / "proj",
                        handout=HANDOUT_YAML.replace("source_language: en", "source_language: ar"))
    (proj / "handouts/demo/en.yaml").unlink()
    write(proj / "handouts/demo/ar.yaml", AR_YAML)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "--layout",
                    "card", "-o", "out")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out/demo-brand/ar/demo-card-a4.pdf"
    front, back = (comparable(t, "ar") for t in page_texts(pdf, "ar"))
    assert comparable("اشرب الماء بكمية كافية.", "ar") in front
    assert comparable("الموعد القادم", "ar") in front  # next appointment
    assert comparable("حمى أو احمرار ينتشر حول مكان الإبرة.", "ar") in back
    # Lines start at the right: in the front's footer the clinic's phone (+1 555-0100) stands
    # right of the middle, the review date (2026) and page number left of it.
    middle = 105 * mm / 2
    footer = [c for c in chars(pdf) if c.page == 1 and c.size < 9]
    phone = [c for c in footer if c.text == "5"]
    dates = [c for c in footer if c.text == "2"]
    assert phone and all(c.x > middle for c in phone)
    assert dates and all(c.x < middle for c in dates)


def test_print_ready_card_carries_the_brand_stripe_into_the_bleed(tmp_path, runner,
                                                                  monkeypatch) -> None:
    result, _ = build_card(tmp_path, runner, monkeypatch, None, "--print-ready")
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "out/demo-brand/en/demo-card-a4-print.pdf"
    page = pypdf.PdfReader(pdf).pages[0]
    trim = [float(v) for v in page.trimbox]
    bleed = [float(v) for v in page.bleedbox]
    assert trim[2] - trim[0] == pytest.approx(105 * mm, abs=0.01)
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=2).to_pil().convert("RGB")
    finally:
        document.close()
    height = float(page.mediabox.height)

    def pixel(x: float, y: float) -> tuple[int, int, int]:
        return image.getpixel((int(x * 2), int((height - y) * 2)))

    middle = (trim[0] + trim[2]) / 2
    above_trim = (trim[3] + bleed[3]) / 2
    below_trim = (trim[1] + bleed[1]) / 2
    stripe = pixel(middle, trim[3] - 1)  # the brand colour just inside the top edge
    assert stripe != (255, 255, 255)
    assert pixel(middle, above_trim) == stripe
    assert pixel((trim[0] + bleed[0]) / 2, trim[3] - 1) == stripe  # and past the left edge
    assert pixel(middle, below_trim) == (255, 255, 255)  # the foot has no colour to extend
