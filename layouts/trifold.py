"""Tri-fold leaflet: one landscape sheet, both sides, six panels folded like a letter.

The document is rendered as six panel-sized pages in reading order, then imposed:

    1 cover   2 inside left   3 inside middle   4 inside right (folds in)
    5 the inside flap (back of 4, seen when the cover is opened)   6 back

    outside side  [5 | 6 | 1]        inside side  [2 | 3 | 4]

Folding: with the inside up, fold panel 4 in, then panel 2 over it: panel 1 is on top and
panel 6 underneath. Panels 4 and 5 are the folded-in panel, a little narrower so it does not
buckle against the fold. Right-to-left languages mirror both sides ([1 | 6 | 5], [4 | 3 | 2])
and the leaflet opens the other way. Text flows through panels 2 to 5; the back carries the
clinic's contact details, the booking code, the review dates and, when they fit, the sources.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
)

from builder.color import WHITE, contrast, tint
from builder.flowables import unsplittable_box
from builder.frames import Frame
from builder.personal_blocks import prepared_for
from builder.postprocess import Finished, Placement, impose
from builder.render import LayoutContext

from ._common import brand_bar, content_flow, height_of

NAME = "trifold"
DESCRIPTION = "One landscape sheet, both sides, folded in three: cover, back and four panels."
PAGE_BUDGET = 6
UNIT = "panel"
BODY_SIZE = 11.0
BODY_FLOOR = 10.0

SHEETS: dict[str, tuple[float, float]] = {"a4": landscape(A4), "letter": landscape(LETTER)}
FOLD_IN = 2 * mm           # the panel that folds in is this much narrower
MARGIN = 8 * mm            # text keeps this far from a fold or a sheet edge
MARGIN_TOP = 10 * mm
MARGIN_BOTTOM = 10 * mm
BRAND_HEIGHT = 14 * mm
BAND_TOP = 60 * mm         # from the top of the cover
BAND_PADDING = 9 * mm
BAND_GAP = 9 * mm          # between the band and the summary under it
BACK_GAP = 8 * mm          # at least this between the contact block and the small print
GUIDE_LENGTH = 5 * mm
GUIDE_COLOR = "#A0A0A0"
FOOTER_RULE_GAP = 2.2 * mm
CONTENT_PANELS = (2, 3, 4, 5)
FOLDED_IN = (4, 5)
INSIDE_FOOTER_PANEL = 4    # where a reader finishes the inside side
BACK_PANEL = 6
# Left to right on each side of the sheet, for left-to-right languages.
OUTSIDE = (5, 6, 1)
INSIDE = (2, 3, 4)


# -- geometry ----------------------------------------------------------------------------

def _sheet(paper: str) -> tuple[float, float]:
    return SHEETS[paper]


def _wide(paper: str) -> float:
    """Width of the cover, the back and the two inside panels that do not fold in."""
    return (_sheet(paper)[0] + FOLD_IN) / 3


def panel_width(paper: str, panel: int) -> float:
    return _wide(paper) - (FOLD_IN if panel in FOLDED_IN else 0)


def page_size(paper: str) -> tuple[float, float]:
    """The size of a wide panel; the folded-in panels set their own, narrower size."""
    return _wide(paper), _sheet(paper)[1]


def _sides(ctx: LayoutContext) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Panels of the outside and the inside side, left to right as printed."""
    if ctx.theme.rtl:
        return OUTSIDE[::-1], INSIDE[::-1]
    return OUTSIDE, INSIDE


def _places(ctx: LayoutContext, side: tuple[int, ...]) -> list[tuple[int, float]]:
    """Each panel of a side with the x of its left edge on the sheet."""
    x, places = 0.0, []
    for panel in side:
        places.append((panel, x))
        x += panel_width(ctx.paper, panel)
    return places


def _fold_edges(ctx: LayoutContext, panel: int) -> tuple[bool, bool]:
    """Whether the panel's left and right edges are folds (else the sheet's edge)."""
    for side in _sides(ctx):
        if panel in side:
            i = side.index(panel)
            return i > 0, i < len(side) - 1
    return False, False


