"""Shared fixtures: small handout projects written into a temporary folder, PDF readers."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pypdf
import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from click.testing import CliRunner

from builder.bidi import is_rtl_language
from builder.cli import main
from builder.project import Project


def pytest_configure(config: pytest.Config) -> None:
    """Fonts' character maps are kept in a cache of the run's own, not the user's."""
    os.environ["HANDOUT_CACHE_DIR"] = tempfile.mkdtemp(prefix="handout-test-cache-")


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(os.environ.pop("HANDOUT_CACHE_DIR", ""), ignore_errors=True)


HANDOUT_YAML = """\
id: demo
condition: Demo condition
source_language: en
reviewed: 2026-11-01
review_due: 2028-11-01
reviewed_by: Test lead
sources:
  - id: ref1
    citation: "Author A. A title. Journal 2020;1:1-2"
    url: https://doi.org/10.1000/demo
"""

EN_YAML = """\
title: Demo handout
subtitle: A short subtitle
summary: A short summary for the demo.
sections:
  - type: about
    text: |
      First paragraph about the condition.

      Second paragraph with **strong** and *emphasis* and https://example.org/info.
  - type: expect
    steps:
      - text: The first step.
      - text: The second step.
  - type: aftercare
    items:
      - id: rest
        text: Rest for a day.
      - id: water
        text: Drink water.
  - type: red_flags
    items:
      - id: fever
        text: A fever after the session.
  - type: faq
    items:
      - q: Does it hurt?
        a: Most people feel little.
"""

