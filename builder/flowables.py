"""Small reportlab flowables of our own: list items with markers, boxes, images, marks."""

from __future__ import annotations

import functools

from PIL import Image as PILImage
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.colors import HexColor, white
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.pathobject import PDFPathObject
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from . import qr_cache
from .form_fields import tick_box
from .pdf_images import draw_image
from .qr_code import FastQRCode


class SectionMark(Flowable):
    """Invisible; tells the document which section the following flowables belong to."""

    def __init__(self, name: str, index: int | None = None):
        super().__init__()
        self.name = name
        self.index = index  # position in the translation's sections; None for end matter
        self.width = self.height = 0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class MarkerItem(Flowable):
    """A paragraph hung from a marker: a numbered disc, a bullet dot or an empty tick box."""

    def __init__(self, paragraph: Paragraph, marker: str, color: str, *, number: int = 0,
                 bold_font: str = "", indent: float = 0, rtl: bool = False,
                 min_number_size: float = 0, field: tuple[str, str] | None = None):
        super().__init__()
        self.field = field  # (name, tooltip): the tick box is a form field
        self.rtl = rtl  # right-to-left text hangs from a marker on the right
        self.paragraph = paragraph
        self.marker = marker
        self.color = HexColor(color)
        self.number = number
        self.bold_font = bold_font
        self.min_number_size = min_number_size
        style = paragraph.style
        self.font_size = style.fontSize
        self.indent = indent or style.fontSize * (2.0 if marker == "number" else 1.5)
        self.spaceAfter = style.spaceAfter
        self.spaceBefore = style.spaceBefore

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, h = self.paragraph.wrap(aw - self.indent, ah)
        self.width, self.height = aw, h
        return aw, h

    def split(self, aw: float, ah: float) -> list[Flowable]:
        # Items are short: move a whole item to the next column rather than split it.
        return []

    def draw(self) -> None:
        canv = self.canv
        size = self.font_size
        # Middle of the first line: reportlab puts the first baseline one font size below
        # the top, and the middle of lowercase letters sits about a third of a size above it.
        mid = self.height - size + size * 0.34
        canv.saveState()
        if self.rtl:
            # Mirror the marker into the right margin of the item.
            canv.translate(self.width, 0)
            canv.scale(-1, 1)
        canv.setFillColor(self.color)
        canv.setStrokeColor(self.color)
        if self.marker == "number":
            radius = size * 0.68
            draw_circle(canv, radius, mid, radius, stroke=0, fill=1)
            canv.setFillColor(white)
            label = str(self.number)
            font_size = max(size * (0.82 if len(label) < 2 else 0.68), self.min_number_size)
            canv.setFont(self.bold_font, font_size)
            if self.rtl:
                canv.scale(-1, 1)  # the number itself reads normally
                canv.drawCentredString(-radius, mid - font_size * 0.36, label)
            else:
                canv.drawCentredString(radius, mid - font_size * 0.36, label)
        elif self.marker == "box":
            side = size * 0.78
            canv.setLineWidth(max(0.8, size * 0.08))
            canv.setFillColor(white)
            canv.rect(size * 0.05, mid - side / 2, side, side, stroke=1, fill=1)
        else:
            draw_circle(canv, size * 0.35, mid, size * 0.19, stroke=0, fill=1)
        canv.restoreState()
        if self.marker == "box" and self.field:
            side = size * 0.78
            x = self.width - size * 0.05 - side if self.rtl else size * 0.05
            tick_box(canv, *self.field, x, mid - side / 2, side, self.color.hexval())
        self.paragraph.drawOn(canv, 0 if self.rtl else self.indent, 0)


