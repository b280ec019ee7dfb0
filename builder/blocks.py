"""Section types to flowables: steps, bullets, tick boxes, the red-flag box, FAQ, figures."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from .bidi import BidiParagraph, RtlParagraph, has_rtl
from .flowables import ImageBox, MarkerItem, QRCode, SectionMark, unsplittable_box
from .fonts import FontLibrary
from .images import load_image
from .linebreak import KinsokuParagraph
from .model import Section
from .resolve import Resolved
from .text import paragraphs, plain_text, to_markup
from .theme import Theme


class Blocks:
    """Builds the flowables of every section type for one document in one theme."""

    def __init__(self, doc: Resolved, theme: Theme, fonts: FontLibrary, *,
                 fillable: bool = False):
        self.doc = doc
        self.theme = theme
        self.fonts = fonts
        self.fillable = fillable  # tick boxes (and the layout's other blanks) are form fields
        self.builders: dict[str, Callable[[Section, float], list[Flowable]]] = {
            "about": self.text_section,
            "text": self.text_section,
            "expect": self.steps,
            "prepare": self.bullets,
            "precautions": self.bullets,
            "side_effects": self.bullets,
            "aftercare": self.tick_boxes,
            "red_flags": self.red_flags,
            "faq": self.faq,
            "figure": self.figure,
        }

    # -- text ------------------------------------------------------------------------------

    def para(self, text: str, style: str | ParagraphStyle, *, literal: bool = False
             ) -> Paragraph:
        """One paragraph of content, escaped, with inline marks (none when `literal`) and
        font fallback."""
        st = self.theme.style(style) if isinstance(style, str) else style
        markup = to_markup(text, self.fonts, self.doc.lang, link_color=self.theme.primary,
                           italic=self.theme.italic and not self.theme.cjk,
                           strong_color=self.theme.accent,
                           bold=st.fontName == self.theme.family.bold, literal=literal)
        if not has_rtl(text):
            return KinsokuParagraph(markup, st)
        # A paragraph's direction is its document's: Latin text in an Arabic handout keeps
        # reading left to right, an Arabic name in an English one reads right to left.
        return RtlParagraph(markup, st) if self.theme.rtl else BidiParagraph(markup, st)

    def paras(self, text: str, style: str) -> list[Flowable]:
        return [self.para(p, style) for p in paragraphs(text)]

    def heading(self, text: str, style: str = "heading") -> Paragraph:
        return self.para(text, style)

    # -- sections --------------------------------------------------------------------------

    def section(self, section: Section, width: float) -> list[Flowable]:
        """The flowables of one section, preceded by an invisible mark naming it."""
        return [SectionMark(section.type, section.index),
                *self.builders[section.type](section, width)]

    def _intro(self, section: Section) -> list[Flowable]:
        return [self.para(section.intro, "intro")] if section.intro else []

    def text_section(self, section: Section, width: float) -> list[Flowable]:
        body = self.paras(section.text or "", "body")
        return [self.heading(self.doc.heading(section)), *body]

    def _list(self, section: Section, marker: str) -> list[Flowable]:
        items: list[Flowable] = [
            MarkerItem(self.para(item.text, "item"), marker, self.theme.primary,
                       number=n, bold_font=self.theme.family.bold, rtl=self.theme.rtl,
                       min_number_size=self.theme.min_size,
                       field=(f"aftercare_{item.id}", plain_text(item.text)[:200])
                       if self.fillable and marker == "box" and item.id else None)
            for n, item in enumerate(section.items, start=1)
        ]
        head: list[Flowable] = [self.heading(self.doc.heading(section)), *self._intro(section)]
        # The heading travels with its first entry: no heading is left alone at a column foot.
        return [KeepTogether([*head, items[0]]), *items[1:]]

    def steps(self, section: Section, width: float) -> list[Flowable]:
        return self._list(section, "number")

    def bullets(self, section: Section, width: float) -> list[Flowable]:
        return self._list(section, "dot")

    def tick_boxes(self, section: Section, width: float) -> list[Flowable]:
        return self._list(section, "box")

    def red_flags(self, section: Section, width: float) -> list[Flowable]:
        """A highlighted box in the accent colour that is never split or dropped."""
        t = self.theme
        content: list[Flowable] = [self.heading(self.doc.heading(section), "red_heading"),
                                   *self._intro(section)]
        content += [MarkerItem(self.para(item.text, "red_item"), "dot", t.accent, rtl=t.rtl)
                    for item in section.items]
        if self.doc.brand.emergency_phone:
            content.append(self.para(self.doc.labels.text(
                "emergency", number=self.doc.brand.emergency_phone), "emergency"))
        padding = t.body_size * 0.85
        # CJK closing punctuation may hang past the line end: keep extra room on the right.
        inner = width - 2 * padding - 4 - (t.body_size if t.cjk else 0)
        box = unsplittable_box([_FixedWidth(content, inner)], width, background=t.red_flag_bg,
                               border=t.accent, font_name=t.family.regular, padding=padding,
                               border_width=1.6)
        # Space as the box's own, not spacer flowables: a frame drops it at a column's top.
        box.spaceBefore, box.spaceAfter = t.body_size * 0.9, t.body_size * 0.4
        return [box]

    def faq(self, section: Section, width: float) -> list[Flowable]:
        pairs: list[Flowable] = []
        for item in section.items:
            answer = self.paras(item.text, "answer")
            pairs.append(KeepTogether([self.para(item.question or "", "question"), *answer]))
        head = self.heading(self.doc.heading(section))
        first = pairs[0]
        assert isinstance(first, KeepTogether)
        return [KeepTogether([head, *first._content]), *pairs[1:]]

    def figure(self, section: Section, width: float) -> list[Flowable]:
        path = self.doc.handout.figures[section.figure or ""]
        image = ImageBox(load_image(path), width, self.theme.body_size * 22)
        parts: list[Flowable] = []
        if section.heading:
            parts.append(self.heading(section.heading))
        parts.append(image)
        if section.caption:
            parts.append(self.para(section.caption, "caption"))
        return [Spacer(1, self.theme.body_size * 0.4), KeepTogether(parts)]

    # -- end matter ------------------------------------------------------------------------

    def booking(self, width: float) -> list[Flowable]:
        """The booking page as a QR code, with a short label."""
        url = self.doc.brand.booking_url
        if not url:
            return []
        t = self.theme
        size = 56.0
        labels = self.doc.labels
        address = self.para(url.removeprefix("https://"), "booking_hint")
        text = [self.para(labels.text("booking"), "booking"),
                self.para(labels.text("booking_hint"), "booking_hint")]
        widths = [size + 10, width - size - 10]
        # A web address too long for the column beside the code goes under it, whole,
        # rather than breaking in the middle of a word.
        address.wrap(10_000, 100)
        fits = max(address.getActualLineWidths0() or [0.0]) <= widths[1]
        if fits:
            text.append(address)
        cells: list[object] = [QRCode(url, size, t.text), text]
        if t.rtl:  # the code sits where lines start
            cells, widths = cells[::-1], widths[::-1]
        table = Table([cells], colWidths=widths)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), t.family.regular),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        return [Spacer(1, t.body_size * 0.6), table, *([] if fits else [address])]

    def end_notes(self, width: float) -> list[Flowable]:
        """Sources, review dates and the disclaimer, in small type."""
        doc = self.doc
        labels = doc.labels
        closing = "the closing part (sources, review dates, disclaimer)"
        parts: list[Flowable] = [SectionMark(closing)]
        if doc.handout.sources:
            parts.append(self.para(labels.text("sources"), "small_heading"))
            for n, ref in enumerate(doc.handout.sources, start=1):
                text = f"{n}. {ref.citation}" + (f" {ref.url}" if ref.url else "")
                parts.append(self.para(text, "small" if has_rtl(text) else "small_ltr"))
        # The footer already gives the last review date on every page.
        review = " · ".join(x for x in (doc.reviewed_by, doc.next_review) if x)
        parts.append(self.para(review, "small"))
        parts.append(self.para(labels.text("disclaimer"), "disclaimer"))
        return parts


class _FixedWidth(Flowable):
    """Stacks flowables at a fixed inner width (the content of a box)."""

    def __init__(self, content: list[Flowable], width: float):
        super().__init__()
        self.content = content
        self.inner_width = width

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        height = 0.0
        for i, f in enumerate(self.content):
            _, h = f.wrap(self.inner_width, ah)
            height += h + (f.getSpaceAfter() if i < len(self.content) - 1 else 0)
            height += f.getSpaceBefore() if i else 0
        self.width, self.height = self.inner_width, height
        return self.width, height

    def draw(self) -> None:
        y = self.height
        for i, f in enumerate(self.content):
            if i:
                y -= f.getSpaceBefore()
            y -= f.height
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()
