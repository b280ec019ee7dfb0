"""Two-sided aftercare card for the front desk: A6 on A4 brands, 4 x 6 in on Letter brands.

The front carries the clinic and the handout's title, the aftercare tick list and a line to
write the next appointment on; the back carries the red-flag box and how to reach the clinic.
Each side is one frame whose content is measured before it is placed, so text that does not
fit is reported against the section that caused it instead of spilling onto the other side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
)

from builder.color import tint
from builder.errors import BuildError, FitError, Problem
from builder.flowables import SectionMark
from builder.frames import Frame
from builder.model import Section
from builder.pdf_images import draw_image_file, image_size
from builder.personal_blocks import note_box, prepared_for
from builder.render import LayoutContext

NAME = "card"
DESCRIPTION = "Two-sided aftercare card (A6, or 4 x 6 in on Letter): aftercare and red flags."
PAGE_BUDGET = 2
UNIT = "side"
BODY_SIZE = 11.0
BODY_FLOOR = 10.0

CARD_SIZES: dict[str, tuple[float, float]] = {
    "a4": (105 * mm, 148 * mm),        # A6
    "letter": (4 * inch, 6 * inch),    # the US index-card size
}

MARGIN_X = 6 * mm
STRIPE = 2 * mm             # brand-coloured band along the top edge of each side
MARGIN_TOP = 4.5 * mm       # top edge to the first line, stripe included
MARGIN_BOTTOM = 4.5 * mm
LOGO = 8 * mm
LOGO_GAP = 2.5 * mm         # logo to the clinic's name
RULE_GAP = 1.8 * mm         # a block of furniture to the thin rule that closes it
HEADER_GAP = 3 * mm         # header rule to the first heading
FOOTER_GAP = 2.5 * mm       # last line of text to the footer rule
COLUMN_GAP = 3 * mm         # contact details to the review date and page number
WRITE_SPACE = 7 * mm        # room above the next-appointment rule for handwriting
FIT_SLACK = 0.5             # points kept free when content stands on the foot of a side


def page_size(paper: str) -> tuple[float, float]:
    return CARD_SIZES[paper]


# -- what goes on the card -----------------------------------------------------------------

def _required(ctx: LayoutContext) -> tuple[list[Section], list[Section]]:
    """The aftercare and red-flag sections, or a BuildError saying which is missing."""
    found = {kind: [s for s in ctx.doc.sections if s.type == kind]
             for kind in ("aftercare", "red_flags")}
    missing = [f"a section of type '{kind}' ({ctx.doc.labels.heading(kind)})"
               for kind, sections in found.items() if not sections]
    if missing:
        none = "none" if len(missing) == 1 else "neither"
        raise BuildError([Problem(str(ctx.doc.translation.file), message=(
            f"cannot make a card: the card layout needs {' and '.join(missing)}, and this "
            f"handout has {none}; add it to the handout, or choose another layout"))])
    return found["aftercare"], found["red_flags"]


def _geometry(ctx: LayoutContext) -> tuple[float, float, float, float, float]:
    """Text width; the top and foot of the front's frame; the top and foot of the back's."""
    page_w, page_h = ctx.page_size
    width = page_w - 2 * MARGIN_X
    back_top = page_h - MARGIN_TOP
    front_top = back_top - _header_height(ctx, width) - RULE_GAP - HEADER_GAP
    front_floor = MARGIN_BOTTOM + _footer_height(ctx, width, back=False) + RULE_GAP + FOOTER_GAP
    back_floor = MARGIN_BOTTOM + _footer_height(ctx, width, back=True) + RULE_GAP + FOOTER_GAP
    return width, front_top, front_floor, back_top, back_floor


def page_templates(ctx: LayoutContext) -> list[PageTemplate]:
    width, front_top, front_floor, back_top, back_floor = _geometry(ctx)
    pad = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}
    return [
        PageTemplate(id="front", frames=[
            Frame(MARGIN_X, front_floor, width, front_top - front_floor, id="front", **pad)]),
        PageTemplate(id="back", frames=[
            Frame(MARGIN_X, back_floor, width, back_top - back_floor, id="back", **pad)]),
    ]


def story(ctx: LayoutContext) -> list[Flowable]:
    aftercare, red_flags = _required(ctx)
    width, front_top, front_floor, back_top, back_floor = _geometry(ctx)
    blocks = ctx.blocks

    front: list[Flowable] = prepared_for(blocks)
    for section in aftercare:
        front += blocks.section(section, width)
    note = note_box(blocks, width)
    front += note
    label = blocks.para(ctx.doc.labels.text("next_appointment"), _styles(ctx)["appointment"])
    personal = ctx.doc.personal
    # A patient's card has the appointment written in; a blank card has a line for it.
    appointment: list[Flowable] = [
        label, blocks.para(personal.appointment, "appointment", literal=True)] \
        if personal and personal.appointment else \
        [NextAppointment(label, ctx.theme.text, ctx.theme.rtl)]
    front = _standing(front, appointment, width, front_top - front_floor,
                      lambda over: _overflow(ctx, aftercare[0], "front", over, bool(note)))

    back: list[Flowable] = []
    for section in red_flags:
        back += _trimmed(blocks.section(section, width))
    # The booking code is a convenience: it goes on only where the card has room for it.
    booking = _trimmed(blocks.booking(width))
    room = back_top - back_floor
    if booking and _height([*back, Spacer(1, ctx.theme.body_size), *booking], width) <= room:
        back = _standing(back, booking, width, room, lambda over: None)
    elif _height(back, width) > room:
        _overflow(ctx, red_flags[0], "back", _height(back, width) - room)
    return [NextPageTemplate("back"), *front, PageBreak(), *back]


def _trimmed(flowables: list[Flowable]) -> list[Flowable]:
    """Without the spacers a block puts around itself: the side's margins do that job."""
    marks = [f for f in flowables if isinstance(f, SectionMark)]
    rest = [f for f in flowables if not isinstance(f, SectionMark)]
    while rest and isinstance(rest[0], Spacer):
        rest.pop(0)
    while rest and isinstance(rest[-1], Spacer):
        rest.pop()
    return marks + rest


