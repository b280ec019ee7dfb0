"""Inline marks, escaping and font runs: content is printed as typed, never interpreted."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest

from builder.fonts import load_library
from builder.project import BUILTIN_ROOT
from builder.text import Run, paragraphs, parse_inline, plain_text, to_markup

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
