"""Two languages of one handout side by side, aligned section by section and item by item.

The first language's column stands where its lines start (the left, or the right for a
right-to-left script); the second language takes the other side. Every section is a table
whose rows pair the same heading, item or question in both languages, so a reader finds the
matching sentence at the same height. Tables split between rows across pages, never inside a
row, and the red-flag box never splits at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from builder.bidi import has_rtl
from builder.color import tint
from builder.flowables import ImageBox, MarkerItem, SectionMark
from builder.frames import Frame
from builder.model import Section
from builder.personal_blocks import PERSONAL_PART, appointment_box, note_box, prepared_for
from builder.render import LayoutContext
from builder.theme import ThemeOptions

from ._common import brand_bar, draw_paragraph

NAME = "bilingual"
DESCRIPTION = "Two languages side by side (-l ja+en), aligned section by section; up to 6 pages."
# Each language alone fills the leaflet's two pages of two columns, and here a language has one
# column a page: the shipped handouts take 4 or 5 pages (all six in ja+en, and one in es, vi,
# zh-Hans, ko and ar with en; A4 and Letter). Four pages would need type below 11 pt; six are
# three sheets printed on both sides, with room for longer translations.
PAGE_BUDGET = 6
UNIT = "page"
LANGUAGES = 2
BODY_SIZE = 11.0
BODY_FLOOR = 10.0
# A title has half a page's width: at the leaflet's size most titles would take three lines.
THEME = ThemeOptions(sizes={"title": 1.75})

MARGIN_X = 14 * mm
MARGIN_TOP = 13 * mm
MARGIN_BOTTOM = 10 * mm
BAR_HEIGHT = 15 * mm
GAP_BELOW_BAR = 8 * mm
RUNNING_HEAD_SPACE = 11 * mm
GUTTER = 9 * mm
GUTTER_RULE = 0.5
GAP_ABOVE_FOOTER = 5 * mm
FOOTER_RULE_GAP = 2.2 * mm
SUMMARY_BAR = 3.0
RED_FLAG_BORDER = 1.6

Cell = list[Flowable]


@dataclass(frozen=True)
class _Geometry:
    width: float  # both columns and the gutter
    column: float
    xs: tuple[float, float]  # left edges of the left and the right column
    floor: float  # where the columns end, above the footer


def _geometry(ctx: LayoutContext) -> _Geometry:
    page_w, _ = ctx.page_size
    width = page_w - 2 * MARGIN_X
    column = (width - GUTTER) / 2
    floor = MARGIN_BOTTOM + _footer_height(ctx, column) + GAP_ABOVE_FOOTER
    return _Geometry(width, column, (MARGIN_X, MARGIN_X + column + GUTTER), floor)


def _second(ctx: LayoutContext) -> LayoutContext:
    """The second language's context."""
    if ctx.pair is None:
        raise ValueError("the bilingual layout needs two languages, e.g. -l ja+en")
    return ctx.pair


def _sides(ctx: LayoutContext) -> tuple[LayoutContext, LayoutContext]:
    """The contexts of the left and the right column."""
    return (_second(ctx), ctx) if ctx.theme.rtl else (ctx, _second(ctx))


# -- pages ---------------------------------------------------------------------------------

def page_templates(ctx: LayoutContext) -> list[PageTemplate]:
    _, page_h = ctx.page_size
    g = _geometry(ctx)
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    first_top = page_h - MARGIN_TOP - BAR_HEIGHT - GAP_BELOW_BAR
    rest_top = page_h - MARGIN_TOP - RUNNING_HEAD_SPACE
    return [
        PageTemplate(id="first", frames=[
            Frame(MARGIN_X, g.floor, g.width, first_top - g.floor, id="first", **pad)]),
        PageTemplate(id="rest", frames=[
            Frame(MARGIN_X, g.floor, g.width, rest_top - g.floor, id="rest", **pad)]),
    ]


def decorate_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    # Level lines of the two languages are drawn apart, never one right after the other
    # (see _ColumnsTable): each side's head, then its footer.
    _, page_h = ctx.page_size
    top = page_h - MARGIN_TOP
    g = _geometry(ctx)
    if page == 1:
        _pair_brand(canvas, ctx, g, top)
        brand_bar(canvas, ctx, MARGIN_X, top, g.width, BAR_HEIGHT)
        for side, x in zip(_sides(ctx), g.xs, strict=True):
            _footer(canvas, side, g, x, page, pages)
    else:
        height = 0.0
        for side, x in zip(_sides(ctx), g.xs, strict=True):
            title = side.blocks.para(side.doc.translation.title, "running")
            height = max(height, draw_paragraph(canvas, title, x, top, g.column))
            _footer(canvas, side, g, x, page, pages)
        _rule(canvas, ctx, MARGIN_X, top - height - 2.5 * mm, g.width)
    _rule(canvas, ctx, MARGIN_X, g.floor - GAP_ABOVE_FOOTER, g.width)