def _column(ctx: LayoutContext) -> float:
    """Width of the text on the content panels: the same on every one, so that boxes line
    up; it is centred on the wider panels."""
    return panel_width(ctx.paper, FOLDED_IN[0]) - 2 * MARGIN


def _text_width(ctx: LayoutContext) -> float:
    """Width of text on the cover and the back."""
    return _wide(ctx.paper) - 2 * MARGIN


# -- the document ------------------------------------------------------------------------

def final_pages(flowed: int) -> int:
    """The cover and four content panels are always there; the back follows them."""
    return max(flowed, BACK_PANEL - 1) + 1


def _cover_title(ctx: LayoutContext, width: float) -> list[Flowable]:
    tr = ctx.doc.translation
    title = ParagraphStyle("cover_title", parent=ctx.theme.style("title"),
                           spaceAfter=ctx.theme.body_size * 0.6)
    subtitle = ParagraphStyle("cover_subtitle", parent=ctx.theme.style("subtitle"),
                              spaceAfter=0)
    if _band_colors(ctx)[1] == WHITE:
        title.textColor = subtitle.textColor = white
    parts: list[Flowable] = [_balanced(ctx, tr.title, title, width)]
    if tr.subtitle:
        parts.append(_balanced(ctx, tr.subtitle, subtitle, width))
    return parts


def _balanced(ctx: LayoutContext, text: str, style: ParagraphStyle, width: float) -> Flowable:
    """A paragraph narrowed until just before it needs another line, so its lines are about
    equally long: one word (or one kana) alone on a title's last line looks like a mistake."""

    def lines(at: float) -> int:
        _, h = ctx.blocks.para(text, style).wrap(at, 10_000)
        return round(h / style.leading)

    count = lines(width)
    if count < 2:
        return ctx.blocks.para(text, style)
    # Never narrower than the longest word: a word that does not fit would be split.
    narrow, wide = max(width / 2, min(width, _widest_word(ctx, text, style) + 1)), width
    for _ in range(12):
        middle = (narrow + wide) / 2
        if lines(middle) > count:
            narrow = middle
        else:
            wide = middle
    # The indent is on the side where lines end, so the ragged edge stays where it was.
    side = "leftIndent" if ctx.theme.rtl else "rightIndent"
    narrowed = ParagraphStyle(f"{style.name}_balanced", parent=style,
                              **{side: max(0.0, width - wide - 0.5)})
    return ctx.blocks.para(text, narrowed)


def _widest_word(ctx: LayoutContext, text: str, style: ParagraphStyle) -> float:
    widest = 0.0
    for word in text.split():
        paragraph = ctx.blocks.para(word, style)
        paragraph.wrap(10_000, 10_000)
        widest = max(widest, *(paragraph.getActualLineWidths0() or [0.0]))
    return widest


def _band_colors(ctx: LayoutContext) -> tuple[str, str]:
    """The cover band's colour and the colour of the title on it: white on the brand colour
    where that is legible, else the brand colour on a light tint of it."""
    primary = ctx.theme.primary
    if contrast(WHITE, primary) >= 4.5:
        return primary, WHITE
    return tint(primary, 0.12), primary


def _cover_frames(ctx: LayoutContext) -> tuple[float, float, float]:
    """Top and height of the cover band, and the room left for the summary under it."""
    _, page_h = page_size(ctx.paper)
    width = _text_width(ctx)
    title_h = height_of(_cover_title(ctx, width), width)
    band_top = page_h - BAND_TOP
    band_h = title_h + 2 * BAND_PADDING
    foot_top = MARGIN_BOTTOM + _rule_above_height(_cover_foot_lines(ctx), width)
    summary_room = band_top - band_h - BAND_GAP - foot_top - BAND_GAP
    return band_top, band_h, summary_room


