"""pypdf steps after rendering: imposing pages on sheets, and the print shop's version."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageMath
from reportlab.lib.units import mm


class _LazyPypdf:
    """pypdf's classes, imported when a document is first imposed or made print-ready
    (a tenth of a second that a plain leaflet does not need)."""

    def __getattr__(self, name: str) -> object:
        import pypdf
        import pypdf.generic

        value = getattr(pypdf, name, None) or getattr(pypdf.generic, name)
        setattr(self, name, value)
        return value


_pdf = _LazyPypdf()

if TYPE_CHECKING:
    from pypdf import PageObject, PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, FloatObject, IndirectObject, RectangleObject

SLUG = 12 * mm        # room outside the bleed for crop and fold marks
MARK_LENGTH = 6 * mm
MARK_WIDTH = 0.3


@dataclass(frozen=True)
class Finished:
    """A finished document, and other files made with it (suffix -> PDF)."""

    pdf: bytes
    extras: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class Placement:
    """Where one page of a document goes on a sheet; `page` None leaves the place empty."""

    page: int | None
    x: float
    y: float = 0.0


def _writer() -> PdfWriter:
    writer = _pdf.PdfWriter()
    # A fixed file identifier: the same inputs give the same bytes.
    writer._ID = None  # type: ignore[attr-defined]
    return writer


def _bytes(writer: PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def impose(pdf: bytes, sheet: tuple[float, float], sides: list[list[Placement]],
           bleed: float = 0.0) -> bytes:
    """Each side of a sheet gets the pages placed on it, unscaled; the document keeps its
    title, language and viewer settings.

    Each page becomes a form XObject that the sheet draws where it goes, clipped to the
    page (and its bleed): its content stream is copied as it is, never parsed, and its links
    move with it.
    """
    reader = _pdf.PdfReader(io.BytesIO(pdf))
    writer = _writer()
    _copy_info(reader, writer)
    forms: dict[int, IndirectObject] = {}
    for side in sides:
        target = writer.add_blank_page(*sheet)
        placed = _pdf.DictionaryObject()
        drawing: list[str] = []
        links = _pdf.ArrayObject()
        for place in side:
            if place.page is None:
                continue
            page = reader.pages[place.page]
            if place.page not in forms:
                forms[place.page] = _page_form(writer, page, bleed)
            name = f"/Page{place.page + 1}"
            placed[_pdf.NameObject(name)] = forms[place.page]
            drawing.append(f"q 1 0 0 1 {_number(place.x)} {_number(place.y)} cm {name} Do Q")
            links.extend(_moved_annotations(writer, page, place.x, place.y))
        target[_pdf.NameObject("/Resources")] = _pdf.DictionaryObject({
            _pdf.NameObject("/XObject"): placed,
            _pdf.NameObject("/ProcSet"): _pdf.ArrayObject([_pdf.NameObject("/PDF")]),
        })
        content = _pdf.DecodedStreamObject()
        content.set_data("\n".join(drawing).encode("ascii"))
        target[_pdf.NameObject("/Contents")] = writer._add_object(content)
        if links:
            target[_pdf.NameObject("/Annots")] = links
    return _bytes(writer)


def _page_form(writer: PdfWriter, page: PageObject, bleed: float) -> IndirectObject:
    """A page as a form XObject in `writer`, clipped to the page grown by `bleed` (colour
    drawn into the bleed at a sheet edge survives)."""
    contents = page.get_contents()
    form = _pdf.DecodedStreamObject()
    form.set_data(contents.get_data() if contents is not None else b"")
    form = form.flate_encode()
    form.update({
        _pdf.NameObject("/Type"): _pdf.NameObject("/XObject"),
        _pdf.NameObject("/Subtype"): _pdf.NameObject("/Form"),
        _pdf.NameObject("/BBox"): _grown(page.mediabox, bleed),
        _pdf.NameObject("/Resources"): page.get("/Resources", _pdf.DictionaryObject())
        .get_object().clone(writer),
    })
    return writer._add_object(form)


def _moved_annotations(writer: PdfWriter, page: PageObject, dx: float,
                       dy: float) -> list[IndirectObject]:
    """The page's links, copied into `writer` and moved to where the page is placed."""
    moved = []
    for ref in page.get("/Annots") or []:
        annotation = ref.get_object().clone(writer, ignore_fields=("/P", "/Parent"))
        if "/Rect" in annotation:
            left, bottom, right, top = (float(v) for v in annotation["/Rect"])
            annotation[_pdf.NameObject("/Rect")] = _pdf.RectangleObject(
                (left + dx, bottom + dy, right + dx, top + dy))
        annotation.pop("/QuadPoints", None)  # (reportlab writes none; a stale one would mislead)
        moved.append(writer._add_object(annotation))
    return moved


