"""The bilingual layout: two languages side by side, aligned, on A4 and Letter."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner

from builder.labels import load_labels
from builder.model import Translation
from builder.text import paragraphs, plain_text
from layouts import bilingual

from .conftest import EN_YAML, comparable, embedded_fonts, invoke, make_project, write

SHIPPED = ["acupuncture-session", "after-knee-surgery", "knee-osteoarthritis",
           "knee-pain-physiotherapy", "pain-behind-the-knee", "rheumatoid-arthritis-knee"]
PAPERS = ["a4", "letter"]
# (brand, pair) built of acupuncture-session besides ja+en: Latin with Latin, and Arabic
# (right to left) first and second.
OTHER_PAIRS = [("riverbend-physio", "es+en"), ("riverbend-physio", "en+es"),
               ("riverbend-physio", "ar+en"), ("riverbend-physio", "en+ar")]
# Section headings are set at 1.27 times the 11 pt body (builder/theme.py): larger than the
# subtitle (1.22) and the brand name, smaller than the title.
HEADING_SIZE = 11 * 1.27
BASE14 = ("Helvetica", "Times", "Courier", "Symbol", "ZapfDingbats")

JA_YAML = """\
title: デモ資料
subtitle: 短い副題
summary: デモの短い要約です。
sections:
  - type: about
    text: |
      症状についての最初の段落です。

      **強調**と https://example.org/info を含む二つ目の段落です。
  - type: expect
    steps:
      - text: 最初の手順です。
      - text: 二つ目の手順です。
  - type: aftercare
    items:
      - id: rest
        text: 一日休んでください。
      - id: water
        text: 水を飲んでください。
  - type: red_flags
    items:
      - id: fever
        text: 施術後の発熱。
  - type: faq
    items:
      - q: 痛いですか？
        a: ほとんどの方はあまり感じません。
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every shipped handout in ja+en, and acupuncture-session in the other pairs, on both
    papers; returns the output folder."""
    out = tmp_path_factory.mktemp("bilingual")
    runner = CliRunner()
    papers = [arg for paper in PAPERS for arg in ("--paper", paper)]
    result = invoke(runner, "build", "--layout", "bilingual", "-l", "ja+en", "-b",
                    "hinode-tokyo", *papers, "-o", str(out))
    assert result.exit_code == 0, result.output
    langs = [arg for _, pair in OTHER_PAIRS for arg in ("-l", pair)]
    result = invoke(runner, "build", "acupuncture-session", "--layout", "bilingual", *langs,
                    "-b", "riverbend-physio", *papers, "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def pdf_path(out: Path, handout: str, pair: str, paper: str,
             brand: str = "hinode-tokyo") -> Path:
    return out / brand / pair / f"{handout}-bilingual-{paper}.pdf"


def reading_order(translation: Translation) -> list[str]:
    """The texts of a translation as a reader meets them, marks removed."""
    labels = load_labels(translation.lang)
    texts = [translation.title, translation.subtitle, translation.summary]
    for section in translation.sections:
        if section.type != "figure" or section.heading:
            texts.append(section.heading or labels.heading(section.type))
        texts += [section.intro, section.text]
        for item in section.items:
            texts += [item.question, item.text]
        texts.append(section.caption)
    return [plain_text(p) for text in texts if text for p in paragraphs(text)]


def page_texts(pdf: Path, side: str | None = None) -> list[str]:
    """The text of every page, or of its left or right half, as PDFium reads it: the engine
    of Chrome's PDF viewer, which puts right-to-left lines into logical order."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        texts = []
        for page in document:
            width, height = page.get_size()
            textpage = page.get_textpage()
            if side is None:
                texts.append(textpage.get_text_range())
            else:
                left = 0 if side == "left" else width / 2
                texts.append(textpage.get_text_bounded(left, 0, left + width / 2, height))
        # PDFium reads a hyphen at a line end as \x02 (in part of a page) or \ufffe (in a
        # whole page), and joins the lines.
        return [text.replace("\x02", "-").replace("\ufffe", "-") for text in texts]
    finally:
        document.close()


def column_text(pdf: Path, side: str) -> str:
    """All text in the left or right half of the pages."""
    return "\n".join(page_texts(pdf, side))


def missing_in_order(texts: list[str], column: str, lang: str) -> list[str]:
    """The texts not found in `column` after the texts before them (empty: all in order)."""
    haystack = comparable(column, lang)
    at, missing = 0, []
    for text in texts:
        found = haystack.find(comparable(text, lang), at)
        if found < 0:
            missing.append(text)
        else:
            at = found + 1
    return missing