def unsplittable_box(content: list[Flowable], width: float, *, background: str, border: str,
                     font_name: str, padding: float, border_width: float = 1.4,
                     left_bar: float = 0, rtl: bool = False) -> Table:
    """A single-cell table: a box that moves whole to the next column and never splits.

    `left_bar` draws a bar at the side where lines start: the left, or the right for
    right-to-left text.
    """
    table = Table([[content]], colWidths=[width])
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), font_name),  # no hidden Helvetica in the cell
        ("BACKGROUND", (0, 0), (-1, -1), HexColor(background)),
        ("LEFTPADDING", (0, 0), (-1, -1), padding + (0 if rtl else left_bar)),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding + (left_bar if rtl else 0)),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.9),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    if border_width:
        commands.append(("BOX", (0, 0), (-1, -1), border_width, HexColor(border)))
    if left_bar:
        side = "LINEAFTER" if rtl else "LINEBEFORE"
        commands.append((side, (0, 0), (0, -1), left_bar, HexColor(border)))
    table.setStyle(TableStyle(commands))
    return table


class ImageBox(Flowable):
    """A decoded image scaled to fit the width (and a maximum height), centred."""

    def __init__(self, image: PILImage.Image, max_width: float, max_height: float):
        super().__init__()
        self.image = image
        w, h = image.size
        scale = min(max_width / w, max_height / h)
        self.draw_width, self.draw_height = w * scale, h * scale
        self.max_width = max_width

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        if self.draw_width > aw:
            ratio = aw / self.draw_width
            self.draw_width, self.draw_height = aw, self.draw_height * ratio
        self.width, self.height = aw, self.draw_height
        return aw, self.draw_height

    def draw(self) -> None:
        x = (self.width - self.draw_width) / 2
        draw_image(self.canv, self.image, x, 0, self.draw_width, self.draw_height)


@functools.lru_cache(maxsize=64)
def qr_modules(data: str) -> tuple[tuple[bool, ...], ...]:
    """The dark and light modules of a QR code (level M), exactly reportlab's; every clinic
    prints the same few booking addresses on thousands of documents, so each is encoded once."""
    kept = qr_cache.read(data)
    if kept is not None:
        return kept
    code = FastQRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    modules = tuple(tuple(bool(m) for m in row) for row in code.modules)
    qr_cache.write(data, modules)
    return modules


class QRCode(Flowable):
    """A QR code drawn as filled squares (no text, so no font enters the PDF)."""

    QUIET_MODULES = 2

    def __init__(self, data: str, size: float, color: str):
        super().__init__()
        self.modules = qr_modules(data)
        self.size = size
        self.color = HexColor(color)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = self.height = self.size
        return self.size, self.size

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.color)
        canv.drawPath(_qr_path(self.modules, self.size, self.QUIET_MODULES), stroke=0, fill=1)
        canv.restoreState()


@functools.lru_cache(maxsize=64)
def _qr_path(modules: tuple[tuple[bool, ...], ...], size: float, quiet: int) -> PDFPathObject:
    """A QR code's squares as one path: one rectangle per run of dark modules (a third of
    the drawing, and no seams). Every document of a clinic prints the same code: the path
    is worked out once (a few hundred rectangles)."""
    count = len(modules)
    box = size / (count + 2 * quiet)
    offset = quiet * box
    path = PDFPathObject()
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if not row[c]:
                c += 1
                continue
            end = c
            while end < count and row[end]:
                end += 1
            path.rect(offset + c * box, size - offset - (r + 1) * box, (end - c) * box, box)
            c = end
    return path


def draw_circle(canv: Canvas, x: float, y: float, r: float, *, stroke: int = 1,
                fill: int = 0) -> None:
    """canv.circle(x, y, r): the same operators, worked out once per place and size (a
    list's markers repeat the same few on every item)."""
    x1, x2, y1, y2 = x - r, x + r, y - r, y + r
    canv._code.extend(_ellipse(x1, y1, x2 - x1, y2 - y1))
    canv._strokeAndFill(stroke, fill)


@functools.lru_cache(maxsize=1024)
def _ellipse(x: float, y: float, width: float, height: float) -> tuple[str, ...]:
    code: list[str] = []
    PDFPathObject(code=code).ellipse(x, y, width, height)
    return tuple(code)
