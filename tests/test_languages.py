"""Every script on the page: fonts per character, right-to-left order, bold, labels, dates."""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont

from builder import bidi
from builder.bidi import visual_order
from builder.labels import available, load_labels
from builder.linebreak import NO_START
from builder.project import BUILTIN_ROOT

from .conftest import HANDOUT_YAML, embedded_fonts, invoke, make_project, pdf_text, write

FONT_DIR = BUILTIN_ROOT / "assets" / "fonts"


def _page_yaml(title: str, body: str, item: str, strong: str = "") -> str:
    return f"""\
title: "{title}"
sections:
  - type: about
    heading: "{title}"
    text: "{body}"
  - type: aftercare
    items:
      - id: rest
        text: "{item}"
  - type: red_flags
    items:
      - id: fever
        text: "**{strong or item}**"
"""


def build_lang(tmp_path: Path, runner, monkeypatch, lang: str, text_yaml: str) -> Path:
    """Build a one-handout project written in `lang`; returns the PDF."""
    proj = make_project(tmp_path / "proj",
                        handout=HANDOUT_YAML.replace("source_language: en",
                                                     f"source_language: {lang}"))
    (proj / "handouts/demo/en.yaml").unlink()
    write(proj / f"handouts/demo/{lang}.yaml", text_yaml)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 0, result.output
    return tmp_path / f"out/demo-brand/{lang}/demo-leaflet-a4.pdf"


def chars_with_fonts(pdf: Path) -> list[tuple[str, str, tuple[float, ...]]]:
    """(character, font name without subset tag, box) for every character PDFium reads."""
    out = []
    document = pypdfium2.PdfDocument(pdf)
    buffer = (pdfium_c.c_char * 256)()
    flags = pdfium_c.c_int()
    for page in document:
        textpage = page.get_textpage()
        for i in range(textpage.count_chars()):
            char = textpage.get_text_range(i, 1)
            if not char.strip():
                continue
            pdfium_c.FPDFText_GetFontInfo(textpage, i, buffer, 256, flags)
            name = buffer.value.decode("latin-1").split("+")[-1]
            out.append((char, name, textpage.get_charbox(i)))
    document.close()
    return out


def font_cmaps() -> dict[str, set[int]]:
    """PostScript name -> characters, for every bundled font file."""
    cmaps: dict[str, set[int]] = {}
    for path in sorted(FONT_DIR.glob("*.tt[fc]")):
        font = TTFont(path, fontNumber=0)
        cmaps[font["name"].getDebugName(6)] = set(font.getBestCmap())
    return cmaps


MIXED = ("Hinode ひので鍼灸院, 서울 한의원, 北京中医诊所, عيادة الشفاء, "
         "Bệnh viện Chợ Rẫy, Ω ≥ 3 → ✓")


def test_every_character_is_drawn_by_a_font_that_has_it(tmp_path, runner, monkeypatch):
    en = _page_yaml("Mixed scripts", MIXED, "Ask **ひので** or **عيادة**.")
    pdf = build_lang(tmp_path, runner, monkeypatch, "en", en)
    cmaps = font_cmaps()
    seen = chars_with_fonts(pdf)
    assert {"ひ", "한", "诊", "ع", "ệ", "≥", "✓"} <= {c for c, _, _ in seen}
    for char, font, _ in seen:
        # PDFium reports Arabic joined forms as the letters they stand for.
        code = ord(char)
        assert font in cmaps, f"{char!r} drawn with an unknown font {font}"
        joined = {ord(c) for c in unicodedata.normalize("NFKC", char)}
        assert code in cmaps[font] or (unicodedata.bidirectional(char) == "AL" and \
            any(c in cmaps[font] for c in joined)), f"{char!r} drawn with {font}, which lacks it"


def test_japanese_uses_its_own_fonts_first_and_true_bold(tmp_path, runner, monkeypatch):
    # 髙 (U+9AD9) is not in JIS X 0208: it comes from the second Japanese font, not Chinese.
    ja = _page_yaml("ひざの痛み", "髙橋先生が担当します。", "安静にしてください。",
                    strong="すぐに受診してください")
    pdf = build_lang(tmp_path, runner, monkeypatch, "ja", ja)
    fonts = {char: font for char, font, _ in chars_with_fonts(pdf)}
    assert fonts["髙"].startswith("IPAexGothic")
    assert fonts["橋"].startswith("NotoSansCJKjp-Regular")
    names = {name.split("+")[1] for name in embedded_fonts(pdf)}
    assert "NotoSansCJKjp-Bold" in names


