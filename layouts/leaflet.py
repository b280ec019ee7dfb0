"""Two-page leaflet: one sheet printed on both sides, two columns, brand bar and footer."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, FrameBreak, NextPageTemplate, PageTemplate

from builder.frames import Frame
from builder.render import LayoutContext

from ._common import (
    brand_bar,
    content_flow,
    footer,
    footer_height,
    height_of,
    running_head,
    title_block,
)

NAME = "leaflet"
DESCRIPTION = "Two pages (one sheet, both sides) in two columns."
PAGE_BUDGET = 2
COPY_PAGE_BUDGET = 4  # a patient's copy may take a second sheet rather than fail
UNIT = "page"
FILLABLE = True

MARGIN_X = 14 * mm
MARGIN_TOP = 13 * mm
MARGIN_BOTTOM = 10 * mm
BAR_HEIGHT = 15 * mm
GUTTER = 6.5 * mm
GAP_BELOW_FOOTER_RULE = 5 * mm
RUNNING_HEAD_SPACE = 11 * mm


def _geometry(ctx: LayoutContext) -> tuple[float, float, float]:
    """Text width, column width and the y where columns end above the footer."""
    page_w, _ = ctx.page_size
    width = page_w - 2 * MARGIN_X
    column = (width - GUTTER) / 2
    floor = MARGIN_BOTTOM + footer_height(ctx, width) + GAP_BELOW_FOOTER_RULE
    return width, column, floor


def page_templates(ctx: LayoutContext) -> list[PageTemplate]:
    _, page_h = ctx.page_size
    width, column, floor = _geometry(ctx)
    head_top = page_h - MARGIN_TOP - BAR_HEIGHT - 8 * mm
    head_h = height_of(title_block(ctx, width), width) + ctx.theme.body_size * 0.6
    columns_top = head_top - head_h
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    # Columns in reading order: left first, or right first for right-to-left languages.
    xs = [MARGIN_X, MARGIN_X + column + GUTTER]
    if ctx.theme.rtl:
        xs.reverse()
    first = [
        Frame(MARGIN_X, columns_top, width, head_h, id="title", **pad),
        *(Frame(x, floor, column, columns_top - floor, id=f"first-{n}", **pad)
          for n, x in enumerate(xs, start=1)),
    ]
    rest_top = page_h - MARGIN_TOP - RUNNING_HEAD_SPACE
    rest = [Frame(x, floor, column, rest_top - floor, id=f"column-{n}", **pad)
            for n, x in enumerate(xs, start=1)]
    return [PageTemplate(id="first", frames=first), PageTemplate(id="rest", frames=rest)]


def story(ctx: LayoutContext) -> list[Flowable]:
    width, column, _ = _geometry(ctx)
    flow: list[Flowable] = [NextPageTemplate("rest"), *title_block(ctx, width), FrameBreak()]
    flow += content_flow(ctx, column)
    flow += ctx.blocks.booking(column)
    flow += ctx.blocks.end_notes(column)
    return flow


def decorate_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    page_w, page_h = ctx.page_size
    width = page_w - 2 * MARGIN_X
    if page == 1:
        brand_bar(canvas, ctx, MARGIN_X, page_h - MARGIN_TOP, width, BAR_HEIGHT)
    else:
        running_head(canvas, ctx, MARGIN_X, page_h - MARGIN_TOP, width)
    footer(canvas, ctx, page, pages, MARGIN_X, MARGIN_BOTTOM, width)
