"""Form fields for the fillable variant: text boxes, tick boxes and the pain diary grid.

PDF forms draw what a patient types with the standard 14 fonts only, which cover Latin
text. So every label, every heading and every value already known (a name, a date) is page
text in the document's embedded fonts, correct in every language; fields hold only what is
typed or ticked later, and a viewer draws typed text with a font of its own.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor, black, white
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph

FIELD_FONT = "Helvetica"  # a form field can only name one of the standard 14 fonts
BORDER = 0.8


def text_field(canv: Canvas, name: str, tooltip: str, x: float, y: float, width: float,
               height: float, color: str, *, max_length: int = 60) -> None:
    """A one-line text box at (x, y) in the current coordinates."""
    canv.acroForm.textfieldRelative(
        name=name, tooltip=tooltip, x=x, y=y, width=width, height=height,
        fontName=FIELD_FONT, fontSize=min(12.0, height * 0.6), borderWidth=BORDER,
        borderColor=HexColor(color), fillColor=white, textColor=black, maxlen=max_length,
        annotationFlags="print", fieldFlags="")


def tick_box(canv: Canvas, name: str, tooltip: str, x: float, y: float, size: float,
             color: str) -> None:
    """A tick box at (x, y) in the current coordinates, unticked."""
    canv.acroForm.checkboxRelative(
        name=name, tooltip=tooltip, x=x, y=y, size=size, buttonStyle="check",
        borderWidth=BORDER, borderColor=HexColor(color), fillColor=white, textColor=black,
        annotationFlags="print", fieldFlags="")


class TextFieldLine(Flowable):
    """A label and, beside it (or under it when the label is long), a box to type into."""

    def __init__(self, label: Paragraph, name: str, tooltip: str, color: str, *,
                 rtl: bool = False, box_height: float = 0, max_length: int = 60):
        super().__init__()
        self.label = label
        self.name = name
        self.tooltip = tooltip
        self.color = color
        self.rtl = rtl
        self.box_height = box_height or label.style.fontSize * 1.9
        self.max_length = max_length
        self.label_width = 0.0
        self.inline = True
        self.spaceBefore = label.style.spaceBefore
        self.spaceAfter = label.style.spaceAfter

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.label.wrap(aw, ah)
        natural = max(self.label.getActualLineWidths0() or [aw])
        self.inline = natural <= aw * 0.4
        self.label_width = natural + 1 if self.inline else aw
        _, label_h = self.label.wrap(self.label_width, ah)
        self.width = aw
        self.height = max(label_h, self.box_height) if self.inline else \
            label_h + self.box_height + 2
        return aw, self.height

    def draw(self) -> None:
        gap = self.label.style.fontSize * 0.5
        if self.inline:
            label_y = (self.height - self.label.height) / 2
            box_w = self.width - self.label_width - gap
            label_x, box_x = (self.width - self.label_width, 0.0) if self.rtl else \
                (0.0, self.label_width + gap)
            self.label.drawOn(self.canv, label_x, label_y)
            box_y = (self.height - self.box_height) / 2
        else:
            self.label.drawOn(self.canv, 0, self.box_height + 2)
            box_x, box_y, box_w = 0.0, 0.0, self.width
        text_field(self.canv, self.name, self.tooltip, box_x, box_y, box_w, self.box_height,
                   self.color, max_length=self.max_length)


class PainDiary(Flowable):
    """Fourteen boxes, a week to a row, each under its day label, for a pain score 0-10."""

    DAYS = 14
    PER_ROW = 7

    def __init__(self, day_labels: list[Paragraph], tooltips: list[str], color: str, *,
                 rtl: bool = False, box_height: float = 0):
        super().__init__()
        assert len(day_labels) == self.DAYS == len(tooltips)
        self.day_labels = day_labels
        self.tooltips = tooltips
        self.color = color
        self.rtl = rtl
        size = day_labels[0].style.fontSize
        self.box_height = box_height or size * 2.2
        self.gap = size * 0.45
        self.label_height = 0.0

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        cell = self._cell(aw)
        self.label_height = max(p.wrap(cell, ah)[1] for p in self.day_labels)
        rows = self.DAYS // self.PER_ROW
        self.width = aw
        self.height = rows * (self.label_height + 1.5 + self.box_height) + (rows - 1) * self.gap
        return aw, self.height

    def _cell(self, aw: float) -> float:
        return (aw - (self.PER_ROW - 1) * self.gap) / self.PER_ROW

    def draw(self) -> None:
        cell = self._cell(self.width)
        row_h = self.label_height + 1.5 + self.box_height
        for day in range(self.DAYS):
            row, col = divmod(day, self.PER_ROW)
            if self.rtl:  # days run the way the text reads
                col = self.PER_ROW - 1 - col
            x = col * (cell + self.gap)
            top = self.height - row * (row_h + self.gap)
            label = self.day_labels[day]
            label.wrap(cell, self.label_height)
            label.drawOn(self.canv, x, top - label.height)
            text_field(self.canv, f"pain_day_{day + 1:02d}", self.tooltips[day], x,
                       top - row_h, cell, self.box_height, self.color, max_length=2)
