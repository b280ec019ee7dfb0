"""Several handouts in one PDF: a contents page that links to each, a bookmark per handout
and page labels that match the page numbers printed on the handouts ("2-1" is the first page
of the second handout)."""

from __future__ import annotations

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.annotations import Link
from pypdf.generic import (
    BooleanObject,
    DictionaryObject,
    NameObject,
    TextStringObject,
)
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from . import __version__
from .batch import Engine, Job, UsageError, plan, render_job
from .errors import BuildError, Problem
from .pdf_compression import builder_streams
from .postprocess import _bytes, _writer
from .render import LayoutContext, make_context
from .resolve import resolve

MARGIN_X = 18 * mm
MARGIN_TOP = 15 * mm
MARGIN_BOTTOM = 16 * mm
BAR_HEIGHT = 15 * mm
PAGE_COLUMN = 30 * mm  # room for "page 12" at the line end
ENTRY_GAP = 6 * mm


@dataclass(frozen=True)
class Part:
    """One handout in the bundle: its title, subtitle and rendered pages."""

    job: Job
    title: str
    subtitle: str | None
    pdf: bytes
    pages: int


def bundle_jobs(engine: Engine, ids: tuple[str, ...], lang: str, brand: str, layout: str,
                paper: str | None) -> list[Job]:
    """One job per handout, in the order given; a UsageError names what cannot be bundled."""
    if not ids:
        raise UsageError("name the handouts to bundle, e.g. handout bundle knee-osteoarthritis "
                         "acupuncture-session -l en -b riverbend-physio -o pack.pdf")
    repeated = [i for n, i in enumerate(ids) if i in ids[:n]]
    if repeated:
        raise UsageError(f"'{repeated[0]}' is named twice")
    if "+" in lang:
        raise UsageError("a bundle is in one language; give one -l")
    jobs = []
    for hid in ids:
        found = plan(engine, (hid,), (lang,), (brand,), (layout,), (paper,) if paper else ())
        if len(found) != 1:
            raise UsageError(f"{hid} has no '{lang}' text to bundle")
        jobs.append(found[0])
    return jobs


def render_parts(engine: Engine, jobs: list[Job]) -> tuple[list[Part], list[Problem]]:
    """Every handout rendered; the problems of those that could not be."""
    parts: list[Part] = []
    problems: list[Problem] = []
    for job in jobs:
        try:
            rendered = render_job(engine, job)
        except BuildError as exc:
            problems += exc.problems
            continue
        translation = engine.project.handouts[job.handout].translations[job.lang]
        # (A bundle takes only layouts that are not imposed: pages flowed are pages printed.)
        parts.append(Part(job, translation.title, translation.subtitle, rendered.pdf,
                          rendered.pages))
    return parts, problems


def make_bundle(engine: Engine, parts: list[Part], *, duplex: bool = False) -> bytes:
    """The contents page(s) and every part, with bookmarks, page labels and links."""
    ctx = _context(engine, parts[0].job)
    labels = ctx.doc.labels
    cover = _Contents(ctx, parts)
    cover_pages = cover.paginate()
    starts: list[int] = []
    at = cover_pages + (cover_pages % 2 if duplex else 0)
    for part in parts:
        starts.append(at)
        at += part.pages + (part.pages % 2 if duplex else 0)
    cover_pdf, links = cover.draw(starts)

    writer = _writer()
    writer.append(PdfReader(io.BytesIO(cover_pdf)))
    size = writer.pages[0].mediabox
    if duplex and cover_pages % 2:
        writer.add_blank_page(float(size.width), float(size.height))
    writer.set_page_label(0, starts[0] - 1, style="/r")
    for n, (part, start) in enumerate(zip(parts, starts, strict=True), start=1):
        writer.append(PdfReader(io.BytesIO(part.pdf)), outline_item=part.title)
        end = start + part.pages - 1
        if duplex and part.pages % 2:
            writer.add_blank_page(float(size.width), float(size.height))
            end += 1
        writer.set_page_label(start, end, style="/D", prefix=f"{n}-", start=1)
    for page, rect, target in links:
        writer.add_annotation(page, Link(rect=rect, target_page_index=target))
    title = f"{labels.text('bundle_title')}: " + " · ".join(p.title for p in parts)
    writer.add_metadata({
        "/Title": title, "/Author": ctx.doc.brand_name,
        "/Subject": labels.text("bundle_intro", count=len(parts), brand=ctx.doc.brand_name),
        "/Keywords": ", ".join(dict.fromkeys(p.job.handout for p in parts)),
        "/Creator": f"Handout Builder {__version__}", "/Producer": f"Handout Builder {__version__}",
    })
    root = writer._root_object
    root[NameObject("/Lang")] = TextStringObject(ctx.doc.lang)
    root[NameObject("/ViewerPreferences")] = DictionaryObject(
        {NameObject("/DisplayDocTitle"): BooleanObject(True)})
    root[NameObject("/PageMode")] = NameObject("/UseOutlines")  # open with bookmarks shown
    return _bytes(writer)