def _number(value: float) -> str:
    return f"{value:.4f}".rstrip("0").rstrip(".")


def _grown(box: RectangleObject, by: float) -> RectangleObject:
    return _pdf.RectangleObject((float(box.left) - by, float(box.bottom) - by,
                            float(box.right) + by, float(box.top) + by))


def _copy_info(reader: PdfReader, writer: PdfWriter) -> None:
    """Metadata, /Lang and viewer preferences (show the title) from one PDF to another."""
    if reader.metadata:
        writer.add_metadata({key: str(value) for key, value in reader.metadata.items()})
    root = reader.trailer["/Root"]
    for key in ("/Lang", "/ViewerPreferences"):
        if key in root:
            writer._root_object[_pdf.NameObject(key)] = _copied(root[key])


def _copied(value: object) -> object:
    resolved = value.get_object() if hasattr(value, "get_object") else value
    if isinstance(resolved, _pdf.DictionaryObject):
        return _pdf.DictionaryObject({_pdf.NameObject(k): v for k, v in resolved.items()})
    return resolved


# -- the print shop's version ------------------------------------------------------------

def print_ready(pdf: bytes, bleed: float,
                folds: list[float] | list[list[float]] | None = None) -> bytes:
    """Every page on a larger sheet: the page's area as TrimBox, the bleed around it as
    BleedBox, crop marks at the corners and fold marks at `folds` (x from the left of the
    trim; one list for every page, or one list per page, repeating), all colours and images
    in CMYK."""
    reader = _pdf.PdfReader(io.BytesIO(pdf))
    writer = _writer()
    offset = bleed + SLUG
    per_page: list[list[float]] = [list(f) for f in folds] if folds and isinstance(
        folds[0], list) else [list(folds or [])]  # type: ignore[arg-type]
    for number, page in enumerate(reader.pages):
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        sheet = writer.add_blank_page(width + 2 * offset, height + 2 * offset)
        page.mediabox = _grown(page.mediabox, bleed)
        sheet.merge_transformed_page(page, _pdf.Transformation().translate(offset, offset))
        sheet.trimbox = _pdf.RectangleObject((offset, offset, offset + width, offset + height))
        sheet.bleedbox = _grown(sheet.trimbox, bleed)
        sheet.cropbox = sheet.mediabox
        page_folds = per_page[number % len(per_page)]
        _to_cmyk(sheet, writer, _marks(width, height, bleed, page_folds))
    _copy_info(reader, writer)
    return _bytes(writer)


Operation = tuple[list[object], bytes]


def _marks(width: float, height: float, bleed: float, folds: list[float]) -> list[Operation]:
    """Crop marks at the trim corners and dashed fold marks, in registration colour, as PDF
    drawing operations (no font or resource enters the file)."""
    offset = bleed + SLUG
    left, bottom, right, top = offset, offset, offset + width, offset + height
    gap = bleed + 1 * mm  # marks stop short of the bleed so they never print on the piece
    lines: list[tuple[float, float, float, float]] = []
    for x, y, dx, dy in ((left, bottom, -1, -1), (right, bottom, 1, -1),
                         (left, top, -1, 1), (right, top, 1, 1)):
        lines.append((x + dx * gap, y, x + dx * (gap + MARK_LENGTH), y))
        lines.append((x, y + dy * gap, x, y + dy * (gap + MARK_LENGTH)))
    folded = [(left + f, bottom - gap, left + f, bottom - gap - MARK_LENGTH) for f in folds]
    folded += [(left + f, top + gap, left + f, top + gap + MARK_LENGTH) for f in folds]

    def number(value: float) -> FloatObject:
        return _pdf.FloatObject(round(value, 3))

    ops: list[Operation] = [([], b"q"), ([number(v) for v in (1, 1, 1, 1)], b"K"),
                            ([number(MARK_WIDTH)], b"w")]
    for group, dash in ((lines, []), (folded, [number(2), number(1.5)])):
        ops.append(([_pdf.ArrayObject(dash), number(0)], b"d"))
        for x1, y1, x2, y2 in group:
            ops += [([number(x1), number(y1)], b"m"), ([number(x2), number(y2)], b"l"),
                    ([], b"S")]
    ops.append(([], b"Q"))
    return ops


def cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """sRGB (0..1) to CMYK with full grey replacement: greys and black print on K alone."""
    k = 1 - max(r, g, b)
    if k >= 1:
        return 0.0, 0.0, 0.0, 1.0
    return ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k)


_RGB_OPERATORS = {b"rg": b"k", b"RG": b"K"}


def _to_cmyk(page: PageObject, writer: PdfWriter, extra: list[Operation]) -> None:
    """Rewrite a page's RGB colour operators and RGB images as CMYK; add `extra` drawing."""
    content = _pdf.ContentStream(page.get_contents(), writer)
    content.operations = _cmyk_operations(content.operations) + extra
    page.replace_contents(content)
    _cmyk_resources(page.get("/Resources"), writer, set())


def _cmyk_operations(operations: list[Operation]) -> list[Operation]:
    out = []
    for operands, operator in operations:
        if operator in _RGB_OPERATORS and len(operands) == 3:
            values = cmyk(*(float(v) for v in operands))
            operands = [_pdf.FloatObject(round(v, 4)) for v in values]
            operator = _RGB_OPERATORS[operator]
        out.append((operands, operator))
    return out


def _cmyk_resources(resources: object, writer: PdfWriter, done: set[int]) -> None:
    """RGB images as CMYK, and the drawing of form XObjects (imposed pages) likewise."""
    resources = resources.get_object() if resources is not None else None  # type: ignore[attr-defined]
    xobjects = resources.get("/XObject") if resources else None
    for ref in (xobjects.get_object().values() if xobjects else ()):
        xobject = ref.get_object()
        if id(xobject) in done:  # (a page placed twice is converted once)
            continue
        done.add(id(xobject))
        if xobject.get("/Subtype") == "/Form":
            form = _pdf.ContentStream(xobject, writer)
            form.operations = _cmyk_operations(form.operations)
            xobject.set_data(form.get_data())
            _cmyk_resources(xobject.get("/Resources"), writer, done)
        elif (rgb := _rgb_pixels(xobject)) is not None:
            xobject[_pdf.NameObject("/Filter")] = _pdf.NameObject("/FlateDecode")
            xobject.pop(_pdf.NameObject("/DecodeParms"), None)
            xobject.set_data(_cmyk_image(rgb).tobytes())
            xobject[_pdf.NameObject("/ColorSpace")] = _pdf.NameObject("/DeviceCMYK")


def _rgb_pixels(image: DictionaryObject) -> Image.Image | None:
    """The pixels of an 8-bit RGB image as the builder writes them: compressed losslessly
    (with or without PNG predictors), or a JPEG file's own data; None for anything else."""
    filters = image.get("/Filter")
    names = [str(f) for f in filters] if isinstance(filters, list) else \
        [str(filters)] if filters else []
    if (image.get("/Subtype") != "/Image" or image.get("/ColorSpace") != "/DeviceRGB"
            or image.get("/BitsPerComponent") != 8 or "/Decode" in image):
        return None
    size = (int(image["/Width"]), int(image["/Height"]))
    if names == ["/DCTDecode"]:
        jpeg = Image.open(io.BytesIO(image.get_data()), formats=("JPEG",))
        return jpeg.convert("RGB") if jpeg.size == size else None
    if not all(f in ("/FlateDecode", "/ASCII85Decode") for f in names):
        return None
    parms = image.get("/DecodeParms")
    if parms is not None and (names != ["/FlateDecode"] or parms.get("/Predictor") != 15):
        return None
    return Image.frombytes("RGB", size, image.get_data())  # (pypdf undoes the predictors)


def _cmyk_image(image: Image.Image) -> Image.Image:
    """The same grey replacement as `cmyk`, per pixel."""
    r, g, b = image.split()
    brightest = ImageChops.lighter(ImageChops.lighter(r, g), b)  # 255 - K
    channels = [
        ImageMath.lambda_eval(
            lambda a: (a["top"] - a["c"]) * 255 / a["max"](a["top"], 1),
            c=channel, top=brightest).convert("L")
        for channel in (r, g, b)
    ]
    return Image.merge("CMYK", (*channels, ImageChops.invert(brightest)))