def places(pdf: Path, texts: list[str], side: str,
           size: float | None = None) -> list[tuple[int, float]]:
    """(page, baseline y) where each text starts, in order, in one half of the pages; only
    text set at `size` counts when it is given."""
    document = pypdfium2.PdfDocument(pdf)
    found_at: list[tuple[int, float]] = []
    try:
        x, y = pdfium_c.c_double(), pdfium_c.c_double()
        page_no, after = 0, -1
        for text in texts:
            found = None
            while found is None and page_no < len(document):
                page = document[page_no]
                half = page.get_size()[0] / 2
                textpage = page.get_textpage()
                # The first words only: they are on one line.
                searcher = textpage.search(text[:12], match_case=True)
                while (hit := searcher.get_next()) is not None:
                    index = hit[0]
                    pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, x, y)
                    at_size = pdfium_c.FPDFText_GetFontSize(textpage.raw, index)
                    if index > after and (size is None or abs(at_size - size) < 0.3) and \
                            (x.value < half) == (side == "left"):
                        found = (page_no + 1, y.value)
                        after = index
                        break
                if found is None:
                    page_no, after = page_no + 1, -1
            assert found is not None, f"{text!r} not found in the {side} column"
            found_at.append(found)
        return found_at
    finally:
        document.close()


def section_headings(translation: Translation) -> list[str]:
    labels = load_labels(translation.lang)
    return [s.heading or labels.heading(s.type) for s in translation.sections
            if s.type != "figure" or s.heading]


# -- the shipped handouts ------------------------------------------------------------------

@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", SHIPPED)
def test_each_column_reads_as_its_languages_yaml(built: Path, library, handout: str,
                                                 paper: str) -> None:
    pdf = pdf_path(built, handout, "ja+en", paper)
    translations = library.handouts[handout].translations
    for side, lang in (("left", "ja"), ("right", "en")):
        column = column_text(pdf, side)
        assert missing_in_order(reading_order(translations[lang]), column, lang) == []


@pytest.mark.parametrize("pair", ["es+en", "en+es"])
def test_spanish_and_english_read_in_their_columns(built: Path, library, pair: str) -> None:
    pdf = pdf_path(built, "acupuncture-session", pair, "letter", "riverbend-physio")
    translations = library.handouts["acupuncture-session"].translations
    for side, lang in zip(("left", "right"), pair.split("+"), strict=True):
        column = column_text(pdf, side)
        assert missing_in_order(reading_order(translations[lang]), column, lang) == []


def test_a_language_is_not_read_in_the_other_column(built: Path, library) -> None:
    pdf = pdf_path(built, "acupuncture-session", "ja+en", "a4")
    translations = library.handouts["acupuncture-session"].translations
    english = reading_order(translations["en"])
    assert missing_in_order(english, column_text(pdf, "left"), "en") == english


@pytest.mark.parametrize("pair", ["ar+en", "en+ar"])
def test_arabic_stands_on_the_right_whichever_language_is_first(built: Path, library,
                                                                pair: str) -> None:
    pdf = pdf_path(built, "acupuncture-session", pair, "a4", "riverbend-physio")
    translations = library.handouts["acupuncture-session"].translations
    arabic, english = reading_order(translations["ar"]), reading_order(translations["en"])
    assert missing_in_order(arabic, column_text(pdf, "right"), "ar") == []
    assert missing_in_order(english, column_text(pdf, "left"), "en") == []
    assert missing_in_order(arabic, column_text(pdf, "left"), "ar") == arabic


@pytest.mark.parametrize("pair", ["ar+en", "en+ar", "ja+en"])
def test_a_whole_page_copies_each_language_in_order(built: Path, library, pair: str) -> None:
    """A viewer that reads the page as a whole (PDFium joins text at one height into one
    line) still gives every sentence of both languages unreversed and in order."""
    brand = "hinode-tokyo" if pair == "ja+en" else "riverbend-physio"
    pdf = pdf_path(built, "acupuncture-session", pair, "a4", brand)
    translations = library.handouts["acupuncture-session"].translations
    whole = "\n".join(page_texts(pdf))
    for lang in pair.split("+"):
        assert missing_in_order(reading_order(translations[lang]), whole, lang) == []


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", SHIPPED)
def test_matching_headings_start_level(built: Path, library, handout: str, paper: str) -> None:
    pdf = pdf_path(built, handout, "ja+en", paper)
    translations = library.handouts[handout].translations
    left = places(pdf, section_headings(translations["ja"]), "left", HEADING_SIZE)
    right = places(pdf, section_headings(translations["en"]), "right", HEADING_SIZE)
    assert len(left) == len(right) == len(section_headings(translations["en"]))
    for (page_l, y_l), (page_r, y_r) in zip(left, right, strict=True):
        assert page_l == page_r
        assert abs(y_l - y_r) <= 2