def _aligned_style(style: ParagraphStyle, align: int) -> ParagraphStyle:
    return ParagraphStyle(f"{style.name}-{align}", parent=style, alignment=align)


def _pair_brand(canvas: Canvas, ctx: LayoutContext, g: _Geometry, top: float) -> None:
    """The second language's clinic name and tag at the far end of the brand bar, on the
    lines where brand_bar sets the first language's; a name both languages share is given
    once."""
    pair = _second(ctx)
    on_left = ctx.theme.rtl
    align = TA_LEFT if on_left else TA_RIGHT
    x = g.xs[0] if on_left else g.xs[1]
    name = pair.blocks.para(pair.doc.brand_name, _aligned_style(pair.theme.style("brand"), align))
    tag = pair.blocks.para(pair.doc.labels.text("patient_information"),
                           _aligned_style(pair.theme.style("brand_tag"), align))
    shared = pair.doc.brand_name == ctx.doc.brand_name
    # A shared name is brand_bar's, set beside the logo (at most a bar's height wide).
    name_h = name.wrap(g.width - BAR_HEIGHT - 4 * mm if shared else g.column, BAR_HEIGHT)[1]
    tag_h = tag.wrap(g.column, BAR_HEIGHT)[1]
    y = top - (BAR_HEIGHT - (name_h + 2 + tag_h)) / 2
    if not shared:
        name.drawOn(canvas, x, y - name_h)
    tag.drawOn(canvas, x, y - name_h - 2 - tag_h)


def _rule(canvas: Canvas, ctx: LayoutContext, x: float, y: float, width: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.5)))
    canvas.setLineWidth(0.6)
    canvas.line(x, y, x + width, y)
    canvas.restoreState()


def _footer_paragraphs(side: LayoutContext, page: int, pages: int) -> list[Paragraph]:
    """One language's footer: contact, address, the clinic's own line, review date and page."""
    doc = side.doc
    brand = doc.brand
    # Short lines that rarely wrap in half a page's width: the name and phone come first.
    lines = [
        " · ".join(x for x in (f"**{doc.brand_name}**", brand.phone) if x),
        doc.address or "",
        " · ".join(x for x in (brand.email, doc.web) if x),
        doc.brand_footer or "",
        f"{doc.last_reviewed} · {doc.labels.text('page', page=page, pages=pages)}",
    ]
    return [side.blocks.para(text, "footer") for text in lines if text]


def _footer_height(ctx: LayoutContext, column: float) -> float:
    """Height of the taller language's footer, rule included."""
    # Page numbers as wide as any document may have, so every page has the same floor.
    return max(sum(p.wrap(column, 1000)[1] for p in _footer_paragraphs(side, 88, 88))
               for side in _sides(ctx)) + FOOTER_RULE_GAP


def _footer(canvas: Canvas, side: LayoutContext, g: _Geometry, x: float, page: int,
            pages: int) -> None:
    """One language's footer under its column; both start level under the rule."""
    y = g.floor - GAP_ABOVE_FOOTER - FOOTER_RULE_GAP
    for paragraph in _footer_paragraphs(side, page, pages):
        y -= draw_paragraph(canvas, paragraph, x, y, g.column)


# -- the story -----------------------------------------------------------------------------

@dataclass(frozen=True)
class _Unit:
    """Flowables of one language that share a cell."""

    cell: Cell
    tie: bool = False  # stays on one page with the unit after it


@dataclass(frozen=True)
class _Row:
    left: Cell
    right: Cell
    tie: bool = False  # never split from the row after it


