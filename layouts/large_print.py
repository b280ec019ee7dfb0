"""Large print: one column, 18 pt body, no italics, wide line spacing and strong contrast.

Follows UKAAF and RNIB guidance for clear and large print: body 16 pt or more, headings
larger, text aligned to where lines start and never justified, no italics or hyphenation,
line spacing at least 1.5, and a contrast of at least 7:1 between text and its background.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageTemplate

from builder.color import tint
from builder.frames import Frame
from builder.render import LayoutContext
from builder.theme import ThemeOptions

from ._common import brand_bar, content_flow, height_of, title_block

NAME = "large-print"
DESCRIPTION = "Large print (18 pt, single column, no page limit) for readers with low vision."
PAGE_BUDGET = None
UNIT = "page"
FILLABLE = True

BODY_SIZE = 18.0
BODY_FLOOR = 16.0  # `fit: shrink` never goes below the smallest size large print allows
THEME = ThemeOptions(
    min_size=16.0, min_leading=1.5, italic=False, hyphenate=False, min_contrast=7.0,
    min_sizes={"heading": 22.0, "red_heading": 22.0, "title": 30.0, "subtitle": 20.0},
)

MARGIN_X = 18 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 12 * mm
BAR_HEIGHT = 20 * mm
RULE_GAP = 3 * mm
GAP_ABOVE_FOOTER = 6 * mm


def _footer_lines(ctx: LayoutContext, page: int, pages: int) -> tuple[list[str], str]:
    """Clinic and phone, then the review date, at the start side; the page at the other."""
    doc = ctx.doc
    first = " · ".join(x for x in (f"**{doc.brand_name}**", doc.brand.phone) if x)
    return [first, doc.last_reviewed], doc.labels.text("page", page=page, pages=pages)


def _column_widths(ctx: LayoutContext, width: float) -> tuple[float, float]:
    """The page number gets what its longest form needs; the rest is for the clinic."""
    _, label = _footer_lines(ctx, 88, 88)
    number = ctx.blocks.para(label, "footer_right")
    number.wrap(10_000, 1000)
    number_w = min(max(number.getActualLineWidths0() or [0.0]) + 2, width * 0.35)
    return width - number_w - 6 * mm, number_w


def _footer_height(ctx: LayoutContext, width: float) -> float:
    starts, _ = _footer_lines(ctx, 88, 88)
    start_w, _ = _column_widths(ctx, width)
    return sum(ctx.blocks.para(t, "footer").wrap(start_w, 1000)[1] for t in starts) + RULE_GAP


def _geometry(ctx: LayoutContext) -> tuple[float, float]:
    """Text width, and the y where text ends above the footer."""
    width = ctx.page_size[0] - 2 * MARGIN_X
    return width, MARGIN_BOTTOM + _footer_height(ctx, width) + GAP_ABOVE_FOOTER


def page_templates(ctx: LayoutContext) -> list[PageTemplate]:
    _, page_h = ctx.page_size
    width, floor = _geometry(ctx)
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    head_top = page_h - MARGIN_TOP - BAR_HEIGHT - 8 * mm
    head_h = height_of(title_block(ctx, width), width) + ctx.theme.body_size * 0.6
    body_top = head_top - head_h
    first = [Frame(MARGIN_X, body_top, width, head_h, id="title", **pad),
             Frame(MARGIN_X, floor, width, body_top - floor, id="first", **pad)]
    rest = [Frame(MARGIN_X, floor, width, page_h - MARGIN_TOP - floor, id="text", **pad)]
    return [PageTemplate(id="first", frames=first), PageTemplate(id="rest", frames=rest)]


def story(ctx: LayoutContext) -> list[Flowable]:
    width, _ = _geometry(ctx)
    flow: list[Flowable] = [NextPageTemplate("rest"), *title_block(ctx, width), FrameBreak()]
    flow += content_flow(ctx, width)
    flow += _contact(ctx)
    flow += ctx.blocks.booking(width)
    flow += ctx.blocks.end_notes(width)
    return flow


def _contact(ctx: LayoutContext) -> list[Flowable]:
    """The clinic's full contact details once, at the end (the footer has the phone)."""
    doc, blocks = ctx.doc, ctx.blocks
    brand = doc.brand
    lines = [x for x in (doc.address, brand.phone, brand.email, doc.web) if x]
    if not lines:
        return []
    return [blocks.heading(doc.brand_name), *(blocks.para(line, "body") for line in lines)]


def decorate_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    page_w, page_h = ctx.page_size
    width = page_w - 2 * MARGIN_X
    if page == 1:
        brand_bar(canvas, ctx, MARGIN_X, page_h - MARGIN_TOP, width, BAR_HEIGHT)
    _footer(canvas, ctx, page, pages, width)


def _footer(canvas: Canvas, ctx: LayoutContext, page: int, pages: int, width: float) -> None:
    starts, page_label = _footer_lines(ctx, page, pages)
    blocks, rtl = ctx.blocks, ctx.theme.rtl
    start_w, number_w = _column_widths(ctx, width)
    paras = [blocks.para(t, "footer") for t in starts]
    heights = [p.wrap(start_w, 1000)[1] for p in paras]
    top = MARGIN_BOTTOM + sum(heights)
    y = top
    start_x = MARGIN_X + width - start_w if rtl else MARGIN_X
    for p, h in zip(paras, heights, strict=True):
        y -= h
        p.drawOn(canvas, start_x, y)
    number = blocks.para(page_label, "footer_right")
    number_h = number.wrap(number_w, 1000)[1]
    number.drawOn(canvas, MARGIN_X if rtl else MARGIN_X + width - number_w, top - number_h)
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.6)))
    canvas.setLineWidth(1)
    canvas.line(MARGIN_X, top + RULE_GAP, MARGIN_X + width, top + RULE_GAP)
    canvas.restoreState()