def entries(translation: Translation) -> list[str]:
    """The start of every step, list item and question, in order."""
    return [plain_text(item.question or item.text) for section in translation.sections
            for item in section.items]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", SHIPPED)
def test_matching_entries_start_level(built: Path, library, handout: str, paper: str) -> None:
    """Each step, item, sign and question starts beside its translation."""
    pdf = pdf_path(built, handout, "ja+en", paper)
    translations = library.handouts[handout].translations
    left = places(pdf, entries(translations["ja"]), "left")
    right = places(pdf, entries(translations["en"]), "right")
    assert len(left) == len(right) > 10
    for (page_l, y_l), (page_r, y_r) in zip(left, right, strict=True):
        assert page_l == page_r
        assert abs(y_l - y_r) <= 2


@pytest.mark.parametrize(("brand", "pair"), [("hinode-tokyo", "ja+en"), *OTHER_PAIRS])
@pytest.mark.parametrize("paper", PAPERS)
def test_metadata_pages_and_fonts(built: Path, library, brand: str, pair: str,
                                  paper: str) -> None:
    pdf = pdf_path(built, "acupuncture-session", pair, paper, brand)
    first, second = pair.split("+")
    translations = library.handouts["acupuncture-session"].translations
    reader = pypdf.PdfReader(pdf)
    assert reader.metadata.title == \
        f"{translations[first].title} / {translations[second].title}"
    assert reader.trailer["/Root"]["/Lang"] == first
    assert 1 <= len(reader.pages) <= bilingual.PAGE_BUDGET
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values()), fonts
    assert not [name for name in fonts if name.lstrip("/").startswith(BASE14)]


@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("handout", SHIPPED)
def test_every_shipped_handout_keeps_to_the_budget(built: Path, handout: str,
                                                   paper: str) -> None:
    pages = len(pypdf.PdfReader(pdf_path(built, handout, "ja+en", paper)).pages)
    assert pages <= bilingual.PAGE_BUDGET


def test_red_flag_boxes_stand_side_by_side_on_one_page(built: Path, library) -> None:
    pdf = pdf_path(built, "acupuncture-session", "ja+en", "a4")
    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = [page.get_textpage().get_text_range() for page in document]
    finally:
        document.close()
    ja, en = (library.handouts["acupuncture-session"].translations[x] for x in ("ja", "en"))
    (red_ja,) = [s for s in ja.sections if s.type == "red_flags"]
    (red_en,) = [s for s in en.sections if s.type == "red_flags"]
    emergency = load_labels("en").text("emergency", number="119")  # hinode-tokyo's number
    texts = [(red_ja.heading, "ja"), (red_en.heading, "en"), (emergency, "en"),
             (plain_text(red_ja.items[-1].text)[:10], "ja"),
             (plain_text(red_en.items[-1].text)[:20], "en")]
    holding = [[n for n, page in enumerate(pages) if comparable(text, lang)
                in comparable(page, lang)] for text, lang in texts]
    assert all(len(found) == 1 for found in holding), holding
    assert len({found[0] for found in holding}) == 1


# -- the command line ----------------------------------------------------------------------

