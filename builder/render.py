"""Resolved content + a layout -> PDF bytes, with metadata, /Lang and 'page x of y' in one pass."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable
from reportlab.platypus.doctemplate import LayoutError

from . import __version__
from .blocks import Blocks
from .errors import BuildError, Problem
from .flowables import SectionMark
from .fonts import FontLibrary
from .resolve import Resolved
from .theme import Theme, make_theme

PAPER_SIZES = {"a4": A4, "letter": LETTER}

PageDecorator = Callable[[Canvas, int, int], None]


@dataclass(frozen=True)
class LayoutContext:
    """What a layout module is given: the page, the theme, the fonts and the block builders."""

    doc: Resolved
    paper: str
    page_size: tuple[float, float]
    theme: Theme
    fonts: FontLibrary
    blocks: Blocks
    options: dict[str, Any] = field(default_factory=dict)


def make_context(doc: Resolved, fonts: FontLibrary, body_size: float = 11.0,
                 landscape: bool = False) -> LayoutContext:
    theme = make_theme(doc.brand, fonts, doc.lang, body_size)
    width, height = PAPER_SIZES[doc.paper]
    size = (height, width) if landscape else (width, height)
    return LayoutContext(doc=doc, paper=doc.paper, page_size=size, theme=theme, fonts=fonts,
                         blocks=Blocks(doc, theme, fonts))


def _numbered_canvas(decorate: PageDecorator) -> type[Canvas]:
    """A canvas that holds pages back until the end so each knows the page count."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held)
            for state in self._held:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)
                Canvas.showPage(self)
            Canvas.save(self)

    return NumberedCanvas


class _MeasuringDoc(BaseDocTemplate):
    """Records where each section's flowables land, to explain an overflow."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mark = SectionMark("the title")
        # page, section mark, frame left edge, frame top, bottom of what was placed
        self.placed: list[tuple[int, SectionMark, float, float, float]] = []

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, SectionMark):
            self.mark = flowable
            return
        frame = getattr(self, "frame", None)
        if frame is None:
            return
        self.placed.append((self.page, self.mark, frame._x1, frame._y1 + frame._height,
                            frame._y))


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int


def render(ctx: LayoutContext, layout: ModuleType) -> Rendered:
    """Build one PDF in memory; BuildError if it does not fit the layout's page budget."""
    doc = ctx.doc
    buffer = io.BytesIO()
    template = _MeasuringDoc(
        buffer, pagesize=ctx.page_size, title=doc.translation.title, author=doc.brand_name,
        subject=doc.subject, keywords=doc.keywords, creator=f"Handout Builder {__version__}",
        producer=f"Handout Builder {__version__}", lang=doc.lang, displayDocTitle=1,
        invariant=1, initialFontName=ctx.theme.family.regular, initialFontSize=ctx.theme.body_size,
        leftMargin=0, rightMargin=0, topMargin=0, bottomMargin=0,
    )
    template.addPageTemplates(layout.page_templates(ctx))
    story = layout.story(ctx)
    reviewed = doc.handout.reviewed

    def decorate(canvas: Canvas, page: int, pages: int) -> None:
        if page == 1:
            # Dates in the file come from the clinical review, not the clock: rebuilding the
            # same inputs gives the same bytes.
            canvas.setDateFormatter(lambda *_: f"D:{reviewed:%Y%m%d}000000+00'00'")
        layout.decorate_page(canvas, ctx, page, pages)

    try:
        template.build(story, canvasmaker=_numbered_canvas(decorate))
    except LayoutError as exc:
        raise BuildError([_too_tall_problem(ctx, layout, template, exc)]) from exc
    pages = template.page
    budget = layout.PAGE_BUDGET
    if budget is not None and pages > budget:
        raise BuildError([_overflow_problem(ctx, layout, template, budget)])
    return Rendered(buffer.getvalue(), pages)


def _too_tall_problem(ctx: LayoutContext, layout: ModuleType, template: _MeasuringDoc,
                      exc: LayoutError) -> Problem:
    """A block that may not be split (the red-flag box, a figure) is taller than a column."""
    # reportlab's message ends with the block's size: "... (width x height)".
    sizes = re.findall(r"\(([\d.]+) x ([\d.]+)\)", str(exc))
    frame = getattr(template, "frame", None)
    extra = ""
    if sizes and frame is not None:
        over = float(sizes[-1][1]) - frame._height
        lines = max(1, round(over / ctx.theme.style("body").leading))
        extra = f" by {lines} lines"
    return _located(ctx, template.mark, (
        f"does not fit the {layout.NAME} layout{_where(ctx)}: {_name(template.mark)} cannot be "
        f"split across columns and is taller than a whole column{extra}; shorten it"))


def _where(ctx: LayoutContext) -> str:
    return f" on {ctx.paper} paper for {ctx.doc.brand.id}"


def _name(mark: SectionMark) -> str:
    return f"'{mark.name}'" if mark.index is not None else mark.name


def _located(ctx: LayoutContext, mark: SectionMark, message: str) -> Problem:
    """A problem pointing at the section's line in the translation, when it is a section."""
    file = str(ctx.doc.translation.file)
    if mark.index is None:
        return Problem(file, message=message)
    section = ctx.doc.sections[mark.index]
    return Problem(file, section.line, section.col, f"sections[{mark.index}]", message)


def _overflow_problem(ctx: LayoutContext, layout: ModuleType, template: _MeasuringDoc,
                      budget: int) -> Problem:
    """Which section spills past the page budget, and by how many body lines."""
    over = [p for p in template.placed if p[0] > budget]
    first = over[0][1] if over else template.mark
    lowest: dict[tuple[int, float], tuple[float, float]] = {}
    for page, _section, left, top, bottom in over:
        _, low = lowest.get((page, left), (top, bottom))
        lowest[(page, left)] = (top, min(low, bottom))
    spill = sum(top - low for top, low in lowest.values())
    lines = max(1, round(spill / ctx.theme.style("body").leading))
    following = list(dict.fromkeys(_name(p[1]) for p in over if p[1] is not first))
    verb = "follow" if len(following) > 1 else "follows"
    also = f"; {', '.join(following)} {verb}" if following else ""
    return _located(ctx, first, (
        f"does not fit the {layout.NAME} layout ({budget} {layout.UNIT}s){_where(ctx)}: "
        f"{_name(first)} overflows by {lines} lines{also}"))
