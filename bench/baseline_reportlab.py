"""The two-page leaflet drawn by a plain reportlab script, as a reference for the builder."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    FrameBreak,
    Image,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

PAGE_SIZES = {"a4": A4, "letter": LETTER}
MARGIN_X = 14 * mm
MARGIN_TOP = 13 * mm
MARGIN_BOTTOM = 10 * mm
BAR_HEIGHT = 15 * mm
GUTTER = 6.5 * mm
RUNNING_HEAD_SPACE = 11 * mm
FOOTER_GAP = 5 * mm
FOOTER_RULE_GAP = 2.2 * mm
BODY = 11.0
FOOTER_SIZE = 7.6
QR_SIZE = 56.0
CJK_WRAP = ("ja", "zh")

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_fonts: dict[tuple[str, str], tuple[str, str]] = {}


def register_fonts(regular: str, bold: str) -> tuple[str, str]:
    """Register a regular and a bold TTF once per process; returns their reportlab names."""
    key = (regular, bold)
    if key not in _fonts:
        names = (f"Baseline-{Path(regular).stem}", f"Baseline-{Path(bold).stem}")
        pdfmetrics.registerFont(TTFont(names[0], regular))
        pdfmetrics.registerFont(TTFont(names[1], bold))
        pdfmetrics.registerFontFamily(names[0], normal=names[0], bold=names[1],
                                      italic=names[0], boldItalic=names[1])
        _fonts[key] = names
    return _fonts[key]


def tint(color: Color, amount: float) -> Color:
    """The colour mixed with white: 0 is white, 1 the colour itself."""
    return Color(*(1 - amount * (1 - v) for v in (color.red, color.green, color.blue)))


def markup(text: str) -> str:
    """Plain text as Paragraph markup: escaped, with **bold** as <b>."""
    return _BOLD.sub(r"<b>\1</b>", escape(text))


def paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines; line breaks inside one become spaces."""
    return [" ".join(line.strip() for line in block.splitlines() if line.strip())
            for block in _BLANK_LINE.split(text.strip()) if block.strip()]


def make_styles(regular: str, bold: str, primary: Color, accent: Color, text: Color,
                lang: str) -> dict[str, ParagraphStyle]:
    cjk = lang.split("-")[0] in ("ja", "zh", "ko")
    leading = 1.6 if cjk else 1.36
    base = ParagraphStyle("body", fontName=regular, fontSize=BODY, leading=BODY * leading,
                          textColor=text, spaceAfter=BODY * 0.45,
                          wordWrap="CJK" if lang.split("-")[0] in CJK_WRAP else None)

    def style(name: str, size: float = BODY, line: float = leading, **kw: Any) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, fontSize=size, leading=size * line, **kw)

    s = BODY
    return {
        "body": base,
        "title": style("title", s * 2.1, 1.18, fontName=bold, textColor=primary,
                       spaceAfter=s * 0.3),
        "subtitle": style("subtitle", s * 1.22, 1.35, spaceAfter=s * 0.5),
        "prepared": style("prepared", fontName=bold, spaceBefore=s * 0.2, spaceAfter=s * 0.3),
        "summary": style("summary", s * 1.09, leading + 0.04, spaceAfter=0),
        "heading": style("heading", s * 1.27, 1.25, fontName=bold, textColor=primary,
                         spaceBefore=s * 0.9, spaceAfter=s * 0.4, keepWithNext=1),
        "intro": style("intro", spaceAfter=s * 0.35, keepWithNext=1),
        "item": style("item", spaceAfter=s * 0.25, leftIndent=s * 1.45, bulletIndent=0,
                      bulletFontName=bold, bulletColor=primary),
        "red_item": style("red_item", spaceAfter=s * 0.3, leftIndent=s * 1.45, bulletIndent=0,
                          bulletFontName=bold, bulletColor=accent),
        "question": style("question", fontName=bold, spaceAfter=s * 0.12, keepWithNext=1),
        "answer": style("answer", spaceAfter=s * 0.6),
        "red_heading": style("red_heading", s * 1.27, 1.25, fontName=bold, textColor=accent,
                             spaceAfter=s * 0.35),
        "caption": style("caption", s * 0.9, spaceBefore=s * 0.3),
        "appointment": style("appointment", s * 1.09, 1.3, fontName=bold, spaceAfter=s * 0.3),
        "note": style("note", spaceAfter=s * 0.2),
        "booking": style("booking", fontName=bold, textColor=primary, spaceAfter=s * 0.1),
        "booking_hint": style("booking_hint", s * 0.8, spaceAfter=0),
        "small_heading": style("small_heading", s * 0.82, 1.3, fontName=bold, textColor=primary,
                               spaceBefore=s * 0.6, spaceAfter=s * 0.15, keepWithNext=1),
        "small": style("small", s * 0.73, leading - 0.05, spaceAfter=s * 0.18),
        "disclaimer": style("disclaimer", s * 0.8, fontName=bold, spaceBefore=s * 0.3,
                            spaceAfter=0),
        "footer": style("footer", FOOTER_SIZE, leading - 0.1, spaceAfter=0),
    }