BRAND_YAML = """\
name: Demo Clinic
paper: a4
colors: {primary: "#1B4F72", accent: "#A93226", text: "#1A1A1A"}
contact:
  address: "1 Example Road, Example Town"
  phone: "+1 555-0100"
  email: hello@example.org
  web: https://example.org
emergency_phone: "911"
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def make_project(root: Path, *, handout: str = HANDOUT_YAML, en: str = EN_YAML,
                 brand: str = BRAND_YAML, handout_id: str = "demo") -> Path:
    """A valid one-handout project with one brand ('demo-brand')."""
    write(root / "handouts" / handout_id / "handout.yaml",
          handout.replace("id: demo", f"id: {handout_id}", 1))
    write(root / "handouts" / handout_id / "en.yaml", en)
    write(root / "assets" / "brands" / "demo-brand" / "brand.yaml", brand)
    return root


@pytest.fixture(scope="session")
def library() -> Project:
    """The shipped handout library, loaded as the builder loads it, with every layout."""
    from builder.fonts import load_library
    from builder.project import BUILTIN_ROOT, load_project
    from layouts import builtin_layouts

    return load_project(BUILTIN_ROOT, load_library(BUILTIN_ROOT / "assets" / "fonts"),
                        sorted(builtin_layouts()))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path / "proj")


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (fonts' character maps, logos scaled for print)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("HANDOUT_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def invoke(runner: CliRunner, *args: str):
    """Run the `handout` command in-process; never lets an exception escape silently."""
    result = runner.invoke(main, list(args), catch_exceptions=False)
    assert "Traceback" not in result.output
    return result


def build_demo(tmp_path: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch,
               en: str) -> Path:
    """Build a one-handout project whose en.yaml is `en`; returns the PDF written."""
    proj = make_project(tmp_path / "proj", en=en)
    monkeypatch.chdir(tmp_path)
    result = invoke(runner, "build", "--root", str(proj), "-b", "demo-brand", "-o", "out")
    assert result.exit_code == 0, result.output
    return tmp_path / "out/demo-brand/en/demo-leaflet-a4.pdf"


def page_texts(path: Path, lang: str = "en") -> list[str]:
    """The text of each page, in logical (typed) order.

    Right-to-left pages are read with PDFium, which orders characters by the Unicode
    bidirectional algorithm; pypdf reads them in drawing order.
    """
    if is_rtl_language(lang):
        pdf = pypdfium2.PdfDocument(path)
        try:
            return [page.get_textpage().get_text_range() for page in pdf]
        finally:
            pdf.close()
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def pdf_text(path: Path, lang: str = "en") -> str:
    """All text of a PDF, whitespace folded to single spaces."""
    return fold(" ".join(page_texts(path, lang)))


# Arabic vowel marks sit over letters at no advance; extraction places them unreliably.
_ARABIC_MARKS = re.compile("[\u064B-\u065F\u0670]")


def comparable(text: str, lang: str) -> str:
    """Text as compared with the YAML: Arabic joined forms back to letters (NFKC), vowel
    marks and punctuation removed; hyphens dropped on both sides (long words may be
    hyphenated at a line end); lines of unspaced scripts joined without a space."""
    if is_rtl_language(lang):
        text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", text))
        # PDFium puts punctuation next to a number on the wrong side when it rebuilds
        # logical order ("119." reads back as ".119"); letters and digits stay in order.
        text = "".join(c for c in text if not unicodedata.category(c).startswith("P"))
    text = re.sub(r"-\s*", "", text)
    return "".join(text.split()) if lang.split("-")[0] in ("ja", "zh") else fold(text)


def fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Every font a PDF uses -> whether its program is embedded."""
    out: dict[str, bool] = {}
    reader = pypdf.PdfReader(path)

    def visit(resources: object) -> None:
        resources = resources.get_object() if resources is not None else {}
        for ref in resources.get("/Font", {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            target = descendants[0].get_object() if descendants else font
            descriptor = target.get("/FontDescriptor")
            embedded = bool(descriptor) and any(
                k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            out[str(font["/BaseFont"])] = embedded
        for ref in resources.get("/XObject", {}).values():
            xobject = ref.get_object()
            if xobject.get("/Subtype") == "/Form":  # an imposed page
                visit(xobject.get("/Resources"))

    for page in reader.pages:
        visit(page.get("/Resources"))
    return out


@dataclass(frozen=True)
class Char:
    """One character as PDFium reads it back: where it stands, its size and colour."""

    page: int
    text: str
    size: float
    x: float
    y: float  # baseline
    color: tuple[int, int, int]
    right: float = 0.0  # right edge of the glyph's box


def chars(path: Path) -> list[Char]:
    """Every visible character of a PDF, with its font size, origin and fill colour."""
    out: list[Char] = []
    pdf = pypdfium2.PdfDocument(path)
    try:
        for number, page in enumerate(pdf, start=1):
            textpage = page.get_textpage()
            x, y = ctypes.c_double(), ctypes.c_double()
            r, g, b, a = (ctypes.c_uint() for _ in range(4))
            box = [ctypes.c_double() for _ in range(4)]
            for i in range(textpage.count_chars()):
                code = pdfium_c.FPDFText_GetUnicode(textpage.raw, i)
                if code in (0, 0xFFFE, 0xFFFF) or chr(code).isspace():
                    continue
                pdfium_c.FPDFText_GetCharOrigin(textpage.raw, i, x, y)
                pdfium_c.FPDFText_GetFillColor(textpage.raw, i, r, g, b, a)
                pdfium_c.FPDFText_GetCharBox(textpage.raw, i, *box)  # left, right, bottom, top
                out.append(Char(number, chr(code), pdfium_c.FPDFText_GetFontSize(textpage.raw, i),
                                x.value, y.value, (r.value, g.value, b.value), box[1].value))
    finally:
        pdf.close()
    return out


def text_in(path: Path, page: int, left: float, bottom: float, right: float,
            top: float) -> str:
    """The text PDFium finds inside a rectangle of one page (1-based), whitespace folded."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        return fold(pdf[page - 1].get_textpage().get_text_bounded(left, bottom, right, top))
    finally:
        pdf.close()


# -- every PDF the suite writes is structurally valid, with every font embedded ---------------


def pdf_problems(path: Path) -> list[str]:
    """What qpdf's checker (as `qpdf --check`) finds wrong in a PDF, and any font whose program
    is not embedded; empty for a sound file. Files encrypted with a user password are skipped."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            found = list(pdf.check_pdf_syntax())
            form_fonts = _form_field_fonts(pdf)
            for obj in pdf.objects:
                if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font" or \
                        obj.get("/Subtype") in ("/Type3", "/Type0"):
                    continue  # Type3 glyphs are content streams; a Type0's descendant is checked
                if obj.objgen in form_fonts:
                    continue  # form fields can only name a standard font (see form_fields.py)
                descriptor = obj.get("/FontDescriptor")
                if descriptor is None or not any(k in descriptor for k in
                                                 ("/FontFile", "/FontFile2", "/FontFile3")):
                    name = str(obj.get("/BaseFont", "?")).lstrip("/")
                    found.append(f"font {name} is not embedded")
    except pikepdf.PasswordError:
        return []
    except (pikepdf.PdfError, OSError) as exc:
        return [f"cannot be read: {exc}"]
    return found


def _form_field_fonts(pdf: object) -> set[tuple[int, int]]:
    """Fonts that only form fields use: the form's default resources and the fields' own
    appearance streams (the page text never uses them)."""
    import pikepdf

    assert isinstance(pdf, pikepdf.Pdf)
    found: set[tuple[int, int]] = set()

    def add(resources) -> None:
        fonts = resources.get("/Font") if resources is not None else None
        for ref in (fonts.values() if fonts is not None else []):
            found.add(ref.objgen)

    form = pdf.Root.get("/AcroForm")
    if form is not None:
        add(form.get("/DR"))
    for page in pdf.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Widget":
                continue
            for state in (annot.get("/AP") or {}).values():
                # A tick box has a stream per state (/Yes, /Off); a text box has one stream.
                streams = [state] if isinstance(state, pikepdf.Stream) else state.values()
                for stream in streams:
                    add(stream.get("/Resources"))
    return found


_CHECKED_PDFS: set[tuple[str, int, int]] = set()


def check_pdfs_under(folder: Path) -> list[str]:
    """Problems of every PDF below `folder` not checked before in this run, one line each."""
    found = []
    for path in sorted(folder.rglob("*.pdf")) if folder.is_dir() else []:
        if not path.is_file():
            continue
        stat = path.stat()
        key = (str(path), stat.st_mtime_ns, stat.st_size)
        if key in _CHECKED_PDFS:
            continue
        _CHECKED_PDFS.add(key)
        found += [f"{path}: {problem}" for problem in pdf_problems(path)]
    return found


@pytest.fixture(autouse=True)
def _pdfs_written_are_valid(request: pytest.FixtureRequest):
    """After each test, every PDF in its tmp_path must pass qpdf's checks with fonts embedded."""
    yield
    folder = request.node.funcargs.get("tmp_path")
    if isinstance(folder, Path):
        problems = check_pdfs_under(folder)
        if problems:
            pytest.fail("invalid PDFs written:\n" + "\n".join(problems[:20]), pytrace=False)


@pytest.fixture(autouse=True, scope="session")
def _session_pdfs_are_valid(tmp_path_factory: pytest.TempPathFactory):
    """At the end of the run, the same check for PDFs written outside a test's tmp_path
    (module and session fixtures)."""
    yield
    problems = check_pdfs_under(tmp_path_factory.getbasetemp())
    if problems:
        pytest.fail("invalid PDFs written:\n" + "\n".join(problems[:20]), pytrace=False)
