"""Inline marks, escaping and font runs: content is printed as typed, never interpreted."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pypdfium2
import pytest

from builder.batch import Job, load_engine, render_job
from builder.fonts import load_library
from builder.project import BUILTIN_ROOT
from builder.text import Run, keep_numbers_together, paragraphs, parse_inline, plain_text, to_markup

from .conftest import EN_YAML, build_demo, embedded_fonts, pdf_text

FONTS = load_library(BUILTIN_ROOT / "assets" / "fonts")


@pytest.mark.parametrize(("text", "runs"), [
    ("plain", [Run("plain")]),
    ("a **b** c", [Run("a "), Run("b", strong=True), Run(" c")]),
    ("a *b* c", [Run("a "), Run("b", em=True), Run(" c")]),
    ("**bold *and em* here**", [Run("bold ", strong=True), Run("and em", True, True),
                                Run(" here", strong=True)]),
    ("2 * 3 * 4", [Run("2 * 3 * 4")]),
    ("**unclosed", [Run("**unclosed")]),
    ("a*b*c", [Run("a*b*c")]),
    ("see https://example.org/a_(b).", [Run("see "), Run("https://example.org/a_(b)",
                                                         href="https://example.org/a_(b)"),
                                        Run(".")]),
    ("(https://example.org/x)", [Run("("), Run("https://example.org/x",
                                               href="https://example.org/x"), Run(")")]),
    ("http://example.org stays text", [Run("http://example.org stays text")]),
])
def test_parse_inline(text: str, runs: list[Run]) -> None:
    assert parse_inline(text) == runs


def test_plain_text_drops_only_marks() -> None:
    assert plain_text("Take **two** <b>tablets</b> & *rest*") == "Take two <b>tablets</b> & rest"


@pytest.mark.parametrize("hostile", [
    '<font name="Courier" size="40">big</font>',
    '<img src="/etc/passwd"/>',
    "<b",
    "&amp; &lt; &#60; &nbsp;",
    '<a href="javascript:alert(1)">x</a>',
    "<para>x</para><br/>",
    "]]><![CDATA[",
])
def test_markup_is_escaped(hostile: str) -> None:
    markup = to_markup(hostile, FONTS, "en", link_color="#000000")
    assert "<" not in markup.replace("&lt;", "")
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    style = ParagraphStyle("x", fontName=FONTS.main_family("en").regular)
    para = Paragraph(markup, style)
    assert "".join(frag.text for frag in para.frags) == hostile


def test_characters_the_main_font_lacks_get_a_fallback_font() -> None:
    markup = to_markup("Hinode ひので ≥ 3", FONTS, "en", link_color="#000000")
    assert '<font face="NotoSansJP-NotoSansJP-Regular">ひので</font>' in markup
    assert '<font face="DejaVuSans-DejaVuSans">≥</font>' in markup


def test_fallback_fonts_render_and_are_embedded(tmp_path: Path, runner, monkeypatch) -> None:
    en = EN_YAML.replace("title: Demo handout", "title: Demo at ひので鍼灸院")
    en = en.replace("text: Drink water.", "text: '**Score ≥ 3** → call ひので'")
    pdf = build_demo(tmp_path, runner, monkeypatch, en)
    text = pdf_text(pdf)
    assert "Demo at ひので鍼灸院" in text
    assert "Score ≥ 3 → call ひので" in text
    fonts = embedded_fonts(pdf)
    assert all(fonts.values())
    assert {name.split("+")[1].split("-")[0] for name in fonts} >= {"NotoSans", "NotoSansCJKjp",
                                                                     "DejaVuSans"}


def test_paragraphs_split_on_blank_lines_and_join_lines() -> None:
    assert paragraphs("one\ntwo\n\n  \nthree") == ["one two", "three"]


def test_hostile_markup_in_yaml_prints_literally(tmp_path: Path, runner, monkeypatch) -> None:
    (tmp_path / "proj").mkdir()
    (tmp_path / "proj" / "secret.png").write_bytes(b"not an image")
    en = EN_YAML.replace("title: Demo handout",
                         "title: '<img src=\"secret.png\"/> <font size=\"40\">Big</font> & <b'")
    en = en.replace("text: Drink water.", "text: 'Use <b>bold</b> & <i>x</i> &amp; tags'")
    pdf = build_demo(tmp_path, runner, monkeypatch, en)
    text = pdf_text(pdf)
    assert '<img src="secret.png"/> <font size="40">Big</font> & <b' in text
    assert "Use <b>bold</b> & <i>x</i> &amp; tags" in text
    reader = pypdf.PdfReader(pdf)
    for page in reader.pages:
        assert "/XObject" not in page["/Resources"] or not any(
            "Im" in str(k) for k in page["/Resources"]["/XObject"])


@pytest.mark.parametrize(("text", "expected"), [
    ("(541) 555-0137", "(541)\u00a0555-0137"),
    ("+81 3-5555-0142", "+81\u00a03-5555-0142"),
    ("Call 0120 123 456 today.", "Call 0120\u00a0123\u00a0456 today."),
    ("32 000 consultations", "32\u00a0000 consultations"),
    ("15 to 30 minutes", "15 to 30 minutes"),
    ("1 in 4 people, 8 to 12 sessions", "1 in 4 people, 8 to 12 sessions"),
    ("Days 1 2 and 3", "Days 1 2 and 3"),  # (short numbers: a list, not one number)
    ("J Pain 2018;19(5):455-474", "J Pain 2018;19(5):455-474"),
    ("November 1, 2026", "November 1, 2026"),
])
def test_grouped_numbers_are_kept_on_one_line(text: str, expected: str) -> None:
    assert keep_numbers_together(text) == expected


def test_a_phone_number_never_breaks_across_lines() -> None:
    """The tri-fold's inside footer is narrow: the clinic's name fills a line, and its phone
    number goes whole to the next."""
    engine = load_engine()
    pdf = render_job(engine, Job("knee-pain-physiotherapy", "en", "riverbend-physio",
                                 "trifold", "letter")).pdf
    page = pypdfium2.PdfDocument(pdf)[1].get_textpage()
    lines = page.get_text_range().replace("\u00a0", " ").splitlines()
    assert any("(541) 555-0137" in line for line in lines), lines
    assert not any(line.rstrip().endswith("(541)") for line in lines), lines
