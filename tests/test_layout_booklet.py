"""The booklet layout: reading-order pages, saddle-stitch imposition, notes pages, budget."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4, LETTER

from builder.text import paragraphs, plain_text
from layouts.booklet import saddle_stitch_order

from .conftest import comparable, fold, invoke, make_project, pdf_text, text_in

HANDOUT = "knee-osteoarthritis"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("booklet")
    runner = CliRunner()
    for args in (("-b", "hinode-tokyo"), ("-b", "riverbend-physio", "-l", "en")):
        result = invoke(runner, "build", HANDOUT, *args, "--layout", "booklet", "-o", str(out))
        assert result.exit_code == 0, result.output
    result = invoke(runner, "build", "acupuncture-session", "-l", "ar", "-b", "hinode-tokyo",
                    "--layout", "booklet", "-o", str(out))
    assert result.exit_code == 0, result.output
    return out


def test_saddle_stitch_order() -> None:
    assert saddle_stitch_order(4) == [(4, 1), (2, 3)]
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    # Every page appears once, and facing numbers on a side add up to pages + 1.
    order = saddle_stitch_order(16)
    assert sorted(p for side in order for p in side) == list(range(1, 17))
    assert all(a + b == 17 for a, b in order)
    assert saddle_stitch_order(8, rtl=True) == [(1, 8), (7, 2), (3, 6), (5, 4)]


@pytest.mark.parametrize(("brand", "lang", "paper", "sheet"), [
    ("hinode-tokyo", "en", "a4", A4), ("hinode-tokyo", "ja", "a4", A4),
    ("riverbend-physio", "en", "letter", LETTER)])
def test_both_files_have_the_right_sizes_and_counts(out: Path, brand: str, lang: str,
                                                    paper: str, sheet: tuple[float, float]
                                                    ) -> None:
    folder = out / brand / lang
    reading = pypdf.PdfReader(folder / f"{HANDOUT}-booklet-{paper}-reading.pdf")
    imposed = pypdf.PdfReader(folder / f"{HANDOUT}-booklet-{paper}.pdf")
    pages = len(reading.pages)
    assert pages % 4 == 0 and 4 <= pages <= 16
    assert len(imposed.pages) == pages // 2  # two pages a side, two sides a sheet
    for page in reading.pages:  # half a sheet, portrait
        assert float(page.mediabox.width) == pytest.approx(sheet[1] / 2, abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(sheet[0], abs=0.01)
    for page in imposed.pages:  # the sheet, landscape
        assert float(page.mediabox.width) == pytest.approx(sheet[1], abs=0.01)
        assert float(page.mediabox.height) == pytest.approx(sheet[0], abs=0.01)


def _page_number(text: str) -> int:
    found = re.findall(r"Page (\d+) of \d+", text)
    assert len(found) == 1, text
    return int(found[0])


def test_sheets_carry_pages_in_saddle_stitch_order(out: Path) -> None:
    imposed = out / "hinode-tokyo/en" / f"{HANDOUT}-booklet-a4.pdf"
    reader = pypdf.PdfReader(imposed)
    pages = 2 * len(reader.pages)
    half = float(reader.pages[0].mediabox.width) / 2
    height = float(reader.pages[0].mediabox.height)
    found = [(_page_number(text_in(imposed, n, 0, 0, half, height)),
              _page_number(text_in(imposed, n, half, 0, 2 * half, height)))
             for n in range(1, len(reader.pages) + 1)]
    assert found == saddle_stitch_order(pages)
    # The cover (page 1) is on the right of the first side, the back cover on its left.
    assert "Acupuncture for knee osteoarthritis" in text_in(imposed, 1, half, 0, 2 * half,
                                                              height)
    assert "Book your next visit" in text_in(imposed, 1, 0, 0, half, height)


def test_a_right_bound_booklet_mirrors_the_sheets(out: Path) -> None:
    imposed = out / "hinode-tokyo/ar" / "acupuncture-session-booklet-a4.pdf"
    reading = out / "hinode-tokyo/ar" / "acupuncture-session-booklet-a4-reading.pdf"
    title = pypdf.PdfReader(reading).metadata.title
    half = float(pypdf.PdfReader(imposed).pages[0].mediabox.width) / 2
    left = comparable(text_in(imposed, 1, 0, 0, half, 1000), "ar")
    right = comparable(text_in(imposed, 1, half, 0, 2 * half, 1000), "ar")
    assert comparable(title, "ar") in left and comparable(title, "ar") not in right


def test_padding_is_notes_pages_and_a_back_cover(out: Path) -> None:
    reading = pypdf.PdfReader(out / "hinode-tokyo/en" / f"{HANDOUT}-booklet-a4-reading.pdf")
    texts = [fold(p.extract_text()) for p in reading.pages]
    assert "Book your next visit" in texts[-1] and "info@hinode-clinic.example.org" in texts[-1]
    notes = [n for n, t in enumerate(texts, start=1) if t.split("Notes")[0].count(" ") < 12
             and "Notes" in t]
    assert notes, "expected a notes page before the back cover"
    assert all(n < len(texts) for n in notes)
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in text
        assert "Last reviewed" in text


def test_reading_order_text_is_the_yaml_text(out: Path, library) -> None:
    for lang in ("en", "ja"):
        pdf = out / "hinode-tokyo" / lang / f"{HANDOUT}-booklet-a4-reading.pdf"
        text = comparable(pdf_text(pdf, lang), lang)
        tr = library.handouts[HANDOUT].translations[lang]
        for section in tr.sections:
            for item in section.items:
                for para in paragraphs(item.text):
                    assert comparable(fold(plain_text(para)), lang) in text, para


def test_metadata_survives_imposition(out: Path) -> None:
    for name in (f"{HANDOUT}-booklet-a4.pdf", f"{HANDOUT}-booklet-a4-reading.pdf"):
        reader = pypdf.PdfReader(out / "hinode-tokyo/ja" / name)
        assert reader.metadata.title == "変形性膝関節症の鍼治療"
        assert reader.trailer["/Root"]["/Lang"] == "ja"
        assert bool(reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"])


def test_rebuild_is_byte_identical(out: Path, tmp_path: Path) -> None:
    result = invoke(CliRunner(), "build", HANDOUT, "-b", "hinode-tokyo", "-l", "ja", "--layout",
                    "booklet", "-o", str(tmp_path))
    assert result.exit_code == 0, result.output
    for pdf in (tmp_path / "hinode-tokyo/ja").glob("*.pdf"):
        assert pdf.read_bytes() == (out / "hinode-tokyo/ja" / pdf.name).read_bytes(), pdf.name


def test_more_than_sixteen_pages_is_a_located_error(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    faq = "".join(f"      - q: Question number {n}?\n        a: {'A long answer. ' * 40}\n"
                  for n in range(60))
    en = ("title: Long\nsections:\n  - type: red_flags\n    items:\n      - id: x\n"
          "        text: Call us.\n  - type: faq\n    items:\n" + faq)
    proj = make_project(tmp_path / "proj", en=en)
    monkeypatch.chdir(tmp_path)
    result = invoke(CliRunner(), "build", "--root", str(proj), "-b", "demo-brand", "--layout",
                    "booklet", "-o", "out")
    assert result.exit_code == 1
    (line,) = [x for x in result.output.splitlines() if "does not fit" in x]
    assert line.startswith("proj/handouts/demo/en.yaml:7:5: sections[1]: does not fit the "
                           "booklet layout (16 pages) on a4 paper for demo-brand: 'faq' "
                           "overflows by ")
    assert not list((tmp_path / "out").rglob("*.pdf"))
