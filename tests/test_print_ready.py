"""--print-ready: bleed, crop marks, TrimBox and BleedBox, CMYK; the screen PDF unchanged."""

from __future__ import annotations

import re
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from click.testing import CliRunner
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from builder.postprocess import SLUG, cmyk

from .conftest import embedded_fonts, fold, invoke

BLEED = 3 * mm
HANDOUT = "pain-behind-the-knee"  # has a figure and the brand has a logo: images too


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print")
    runner = CliRunner()
    for extra in ((), ("--print-ready",)):
        result = invoke(runner, "build", HANDOUT, "-l", "en", "-b", "hinode-tokyo", "--layout",
                        "leaflet", "--layout", "booklet", *extra, "-o", str(out))
        assert result.exit_code == 0, result.output
    return out / "hinode-tokyo" / "en"


def test_cmyk_conversion_puts_greys_on_black_alone() -> None:
    assert cmyk(0, 0, 0) == (0, 0, 0, 1)
    assert cmyk(1, 1, 1) == (0, 0, 0, 0)
    c, m, y, k = cmyk(0.1, 0.1, 0.1)
    assert (c, m, y) == (0, 0, 0) and k == pytest.approx(0.9)
    c, m, y, k = cmyk(27 / 255, 79 / 255, 114 / 255)
    assert y == 0 and c > m > 0 and 0 < k < 1


def test_a_print_file_is_written_beside_the_unchanged_screen_file(out: Path,
                                                                   tmp_path: Path) -> None:
    assert (out / f"{HANDOUT}-leaflet-a4-print.pdf").is_file()
    result = invoke(CliRunner(), "build", HANDOUT, "-l", "en", "-b", "hinode-tokyo", "-o",
                    str(tmp_path))
    assert result.exit_code == 0, result.output
    screen = tmp_path / "hinode-tokyo/en" / f"{HANDOUT}-leaflet-a4.pdf"
    assert screen.read_bytes() == (out / screen.name).read_bytes()
    assert not list((tmp_path / "hinode-tokyo/en").glob("*-print.pdf"))


def _box(page: pypdf.PageObject, name: str) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in getattr(page, name))


def test_boxes_bleed_and_crop_marks(out: Path) -> None:
    reader = pypdf.PdfReader(out / f"{HANDOUT}-leaflet-a4-print.pdf")
    offset = BLEED + SLUG
    w, h = A4
    for page in reader.pages:
        assert _box(page, "mediabox") == pytest.approx((0, 0, w + 2 * offset, h + 2 * offset),
                                                       abs=0.01)
        assert _box(page, "trimbox") == pytest.approx((offset, offset, offset + w, offset + h),
                                                      abs=0.01)
        assert _box(page, "bleedbox") == pytest.approx(
            (offset - BLEED, offset - BLEED, offset + w + BLEED, offset + h + BLEED), abs=0.01)
        content = page.get_contents().get_data().decode("latin-1")
        # Crop marks: registration colour, eight short strokes outside the bleed.
        assert "1 1 1 1 K" in content
        marks_part = content.rsplit("1 1 1 1 K", 1)[1]  # drawn last, in page coordinates
        strokes = re.findall(r"([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l\s+S", marks_part)

        def off_the_piece(x: float, y: float) -> bool:
            return not (offset - BLEED <= x <= offset + w + BLEED
                        and offset - BLEED <= y <= offset + h + BLEED)
        marks = [s for s in strokes if off_the_piece(float(s[0]), float(s[1]))
                 and off_the_piece(float(s[2]), float(s[3]))]
        assert len(marks) == 8  # two at each corner; a leaflet has no folds