def box(content: list[Flowable], width: float, background: Color, border: Color, *,
        frame: float = 0, left_bar: float = 0, padding: float = BODY * 0.8) -> Table:
    """Flowables in a single-cell table: a tinted panel with a frame or a bar at the left."""
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, -1), background),
        ("LEFTPADDING", (0, 0), (-1, -1), padding + left_bar),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding),
        ("TOPPADDING", (0, 0), (-1, -1), padding * 0.8),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding * 0.8),
    ]
    if frame:
        commands.append(("BOX", (0, 0), (-1, -1), frame, border))
    if left_bar:
        commands.append(("LINEBEFORE", (0, 0), (0, -1), left_bar, border))
    table = Table([[content]], colWidths=[width])
    table.setStyle(TableStyle(commands))
    return table


def section_flowables(section: dict[str, Any], st: dict[str, ParagraphStyle], width: float,
                      accent: Color) -> list[Flowable]:
    """Heading, intro, paragraphs, items and figure of any section type; red flags boxed."""
    red = section["type"] == "red_flags"
    flow: list[Flowable] = []
    if section["heading"]:
        flow.append(Paragraph(markup(section["heading"]), st["red_heading" if red else "heading"]))
    if section["intro"]:
        flow.append(Paragraph(markup(section["intro"]), st["intro"]))
    flow += [Paragraph(markup(p), st["body"]) for p in paragraphs(section["text"] or "")]
    items = section["items"]
    if items and section["type"] == "faq":
        pairs = [[Paragraph(markup(item["question"] or ""), st["question"]),
                  *(Paragraph(markup(p), st["answer"]) for p in paragraphs(item["text"]))]
                 for item in items]
        # keepWithNext does not reach into a KeepTogether: the heading joins the first pair.
        if not section["text"]:
            pairs[0], flow = [*flow, *pairs[0]], []
        flow += [KeepTogether(pair) for pair in pairs]
    elif items:
        # Bullets as the paragraphs' own: the heading's keepWithNext holds the first item.
        item_style = st["red_item" if red else "item"]
        numbered = section["type"] == "expect"
        flow += [Paragraph(markup(item["text"]), item_style,
                           bulletText=f"{n}." if numbered else "\u2022")
                 for n, item in enumerate(items, start=1)]
    if section["figure"]:
        image = Image(section["figure"])
        scale = min(width / image.imageWidth, BODY * 22 / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * scale, image.imageHeight * scale
        figure: list[Flowable] = [image]
        if section["caption"]:
            figure.append(Paragraph(markup(section["caption"]), st["caption"]))
        # Likewise a heading with nothing but the figure under it moves with the figure.
        alone = not items and not section["text"]
        flow = [KeepTogether([*flow, *figure])] if alone else [*flow, KeepTogether(figure)]
    if red:
        return [Spacer(1, BODY * 0.9),
                box(flow, width, tint(accent, 0.08), accent, frame=1.6, padding=BODY * 0.85),
                Spacer(1, BODY * 0.4)]
    return flow


def qr_code(url: str, size: float, color: Color) -> Drawing:
    widget = QrCodeWidget(url, barWidth=size, barHeight=size, barLevel="M", barBorder=2,
                          barFillColor=color)
    drawing = Drawing(size, size)
    drawing.add(widget)
    return drawing


def booking(content: dict[str, Any], st: dict[str, ParagraphStyle], width: float,
            color: Color) -> list[Flowable]:
    url = content["brand"]["booking_url"]
    if not url:
        return []
    labels = content["labels"]
    text = [Paragraph(markup(labels["booking"]), st["booking"]),
            Paragraph(markup(labels["booking_hint"]), st["booking_hint"]),
            Paragraph(markup(url.removeprefix("https://")), st["booking_hint"])]
    table = Table([[qr_code(url, QR_SIZE, color), text]],
                  colWidths=[QR_SIZE + 10, width - QR_SIZE - 10])
    table.setStyle(TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ]))
    return [Spacer(1, BODY * 0.6), table]


