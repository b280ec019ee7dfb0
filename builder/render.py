"""Resolved content + a layout -> PDF bytes, with metadata, /Lang and 'page x of y' in one pass."""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable
from reportlab.platypus.doctemplate import LayoutError

from . import __version__
from .blocks import Blocks
from .errors import FitError, Problem
from .flowables import SectionMark
from .fonts import FontLibrary
from .layout_spec import layout_spec
from .pdf_compression import builder_streams
from .postprocess import Finished, print_ready
from .resolve import Resolved
from .theme import Theme, make_theme

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
    pair: LayoutContext | None = None  # a bilingual document's second language
    # What a layout measured once for the whole document (e.g. the footer's columns).
    measured: dict[tuple[object, ...], Any] = field(default_factory=dict, compare=False,
                                                    repr=False)

    @property
    def bleed(self) -> float:
        """How far colour areas that touch a page edge reach past it (print-ready only)."""
        return float(self.options.get("bleed", 0.0))


def make_context(doc: Resolved, fonts: FontLibrary, body_size: float | None = None,
                 layout: ModuleType | None = None, options: dict[str, Any] | None = None,
                 pair: Resolved | None = None) -> LayoutContext:
    """The context a layout draws one document in: its page size, type sizes and theme."""
    spec = layout_spec(layout)
    size = body_size or spec.body_size
    theme = make_theme(doc.brand, fonts, doc.lang, size, spec.theme)
    page = spec.page_size(doc.paper)
    second = make_context(pair, fonts, size, layout, options) if pair is not None else None
    return LayoutContext(doc=doc, paper=doc.paper, page_size=page, theme=theme, fonts=fonts,
                         blocks=Blocks(doc, theme, fonts,
                                       fillable=bool((options or {}).get("fillable"))),
                         options=dict(options or {}),
                         pair=second)


def _numbered_canvas(decorate: PageDecorator, final_pages: Callable[[int], int],
                    pad: PageDecorator) -> type[Canvas]:
    """A canvas that holds pages back until the end so each knows the page count; it adds the
    pages the layout asks for after the text (a back panel, notes pages)."""

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict[str, Any]] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            flowed = len(self._held)
            total = max(flowed, final_pages(flowed))
            for state in self._held:
                self.__dict__.update(state)
                decorate(self, self._pageNumber, total)
                Canvas.showPage(self)
            for page in range(flowed + 1, total + 1):
                pad(self, page, total)
                Canvas.showPage(self)
            with builder_streams():
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
    pages: int  # pages (panels, sides) of the document before any imposition
    extras: dict[str, bytes] = field(default_factory=dict)  # suffix -> another file to write


def render(ctx: LayoutContext, layout: ModuleType) -> Rendered:
    """Build one PDF in memory; BuildError if it does not fit the layout's page budget."""
    doc = ctx.doc
    spec = layout_spec(layout)
    buffer = io.BytesIO()
    title, keywords = doc.translation.title, doc.keywords
    if ctx.pair is not None:
        title = f"{title} / {ctx.pair.doc.translation.title}"
        keywords = list(dict.fromkeys([*keywords, *ctx.pair.doc.keywords]))
    template = _MeasuringDoc(
        buffer, pagesize=ctx.page_size, title=title, author=doc.brand_name,
        subject=doc.subject, keywords=keywords, creator=f"Handout Builder {__version__}",
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

    def pad(canvas: Canvas, page: int, pages: int) -> None:
        (spec.pad_page or layout.decorate_page)(canvas, ctx, page, pages)

    try:
        template.build(story, canvasmaker=_numbered_canvas(decorate, spec.final_pages, pad))
    except LayoutError as exc:
        raise FitError([_too_tall_problem(ctx, layout, template, exc)]) from exc
    flowed = template.page
    budget = layout.PAGE_BUDGET
    if (ctx.doc.personal is not None or ctx.options.get("fillable")) and spec.copy_budget:
        # One patient's copy, or a form to fill in (its name box and pain diary need room),
        # may take another sheet rather than fail.
        budget = spec.copy_budget
    if budget is not None and spec.final_pages(flowed) > budget:
        raise FitError([_overflow_problem(ctx, layout, template, budget,
                                            spec.flow_budget(budget))])
    pages = max(flowed, spec.final_pages(flowed))
    finished = Finished(buffer.getvalue())
    if spec.finish is not None:
        finished = spec.finish(finished.pdf, ctx)
    if ctx.options.get("print_ready"):
        folds = spec.folds(ctx) if spec.folds else []
        return Rendered(print_ready(finished.pdf, ctx.bleed, folds), pages)
    return Rendered(finished.pdf, pages, finished.extras)


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
        f"split across columns and is taller than a whole column{extra}"))


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
                      budget: int, flow_budget: int) -> Problem:
    """Which section spills past the page budget, and by how many body lines."""
    over = [p for p in template.placed if p[0] > flow_budget]
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