@pytest.mark.parametrize(("lang", "text", "bold_font"), [
    ("ja", "すぐに受診してください", "NotoSansCJKjp-Bold"),
    ("zh-Hans", "请立即就医", "NotoSansCJKsc-Bold"),
    ("ko", "바로 진료를 받으세요", "NanumGothicBold"),
    ("ar", "اطلب المساعدة فورًا", "NotoSansArabic-Bold"),
    ("vi", "Hãy đi khám ngay", "NotoSans-Bold"),
    ("es", "Busque ayuda enseguida", "NotoSans-Bold"),
])
def test_strong_text_is_bold_in_every_script(tmp_path, runner, monkeypatch, lang, text,
                                             bold_font):
    pdf = build_lang(tmp_path, runner, monkeypatch, lang,
                     _page_yaml(text, text, text, strong=text))
    names = {name.split("+")[1] for name in embedded_fonts(pdf)}
    assert bold_font in names
    assert all("Italic" not in n and "Oblique" not in n for n in names)


ARABIC = "تناول 2 قرص من Ibuprofen 400 mg كل يوم."


def _line_x(chars, first: str) -> dict[str, float]:
    """Left edge of each character on the line that holds `first`, by character."""
    _, _, box = next(c for c in chars if c[0] == first)
    out: dict[str, list[float]] = {}
    for char, _, (left, bottom, _, _) in chars:
        if abs(bottom - box[1]) < 5:
            out.setdefault(char, []).append(left)
    return {char: xs[0] for char, xs in out.items() if len(xs) == 1}


def test_arabic_reads_right_to_left_with_latin_and_numbers_left_to_right(
        tmp_path, runner, monkeypatch):
    ar = _page_yaml("نشرة تجريبية", ARABIC, "اشرب الماء.")
    pdf = build_lang(tmp_path, runner, monkeypatch, "ar", ar)
    x = _line_x(chars_with_fonts(pdf), "ق")
    # Reading from the right edge: تناول 2 قرص من [Ibuprofen 400 mg] كل يوم.
    assert x["ت"] > x["2"] > x["ق"] > x["ر"] > x["ص"] > x["I"] > x["ك"] > x["ي"]
    # The Latin name and the dose inside it keep reading left to right, as one run.
    assert x["ك"] < x["I"] < x["b"] < x["u"] < x["f"] < x["4"] < x["m"] < x["g"] < x["ص"]


def test_arabic_lines_are_right_aligned_in_their_column(tmp_path, runner, monkeypatch):
    ar = _page_yaml("نشرة تجريبية", " ".join([ARABIC] * 6), "اشرب الماء.")
    pdf = build_lang(tmp_path, runner, monkeypatch, "ar", ar)
    document = pypdfium2.PdfDocument(pdf)
    textpage = document[0].get_textpage()
    text = textpage.get_text_range()
    start, end = text.index("تناول"), text.rindex("يوم.")
    rights: list[float] = []
    line_right = 0.0
    for i in range(start, end + 1):
        if text[i] == "\n":
            rights.append(line_right)
            line_right = 0.0
        elif text[i].strip():
            line_right = max(line_right, textpage.get_charbox(i)[2])
    rights.append(line_right)
    document.close()
    # Every line of the paragraph, the last one too, ends at the column's right edge.
    assert len(rights) >= 4
    assert max(rights) - min(rights) < 2


def test_visual_order_mirrors_brackets_and_keeps_numbers():
    text = "الجرعة (400 mg) يوميًا"
    order = visual_order(text, rtl_base=True)
    assert sorted(i for i, _ in order) == list(range(len(text)))
    glyphs = dict(order)
    # In right-to-left text an opening bracket is drawn with the mirrored glyph.
    assert glyphs[text.index("(")] == ")" and glyphs[text.index(")")] == "("
    display = "".join(g for _, g in order)
    assert "400" in display and "mg" in display
    # The first word (logical start) is drawn at the right end of the line.
    assert display.endswith("الجرعة"[::-1])