@pytest.fixture
def two_languages(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A small project in en (the source) and ja; the working folder is its parent."""
    proj = make_project(tmp_path / "proj")
    write(proj / "handouts/demo/ja.yaml", JA_YAML)
    monkeypatch.chdir(tmp_path)
    return proj


def built_pdfs(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))


def test_a_language_pair_alone_chooses_the_bilingual_layout(runner, two_languages: Path,
                                                            tmp_path: Path) -> None:
    result = invoke(runner, "build", "--root", "proj", "-l", "ja+en", "-b", "demo-brand",
                    "-o", "out")
    assert result.exit_code == 0, result.output
    assert built_pdfs(tmp_path / "out") == ["demo-brand/ja+en/demo-bilingual-a4.pdf"]
    pdf = tmp_path / "out/demo-brand/ja+en/demo-bilingual-a4.pdf"
    assert missing_in_order(["デモ資料", "症状についての最初の段落です。", "強調と",
                             "https://example.org/info", "ほとんどの方はあまり感じません。"],
                            column_text(pdf, "left"), "ja") == []
    assert missing_in_order(["Demo handout", "First paragraph about the condition.",
                             "Second paragraph with strong and emphasis",
                             "Most people feel little."],
                            column_text(pdf, "right"), "en") == []


def test_one_language_pairs_with_the_source_language(runner, two_languages: Path,
                                                     tmp_path: Path) -> None:
    result = invoke(runner, "build", "--root", "proj", "-l", "ja", "--layout", "bilingual",
                    "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 0, result.output
    assert built_pdfs(tmp_path / "out") == ["demo-brand/ja+en/demo-bilingual-a4.pdf"]
    reader = pypdf.PdfReader(tmp_path / "out/demo-brand/ja+en/demo-bilingual-a4.pdf")
    assert reader.metadata.title == "デモ資料 / Demo handout"
    assert reader.trailer["/Root"]["/Lang"] == "ja"


def test_a_pair_beside_a_single_language_builds_both(runner, two_languages: Path,
                                                    tmp_path: Path) -> None:
    result = invoke(runner, "build", "--root", "proj", "-l", "ja", "-l", "ja+en", "-b",
                    "demo-brand", "-o", "out")
    assert result.exit_code == 0, result.output
    assert built_pdfs(tmp_path / "out") == ["demo-brand/ja+en/demo-bilingual-a4.pdf",
                                            "demo-brand/ja/demo-leaflet-a4.pdf"]


def test_the_source_language_pairs_with_each_other_language(runner, two_languages: Path,
                                                            tmp_path: Path) -> None:
    result = invoke(runner, "build", "--root", "proj", "-l", "en", "--layout", "bilingual",
                    "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 0, result.output
    assert built_pdfs(tmp_path / "out") == ["demo-brand/en+ja/demo-bilingual-a4.pdf"]


@pytest.mark.parametrize(("pair", "message"), [
    ("ja+ja", "Error: 'ja+ja': a bilingual document takes two different languages joined by "
              "'+', e.g. ja+en"),
    ("ja+xx", "Error: 'xx' is not a language of these handouts."),
    ("ja+en+es", "Error: 'ja+en+es': a bilingual document takes two different languages"),
])
def test_a_wrong_pair_is_a_usage_error(runner, two_languages: Path, tmp_path: Path, pair: str,
                                       message: str) -> None:
    result = invoke(runner, "build", "--root", "proj", "-l", pair, "--layout", "bilingual",
                    "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 2
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_a_handout_too_long_for_the_budget_fails_with_a_located_error(
        runner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    faq = "".join(f"      - q: Question number {n}?\n        a: {'A long answer. ' * 12}\n"
                  for n in range(60))
    ja_faq = "".join(f"      - q: 質問{n}？\n        a: {'長い答えです。' * 14}\n"
                     for n in range(60))
    proj = make_project(tmp_path / "proj", en=EN_YAML.split("  - type: faq")[0] +
                        "  - type: faq\n    items:\n" + faq)
    write(proj / "handouts/demo/ja.yaml", JA_YAML.split("  - type: faq")[0] +
          "  - type: faq\n    items:\n" + ja_faq)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", "proj", "-l", "ja+en", "-b", "demo-brand",
                    "-o", "out")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "does not fit" in x]
    assert line.startswith("proj/handouts/demo/ja.yaml:24:5: sections[4]: does not fit the "
                           f"bilingual layout ({bilingual.PAGE_BUDGET} pages) on a4 paper for "
                           "demo-brand: 'faq' overflows by ")
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_red_flags_are_never_split_between_pages(runner, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    flags = "".join(f"      - id: flag-{n}\n        text: Warning sign {n} that takes a line "
                    "or two to say clearly.\n" for n in range(40))
    en = EN_YAML.replace("      - id: fever\n        text: A fever after the session.\n", flags)
    ja_flags = "".join(f"      - id: flag-{n}\n        text: 注意すべき症状{n}です。\n"
                       for n in range(40))
    proj = make_project(tmp_path / "proj", en=en)
    write(proj / "handouts/demo/ja.yaml",
          JA_YAML.replace("      - id: fever\n        text: 施術後の発熱。\n", ja_flags))
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", "proj", "-l", "ja+en", "-b", "demo-brand",
                    "-o", "out")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "does not fit" in x]
    assert "sections[3]: does not fit the bilingual layout on a4 paper for demo-brand: " \
           "'red_flags' cannot be split across columns and is taller than a whole column" in line