def end_notes(content: dict[str, Any], st: dict[str, ParagraphStyle]) -> list[Flowable]:
    flow: list[Flowable] = []
    if content["sources"]:
        flow.append(Paragraph(markup(content["labels"]["sources"]), st["small_heading"]))
        flow += [Paragraph(markup(f"{n}. {source}"), st["small"])
                 for n, source in enumerate(content["sources"], start=1)]
    review = " · ".join(x for x in (content["reviewed_by"], content["next_review"]) if x)
    if review:
        flow.append(Paragraph(markup(review), st["small"]))
    flow.append(Paragraph(markup(content["labels"]["disclaimer"]), st["disclaimer"]))
    return flow


def stack_height(flowables: list[Flowable], width: float) -> float:
    """Height of flowables placed one under the other, with the space between them."""
    total = 0.0
    for n, flowable in enumerate(flowables):
        total += flowable.wrap(width, 10_000)[1]
        if n:
            total += flowable.getSpaceBefore()
        if n < len(flowables) - 1:
            total += flowable.getSpaceAfter()
    return total


@dataclass(frozen=True)
class PageNumber:
    """Where and how 'Page x of y' is printed."""

    font: str
    size: float
    x: float  # right edge
    y: float
    color: Color


class NumberedCanvas(Canvas):
    """Holds every page back until save(), when the page count is known."""

    def __init__(self, *args: Any, page_number: PageNumber, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.page_number = page_number
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            pn = self.page_number
            self.setFont(pn.font, pn.size)
            self.setFillColor(pn.color)
            self.drawRightString(pn.x, pn.y, f"Page {self._pageNumber} of {total}")
            super().showPage()
        super().save()


def render(content: dict[str, Any]) -> bytes:
    """The leaflet as PDF bytes.

    Left-to-right languages only: right-to-left text would still be set flush left in
    columns read left to right, and with no fallback font the Latin names in an Arabic
    leaflet would print blank.
    """
    brand = content["brand"]
    regular, bold = register_fonts(content["fonts"]["regular"], content["fonts"]["bold"])
    primary, accent, text = (HexColor(brand[k]) for k in ("primary", "accent", "text"))
    st = make_styles(regular, bold, primary, accent, text, content["lang"])
    page_w, page_h = PAGE_SIZES[content["paper"]]
    width = page_w - 2 * MARGIN_X
    column = (width - GUTTER) / 2

    # Footer: contact details at the left, review date and page number at the right.
    first = " · ".join(x for x in (f"**{brand['name']}**", brand["phone"]) if x)
    second = " · ".join(x for x in (brand["address"], brand["web"]) if x)
    footer_lines = [Paragraph(markup(line), st["footer"])
                    for line in (first, second, brand["footer"]) if line]
    footer_width = width * 0.72
    footer_h = max(stack_height(footer_lines, footer_width), 2 * st["footer"].leading)
    footer_top = MARGIN_BOTTOM + footer_h
    floor = footer_top + FOOTER_RULE_GAP + FOOTER_GAP
    rule = tint(primary, 0.5)

    def draw_footer(canvas: Canvas) -> None:
        y = footer_top
        for line in footer_lines:
            y -= line.wrap(footer_width, footer_h)[1]
            line.drawOn(canvas, MARGIN_X, y)
        canvas.setFont(regular, FOOTER_SIZE)
        canvas.setFillColor(text)
        if content["last_reviewed"]:
            canvas.drawRightString(MARGIN_X + width, footer_top - FOOTER_SIZE,
                                   content["last_reviewed"])
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, footer_top + FOOTER_RULE_GAP, MARGIN_X + width,
                    footer_top + FOOTER_RULE_GAP)

    def first_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = page_h - MARGIN_TOP
        x = MARGIN_X
        if brand["logo"]:
            canvas.drawImage(brand["logo"], x, top - BAR_HEIGHT, BAR_HEIGHT, BAR_HEIGHT,
                             mask="auto", preserveAspectRatio=True)
            x += BAR_HEIGHT + 4 * mm
        canvas.setFont(bold, BODY * 1.18)
        canvas.setFillColor(primary)
        canvas.drawString(x, top - BAR_HEIGHT / 2 - BODY * 0.4, brand["name"])
        canvas.setStrokeColor(primary)
        canvas.setLineWidth(1.2)
        canvas.line(MARGIN_X, top - BAR_HEIGHT - 3 * mm, MARGIN_X + width,
                    top - BAR_HEIGHT - 3 * mm)
        draw_footer(canvas)
        canvas.restoreState()

    def later_page(canvas: Canvas, doc: BaseDocTemplate) -> None:
        canvas.saveState()
        top = page_h - MARGIN_TOP
        size = BODY * 0.78
        canvas.setFont(bold, size)
        canvas.setFillColor(primary)
        canvas.drawString(MARGIN_X, top - size, content["title"])
        canvas.drawRightString(MARGIN_X + width, top - size, brand["name"])
        canvas.setStrokeColor(rule)
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN_X, top - size * 1.3 - 2.5 * mm, MARGIN_X + width,
                    top - size * 1.3 - 2.5 * mm)
        draw_footer(canvas)
        canvas.restoreState()

    head: list[Flowable] = [Paragraph(markup(content["title"]), st["title"])]
    if content["subtitle"]:
        head.append(Paragraph(markup(content["subtitle"]), st["subtitle"]))
    personal = content["personal"]
    if personal and personal["prepared_for"]:
        head.append(Paragraph(escape(personal["prepared_for"]), st["prepared"]))
    if content["summary"]:
        head.append(box([Paragraph(markup(p), st["summary"])
                         for p in paragraphs(content["summary"])],
                        width, tint(primary, 0.07), primary, left_bar=3))
    head_h = stack_height(head, width) + BODY * 0.6

    frame = partial(Frame, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    columns_top = page_h - MARGIN_TOP - BAR_HEIGHT - 8 * mm - head_h
    rest_top = page_h - MARGIN_TOP - RUNNING_HEAD_SPACE
    xs = (MARGIN_X, MARGIN_X + column + GUTTER)
    templates = [
        PageTemplate("first", [frame(MARGIN_X, columns_top, width, head_h, id="title"),
                               *(frame(x, floor, column, columns_top - floor) for x in xs)],
                     onPage=first_page),
        PageTemplate("rest", [frame(x, floor, column, rest_top - floor) for x in xs],
                     onPage=later_page),
    ]

    story: list[Flowable] = [NextPageTemplate("rest"), *head, FrameBreak()]
    if personal and (personal["appointment"] or personal["note"]):
        inside: list[Flowable] = []
        if personal["appointment"]:
            inside.append(Paragraph(escape(personal["appointment"]), st["appointment"]))
        inside += [Paragraph(escape(p), st["note"]) for p in paragraphs(personal["note"] or "")]
        story += [box(inside, column, tint(primary, 0.07), primary, frame=0.9),
                  Spacer(1, BODY * 0.3)]
    for section in content["sections"]:
        story += section_flowables(section, st, column, accent)
    story += booking(content, st, column, text)
    story += end_notes(content, st)

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer, pagesize=(page_w, page_h), pageTemplates=templates, title=content["title"],
        author=brand["name"], subject=content["subtitle"] or "", lang=content["lang"],
        creator="baseline_reportlab", invariant=1, leftMargin=0, rightMargin=0, topMargin=0,
        bottomMargin=0,
    )
    page_number = PageNumber(regular, FOOTER_SIZE, MARGIN_X + width,
                             footer_top - FOOTER_SIZE - st["footer"].leading, text)
    doc.build(story, canvasmaker=partial(NumberedCanvas, page_number=page_number))
    return buffer.getvalue()


def main() -> None:
    """`python3 bench/baseline_reportlab.py CONTENT.json OUT.pdf`: one leaflet, cold."""
    import json
    import sys

    content_file, out = sys.argv[1:3]
    with open(content_file, encoding="utf-8") as f:
        content = json.load(f)
    Path(out).write_bytes(render(content))


if __name__ == "__main__":
    main()