def story(ctx: LayoutContext) -> list[Flowable]:
    g = _geometry(ctx)
    left, right = _sides(ctx)
    flow: list[Flowable] = [NextPageTemplate("rest"), _title_table(ctx, g)]
    # A patient's appointment in both languages; the practitioner's note, written in one
    # language, once, under the first.
    personal = [_units(appointment_box(side.blocks, g.column)) for side in (left, right)]
    personal[0] += _units(note_box(left.blocks, g.column))
    if personal[0] or personal[1]:
        flow += [SectionMark(PERSONAL_PART), _table(ctx, g, _aligned(*personal))]
    # Translations have the same sections in the same order (the schema sees to it); a
    # section only one language has still gets its place, beside an empty cell.
    for pair in zip_longest(left.doc.sections, right.doc.sections):
        section = next(s for s in pair if s is not None)
        flow += [SectionMark(section.type, section.index),
                 _section_table(ctx, g, section.type, *pair)]
    flow += _booking(ctx, g)
    flow.append(SectionMark("the closing part (sources, review dates, disclaimer)"))
    flow.append(_table(ctx, g, _aligned(*(_closing_units(side) for side in _sides(ctx))),
                       gap=ctx.theme.body_size * 0.6))
    flow += _sources(ctx, g)
    return flow


def _title_table(ctx: LayoutContext, g: _Geometry) -> Table:
    """Titles, subtitles and summaries side by side; the summaries as panels of one height."""
    cells: list[list[Cell]] = []
    for side in _sides(ctx):
        tr, blocks = side.doc.translation, side.blocks
        cells.append([[blocks.para(tr.title, "title")],
                      [blocks.para(tr.subtitle, "subtitle")] if tr.subtitle else [],
                      prepared_for(blocks),
                      blocks.paras(tr.summary, "summary") if tr.summary else []])
    rows = [_Row(a, b) for a, b in zip(*cells, strict=True) if a or b]
    commands: list[tuple] = []
    if any(cells[0][3] + cells[1][3]):
        last = len(rows) - 1
        pad = ctx.theme.body_size * 0.8
        for side, col in zip(_sides(ctx), (0, 3), strict=True):
            theme = side.theme
            bar = "LINEAFTER" if theme.rtl else "LINEBEFORE"
            commands += [
                ("BACKGROUND", (col, last), (col, last), HexColor(theme.summary_bg)),
                (bar, (col, last), (col, last), SUMMARY_BAR, HexColor(theme.primary)),
                ("LEFTPADDING", (col, last), (col, last), pad + (0 if theme.rtl else SUMMARY_BAR)),
                ("RIGHTPADDING", (col, last), (col, last), pad + (SUMMARY_BAR if theme.rtl else 0)),
                ("TOPPADDING", (col, last), (col, last), pad * 0.8),
                ("BOTTOMPADDING", (col, last), (col, last), pad * 0.9),
            ]
    table = _table(ctx, g, rows, commands, rule=False)
    table.spaceAfter = ctx.theme.body_size * 0.6
    return table


def _section_table(ctx: LayoutContext, g: _Geometry, kind: str, left: Section | None,
                   right: Section | None) -> Table:
    left_ctx, right_ctx = _sides(ctx)
    if kind == "red_flags":
        return _red_flag_table(ctx, g, left, right)
    units = [_units(side.blocks.section(s, g.column)) if s is not None else []
             for side, s in ((left_ctx, left), (right_ctx, right))]
    if kind == "figure":
        return _figure_table(ctx, g, *units)
    return _table(ctx, g, _aligned(*units))


# A paragraph in one of these styles shares its cell with what follows it: the answer belongs
# beside its question, and would stand apart from it if the two questions wrap differently.
SHARES_CELL = frozenset({"question"})


def _units(flowables: list[Flowable]) -> list[_Unit]:
    """A section's flowables as units to set side by side with their translations: each
    heading, intro, paragraph, item, and question with its answer. What Blocks keeps
    together, and what must stay with the next flowable, stays on one page."""
    units: list[_Unit] = []
    cell: Cell = []
    for flowable in flowables:
        if isinstance(flowable, SectionMark | Spacer):
            continue  # spacing comes from the table rows
        # Blocks keeps a heading with its first entry, and a question with its answer, in a
        # KeepTogether (Blocks.faq reads its `_content` the same way).
        group = list(flowable._content) if isinstance(flowable, KeepTogether) else [flowable]
        for n, part in enumerate(group, start=1):
            cell.append(part)
            if getattr(getattr(part, "style", None), "name", None) in SHARES_CELL:
                continue  # the next flowable joins this cell
            units.append(_Unit(cell, n < len(group) or bool(part.getKeepWithNext())))
            cell = []
    if cell:
        units.append(_Unit(cell))
    return units


def _aligned(left: list[_Unit], right: list[_Unit]) -> list[_Row]:
    """Units side by side, one pair per row. Where one language has more units (a text
    written in more paragraphs), the last row holds the rest of both."""
    n = max(1, min(len(left), len(right)))
    rows = [_Row(a.cell, b.cell, a.tie or b.tie)
            for a, b in zip(left[:n - 1], right[:n - 1], strict=True)]
    rows.append(_Row([f for unit in left[n - 1:] for f in unit.cell],
                     [f for unit in right[n - 1:] for f in unit.cell]))
    return rows