# -- measuring a side ----------------------------------------------------------------------

def _flat(flowables: list[Flowable]) -> list[Flowable]:
    """KeepTogether groups opened up: a group that fits is placed as its parts."""
    out: list[Flowable] = []
    for f in flowables:
        out += _flat(f._content) if isinstance(f, KeepTogether) else [f]
    return out


def _height(flowables: list[Flowable], width: float) -> float:
    """The height a frame needs for these flowables, spaced as reportlab's Frame spaces them.

    A frame skips the space before its first line, lets the space after one block and the
    space before the next overlap, and forgets the space after a block when a block without
    height (such as a section mark) follows it.
    """
    total = bottom = 0.0
    at_top, space_after = True, 0.0
    for f in _flat(flowables):
        if getattr(f, "frameAction", None):
            continue
        before = 0.0 if at_top else max(f.getSpaceBefore() - space_after, 0.0)
        _, h = f.wrap(width, 10_000)
        total += before + h
        bottom = total
        space_after = f.getSpaceAfter()
        if before + h + space_after:
            at_top = False
        total += space_after
    return bottom


def _standing(top: list[Flowable], foot: list[Flowable], width: float, room: float,
              overflow: Callable[[float], None]) -> list[Flowable]:
    """`top` from the head of a side and `foot` standing on its last line; overflow(points)
    is called when the two do not fit together."""
    needed = _height(top + foot, width)
    if needed > room:
        overflow(needed - room)
        return [*top, *foot]
    # With a spacer between them the frame no longer lets their spaces overlap.
    spaced = _height([*top, Spacer(1, 1), *foot], width) - 1
    gap = room - spaced - FIT_SLACK
    return [*top, Spacer(1, gap), *foot] if gap > 0 else [*top, *foot]


