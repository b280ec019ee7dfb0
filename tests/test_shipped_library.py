"""The shipped library, built as a user builds it and read back from the PDFs."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4, LETTER

from builder.bidi import is_rtl_language
from builder.labels import load_labels
from builder.linebreak import NO_START
from builder.resolve import resolve
from builder.text import paragraphs, plain_text
from layouts import builtin_layouts

from .conftest import comparable, embedded_fonts, fold, invoke, page_texts, pdf_text

PAPER = {"a4": A4, "letter": LETTER}
SMALL_PRINT_MAX = 11.0
LAYOUTS = tuple(builtin_layouts())
# Documents in one language whose pages are in reading order, with every text of the handout.
WHOLE_TEXT = ("leaflet", "large-print", "booklet-reading")
NAME = re.compile(rf"^(?P<id>[a-z0-9-]+?)-(?P<layout>{'|'.join(LAYOUTS)})-(?P<paper>a4|letter)"
                  rf"(?P<suffix>-reading)?$")


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


@dataclass(frozen=True)
class Output:
    """What out/<brand>/<lang>/<id>-<layout>-<paper>[-reading].pdf holds."""

    path: Path
    brand: str
    lang: str  # one language, or a pair 'ja+en'
    handout: str
    layout: str  # 'booklet-reading' for a booklet's reading-order pages
    paper: str

    @property
    def first_lang(self) -> str:
        return self.lang.split("+")[0]


def parts(pdf: Path) -> Output:
    match = NAME.match(pdf.stem)
    assert match, pdf
    layout = match["layout"] + (match["suffix"] or "")
    return Output(pdf, pdf.parent.parent.name, pdf.parent.name, match["id"], layout,
                  match["paper"])


def of(pdfs: list[Path], *layouts: str) -> list[Output]:
    """The outputs of these layouts."""
    return [o for o in map(parts, pdfs) if o.layout in layouts]


def norm(text: str, lang: str) -> str:
    return comparable(text, lang)


def _expected_names(library) -> set[str]:
    """What the default build writes: each handout's layouts, for each brand's languages;
    the bilingual layout pairs each language with the source language."""
    expected = set()
    for hid, entry in library.handouts.items():
        handout = entry.handout
        for brand in library.brands.values():
            langs = [lang for lang in handout.languages
                     if not brand.languages or lang in brand.languages]
            for layout in handout.layouts:
                if layout == "bilingual":
                    chosen = [f"{lang}+{handout.source_language}" for lang in langs
                              if lang != handout.source_language
                              and handout.source_language in langs]
                else:
                    chosen = langs
                for lang in chosen:
                    stem = f"{brand.id}/{lang}/{hid}-{layout}-{brand.paper}"
                    expected.add(f"{stem}.pdf")
                    if layout == "booklet":
                        expected.add(f"{stem}-reading.pdf")
    return expected


def test_default_build_writes_each_brands_languages_and_layouts(built: Path, library) -> None:
    expected = _expected_names(library)
    assert {"hinode-tokyo/en/knee-osteoarthritis-leaflet-a4.pdf",
            "riverbend-physio/en/acupuncture-session-leaflet-letter.pdf"} <= expected
    found = {str(p.relative_to(built)) for p in outputs(built)}
    assert found == expected
    assert {parts(p).layout for p in outputs(built)} >= {"leaflet", "booklet", "large-print",
                                                         "bilingual"}
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


def _running_text(out: Output, library) -> str:
    """The text of the pages without what is repeated on every page (footer, running head),
    so that a paragraph continued on the next page reads as one."""
    entry = library.handouts[out.handout]
    doc = resolve(entry.handout, entry.translations[out.lang], library.brands[out.brand],
                  out.paper)
    pages = page_texts(out.path, out.lang)
    title = doc.translation.title
    # The running head (title and clinic) first: the title alone also begins some summaries.
    repeated = [f"{title} {doc.brand_name}", f"{doc.brand_name} {title}", doc.last_reviewed,
                doc.brand_name, doc.brand.phone, doc.brand.email, doc.web, doc.address,
                doc.brand_footer, doc.labels.text("patient_information")]
    repeated += [doc.labels.text("page", page=n, pages=len(pages))
                 for n in range(1, len(pages) + 1)]
    text = norm(" ".join(pages), out.lang)
    for piece in (norm(p, out.lang) for p in repeated if p):
        text = text.replace(piece, " ")
    return norm(text.replace("·", " "), out.lang)


def test_extracted_text_is_the_yaml_text(pdfs: list[Path], library) -> None:
    for out in of(pdfs, *WHOLE_TEXT):
        tr = library.handouts[out.handout].translations[out.lang]
        whole = norm(pdf_text(out.path, out.lang), out.lang)
        assert norm(tr.title, out.lang) in whole
        text = _running_text(out, library)
        for expected in _texts_of(tr)[1:]:
            assert norm(expected, out.lang) in text, f"{out.path}: missing {expected!r}"
        labels = load_labels(out.lang)
        for section in tr.sections:
            if not section.heading and section.type != "figure":
                assert norm(labels.heading(section.type), out.lang) in text


def test_aftercare_cards_carry_every_aftercare_item_and_red_flag(pdfs: list[Path],
                                                                 library) -> None:
    cards = of(pdfs, "card")
    for out in cards:
        tr = library.handouts[out.handout].translations[out.lang]
        text = norm(pdf_text(out.path, out.lang), out.lang)
        for section in tr.sections:
            if section.type in ("aftercare", "red_flags"):
                for item in section.items:
                    assert norm(fold(plain_text(item.text)), out.lang) in text, item.text


def test_every_page_has_a_footer_with_contact_review_date_and_page_count(pdfs: list[Path],
                                                                       library) -> None:
    for out in of(pdfs, *WHOLE_TEXT, "card"):
        lang = out.lang
        labels = load_labels(lang)
        reviewed = library.handouts[out.handout].handout.reviewed
        texts = page_texts(out.path, lang)
        pages = len(texts)
        for n, page_text in enumerate(texts, start=1):
            text = norm(page_text, lang)
            label = norm(labels.text("page", page=n, pages=pages), lang)
            # PDFium joins text standing on one line; a right-to-left label beside the clinic's
            # Latin name then reads back with its words in reverse order.
            reverse = " ".join(reversed(label.split())) if is_rtl_language(lang) else label
            assert label in text or reverse in text, (out.path, n)
            assert norm(labels.text("last_reviewed", date=labels.date(reviewed)), lang) in text
            phone = norm(library.brands[out.brand].phone, lang)
            assert all(part in text for part in phone.split()) if is_rtl_language(lang) \
                else phone in text, (out.path, n)


def _size(page: pypdf.PageObject) -> tuple[float, float]:
    return round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)


def test_page_sizes_and_budgets(pdfs: list[Path]) -> None:
    for out in map(parts, pdfs):
        sizes = [_size(p) for p in pypdf.PdfReader(out.path).pages]
        width, height = (round(v, 1) for v in PAPER[out.paper])
        portrait, landscape = (width, height), (height, width)
        half = (round(height / 2, 1), width)
        card = (297.6, 419.5) if out.paper == "a4" else (288.0, 432.0)
        rule = {
            "leaflet": (lambda n: 1 <= n <= 2, portrait),
            "large-print": (lambda n: n >= 1, portrait),
            "bilingual": (lambda n: 1 <= n <= 6, portrait),
            "booklet-reading": (lambda n: n % 4 == 0 and n <= 16, half),
            "booklet": (lambda n: n % 2 == 0 and n <= 8, landscape),
            "trifold": (lambda n: n == 2, landscape),
            "card": (lambda n: n == 2, card),
        }[out.layout]
        count_ok, size = rule
        assert count_ok(len(sizes)), (out.path, len(sizes))
        assert set(sizes) == {size}, (out.path, set(sizes))


def test_fonts_are_embedded_and_subset(pdfs: list[Path]) -> None:
    for pdf in pdfs:
        fonts = embedded_fonts(pdf)
        assert fonts, pdf
        assert all(fonts.values()), f"{pdf.name}: not embedded: {fonts}"
        assert all("+" in name for name in fonts), f"{pdf.name}: not subset: {list(fonts)}"


def test_metadata_language_and_title_display(pdfs: list[Path], library) -> None:
    for out in map(parts, pdfs):
        reader = pypdf.PdfReader(out.path)
        translations = library.handouts[out.handout].translations
        langs = out.lang.split("+")
        meta = reader.metadata
        assert meta.title == " / ".join(translations[lang].title for lang in langs), out.path
        assert meta.author == library.brands[out.brand].local_name(langs[0])
        assert meta.subject == translations[langs[0]].subtitle
        assert library.handouts[out.handout].handout.condition in meta["/Keywords"]
        assert meta["/CreationDate"].startswith("D:20261101")
        root = reader.trailer["/Root"]
        assert root["/Lang"] == langs[0]
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
    for out in of(pdfs, "leaflet", "booklet-reading"):
        lang = out.lang
        tr = library.handouts[out.handout].translations[lang]
        body = [norm(t, lang) for t in _texts_of(tr)[1:]]  # the title recurs as running head
        disclaimer = norm(load_labels(lang).text("disclaimer"), lang)
        small = [norm(text, lang) for text, size in _sizes(out.path)
                 if size < SMALL_PRINT_MAX - 0.01]
        # The title recurs in small print as the running head of later pages.
        small = [t for t in small if t and t not in disclaimer and t != norm(tr.title, lang)]
        assert small, "footer and sources are expected in small print"
        for text in small:
            # Small print is only footer, sources, review line and labels: never body text.
            assert not any(text in b and len(text) > 12 for b in body), (out.path, text)


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
    for out in map(parts, pdfs):
        for lang in out.lang.split("+"):
            labels = load_labels(lang)
            text = norm(pdf_text(out.path, lang), lang)
            section = next(s for s in library.handouts[out.handout].translations[lang].sections
                           if s.type == "red_flags")
            assert norm(section.heading or labels.heading("red_flags"), lang) in text, out.path
            number = library.brands[out.brand].emergency_phone
            assert norm(labels.text("emergency", number=number), lang) in text, out.path


def test_booking_link_is_printed_with_its_qr_label(pdfs: list[Path], library) -> None:
    for out in map(parts, pdfs):
        if out.layout == "card":
            continue  # a card shows the code only when there is room to spare
        lang = out.first_lang
        text = norm(pdf_text(out.path, lang), lang)
        assert norm(load_labels(lang).text("booking"), lang) in text, out.path
        url = library.brands[out.brand].booking_url
        assert norm(url.removeprefix("https://"), lang) in text, out.path


def test_no_shipped_japanese_or_chinese_line_starts_with_a_closing_mark(pdfs) -> None:
    for out in map(parts, pdfs):
        if out.first_lang.split("-")[0] not in ("ja", "zh"):
            continue
        for page in page_texts(out.path, "ar"):  # PDFium: one entry per printed line
            for line in page.splitlines():
                line = line.strip()
                assert not line or line[0] not in NO_START, (out.path.name, line)