def test_colours_and_images_are_cmyk(out: Path) -> None:
    reader = pypdf.PdfReader(out / f"{HANDOUT}-leaflet-a4-print.pdf")
    images = 0
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        assert not re.search(r"(^|\s)[\d.]+ [\d.]+ [\d.]+ (rg|RG)(\s|$)", content)
        assert re.search(r"[\d.]+ [\d.]+ [\d.]+ [\d.]+ k", content)
        for ref in page["/Resources"].get("/XObject", {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image" and image["/ColorSpace"] != "/DeviceGray":
                assert image["/ColorSpace"] == "/DeviceCMYK"
                images += 1
    assert images >= 2  # the logo and the figure
    screen = pypdf.PdfReader(out / f"{HANDOUT}-leaflet-a4.pdf")
    assert " rg" in screen.pages[0].get_contents().get_data().decode("latin-1")


def test_print_file_keeps_fonts_text_and_metadata(out: Path) -> None:
    pdf = out / f"{HANDOUT}-leaflet-a4-print.pdf"
    fonts = embedded_fonts(pdf)
    assert fonts and all(fonts.values())
    reader = pypdf.PdfReader(pdf)
    assert reader.metadata.title == pypdf.PdfReader(out / f"{HANDOUT}-leaflet-a4.pdf"
                                                    ).metadata.title
    assert reader.trailer["/Root"]["/Lang"] == "en"
    text = fold(" ".join(p.extract_text() for p in reader.pages))
    assert "Pain behind the knee" in text and "Page 2 of 2" in text


def test_colour_that_touches_the_edge_runs_into_the_bleed(out: Path) -> None:
    """The booklet cover's colour band reaches past the trim into the bleed, and no further."""
    pdf = pypdfium2.PdfDocument(out / f"{HANDOUT}-booklet-a4-print.pdf")
    try:
        page = pdf[0]  # first sheet side: back cover | cover
        scale = 2
        image = page.render(scale=scale, crop=(0, 0, 0, 0)).to_pil().convert("RGB")
    finally:
        pdf.close()
    offset = BLEED + SLUG
    width_pt = image.width / scale

    def pixel(x_pt: float, y_from_bottom_pt: float) -> tuple[int, int, int]:
        return image.getpixel((round(x_pt * scale), round(image.height - y_from_bottom_pt
                                                          * scale)))

    band_y = offset + 10 * mm  # inside the cover's band, above the trim's foot
    inside = pixel(width_pt - offset - 5 * mm, band_y)
    in_bleed = pixel(width_pt - offset + BLEED / 2, band_y)
    beyond = pixel(width_pt - offset + BLEED + 2 * mm, band_y)
    below = pixel(width_pt - offset - 5 * mm, offset - BLEED / 2)
    assert sum(inside) < 500 and in_bleed == inside and below == inside
    assert beyond == (255, 255, 255)


def test_booklet_sheet_has_a_fold_mark_at_its_middle(out: Path) -> None:
    reader = pypdf.PdfReader(out / f"{HANDOUT}-booklet-a4-print.pdf")
    page = reader.pages[0]
    offset = BLEED + SLUG
    middle = offset + A4[1] / 2
    content = page.get_contents().get_data().decode("latin-1").rsplit("1 1 1 1 K", 1)[1]
    strokes = re.findall(r"([\d.]+) ([\d.]+) m\s+([\d.]+) ([\d.]+) l\s+S", content)
    assert any(abs(float(x1) - middle) < 0.01 and abs(float(x2) - middle) < 0.01
               for x1, _, x2, _ in strokes)


def _forms(resources: object) -> list[object]:
    """Form XObjects (imposed pages) reachable from a page's resources, nested ones too."""
    found = []
    resources = resources.get_object() if resources is not None else {}
    for ref in resources.get("/XObject", {}).values():
        xobject = ref.get_object()
        if xobject.get("/Subtype") == "/Form":
            found += [xobject, *_forms(xobject.get("/Resources"))]
    return found


def test_imposed_booklet_pages_are_cmyk_inside_and_keep_their_links(out: Path) -> None:
    """Imposed pages are placed as form XObjects: the print version converts what they draw
    and the images they use, and each sheet carries the links of the pages on it, moved to
    where the page sits."""
    printed = pypdf.PdfReader(out / f"{HANDOUT}-booklet-a4-print.pdf")
    forms = [form for page in printed.pages for form in _forms(page.get("/Resources"))]
    assert forms
    images = 0
    for form in forms:
        content = form.get_data().decode("latin-1")
        assert not re.search(r"(^|\s)[\d.]+ [\d.]+ [\d.]+ (rg|RG)(\s|$)", content)
        for ref in form.get("/Resources", {}).get("/XObject", {}).values():
            image = ref.get_object()
            if image.get("/Subtype") == "/Image" and image["/ColorSpace"] != "/DeviceGray":
                assert image["/ColorSpace"] == "/DeviceCMYK"
                images += 1
    assert images >= 1
    sheets = pypdf.PdfReader(out / f"{HANDOUT}-booklet-a4.pdf")
    reading = pypdf.PdfReader(out / f"{HANDOUT}-booklet-a4-reading.pdf")
    page_w = float(reading.pages[0].mediabox.width)

    def uris(reader: pypdf.PdfReader) -> list[str]:
        return sorted(str(a.get_object()["/A"]["/URI"]) for p in reader.pages
                      for a in p.get("/Annots") or [] if "/A" in a.get_object())

    assert uris(sheets) == uris(reading) and uris(reading)
    for page in sheets.pages:
        width = float(page.mediabox.width)
        for annot in page.get("/Annots") or []:
            left, _, right, _ = (float(v) for v in annot.get_object()["/Rect"])
            assert 0 <= left < right <= width
            assert "/P" not in annot.get_object()  # (no reference back to the unimposed file)
    assert width == pytest.approx(2 * page_w)
    text = fold(" ".join(p.extract_text() for p in sheets.pages))
    assert fold(reading.pages[0].extract_text())[:60] in text