def _summary_on_cover(ctx: LayoutContext) -> bool:
    summary = ctx.doc.translation.summary
    if not summary:
        return False
    width = _text_width(ctx)
    return height_of(ctx.blocks.paras(summary, "summary"), width) <= _cover_frames(ctx)[2]


def _summary_box(ctx: LayoutContext, width: float) -> list[Flowable]:
    """The summary as the leaflet sets it, for the first content panel."""
    theme = ctx.theme
    box = unsplittable_box(ctx.blocks.paras(ctx.doc.translation.summary or "", "summary"),
                           width, background=theme.summary_bg, border=theme.primary,
                           font_name=theme.family.regular, padding=theme.body_size * 0.8,
                           border_width=0, left_bar=3, rtl=theme.rtl)
    box.spaceAfter = theme.body_size * 0.6
    return [box]


def page_templates(ctx: LayoutContext) -> list[PageTemplate]:
    page_w, page_h = page_size(ctx.paper)
    width = _text_width(ctx)
    band_top, band_h, summary_room = _cover_frames(ctx)
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    cover = [Frame(MARGIN, band_top - band_h + BAND_PADDING, width, band_h - 2 * BAND_PADDING,
                   id="cover-title", **pad)]
    if _summary_on_cover(ctx):
        cover.append(Frame(MARGIN, band_top - band_h - BAND_GAP - summary_room, width,
                           summary_room, id="cover-summary", **pad))

    def draw_band(canvas: Canvas, _doc: object) -> None:
        _cover_band(canvas, ctx, band_top, band_h)

    templates = [PageTemplate(id="panel-1", frames=cover, pagesize=(page_w, page_h),
                              onPage=draw_band)]
    column = _column(ctx)
    # Text that runs past the last content panel lands on "overflow" pages, only to be
    # measured and reported.
    for name, panel in [*((f"panel-{p}", p) for p in CONTENT_PANELS), ("overflow", 2)]:
        panel_w = panel_width(ctx.paper, panel)
        floor = MARGIN_BOTTOM
        if panel == INSIDE_FOOTER_PANEL:
            floor += _rule_above_height(_inside_footer_lines(ctx), column) + 4 * mm
        frame = Frame((panel_w - column) / 2, floor, column, page_h - MARGIN_TOP - floor,
                      id=name, **pad)
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=(panel_w, page_h)))
    return templates


def story(ctx: LayoutContext) -> list[Flowable]:
    column = _column(ctx)
    # One template per panel, then the overflow one for good ('*' marks where the cycle
    # restarts). reportlab's autoNextPageTemplate repeats each template twice.
    panels = [f"panel-{panel}" for panel in CONTENT_PANELS]
    flow: list[Flowable] = [NextPageTemplate([*panels, "*", "overflow"]),
                            *_cover_title(ctx, _text_width(ctx))]
    summary_here = _summary_on_cover(ctx)
    if summary_here:
        flow += ctx.blocks.paras(ctx.doc.translation.summary or "", "summary")
    flow.append(PageBreak())
    if ctx.doc.translation.summary and not summary_here:
        flow += _summary_box(ctx, column)
    flow += prepared_for(ctx.blocks)
    flow += content_flow(ctx, column)
    if not _back_has_end_notes(ctx):
        flow += ctx.blocks.end_notes(column)
    return flow


# -- furniture ---------------------------------------------------------------------------

def decorate_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    if page >= BACK_PANEL:
        return  # text ran past the last content panel: the build fails and says so
    _furniture(canvas, ctx, page)


def pad_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    """A panel the text did not reach: the back, or an empty content panel."""
    canvas.setPageSize((panel_width(ctx.paper, page), _sheet(ctx.paper)[1]))
    if page == BACK_PANEL:
        _back(canvas, ctx)
    _furniture(canvas, ctx, page)


