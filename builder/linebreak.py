"""Line breaking for Japanese and Chinese that keeps the kinsoku rules (JIS X 4051, simplified).

reportlab's CJK wrapping hangs one closing mark past the line end but lets a line end with an
opening bracket and start with a second small kana or prolonged sound mark. Here a line never
starts with a character of NO_START nor ends with one of NO_END: the break moves back (the
characters go down to the next line), except for closing punctuation, which may hang one
character into the margin as Japanese typesetting allows.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine
from reportlab.rl_config import _FUZZ

# Closing punctuation: may hang one character past the line end.
HANGING = frozenset("、。，．,.）)」』】〕〉》］｝!?！？")
NO_START = HANGING | frozenset(
    "ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶㇰㇱㇲㇳㇴㇵㇶㇷㇸㇹㇺㇻㇼㇽㇾㇿ"
    "ー〜～・：；:;々〻ゝゞヽヾ‐–—―…‥％%℃°′″")
NO_END = frozenset("（(「『【〔〈《［｛“‘￥＄$£#＃〒")


def _is_word_char(char: str) -> bool:
    """Latin letters and digits inside CJK text: a break between two of them splits a word."""
    return ord(char) < 0x3000 and unicodedata.category(char)[0] in "LN"


def break_point(chars: str, start: int, overflow: int) -> int:
    """Where the line that began at `start` should end, given that `overflow` does not fit."""
    if chars[overflow] in HANGING and overflow > start + 1 and \
            (overflow + 1 >= len(chars) or chars[overflow + 1] not in NO_START):
        return overflow + 1  # hang the closing mark in the margin
    point = overflow
    while point > start + 1 and (chars[point] in NO_START or chars[point - 1] in NO_END):
        point -= 1
    if _is_word_char(chars[point - 1]) and _is_word_char(chars[point]):
        # Inside a Latin word or number: break before the word, unless it is longer than a line.
        for back in range(point - 1, start, -1):
            if not _is_word_char(chars[back]):
                return back + 1
    return point


def kinsoku_split(frags: list[Any], max_widths: list[float], calc_bounds: bool) -> ParaLines:
    """Break paragraph fragments into lines character by character, keeping kinsoku rules."""
    units: list[cjkU] = []
    for frag in frags:
        text = frag.text
        units.extend(cjkU(ch, frag, "utf8") for ch in text) if text else \
            units.append(cjkU(text, frag, "utf8"))
    chars = "".join(u if len(u) == 1 else "\x00" for u in units)
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    while i < len(units):
        unit = units[i]
        width = unit.width
        forced = hasattr(unit.frag, "lineBreak")
        if forced or (used + width > max_width + _FUZZ and i > start):
            end = i + 1 if forced else break_point(chars, start, i)
            line_width = sum(u.width for u in units[start:end])
            lines.append(makeCJKParaLine(units[start:end], max_width, line_width,
                                         max_width - line_width, forced, calc_bounds))
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            start = i = end
            used = 0.0
            continue
        used += width
        i += 1
    if start < len(units):
        line_width = sum(u.width for u in units[start:])
        lines.append(makeCJKParaLine(units[start:], max_width, line_width,
                                     max_width - line_width, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


class KinsokuParagraph(Paragraph):
    """A Paragraph whose CJK wrapping keeps the kinsoku rules."""

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return kinsoku_split(self.frags, list(maxWidths), auto_leading not in ("", "off"))