def _context(engine: Engine, job: Job) -> LayoutContext:
    entry = engine.project.handouts[job.handout]
    assert entry.handout is not None
    doc = resolve(entry.handout, entry.translations[job.lang],
                  engine.project.brands[job.brand], job.paper)
    return make_context(doc, engine.fonts, layout=engine.layouts["leaflet"])


class _Contents:
    """The contents page(s): the clinic's bar, a title, and one entry per handout with the
    page it starts on; each entry links to that page."""

    def __init__(self, ctx: LayoutContext, parts: list[Part]):
        self.ctx = ctx
        self.parts = parts
        self.width = ctx.page_size[0] - 2 * MARGIN_X
        blocks, labels = ctx.blocks, ctx.doc.labels
        self.head = [blocks.para(labels.text("bundle_title"), "title"),
                     blocks.para(labels.text("bundle_intro", count=len(parts),
                                             brand=ctx.doc.brand_name), "subtitle")]
        self.entries = [[blocks.para(f"{n}. {part.title}", "heading"),
                         *([blocks.para(part.subtitle, "body")] if part.subtitle else [])]
                        for n, part in enumerate(parts, start=1)]
        self.pages: list[list[int]] = []
        running = ctx.theme.style("running" if ctx.theme.rtl else "running_right")
        self.number_style = ParagraphStyle("bundle_page", parent=running,
                                           fontSize=ctx.theme.body_size,
                                           leading=ctx.theme.body_size * 1.3)

    def _text_width(self) -> float:
        return self.width - PAGE_COLUMN

    def _entry_height(self, entry: list[Paragraph]) -> float:
        return sum(p.wrap(self._text_width(), 10_000)[1] for p in entry)

    def _top(self, page: int) -> float:
        top = self.ctx.page_size[1] - MARGIN_TOP - BAR_HEIGHT - 10 * mm
        if page == 0:
            top -= sum(p.wrap(self.width, 10_000)[1] for p in self.head) + 6 * mm
        return top

    def paginate(self) -> int:
        """Share the entries out over as many pages as they need."""
        self.pages = [[]]
        y = self._top(0)
        for n, entry in enumerate(self.entries):
            h = self._entry_height(entry)
            if y - h < MARGIN_BOTTOM + 12 * mm and self.pages[-1]:
                self.pages.append([])
                y = self._top(len(self.pages) - 1)
            self.pages[-1].append(n)
            y -= h + ENTRY_GAP
        return len(self.pages)

    def draw(self, starts: list[int]) -> tuple[bytes, list[tuple[int, tuple, int]]]:
        """The pages as PDF, and the links: (page, rectangle, index of the target page)."""
        from layouts._common import brand_bar, draw_paragraph

        ctx, theme = self.ctx, self.ctx.theme
        buffer = io.BytesIO()
        canvas = Canvas(buffer, pagesize=ctx.page_size, invariant=1, lang=ctx.doc.lang,
                        initialFontName=theme.family.regular)
        reviewed = ctx.doc.handout.reviewed
        canvas.setDateFormatter(lambda *_: f"D:{reviewed:%Y%m%d}000000+00'00'")
        links: list[tuple[int, tuple, int]] = []
        labels = ctx.doc.labels
        for page, entries in enumerate(self.pages):
            top = ctx.page_size[1] - MARGIN_TOP
            brand_bar(canvas, ctx, MARGIN_X, top, self.width, BAR_HEIGHT)
            y = top - BAR_HEIGHT - 10 * mm
            if page == 0:
                for p in self.head:
                    y -= draw_paragraph(canvas, p, MARGIN_X, y, self.width)
                y -= 6 * mm
            for n in entries:
                entry = self.entries[n]
                text_x = MARGIN_X + (PAGE_COLUMN if theme.rtl else 0)
                page_x = MARGIN_X if theme.rtl else MARGIN_X + self._text_width()
                top_of_entry = y
                for p in entry:
                    y -= draw_paragraph(canvas, p, text_x, y, self._text_width())
                number = ctx.blocks.para(labels.text("bundle_page", page=starts[n] + 1),
                                         self.number_style)
                draw_paragraph(canvas, number, page_x, top_of_entry - 2, PAGE_COLUMN)
                links.append((page, (MARGIN_X, y, MARGIN_X + self.width, top_of_entry),
                              starts[n]))
                y -= ENTRY_GAP
                canvas.saveState()
                canvas.setStrokeColor(HexColor(theme.primary))
                canvas.setLineWidth(0.4)
                canvas.line(MARGIN_X, y + ENTRY_GAP / 2, MARGIN_X + self.width,
                            y + ENTRY_GAP / 2)
                canvas.restoreState()
            canvas.showPage()
        with builder_streams():
            canvas.save()
        return buffer.getvalue(), links