def _furniture(canvas: Canvas, ctx: LayoutContext, page: int) -> None:
    """The clinic at the top and foot of the cover, the inside side's footer, fold guides."""
    width, height = panel_width(ctx.paper, page), _sheet(ctx.paper)[1]
    if page == 1:
        brand_bar(canvas, ctx, MARGIN, height - MARGIN_TOP, width - 2 * MARGIN, BRAND_HEIGHT)
        _rule_above(canvas, ctx, _cover_foot_lines(ctx), MARGIN, width - 2 * MARGIN)
    if page == INSIDE_FOOTER_PANEL:
        column = _column(ctx)
        _rule_above(canvas, ctx, _inside_footer_lines(ctx), (width - column) / 2, column)
    if ctx.options.get("fold_guides"):
        _fold_guides(canvas, ctx, page, width, height)


def _cover_band(canvas: Canvas, ctx: LayoutContext, top: float, height: float) -> None:
    """A band in the brand colour across the cover, from the fold to the sheet's edge and,
    in a print-ready build, past that edge into the bleed."""
    width, _ = page_size(ctx.paper)
    left, right = 0.0, width
    fold_left, fold_right = _fold_edges(ctx, 1)
    if not fold_left:
        left -= ctx.bleed
    if not fold_right:
        right += ctx.bleed
    canvas.saveState()
    canvas.setFillColor(HexColor(_band_colors(ctx)[0]))
    canvas.rect(left, top - height, right - left, height, stroke=0, fill=1)
    canvas.restoreState()


def _fold_guides(canvas: Canvas, ctx: LayoutContext, page: int, width: float,
                 height: float) -> None:
    """Short dashed ticks at the panel's folds, at the top and bottom of the sheet.

    Both panels beside a fold draw the same tick, so it is whole even where the sheet
    clips each panel to its own area."""
    fold_left, fold_right = _fold_edges(ctx, page)
    xs = [x for x, fold in ((0.0, fold_left), (width, fold_right)) if fold]
    canvas.saveState()
    canvas.setStrokeColor(HexColor(GUIDE_COLOR))
    canvas.setLineWidth(0.5)
    canvas.setDash(2, 2)
    for x in xs:
        canvas.line(x, height, x, height - GUIDE_LENGTH)
        canvas.line(x, 0, x, GUIDE_LENGTH)
    canvas.restoreState()


def _stack(canvas: Canvas, flowables: list[Flowable], x: float, top: float,
           width: float) -> None:
    """Draw flowables one under another from `top`, with their spacing."""
    y = top
    for i, f in enumerate(flowables):
        if i:
            y -= f.getSpaceBefore()
        _, h = f.wrap(width, 10_000)
        f.drawOn(canvas, x, y - h)
        y -= h + f.getSpaceAfter()


def _contact(ctx: LayoutContext, width: float) -> list[Flowable]:
    """The clinic's name, address, phone, e-mail, web, opening hours and booking code."""
    doc, blocks = ctx.doc, ctx.blocks
    name = ParagraphStyle("clinic", parent=ctx.theme.style("brand"),
                          spaceAfter=ctx.theme.body_size * 0.5)
    parts: list[Flowable] = [blocks.para(doc.brand_name, name)]
    lines = [doc.address, doc.brand.phone and f"**{doc.brand.phone}**", doc.brand.email,
             doc.web]
    body = ParagraphStyle("contact", parent=ctx.theme.style("body"), spaceAfter=0)
    parts += [blocks.para(line, body) for line in lines if line]
    if doc.brand_footer:
        hours = ParagraphStyle("hours", parent=ctx.theme.style("caption"),
                               spaceBefore=ctx.theme.body_size * 0.5)
        parts.append(blocks.para(doc.brand_footer, hours))
    return parts + ctx.blocks.booking(width)


def _small_print(ctx: LayoutContext, width: float, end_notes: bool) -> list[Flowable]:
    """The review dates and, when `end_notes`, the sources and the disclaimer."""
    reviewed = ParagraphStyle("reviewed", parent=ctx.theme.style("small"),
                              fontName=ctx.theme.family.bold, spaceAfter=0)
    parts: list[Flowable] = [ctx.blocks.para(_with_side(ctx, ctx.doc.last_reviewed, 1),
                                             reviewed)]
    if end_notes:
        parts += ctx.blocks.end_notes(width)
    return parts


