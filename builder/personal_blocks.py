"""The parts of a patient's own copy: who it is for, the next appointment, the note, and the
fillable variant's name box and pain diary.

Names and notes are printed literally: asterisks and angle brackets in them are text.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether

from .blocks import Blocks
from .flowables import SectionMark, unsplittable_box
from .form_fields import PainDiary, TextFieldLine
from .text import paragraphs

PERSONAL_PART = "the personal part (next appointment and note)"


def prepared_for(blocks: Blocks) -> list[Flowable]:
    """'Prepared for … on … by …' under the title, or a box for the name on a blank form."""
    doc = blocks.doc
    if doc.personal is not None:
        return [blocks.para(doc.personal.prepared_for, "prepared", literal=True)]
    if blocks.fillable:
        label = blocks.para(doc.labels.text("name_label"), "prepared")
        return [TextFieldLine(label, "patient_name", doc.labels.text("name_label"),
                              blocks.theme.primary, rtl=blocks.theme.rtl)]
    return []


def personal_boxes(blocks: Blocks, width: float) -> list[Flowable]:
    """The next appointment and the practitioner's note, each in its own box."""
    boxes = appointment_box(blocks, width) + note_box(blocks, width)
    return [SectionMark(PERSONAL_PART), *boxes] if boxes else []


def appointment_box(blocks: Blocks, width: float) -> list[Flowable]:
    """The next appointment in a tinted box; on a blank form, a box to type it into."""
    doc, theme = blocks.doc, blocks.theme
    label = doc.labels.text("next_appointment")
    if doc.personal is not None and doc.personal.appointment:
        content: list[Flowable] = [
            blocks.para(label, "box_label"),
            blocks.para(doc.personal.appointment, "appointment", literal=True)]
    elif blocks.fillable:
        content = [TextFieldLine(blocks.para(label, "box_label"), "next_appointment", label,
                                 theme.primary, rtl=theme.rtl)]
    else:
        return []
    return [_box(blocks, content, width, tinted=True)]


def note_box(blocks: Blocks, width: float) -> list[Flowable]:
    """The practitioner's note, under its label, in a box with a thin rule round it."""
    doc = blocks.doc
    if doc.personal is None or not doc.personal.note:
        return []
    note = [blocks.para(doc.labels.text("note"), "box_label"),
            *(blocks.para(p, "note", literal=True) for p in paragraphs(doc.personal.note))]
    return [_box(blocks, note, width, tinted=False)]


def _box(blocks: Blocks, content: list[Flowable], width: float, tinted: bool) -> Flowable:
    theme = blocks.theme
    box = unsplittable_box(content, width, background=theme.summary_bg if tinted else "#FFFFFF",
                           border=theme.primary, font_name=theme.family.regular,
                           padding=theme.body_size * 0.75, border_width=0 if tinted else 0.9,
                           left_bar=3 if tinted else 0, rtl=theme.rtl)
    box.spaceAfter = theme.body_size * 0.7
    return box


def pain_diary(blocks: Blocks, width: float) -> list[Flowable]:
    """Fourteen boxes for a daily pain score, on the fillable variant only."""
    if not blocks.fillable:
        return []
    labels, theme = blocks.doc.labels, blocks.theme
    days = [blocks.para(labels.text("day", n=n), "diary_day") for n in range(1, 15)]
    tips = [labels.text("pain_day_tooltip", n=n) for n in range(1, 15)]
    grid = PainDiary(days, tips, theme.primary, rtl=theme.rtl)
    grid.spaceBefore = theme.body_size * 0.2
    grid.spaceAfter = theme.body_size * 0.5
    head = [SectionMark("the pain diary"), blocks.heading(labels.text("pain_diary")),
            blocks.para(labels.text("pain_diary_hint"), "intro")]
    return [KeepTogether([*head, grid])]
