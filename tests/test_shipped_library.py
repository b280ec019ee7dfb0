"""The shipped library, built as a user builds it and read back from the PDFs."""

from __future__ import annotations

from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4, LETTER

from builder.fonts import load_library
from builder.labels import load_labels
from builder.project import BUILTIN_ROOT, load_project
from builder.text import paragraphs, plain_text

from .conftest import embedded_fonts, fold, invoke, pdf_text

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


def outputs(built: Path) -> list[Path]:
    return sorted(built.rglob("*.pdf"))


def test_default_build_writes_every_handout_for_every_brand(built: Path, library) -> None:
    expected = {
        f"{brand}/en/{hid}-leaflet-{paper}.pdf"
        for hid in ("knee-osteoarthritis", "acupuncture-session")
        for brand, paper in (("hinode-tokyo", "a4"), ("riverbend-physio", "letter"))
    }
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


def test_extracted_text_is_the_yaml_text(built: Path, library) -> None:
    for pdf in outputs(built):
        handout_id = pdf.name.split("-leaflet-")[0]
        entry = library.handouts[handout_id]
        text = pdf_text(pdf)
        for expected in _texts_of(entry.translations["en"]):
            assert expected in text, f"{pdf.name}: missing {expected!r}"
        labels = load_labels("en")
        for section in entry.translations["en"].sections:
            if not section.heading and section.type != "figure":
                assert labels.heading(section.type) in text


def test_every_page_has_a_footer_with_contact_review_date_and_page_count(built: Path) -> None:
    for pdf in outputs(built):
        reader = pypdf.PdfReader(pdf)
        pages = len(reader.pages)
        for n, page in enumerate(reader.pages, start=1):
            text = fold(page.extract_text())
            assert f"Page {n} of {pages}" in text
            assert "Last reviewed November 1, 2026" in text
            phone = "+81 3-5555-0142" if "hinode" in str(pdf) else "(541) 555-0137"
            assert phone in text


def test_pages_sizes_and_budget(built: Path) -> None:
    for pdf in outputs(built):
        reader = pypdf.PdfReader(pdf)
        assert 1 <= len(reader.pages) <= 2
        paper = pdf.stem.rsplit("-", 1)[1]
        for page in reader.pages:
            box = page.mediabox
            assert (float(box.width), float(box.height)) == pytest.approx(PAPER[paper], abs=0.01)


def test_fonts_are_embedded_and_subset(built: Path) -> None:
    for pdf in outputs(built):
        fonts = embedded_fonts(pdf)
        assert fonts, pdf
        assert all(fonts.values()), f"{pdf.name}: not embedded: {fonts}"
        assert all("+" in name for name in fonts), f"{pdf.name}: not subset: {list(fonts)}"


def test_metadata_language_and_title_display(built: Path, library) -> None:
    for pdf in outputs(built):
        reader = pypdf.PdfReader(pdf)
        handout_id = pdf.name.split("-leaflet-")[0]
        tr = library.handouts[handout_id].translations["en"]
        meta = reader.metadata
        assert meta.title == tr.title
        assert meta.author == ("Hinode Acupuncture Clinic" if "hinode" in str(pdf)
                               else "Riverbend Physical Therapy & Acupuncture")
        assert meta.subject == tr.subtitle
        assert library.handouts[handout_id].handout.condition in meta["/Keywords"]
        assert meta["/CreationDate"].startswith("D:20261101")
        root = reader.trailer["/Root"]
        assert root["/Lang"] == "en"
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


def test_body_text_is_at_least_11_pt(built: Path, library) -> None:
    for pdf in outputs(built):
        handout_id = pdf.name.split("-leaflet-")[0]
        tr = library.handouts[handout_id].translations["en"]
        body = _texts_of(tr)[1:]  # the title is repeated, small, as the running head
        disclaimer = load_labels("en").text("disclaimer")
        small = [text for text, size in _sizes(pdf)
                 if size < SMALL_PRINT_MAX - 0.01 and text not in disclaimer]
        assert small, "footer and sources are expected in small print"
        for text in small:
            # Small print is only footer, sources, review line and labels: never body text.
            assert not any(text in b and len(text) > 12 for b in body), (pdf.name, text)


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


def test_red_flags_and_emergency_number_are_printed(built: Path) -> None:
    for pdf in outputs(built):
        text = pdf_text(pdf)
        assert "When to get urgent help" in text
        number = "119" if "hinode" in str(pdf) else "911"
        assert f"In an emergency, call {number}." in text


def test_booking_link_is_printed_with_its_qr_label(built: Path) -> None:
    for pdf in outputs(built):
        text = pdf_text(pdf)
        assert "Book your next visit" in text
        assert ("hinode-clinic.example.org/book" in text) or \
            ("riverbend-pt.example.com/appointments" in text)
