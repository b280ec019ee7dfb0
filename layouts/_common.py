"""Page furniture shared by layouts: brand bar, title block, running head and footer."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

from builder.color import tint
from builder.flowables import unsplittable_box
from builder.pdf_images import draw_image_file, image_size
from builder.personal_blocks import pain_diary, personal_boxes, prepared_for
from builder.render import LayoutContext


def title_block(ctx: LayoutContext, width: float) -> list[Flowable]:
    """Title, subtitle and the summary in a tinted panel with a bar in the brand colour."""
    blocks, tr, theme = ctx.blocks, ctx.doc.translation, ctx.theme
    parts: list[Flowable] = [blocks.para(tr.title, "title")]
    if tr.subtitle:
        parts.append(blocks.para(tr.subtitle, "subtitle"))
    parts += prepared_for(blocks)
    if tr.summary:
        pad = theme.body_size * 0.8
        summary = blocks.paras(tr.summary, "summary")
        parts.append(unsplittable_box(summary, width, background=theme.summary_bg,
                                      border=theme.primary, font_name=theme.family.regular,
                                      padding=pad, border_width=0, left_bar=3, rtl=theme.rtl))
    return parts


def content_flow(ctx: LayoutContext, width: float) -> list[Flowable]:
    """A patient's boxes (on their copy), then every section; on the fillable variant the
    pain diary follows the aftercare section."""
    flow = personal_boxes(ctx.blocks, width)
    diary = pain_diary(ctx.blocks, width)
    for section in ctx.doc.sections:
        flow += ctx.blocks.section(section, width)
        if section.type == "aftercare":
            flow, diary = flow + diary, []
    return flow + diary


def height_of(flowables: list[Flowable], width: float, spacing: float = 0) -> float:
    """Total height of flowables stacked at `width`, with their space before and after."""
    total = 0.0
    for i, f in enumerate(flowables):
        _, h = f.wrap(width, 10_000)
        total += h + (f.getSpaceBefore() if i else 0)
        total += f.getSpaceAfter() if i < len(flowables) - 1 else 0
    return total + spacing


def draw_paragraph(canvas: Canvas, paragraph: Paragraph, x: float, top: float,
                   width: float) -> float:
    """Draw a paragraph with its top at `top`; returns its height."""
    _, h = paragraph.wrap(width, 10_000)
    paragraph.drawOn(canvas, x, top - h)
    return h


def brand_bar(canvas: Canvas, ctx: LayoutContext, left: float, top: float, width: float,
              height: float = 15 * mm) -> None:
    """Logo and clinic name across the top of a first page, with a rule under them."""
    doc, theme = ctx.doc, ctx.theme
    x = left
    text_width = width
    if doc.brand.logo is not None:
        # The logo stands where lines start: at the left, or at the right for RTL text.
        w, h = image_size(doc.brand.logo)
        scale = height / max(w, h)
        logo_x = left + width - w * scale if theme.rtl else left
        draw_image_file(canvas, doc.brand.logo, logo_x, top - height, w * scale, h * scale)
        text_width -= w * scale + 4 * mm
        if not theme.rtl:
            x += w * scale + 4 * mm
    name = ctx.blocks.para(doc.brand_name, "brand")
    tag = ctx.blocks.para(doc.labels.text("patient_information"), "brand_tag")
    name_h = name.wrap(text_width, height)[1]
    tag_h = tag.wrap(text_width, height)[1]
    block = name_h + 2 + tag_h
    y = top - (height - block) / 2
    name.drawOn(canvas, x, y - name_h)
    tag.drawOn(canvas, x, y - name_h - 2 - tag_h)
    canvas.saveState()
    canvas.setStrokeColor(HexColor(theme.primary))
    canvas.setLineWidth(1.2)
    canvas.line(left, top - height - 3 * mm, left + width, top - height - 3 * mm)
    canvas.restoreState()


def running_head(canvas: Canvas, ctx: LayoutContext, left: float, top: float,
                 width: float) -> None:
    """The handout title and clinic name, small, at the top of later pages."""
    title = ctx.blocks.para(ctx.doc.translation.title, "running")
    brand = ctx.blocks.para(ctx.doc.brand_name, "running_right")
    title_x, brand_x = (left + width * 0.4, left) if ctx.theme.rtl else \
        (left, left + width * 0.62)
    h = max(draw_paragraph(canvas, title, title_x, top, width * 0.6),
            draw_paragraph(canvas, brand, brand_x, top, width * 0.38))
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.5)))
    canvas.setLineWidth(0.6)
    canvas.line(left, top - h - 2.5 * mm, left + width, top - h - 2.5 * mm)
    canvas.restoreState()


def _footer_paragraphs(ctx: LayoutContext, page: int, pages: int, compact: bool = False
                       ) -> tuple[list[Paragraph], list[Paragraph]]:
    doc, blocks = ctx.doc, ctx.blocks
    brand = doc.brand
    if compact:  # small pages: the clinic, its phone and web site; the rest is printed once
        left = [" · ".join(x for x in (f"**{doc.brand_name}**", brand.phone, doc.web) if x)]
        right = [doc.last_reviewed, doc.labels.text("page", page=page, pages=pages)]
        return ([blocks.para(t, "footer") for t in left],
                [blocks.para(t, "footer_right") for t in right])
    first = " · ".join(x for x in (f"**{doc.brand_name}**", brand.phone, brand.email) if x)
    second = " · ".join(x for x in (doc.address, doc.web) if x)
    left = [first, second] if second else [first]
    if doc.brand_footer:
        left.append(doc.brand_footer)
    right = [doc.last_reviewed, doc.labels.text("page", page=page, pages=pages)]
    return ([blocks.para(t, "footer") for t in left],
            [blocks.para(t, "footer_right") for t in right])


FOOTER_RULE_GAP = 2.2 * mm
FOOTER_GAP = 0.02  # share of the width between contact details and dates
FOOTER_DATES_MAX = 0.4  # the dates and page numbers never take more of the width than this


def _natural_width(paragraph: Paragraph) -> float:
    paragraph.wrap(10_000, 100)
    return max(paragraph.getActualLineWidths0() or [0.0])


def _footer_widths(rights: list[Paragraph], width: float) -> tuple[float, float]:
    """Widths of the contact column and the dates column: the dates get what their longest
    line needs (a long 'Last reviewed' date in Spanish stays on one line)."""
    right_w = min(max(_natural_width(p) for p in rights) + 2, width * FOOTER_DATES_MAX)
    return width * (1 - FOOTER_GAP) - right_w, right_w


def _footer_measure(ctx: LayoutContext, width: float, compact: bool
                    ) -> tuple[float, float, float]:
    """Widths of the two columns and the height of the footer with the tallest page
    numbers, rule included; measured once per document (every page asks)."""
    key = ("footer", width, compact)
    found = ctx.measured.get(key)
    if found is None:
        lefts, rights = _footer_paragraphs(ctx, 88, 88, compact)
        left_w, right_w = _footer_widths(rights, width)
        left_h = sum(p.wrap(left_w, 100)[1] for p in lefts)
        right_h = sum(p.wrap(right_w, 100)[1] for p in rights)
        found = ctx.measured[key] = (left_w, right_w, max(left_h, right_h) + FOOTER_RULE_GAP)
    return found


def footer_height(ctx: LayoutContext, width: float, compact: bool = False) -> float:
    """Height the footer takes above its bottom edge, rule included."""
    return _footer_measure(ctx, width, compact)[2]


def footer(canvas: Canvas, ctx: LayoutContext, page: int, pages: int, left: float,
           bottom: float, width: float, compact: bool = False) -> None:
    """Contact and address where lines start; review date and 'Page x of y' at the other side.
    `compact` keeps to the clinic's name, phone and web site (for small pages)."""
    lefts, rights = _footer_paragraphs(ctx, page, pages, compact)
    # Widths come from the tallest page numbers, so every page splits the footer alike.
    left_w, right_w, _ = _footer_measure(ctx, width, compact)
    left_h = sum(p.wrap(left_w, 100)[1] for p in lefts)
    right_h = sum(p.wrap(right_w, 100)[1] for p in rights)
    top = bottom + max(left_h, right_h)
    places = ((lefts, left), (rights, left + width - right_w))
    if ctx.theme.rtl:  # contact details where lines start, at the right
        places = ((lefts, left + width - left_w), (rights, left))
    for column, x in places:
        y = top
        for p in column:
            y -= p.height
            p.drawOn(canvas, x, y)
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.5)))
    canvas.setLineWidth(0.6)
    canvas.line(left, top + FOOTER_RULE_GAP, left + width, top + FOOTER_RULE_GAP)
    canvas.restoreState()