def _space_before(cell: Cell) -> float:
    return cell[0].getSpaceBefore() if cell else 0.0


def _space_after(cell: Cell) -> float:
    return cell[-1].getSpaceAfter() if cell else 0.0


class _ColumnsTable(Table):
    """A table that draws its right column's cells after all the others.

    Text extraction in PDFium (the engine of Chrome's PDF viewer) joins text that follows
    other text in the page's content at the same height into one line, and orders that line
    as a single paragraph: an Arabic heading drawn right after the English one beside it
    reads back with its words reversed. Drawn column by column, level lines of the two
    languages are never neighbours in the content.
    """

    def draw(self) -> None:
        self._later: list[tuple[Any, ...]] = []
        super().draw()
        self.canv.saveState()
        self._curcellstyle = None  # the canvas state the table assumed was restored
        for cell in self._later:
            super()._drawCell(*cell)
        self.canv.restoreState()

    def _drawCell(self, cellval: Any, cellstyle: Any, pos: tuple[float, float],
                  size: tuple[float, float]) -> None:
        if pos[0] >= self._colpositions[-2] - 0.01:
            self._later.append((cellval, cellstyle, pos, size))
        else:
            super()._drawCell(cellval, cellstyle, pos, size)


def _table(ctx: LayoutContext, g: _Geometry, rows: list[_Row], commands: Sequence[tuple] = (),
           *, rule: bool = True, gap: float = 0.0, across: int | None = None,
           heights: list[float | None] | None = None) -> Table:
    """Rows of two cells with the gutter between them (split in two halves, so that the rule
    runs down its middle). A row's spacing above and below becomes its padding: the cells
    start level however their first paragraphs are spaced. `gap` is extra space above the
    first row, inside the table so that the rule runs on through it; row `across` spans both
    columns and the gutter, and the rule stops for it."""
    half = GUTTER / 2
    data = [[row.left, [], [], row.right] for row in rows]
    table = _ColumnsTable(data, colWidths=[g.column, half, half, g.column], rowHeights=heights,
                          splitByRow=1)
    style: list[tuple] = [
        ("FONTNAME", (0, 0), (-1, -1), ctx.theme.family.regular),  # no hidden Helvetica
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
    ]
    for r, row in enumerate(rows):
        style.append(("TOPPADDING", (0, r), (-1, r), (0 if r else gap) +
                      max(_space_before(row.left), _space_before(row.right))))
        style.append(("BOTTOMPADDING", (0, r), (-1, r), max(_space_after(row.left),
                                                             _space_after(row.right))))
        if row.tie and r + 1 < len(rows):
            style.append(("NOSPLIT", (0, r), (-1, r + 1)))
    if across is not None:
        style.append(("SPAN", (0, across), (-1, across)))
    if rule:
        color = HexColor(tint(ctx.theme.primary, 0.5))
        runs = [(0, len(rows) - 1)] if across is None else \
            [(0, across - 1), (across + 1, len(rows) - 1)]
        style += [("LINEAFTER", (1, start), (1, end), GUTTER_RULE, color)
                  for start, end in runs if start <= end]
    table.setStyle(TableStyle([*style, *commands]))
    return table


def _red_flag_units(side: LayoutContext, section: Section | None) -> list[_Unit]:
    """The rows of one language's red-flag box: heading, intro, each sign, then the
    emergency number."""
    if section is None:
        return []
    blocks, theme, doc = side.blocks, side.theme, side.doc
    units = [_Unit([blocks.heading(doc.heading(section), "red_heading")])]
    if section.intro:
        units.append(_Unit([blocks.para(section.intro, "intro")]))
    units += [_Unit([MarkerItem(blocks.para(item.text, "red_item"), "dot", theme.accent,
                                rtl=theme.rtl)]) for item in section.items]
    if doc.brand.emergency_phone:
        units.append(_Unit([blocks.para(
            doc.labels.text("emergency", number=doc.brand.emergency_phone), "emergency")]))
    return units


