"""The shipped library, built as a user builds it and read back from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4, LETTER

from builder.fonts import load_library
from builder.labels import load_labels
from builder.linebreak import NO_START
from builder.project import BUILTIN_ROOT, load_project
from builder.text import paragraphs, plain_text

from .conftest import comparable, embedded_fonts, fold, invoke, page_texts, pdf_text

PAPER = {"a4": A4, "letter": LETTER}
SMALL_PRINT_MAX = 11.0


@pytest.fixture(scope="module")
def library():
    return load_project(BUILTIN_ROOT, load_library(BUILTIN_ROOT / "assets" / "fonts"),
                        ["leaflet"])


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = invoke(CliRunner(), "build", "-o", str(out), "-j", "1")
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def every_language(tmp_path_factory: pytest.TempPathFactory, library) -> list[Path]:
    """Every shipped handout in its languages beyond English and Japanese (which the default
    build covers), for a brand on each paper size."""
    out = tmp_path_factory.mktemp("every-language")
    languages = sorted({lang for entry in library.handouts.values()
                        for lang in entry.handout.languages} - {"en", "ja"})
    args = [a for lang in languages for a in ("-l", lang)]
    result = invoke(CliRunner(), "build", *args, "-b", "riverbend-physio", "-b",
                    "hinode-tokyo", "-o", str(out))
    assert result.exit_code == 0, result.output
    return outputs(out)


def outputs(built: Path) -> list[Path]:
    return sorted(built.rglob("*.pdf"))


@pytest.fixture(scope="module")
def pdfs(built: Path, every_language: list[Path]) -> list[Path]:
    """The default build and every other language: what the read-back tests look at."""
    return outputs(built) + every_language


def parts(pdf: Path) -> tuple[str, str, str, str]:
    """(brand, language, handout id, paper) of out/<brand>/<lang>/<id>-leaflet-<paper>.pdf."""
    handout_id, paper = pdf.stem.rsplit("-leaflet-", 1)
    return pdf.parent.parent.name, pdf.parent.name, handout_id, paper


def norm(text: str, lang: str) -> str:
    return comparable(text, lang)


def test_default_build_writes_each_brands_languages(built: Path, library) -> None:
    expected = {
        f"{brand.id}/{lang}/{hid}-leaflet-{brand.paper}.pdf"
        for hid, entry in library.handouts.items()
        for brand in library.brands.values()
        for lang in entry.handout.languages
        if not brand.languages or lang in brand.languages
    }
    assert {"hinode-tokyo/en/knee-osteoarthritis-leaflet-a4.pdf",
            "riverbend-physio/en/acupuncture-session-leaflet-letter.pdf"} <= expected
    found = {str(p.relative_to(built)) for p in outputs(built)}
    assert found == expected
    assert not list(built.rglob("*.tmp"))


def _texts_of(translation) -> list[str]:
    """Every piece of text a reader should find in the PDF, marks removed."""
    texts = [translation.title]
    texts += [t for t in (translation.subtitle,) if t]
    texts += paragraphs(translation.summary) if translation.summary else []
    for section in translation.sections:
        if section.heading:
            texts.append(section.heading)
        if section.intro:
            texts.append(section.intro)
        if section.text:
            texts += paragraphs(section.text)
        for item in section.items:
            if item.question:
                texts.append(item.question)
            texts += paragraphs(item.text)
    return [fold(plain_text(t)) for t in texts]


def test_extracted_text_is_the_yaml_text(pdfs: list[Path], library) -> None:
    for pdf in pdfs:
        _, lang, handout_id, _ = parts(pdf)
        tr = library.handouts[handout_id].translations[lang]
        text = norm(pdf_text(pdf, lang), lang)
        for expected in _texts_of(tr):
            assert norm(expected, lang) in text, f"{pdf}: missing {expected!r}"
        labels = load_labels(lang)
        for section in tr.sections:
            if not section.heading and section.type != "figure":
                assert norm(labels.heading(section.type), lang) in text


def test_every_page_has_a_footer_with_contact_review_date_and_page_count(pdfs: list[Path],
                                                                       library) -> None:
    for pdf in pdfs:
        brand, lang, handout_id, _ = parts(pdf)
        labels = load_labels(lang)
        reviewed = library.handouts[handout_id].handout.reviewed
        texts = page_texts(pdf, lang)
        pages = len(texts)
        for n, page_text in enumerate(texts, start=1):
            text = norm(page_text, lang)
            assert norm(labels.text("page", page=n, pages=pages), lang) in text
            assert norm(labels.text("last_reviewed", date=labels.date(reviewed)), lang) in text
            assert norm(library.brands[brand].phone, lang) in text


def test_pages_sizes_and_budget(pdfs: list[Path]) -> None:
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        assert 1 <= len(reader.pages) <= 2
        paper = pdf.stem.rsplit("-", 1)[1]
        for page in reader.pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(PAPER[paper], abs=0.01)


def test_fonts_are_embedded_and_subset(pdfs: list[Path]) -> None:
    for pdf in pdfs:
        fonts = embedded_fonts(pdf)
        assert fonts, pdf
        assert all(fonts.values()), f"{pdf.name}: not embedded: {fonts}"
        assert all("+" in name for name in fonts), f"{pdf.name}: not subset: {list(fonts)}"


def test_metadata_language_and_title_display(pdfs: list[Path], library) -> None:
    for pdf in pdfs:
        reader = pypdf.PdfReader(pdf)
        brand, lang, handout_id, _ = parts(pdf)
        tr = library.handouts[handout_id].translations[lang]
        meta = reader.metadata
        assert meta.title == tr.title
        assert meta.author == library.brands[brand].local_name(lang)
        assert meta.subject == tr.subtitle
        assert library.handouts[handout_id].handout.condition in meta["/Keywords"]
        assert meta["/CreationDate"].startswith("D:20261101")
        root = reader.trailer["/Root"]
        assert root["/Lang"] == lang
        assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])


def _sizes(pdf: Path) -> list[tuple[str, float]]:
    """(text, effective font size) of every run of text in the PDF."""
    runs: list[tuple[str, float]] = []
    for page in pypdf.PdfReader(pdf).pages:
        def visit(text, cm, tm, font, size):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                runs.append((fold(text), size * scale))
        page.extract_text(visitor_text=visit)
    return runs


def test_body_text_is_at_least_11_pt(pdfs: list[Path], library) -> None:
    for pdf in pdfs:
        _, lang, handout_id, _ = parts(pdf)
        tr = library.handouts[handout_id].translations[lang]
        body = [norm(t, lang) for t in _texts_of(tr)[1:]]  # the title recurs as running head
        disclaimer = norm(load_labels(lang).text("disclaimer"), lang)
        small = [norm(text, lang) for text, size in _sizes(pdf)
                 if size < SMALL_PRINT_MAX - 0.01]
        # The title recurs in small print as the running head of later pages.
        small = [t for t in small if t and t not in disclaimer and t != norm(tr.title, lang)]
        assert small, "footer and sources are expected in small print"
        for text in small:
            # Small print is only footer, sources, review line and labels: never body text.
            assert not any(text in b and len(text) > 12 for b in body), (pdf, text)


def test_rebuild_is_byte_identical(built: Path, tmp_path: Path) -> None:
    result = invoke(CliRunner(), "build", "-o", str(tmp_path), "-j", "2")
    assert result.exit_code == 0, result.output
    for pdf in outputs(built):
        again = tmp_path / pdf.relative_to(built)
        assert again.read_bytes() == pdf.read_bytes(), pdf.name


def test_check_passes_on_the_shipped_library() -> None:
    result = invoke(CliRunner(), "check")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_red_flags_and_emergency_number_are_printed(pdfs: list[Path], library) -> None:
    for pdf in pdfs:
        brand, lang, handout_id, _ = parts(pdf)
        labels = load_labels(lang)
        text = norm(pdf_text(pdf, lang), lang)
        section = next(s for s in library.handouts[handout_id].translations[lang].sections
                       if s.type == "red_flags")
        assert norm(section.heading or labels.heading("red_flags"), lang) in text
        number = library.brands[brand].emergency_phone
        assert norm(labels.text("emergency", number=number), lang) in text


def test_booking_link_is_printed_with_its_qr_label(pdfs: list[Path], library) -> None:
    for pdf in pdfs:
        brand, lang, _, _ = parts(pdf)
        text = norm(pdf_text(pdf), lang)
        assert norm(load_labels(lang).text("booking"), lang) in text
        url = library.brands[brand].booking_url
        assert norm(url.removeprefix("https://"), lang) in text


def test_no_shipped_japanese_or_chinese_line_starts_with_a_closing_mark(pdfs) -> None:
    for pdf in pdfs:
        lang = pdf.parent.name
        if lang.split("-")[0] not in ("ja", "zh"):
            continue
        for page in page_texts(pdf, "ar"):  # PDFium: one entry per printed line
            for line in page.splitlines():
                line = line.strip()
                assert not line or line[0] not in NO_START, (pdf.name, line)
