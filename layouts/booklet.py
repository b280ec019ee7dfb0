"""Booklet: A5 pages (half-letter on Letter) folded from A4 (Letter) sheets, saddle-stitched.

The pages are written in reading order (`-reading.pdf`, for the screen) and imposed two to a
sheet side for double-sided printing (the main file): fold the printed sheets in the middle,
nest them and staple along the fold. A cover, the text, notes pages to make up a multiple of
four, and a back cover with the clinic's contact details.
"""

from __future__ import annotations

import io
import math

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
)

from builder.color import contrast, darken_to, tint
from builder.frames import Frame
from builder.pdf_images import draw_image_file, image_size
from builder.personal_blocks import prepared_for
from builder.postprocess import Finished, Placement, impose
from builder.render import LayoutContext

from ._common import (
    content_flow,
    draw_paragraph,
    footer,
    footer_height,
    height_of,
    running_head,
)

NAME = "booklet"
DESCRIPTION = "A5 (half-letter) booklet, imposed on A4 (Letter) sheets for saddle stitching."
PAGE_BUDGET = 16
UNIT = "page"

# Half of the sheet exactly (A5 proper is 0.5 mm narrower), so two pages fill an A4 sheet.
PAGE_SIZES = {"a4": (A4[1] / 2, A4[0]), "letter": (LETTER[1] / 2, LETTER[0])}
MARGIN_X = 14 * mm
MARGIN_TOP = 12 * mm
MARGIN_BOTTOM = 9 * mm
RUNNING_HEAD_SPACE = 10 * mm
GAP_ABOVE_FOOTER = 4 * mm
COVER_BAND = 34 * mm   # the colour band across the foot of the cover
NOTE_LINE_GAP = 9 * mm  # ruled lines on a notes page: room for handwriting


def page_size(paper: str) -> tuple[float, float]:
    return PAGE_SIZES[paper]


def final_pages(flowed: int) -> int:
    """Text pages, then notes pages and the back cover up to a multiple of four."""
    return math.ceil((flowed + 1) / 4) * 4


def _width(ctx: LayoutContext) -> float:
    return ctx.page_size[0] - 2 * MARGIN_X


def _floor(ctx: LayoutContext) -> float:
    return MARGIN_BOTTOM + footer_height(ctx, _width(ctx), compact=True) + GAP_ABOVE_FOOTER


def page_templates(ctx: LayoutContext) -> list[PageTemplate]:
    _, page_h = ctx.page_size
    width, floor = _width(ctx), _floor(ctx)
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    cover_h = page_h - MARGIN_TOP - COVER_BAND - 30 * mm
    cover = [Frame(MARGIN_X, COVER_BAND + 8 * mm, width, cover_h, id="cover", **pad)]
    text_top = page_h - MARGIN_TOP - RUNNING_HEAD_SPACE
    text = [Frame(MARGIN_X, floor, width, text_top - floor, id="text", **pad)]
    return [PageTemplate(id="cover", frames=cover), PageTemplate(id="text", frames=text)]


def _cover_styles(ctx: LayoutContext) -> tuple[ParagraphStyle, ParagraphStyle]:
    title = ctx.theme.style("title")
    size = title.fontSize * 1.25
    big = ParagraphStyle("cover_title", parent=title, fontSize=size, leading=size * 1.15,
                         spaceAfter=ctx.theme.body_size * 0.8)
    return big, ctx.theme.style("subtitle")


def story(ctx: LayoutContext) -> list[Flowable]:
    width = _width(ctx)
    doc, blocks = ctx.doc, ctx.blocks
    title_style, subtitle_style = _cover_styles(ctx)
    cover: list[Flowable] = [blocks.para(doc.translation.title, title_style)]
    if doc.translation.subtitle:
        cover.append(blocks.para(doc.translation.subtitle, subtitle_style))
    cover += prepared_for(blocks)
    if doc.translation.summary:
        cover.append(Spacer(1, ctx.theme.body_size * 1.2))
        cover += blocks.paras(doc.translation.summary, "summary")
    flow: list[Flowable] = [NextPageTemplate("text"), _CoverBlock(cover, width), PageBreak()]
    flow += content_flow(ctx, width)
    flow += blocks.end_notes(width)
    return flow


class _CoverBlock(Flowable):
    """The cover's title, subtitle and summary, set a third of the way down the cover."""

    def __init__(self, content: list[Flowable], width: float):
        super().__init__()
        self.content = content
        self.width = width

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.height = ah  # the whole cover frame: the block places itself inside it
        return self.width, self.height

    def draw(self) -> None:
        needed = height_of(self.content, self.width)
        y = self.height - max(0.0, (self.height - needed) * 0.3)
        for i, f in enumerate(self.content):
            _, h = f.wrap(self.width, 10_000)
            if i:
                y -= f.getSpaceBefore()
            y -= h
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()


def _band_color(ctx: LayoutContext) -> str:
    """The brand colour, darkened if needed so white text on it reads (4.5:1)."""
    primary = ctx.theme.primary
    return primary if contrast(primary) >= 4.5 else darken_to(primary, 4.5)


def _outer_edge_is_right(page: int, rtl: bool) -> bool:
    """Odd pages are right-hand pages in a left-bound booklet (the reverse when right-bound)."""
    return (page % 2 == 1) != rtl