def test_bidi_paragraph_in_a_left_to_right_handout(tmp_path, runner, monkeypatch):
    en = _page_yaml("Clinic names", "Ask Dr Huda at عيادة الشفاء today.", "Rest.")
    pdf = build_lang(tmp_path, runner, monkeypatch, "en", en)
    x = _line_x(chars_with_fonts(pdf), "H")
    # English reads left to right; the Arabic name inside it reads right to left.
    assert x["A"] < x["k"] < x["D"] < x["H"] < x["ش"] < x["ع"] < x["y"]
    assert x["ع"] > x["ي"] > x["د"] > x["ة"]
    assert x["ش"] > x["ف"] > x["ء"]


def test_label_catalogues_are_complete_and_dates_are_local() -> None:
    english = load_labels("en")
    day = dt.date(2026, 11, 22)
    expected = {"en": "November 22, 2026", "ja": "2026年11月22日",
                "es": "22 de noviembre de 2026", "zh-Hans": "2026年11月22日",
                "ko": "2026년 11월 22일", "vi": "22 tháng 11, 2026"}
    assert set(available()) >= {"en", "ja", "es", "zh-Hans", "ko", "vi", "ar"}
    for lang in available():
        labels = load_labels(lang)
        assert set(labels.strings) == set(english.strings), lang
        if lang in expected:
            assert labels.date(day) == expected[lang]
    assert "2026" in load_labels("ar").date(day) and "نوفمبر" in load_labels("ar").date(day)


def test_no_japanese_line_starts_with_a_closing_mark(tmp_path, runner, monkeypatch):
    long = "痛み（ひざの内側）が続く場合は、「すぐに」ご連絡ください。" * 12
    pdf = build_lang(tmp_path, runner, monkeypatch, "ja", _page_yaml("確認", long, long))
    document = pypdfium2.PdfDocument(pdf)
    for page in document:
        for line in page.get_textpage().get_text_range().splitlines():
            line = line.strip()
            assert not line or line[0] not in NO_START, line
    document.close()


def test_reviewer_is_named_in_each_language(tmp_path, runner, monkeypatch):
    reviewers = "reviewed_by: {en: Clinical lead, ja: 臨床責任者}"
    proj = make_project(tmp_path / "proj", handout=HANDOUT_YAML.replace(
        "reviewed_by: Test lead", reviewers).replace("source_language: en",
                                                     "source_language: ja"))
    (proj / "handouts/demo/en.yaml").unlink()
    write(proj / "handouts/demo/ja.yaml", _page_yaml("確認", "本文です。", "安静にしてください。"))
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 0, result.output
    text = pdf_text(tmp_path / "out/demo-brand/ja/demo-leaflet-a4.pdf", "ja")
    assert "監修：臨床責任者" in "".join(text.split())
    assert "Clinical lead" not in text


def test_a_misspelt_language_tag_in_a_per_language_field_is_located(tmp_path, runner):
    proj = make_project(tmp_path / "proj", handout=HANDOUT_YAML.replace(
        "reviewed_by: Test lead", "reviewed_by: {en: Clinical lead, jp: 臨床責任者}"))
    result = invoke(runner, "check", "--root", str(proj))
    assert result.exit_code == 1
    assert "handout.yaml:6:38: reviewed_by.jp: 'jp' is not a language tag. Did you mean 'ja'?" \
        in result.output


def test_every_character_written_right_to_left_is_found_by_the_quick_search() -> None:
    """has_rtl looks for right-to-left characters in a few blocks before asking Unicode
    about each character: no right-to-left character lies outside them."""
    rtl = [chr(c) for c in range(0x110000)
           if unicodedata.bidirectional(chr(c)) in ("R", "AL")]
    assert rtl
    assert all(bidi._RTL_BLOCKS.search(c) for c in rtl)
    for c in rtl[::97]:
        bidi.has_rtl.cache_clear()
        assert bidi.has_rtl(f"plain text {c} more")
    assert not bidi.has_rtl("plain text, 日本語, \u202e, \u05ff-less")