def _back_has_end_notes(ctx: LayoutContext, contact: list[Flowable] | None = None) -> bool:
    """Whether the sources and disclaimer fit on the back under the contact details."""
    width = _text_width(ctx)
    _, page_h = page_size(ctx.paper)
    room = page_h - MARGIN_TOP - MARGIN_BOTTOM - BACK_GAP
    used = height_of(contact or _contact(ctx, width), width) + \
        _rule_above_height(_small_print(ctx, width, True), width)
    return used <= room


def _back(canvas: Canvas, ctx: LayoutContext) -> None:
    """Contact details and booking code from the top; the small print rests on the foot."""
    width = _text_width(ctx)
    _, page_h = page_size(ctx.paper)
    contact = _contact(ctx, width)
    _stack(canvas, contact, MARGIN, page_h - MARGIN_TOP, width)
    end_notes = _back_has_end_notes(ctx, contact)
    _rule_above(canvas, ctx, _small_print(ctx, width, end_notes), MARGIN, width)


def _inside_footer_lines(ctx: LayoutContext) -> list[Flowable]:
    """The clinic and the review date, for the foot of the inside side, where reading ends."""
    doc = ctx.doc
    clinic = " · ".join(x for x in (f"**{doc.brand_name}**", doc.brand.phone) if x)
    return [ctx.blocks.para(line, "footer") for line in (clinic, doc.web,
                                                         _with_side(ctx, doc.last_reviewed, 2))
            if line]


def _with_side(ctx: LayoutContext, reviewed: str, side: int) -> str:
    """The review date and which side of the sheet this is ("Page 1 of 2": the outside,
    with the cover; 2: the inside), as every page's footer gives its page number."""
    label = ctx.doc.labels.text("page", page=side, pages=2)
    return " · ".join(x for x in (reviewed, label) if x)


def _cover_foot_lines(ctx: LayoutContext) -> list[Flowable]:
    """How to reach the clinic, at the foot of the cover."""
    doc, size = ctx.doc, ctx.theme.body_size
    style = ParagraphStyle("cover_foot", parent=ctx.theme.style("running"), fontSize=size * 0.9,
                           leading=size * 0.9 * 1.35)
    line = " · ".join(x for x in (doc.brand.phone, doc.web) if x)
    return [ctx.blocks.para(line, style)] if line else []


def _rule_above_height(lines: list[Flowable], width: float) -> float:
    return height_of(lines, width) + FOOTER_RULE_GAP if lines else 0.0


def _rule_above(canvas: Canvas, ctx: LayoutContext, lines: list[Flowable], x: float,
                width: float) -> None:
    """Lines resting on the bottom margin under a thin rule in a tint of the brand colour."""
    if not lines:
        return
    top = MARGIN_BOTTOM + height_of(lines, width)
    _stack(canvas, lines, x, top, width)
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.5)))
    canvas.setLineWidth(0.6)
    canvas.line(x, top + FOOTER_RULE_GAP, x + width, top + FOOTER_RULE_GAP)
    canvas.restoreState()


# -- the sheet ---------------------------------------------------------------------------

def finish(pdf: bytes, ctx: LayoutContext) -> Finished:
    """The six panels on the two sides of one landscape sheet: outside first."""
    sides = [[Placement(panel - 1, x) for panel, x in _places(ctx, side)]
             for side in _sides(ctx)]
    return Finished(impose(pdf, _sheet(ctx.paper), sides, bleed=ctx.bleed))


def folds(ctx: LayoutContext) -> list[list[float]]:
    """Fold positions on each sheet side, from its left edge: the sides differ, because the
    panel that folds in is narrower and sits at opposite ends of the two sides."""
    return [[x for _, x in _places(ctx, side)[1:]] for side in _sides(ctx)]