def _red_flag_table(ctx: LayoutContext, g: _Geometry, left: Section | None,
                    right: Section | None) -> Table:
    """Both red-flag boxes in one block that never splits, of one height, sign beside sign."""
    sides = _sides(ctx)
    size = ctx.theme.body_size
    rows = _aligned(_red_flag_units(sides[0], left), _red_flag_units(sides[1], right))
    last = len(rows)
    # Empty first and last rows keep the space around the boxes, outside their colour.
    rows = [_Row([], []), *rows, _Row([], [])]
    heights: list[float | None] = [size * 0.9, *([None] * last), size * 0.4]
    pad = size * 0.85
    commands: list[tuple] = [("NOSPLIT", (0, 0), (-1, -1))]
    for side, col in zip(sides, (0, 3), strict=True):
        theme = side.theme
        # CJK closing punctuation may hang past the line end: keep room for it in the box.
        hang = theme.body_size if theme.cjk else 0
        box = ((col, 1), (col, last))
        commands += [
            ("BACKGROUND", *box, HexColor(theme.red_flag_bg)),
            ("BOX", *box, RED_FLAG_BORDER, HexColor(theme.accent)),
            ("LEFTPADDING", *box, pad + (hang if theme.rtl else 0)),
            ("RIGHTPADDING", *box, pad + (0 if theme.rtl else hang)),
            ("TOPPADDING", (col, 1), (col, 1), pad * 0.8),
            ("BOTTOMPADDING", (col, last), (col, last), pad * 0.9),
        ]
    return _table(ctx, g, rows, commands, heights=heights)


def _figure_table(ctx: LayoutContext, g: _Geometry, left: list[_Unit],
                  right: list[_Unit]) -> Table:
    """The picture once, across both columns, with each language's heading above it and
    caption below it; the whole figure moves to the next page rather than split."""

    def parts(units: list[_Unit]) -> tuple[Cell, list[ImageBox], Cell]:
        flat = [f for unit in units for f in unit.cell]
        images = [f for f in flat if isinstance(f, ImageBox)]
        at = flat.index(images[0]) if images else len(flat)
        return flat[:at], images, flat[at + len(images):]

    (left_head, images, left_caption), (right_head, other, right_caption) = \
        parts(left), parts(right)
    rows: list[_Row] = []
    if left_head or right_head:
        rows.append(_Row(left_head, right_head))
    at = len(rows)
    rows.append(_Row(list(images or other), []))
    rows.append(_Row(left_caption, right_caption))
    return _table(ctx, g, rows, [("NOSPLIT", (0, 0), (-1, -1))], across=at,
                  gap=ctx.theme.body_size * 0.4)


def _closing_units(side: LayoutContext) -> list[_Unit]:
    """One language's review note and disclaimer, in small type."""
    doc = side.doc
    review = " · ".join(x for x in (doc.reviewed_by, doc.next_review) if x)
    return [_Unit([side.blocks.para(review, "small")]),
            _Unit([side.blocks.para(doc.labels.text("disclaimer"), "disclaimer")])]


def _sources(ctx: LayoutContext, g: _Geometry) -> list[Flowable]:
    """The sources once, across both columns: citations are the same in every language."""
    refs = ctx.doc.handout.sources
    if not refs:
        return []
    sides = _sides(ctx)
    # Citations are set in a Latin-script language's type where there is one.
    lead = next((s for s in sides if not (s.theme.cjk or s.theme.rtl)),
                next((s for s in sides if not s.theme.rtl), ctx))
    heading = " · ".join(dict.fromkeys(s.doc.labels.text("sources") for s in sides))
    parts: list[Flowable] = [lead.blocks.para(heading, "small_heading")]
    for n, ref in enumerate(refs, start=1):
        text = f"{n}. {ref.citation}" + (f" {ref.url}" if ref.url else "")
        parts.append(lead.blocks.para(text, "small" if has_rtl(text) else "small_ltr"))
    return [KeepTogether(parts[:2]), *parts[2:]]


def _booking(ctx: LayoutContext, g: _Geometry) -> list[Flowable]:
    """The booking QR code once, with the first language's label beside it, and the second
    language's label in its own column, level with the code."""
    code = [f for f in ctx.blocks.booking(g.column) if not isinstance(f, Spacer)]
    if not code:
        return []
    pair = _second(ctx)
    labels = pair.doc.labels
    text: Cell = [pair.blocks.para(labels.text("booking"), "booking"),
                  pair.blocks.para(labels.text("booking_hint"), "booking_hint")]
    first_on_left = not ctx.theme.rtl
    text_col = 3 if first_on_left else 0
    return [SectionMark("the booking code"),
            _table(ctx, g, [_Row(code, text) if first_on_left else _Row(text, code)],
                   [("VALIGN", (text_col, 0), (text_col, 0), "MIDDLE")],
                   gap=ctx.theme.body_size * 0.6)]