def _cover(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    page_w, page_h = ctx.page_size
    width = _width(ctx)
    doc, theme, bleed = ctx.doc, ctx.theme, ctx.bleed
    # Logo and clinic name at the head of the cover.
    top = page_h - MARGIN_TOP
    x = MARGIN_X
    if doc.brand.logo is not None:
        w, h = image_size(doc.brand.logo)
        scale = 16 * mm / max(w, h)
        logo_x = MARGIN_X + width - w * scale if theme.rtl else MARGIN_X
        draw_image_file(canvas, doc.brand.logo, logo_x, top - h * scale, w * scale,
                        h * scale)
        if not theme.rtl:
            x += w * scale + 4 * mm
    name_w = width - (x - MARGIN_X) - (20 * mm if theme.rtl and doc.brand.logo else 0)
    name = ctx.blocks.para(doc.brand_name, "brand")
    tag = ctx.blocks.para(doc.labels.text("patient_information"), "brand_tag")
    used = draw_paragraph(canvas, name, x, top - 2 * mm, name_w)
    draw_paragraph(canvas, tag, x, top - 2 * mm - used - 1, name_w)
    # A band in the brand colour across the foot: it runs off the page's outer, top-less
    # edges, and into the bleed when the print shop's version is made.
    band = _band_color(ctx)
    right = _outer_edge_is_right(page, theme.rtl)
    left_x = 0 if right else -bleed
    canvas.saveState()
    canvas.setFillColor(HexColor(band))
    canvas.rect(left_x, -bleed, page_w + bleed, COVER_BAND + bleed, stroke=0, fill=1)
    canvas.restoreState()
    _band_text(canvas, ctx, page, pages)


def _band_text(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    """Contact, review date and page number, in white on the cover's band."""
    doc, blocks = ctx.doc, ctx.blocks
    width = _width(ctx)
    white_style = ParagraphStyle("band", parent=ctx.theme.style("footer"), textColor=white,
                                 fontSize=8.5, leading=8.5 * 1.35)
    bold = ParagraphStyle("band_bold", parent=white_style, fontName=ctx.theme.family.bold,
                          fontSize=10, leading=13)
    lines = [blocks.para(doc.brand_name, bold)]
    lines += [blocks.para(t, white_style) for t in (
        " · ".join(x for x in (doc.brand.phone, doc.web) if x), doc.address,
        f"{doc.last_reviewed} · {doc.labels.text('page', page=page, pages=pages)}") if t]
    y = COVER_BAND - 7 * mm
    for p in lines:
        y -= draw_paragraph(canvas, p, MARGIN_X, y, width)


def _back_cover(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    """Everything a patient needs to reach the clinic, and the booking code."""
    _, page_h = ctx.page_size
    width = _width(ctx)
    doc, blocks = ctx.doc, ctx.blocks
    brand = doc.brand
    parts: list[Flowable] = [blocks.para(doc.brand_name, "heading")]
    parts += [blocks.para(t, "body") for t in (doc.address, brand.phone, brand.email, doc.web)
              if t]
    parts += blocks.booking(width)
    top = page_h - MARGIN_TOP - 20 * mm
    for i, f in enumerate(parts):
        _, h = f.wrap(width, 10_000)
        if i:
            top -= f.getSpaceBefore()
        f.drawOn(canvas, MARGIN_X, top - h)
        top -= h + f.getSpaceAfter()
    footer(canvas, ctx, page, pages, MARGIN_X, MARGIN_BOTTOM, width, compact=True)


def _notes(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    """A ruled page for the patient's own notes (a booklet has no blank pages)."""
    _, page_h = ctx.page_size
    width = _width(ctx)
    running_head(canvas, ctx, MARGIN_X, page_h - MARGIN_TOP, width)
    top = page_h - MARGIN_TOP - RUNNING_HEAD_SPACE
    heading = ctx.blocks.para(ctx.doc.labels.text("notes"), "heading")
    top -= draw_paragraph(canvas, heading, MARGIN_X, top, width) + NOTE_LINE_GAP
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.35)))
    canvas.setLineWidth(0.5)
    y = top
    while y > _floor(ctx) + 2 * mm:
        canvas.line(MARGIN_X, y, MARGIN_X + width, y)
        y -= NOTE_LINE_GAP
    canvas.restoreState()
    footer(canvas, ctx, page, pages, MARGIN_X, MARGIN_BOTTOM, width, compact=True)


def decorate_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    if page == 1:
        _cover(canvas, ctx, page, pages)
        return
    _, page_h = ctx.page_size
    width = _width(ctx)
    running_head(canvas, ctx, MARGIN_X, page_h - MARGIN_TOP, width)
    footer(canvas, ctx, page, pages, MARGIN_X, MARGIN_BOTTOM, width, compact=True)


def pad_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    (_back_cover if page == pages else _notes)(canvas, ctx, page, pages)


def saddle_stitch_order(pages: int, rtl: bool = False) -> list[tuple[int, int]]:
    """Page numbers (from 1) on each sheet side, left then right: front of sheet 1, back of
    sheet 1, front of sheet 2 … A right-bound booklet (Arabic) mirrors every side."""
    sides: list[tuple[int, int]] = []
    for s in range(pages // 4):
        front = (pages - 2 * s, 2 * s + 1)
        back = (2 * s + 2, pages - 2 * s - 1)
        sides += [front, back]
    return [(b, a) for a, b in sides] if rtl else sides


def finish(pdf: bytes, ctx: LayoutContext) -> Finished:
    """Impose the reading-order pages two to a sheet side; keep the reading order too."""
    page_w, page_h = ctx.page_size
    sides = [[Placement(left - 1, 0), Placement(right - 1, page_w)]
             for left, right in saddle_stitch_order(_page_count(pdf), ctx.theme.rtl)]
    sheets = impose(pdf, (2 * page_w, page_h), sides, ctx.bleed)
    return Finished(sheets, {"reading": pdf})


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader  # (imported when a booklet is made, not with every layout)

    return len(PdfReader(io.BytesIO(pdf)).pages)


def folds(ctx: LayoutContext) -> list[float]:
    """The sheet is folded once, down the middle."""
    return [ctx.page_size[0]]