def _overflow(ctx: LayoutContext, section: Section, side: str, over: float,
              with_note: bool = False) -> NoReturn:
    """A located error: the section that does not fit its side, and by how many body lines."""
    lines = max(1, round(over / ctx.theme.style("body").leading))
    what = "'red_flags' overflows the back" if side == "back" else \
        "'aftercare' and the note overflow the front" if with_note else \
        "'aftercare' overflows the front"
    raise FitError([Problem(
        str(ctx.doc.translation.file), section.line, section.col, f"sections[{section.index}]",
        f"does not fit the {NAME} layout ({PAGE_BUDGET} {UNIT}s) on {ctx.paper} paper for "
        f"{ctx.doc.brand.id}: {what} by {lines} line{'s' if lines > 1 else ''}")])


# -- type ----------------------------------------------------------------------------------

def _styles(ctx: LayoutContext) -> dict[str, ParagraphStyle]:
    """The card's own styles, derived from the theme so that they follow the body size."""
    theme = ctx.theme
    s = theme.body_size
    body = theme.style("body")
    text, primary = HexColor(theme.text), HexColor(theme.primary)
    bold = theme.family.bold

    def derive(name: str, size: float, line: float = 1.28, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(f"card_{name}", parent=body, fontSize=size, leading=size * line,
                              spaceBefore=0, spaceAfter=0, hyphenationLang="", **kw)

    return {
        "clinic": derive("clinic", s * 0.86, fontName=bold, textColor=primary),
        "title": derive("title", s * 1.05, fontName=bold, textColor=text),
        "appointment": derive("appointment", s, fontName=bold, textColor=primary),
        # Single lines of contact details: set a little closer than running text.
        "phone": derive("phone", s * 1.45, 1.2, fontName=bold, textColor=text),
        "contact": derive("contact", s * 0.82, 1.2, textColor=text),
        # The footer's own sizes, but names and numbers are never hyphenated.
        "footer": ParagraphStyle("card_footer", parent=theme.style("footer"),
                                 hyphenationLang=""),
        "footer_strong": ParagraphStyle("card_footer_strong", parent=theme.style("footer"),
                                        fontName=bold, hyphenationLang=""),
        "footer_end": ParagraphStyle("card_footer_end", parent=theme.style("footer_right"),
                                     hyphenationLang=""),
    }


class NextAppointment(Flowable):
    """The next-appointment label with a rule to write the date and time on.

    The rule runs on from the label where there is room for a date beside it; after a long
    label it takes a line of its own.
    """

    def __init__(self, label: Paragraph, color: str, rtl: bool):
        super().__init__()
        self.label = label
        self.color = HexColor(color)
        self.rtl = rtl
        self.inline = True
        self.label_width = 0.0
        self.spaceBefore = label.style.fontSize * 0.6

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.label.wrap(aw, ah)
        natural = max(self.label.getActualLineWidths0() or [aw])
        self.inline = natural <= aw * 0.55
        self.label_width = natural + 1 if self.inline else aw
        _, label_h = self.label.wrap(self.label_width, ah)
        self.width = aw
        self.height = max(label_h, WRITE_SPACE) if self.inline else label_h + WRITE_SPACE
        return aw, self.height

    def draw(self) -> None:
        canv = self.canv
        label_x = self.width - self.label_width if self.rtl else 0.0
        if self.inline:
            # The label stands on the foot; the rule runs on level with its baseline.
            self.label.drawOn(canv, label_x, 0)
            y = self.label.style.leading - self.label.style.fontSize
            gap = 2 * mm
            start, end = (0.0, self.width - self.label_width - gap) if self.rtl else \
                (self.label_width + gap, self.width)
        else:
            self.label.drawOn(canv, label_x, WRITE_SPACE)
            y, start, end = 0.5, 0.0, self.width
        canv.saveState()
        canv.setStrokeColor(self.color)
        canv.setLineWidth(0.7)
        canv.line(start, y, end, y)
        canv.restoreState()


# -- page furniture ------------------------------------------------------------------------

def _thin_rule(canvas: Canvas, ctx: LayoutContext, y: float, width: float) -> None:
    canvas.saveState()
    canvas.setStrokeColor(HexColor(tint(ctx.theme.primary, 0.5)))
    canvas.setLineWidth(0.6)
    canvas.line(MARGIN_X, y, MARGIN_X + width, y)
    canvas.restoreState()


def _stack(paragraphs: list[Paragraph], width: float) -> float:
    return sum(p.wrap(width, 1000)[1] for p in paragraphs)


def _draw_stack(canvas: Canvas, paragraphs: list[Paragraph], x: float, top: float,
                width: float) -> float:
    """Paragraphs one under another from `top`; returns the y under the last."""
    for p in paragraphs:
        _, h = p.wrap(width, 1000)
        top -= h
        p.drawOn(canvas, x, top)
    return top


def _header_parts(ctx: LayoutContext, width: float) -> tuple[list[Paragraph], float]:
    """The clinic's name over the handout's title, and the width they are set in."""
    styles = _styles(ctx)
    text_width = width - (LOGO + LOGO_GAP if ctx.doc.brand.logo else 0.0)
    return ([ctx.blocks.para(ctx.doc.brand_name, styles["clinic"]),
             ctx.blocks.para(ctx.doc.translation.title, styles["title"])], text_width)


def _header_height(ctx: LayoutContext, width: float) -> float:
    parts, text_width = _header_parts(ctx, width)
    return max(LOGO if ctx.doc.brand.logo else 0.0, _stack(parts, text_width))


def _header(canvas: Canvas, ctx: LayoutContext, top: float, width: float) -> None:
    """Logo where lines start, beside the clinic's name and the title; a thin rule under."""
    logo = ctx.doc.brand.logo
    parts, text_width = _header_parts(ctx, width)
    height = _header_height(ctx, width)
    text_x = MARGIN_X
    if logo is not None:
        w, h = image_size(logo)
        scale = LOGO / max(w, h)
        logo_x = MARGIN_X + width - w * scale if ctx.theme.rtl else MARGIN_X
        draw_image_file(canvas, logo, logo_x, top - LOGO, w * scale, h * scale)
        if not ctx.theme.rtl:
            text_x += LOGO + LOGO_GAP
    # The text is centred on the logo when it is the shorter of the two.
    text_top = top - (height - _stack(parts, text_width)) / 2
    _draw_stack(canvas, parts, text_x, text_top, text_width)
    _thin_rule(canvas, ctx, top - height - RULE_GAP, width)


Row = tuple[list[Paragraph], list[Paragraph]]  # where lines start, and at the other side


def _footer_content(ctx: LayoutContext, page: int, pages: int, back: bool) -> list[Row]:
    """The footer, row by row: contact details where lines start; the page number and the
    review date at the other side.

    The front names the clinic and its phone in small type. The back's footer is the card's
    contact block: the clinic's name, the phone in large type beside the dates, then the
    address, web site and email.
    """
    doc, para, styles = ctx.doc, ctx.blocks.para, _styles(ctx)
    page_of = para(doc.labels.text("page", page=page, pages=pages), styles["footer_end"])
    reviewed = para(doc.last_reviewed, styles["footer_end"])
    phone = [para(doc.brand.phone, styles["phone" if back else "footer"])] \
        if doc.brand.phone else []
    if not back:
        return [([para(doc.brand_name, styles["footer_strong"])], [page_of]),
                (phone, [reviewed])]
    details = [para(text, styles["contact"]) for text in (doc.address, doc.web, doc.brand.email)
               if text]
    return [([para(doc.brand_name, styles["clinic"])], []), (phone, [reviewed, page_of]),
            *(([line], []) for line in details)]


def _footer_rows(ctx: LayoutContext, page: int, pages: int, back: bool,
                 width: float) -> list[Row]:
    """The footer's rows; where a row's two columns do not fit side by side on single lines,
    its dates move to a last row of their own."""
    rows = _footer_content(ctx, page, pages, back)
    # Decided with the widest page numbers, so that every side is laid out alike.
    widest = _footer_content(ctx, 88, 88, back)
    kept: list[Row] = []
    moved: list[Paragraph] = []
    for (start, end), (wide_start, wide_end) in zip(rows, widest, strict=True):
        if start and end and \
                _natural_width(wide_start) + COLUMN_GAP + _natural_width(wide_end) > width:
            kept.append((start, []))
            moved += end
        else:
            kept.append((start, end))
    return [*kept, ([], moved)] if moved else kept


def _natural_width(paragraphs: list[Paragraph]) -> float:
    widest = 0.0
    for p in paragraphs:
        p.wrap(10_000, 100)
        widest = max(widest, *(p.getActualLineWidths0() or [0.0]))
    return widest


def _row_widths(rows: list[Row], width: float) -> list[tuple[float, float]]:
    """Per row: the end column takes what its text needs, the start the rest."""
    widths = []
    for _, end in rows:
        end_w = min(_natural_width(end) + 1, width) if end else 0.0
        widths.append((width - COLUMN_GAP - end_w if end else width, end_w))
    return widths


def _foot_of_text(paragraphs: list[Paragraph]) -> float:
    """How far the last baseline of a column sits above its foot."""
    last = paragraphs[-1].style
    return last.leading - last.fontSize


def _row_layout(row: Row, widths: tuple[float, float]) -> tuple[float, list[float]]:
    """The row's height and each column's lift above the row's foot, so that the last
    baselines of both columns are level."""
    columns = [(c, w) for c, w in zip(row, widths, strict=True) if c]
    baseline = max(_foot_of_text(c) for c, _ in columns)
    lifts = [baseline - _foot_of_text(c) for c, _ in columns]
    return max(lift + _stack(c, w) for (c, w), lift in zip(columns, lifts, strict=True)), lifts


def _footer_height(ctx: LayoutContext, width: float, back: bool) -> float:
    """From the footer's foot to the top of its first line (the rule above not included)."""
    # The widest page numbers, so that both sides get the same geometry.
    rows = _footer_rows(ctx, 88, 88, back, width)
    return sum(_row_layout(r, w)[0] for r, w in zip(rows, _row_widths(rows, width), strict=True))


def _footer(canvas: Canvas, ctx: LayoutContext, page: int, pages: int, width: float,
            back: bool) -> None:
    """The footer's rows from the rule down, mirrored for right-to-left languages."""
    rows = _footer_rows(ctx, page, pages, back, width)
    widths = _row_widths(_footer_rows(ctx, 88, 88, back, width), width)
    top = MARGIN_BOTTOM + _footer_height(ctx, width, back)
    _thin_rule(canvas, ctx, top + RULE_GAP, width)
    for row, (start_w, end_w) in zip(rows, widths, strict=True):
        height, lifts = _row_layout(row, (start_w, end_w))
        start_x, end_x = MARGIN_X, MARGIN_X + width - end_w
        if ctx.theme.rtl:  # contact details where lines start, at the right
            start_x, end_x = MARGIN_X + width - start_w, MARGIN_X
        columns = [(c, x, w) for c, x, w in ((row[0], start_x, start_w), (row[1], end_x, end_w))
                   if c]
        for (column, x, w), lift in zip(columns, lifts, strict=True):
            _draw_stack(canvas, column, x, top - height + lift + _stack(column, w), w)
        top -= height


def _stripe(canvas: Canvas, ctx: LayoutContext) -> None:
    """The brand colour along the top edge, reaching into the bleed when there is one."""
    page_w, page_h = ctx.page_size
    bleed = ctx.bleed
    canvas.saveState()
    canvas.setFillColor(HexColor(ctx.theme.primary))
    canvas.rect(-bleed, page_h - STRIPE, page_w + 2 * bleed, STRIPE + bleed, stroke=0, fill=1)
    canvas.restoreState()


def decorate_page(canvas: Canvas, ctx: LayoutContext, page: int, pages: int) -> None:
    page_w, page_h = ctx.page_size
    width = page_w - 2 * MARGIN_X
    _stripe(canvas, ctx)
    if page == 1:
        _header(canvas, ctx, page_h - MARGIN_TOP, width)
    _footer(canvas, ctx, page, pages, width, back=page > 1)
