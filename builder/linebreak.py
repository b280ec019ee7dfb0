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

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus import Paragraph
from reportlab.platypus.paragraph import (
    FragLine,
    ParaLines,
    cjkU,
    imgNormV,
    imgVRange,
    sameFrag,
)
from reportlab.rl_config import _FUZZ

from .paragraph_draw import draw_on, draw_plain
from .plain_lines import plain_lines, word_widths

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
    texts, widths, owners = _units(frags)
    chars = "".join(t if len(t) == 1 else "\x00" for t in texts)
    forcing = any(hasattr(frag, "lineBreak") for frag in frags)
    lines: list[Any] = []
    start = i = 0
    used = 0.0
    max_width = max_widths[0]
    count = len(texts)
    while i < count:
        width = widths[i]
        forced = forcing and hasattr(owners[i], "lineBreak")
        if forced or (used + width > max_width + _FUZZ and i > start):
            end = i + 1 if forced else break_point(chars, start, i)
            line_width = sum(widths[start:end])
            lines.append(_cjk_line(texts, owners, start, end, max_width, line_width,
                                   max_width - line_width, forced, calc_bounds))
            max_width = max_widths[min(len(lines), len(max_widths) - 1)]
            start = i = end
            used = 0.0
            continue
        used += width
        i += 1
    if start < count:
        line_width = sum(widths[start:])
        lines.append(_cjk_line(texts, owners, start, count, max_width, line_width,
                               max_width - line_width, False, calc_bounds))
    return ParaLines(kind=1, lines=lines)


class KinsokuParagraph(Paragraph):
    """A Paragraph whose CJK wrapping keeps the kinsoku rules.

    Parsing the markup and breaking the lines are the costly parts of a paragraph, and a
    batch sets the same texts in the same styles over and over; both are reused. The parsed
    fragments are shared between paragraphs (reportlab only reads them); a style is never
    changed once made (builder/theme.py keeps themes for a whole run).
    """

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is not None or bulletText is not None or not isinstance(text, str):
            super()._setup(text, style, bulletText, frags, cleaner)
            return
        key = (text, signature(style), self.caseSensitive)
        parsed = _PARSED.get(key)
        if parsed is None:
            if "<" in text or "&" in text or not self._plain_setup(text, style, cleaner):
                super()._setup(text, style, bulletText, frags, cleaner)
            if self.style is not style:  # (markup that changed the style: not shared)
                return
            if len(_PARSED) >= _PARSED_MAX:
                dropped = _PARSED.pop(next(iter(_PARSED)))
                _PARSED_FRAGS.pop(id(dropped[1]), None)
            _PARSED[key] = (self.text, self.frags, self.bulletText)
            _PARSED_FRAGS[id(self.frags)] = self.frags
            return
        self.text, self.frags, self.bulletText = parsed
        self.style = style
        self.debug = 0

    def _plain_setup(self, text: str, style: Any, cleaner: Any) -> bool:
        """Text without tags or entities parses to one fragment in the style's font, size
        and colour: a copy of the fragment reportlab's parser makes for one letter in that
        style, with the text put in (most paragraphs have no inline marks). False when it does
        not apply."""
        cleaned = cleaner(text)
        if not cleaned or getattr(style, "textTransform", None):
            return False
        model = _PLAIN_MODELS.get(signature(style))
        if model is None:
            super()._setup("x", style, None, None, cleaner)
            if len(self.frags) != 1 or self.style is not style or self.bulletText is not None:
                return False
            model = _PLAIN_MODELS[signature(style)] = self.frags[0]
        self.text = cleaned
        self.frags = [model.clone(text=cleaned)]
        self.style = style
        self.bulletText = None
        self.debug = 0
        return True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # Frames, boxes and KeepTogether ask the same paragraph its size at the same width
        # several times; the lines only change when the width does.
        last = self.__dict__.get("_last_wrap")
        if last is not None and last[0] == availWidth and last[1] is self.frags and \
                last[2] is self.style:
            self.width, self.height, self.blPara, self._wrapWidths = last[3:]
            return self.width, self.height
        width, height = self._wrap_shared(availWidth, availHeight)
        if hasattr(self, "blPara"):
            self._last_wrap = (availWidth, self.frags, self.style, width, height,
                               self.blPara, getattr(self, "_wrapWidths", None))
        return width, height

    def _wrap_shared(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        """Paragraph.wrap, taking the lines from an earlier paragraph with the same parsed
        text, style and width (another document of the batch) when there is one."""
        if getattr(self, "_splitpara", 0) or self.__dict__.get("autoLeading"):
            return super().wrap(availWidth, availHeight)
        frags = self.frags  # (reportlab replaces them with its word list as it breaks lines)
        key = (id(frags), signature(self.style), availWidth)
        shared = _LINES.get(key)
        if shared is not None and shared[0] is frags:
            self.frags, self.width, self.height, self.blPara, self._wrapWidths = shared[1:]
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        if hasattr(self, "blPara") and _PARSED_FRAGS.get(id(frags)) is frags:
            if len(_LINES) >= _PARSED_MAX:
                _LINES.pop(next(iter(_LINES)))
            _LINES[key] = (frags, self.frags, width, height, self.blPara,
                           getattr(self, "_wrapWidths", None))
        return width, height

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # (Only where drawing is draw -> drawPara -> draw_plain: a subclass that draws its
        # own way, such as a right-to-left paragraph, goes through its own methods.)
        cls = type(self)
        if cls.draw is not Paragraph.draw or cls.drawPara is not KinsokuParagraph.drawPara \
                or not draw_on(self, canvas, x, y, _sW, draw_plain):
            super().drawOn(canvas, x, y, _sW)

    def drawPara(self, debug: int = 0) -> None:
        if debug or not draw_plain(self):
            super().drawPara(debug)

    def breakLines(self, width: Any) -> Any:
        lines = plain_lines(self, width)
        return super().breakLines(width) if lines is None else lines

    def breakLinesCJK(self, maxWidths: Any) -> Any:
        if not isinstance(maxWidths, list | tuple):
            maxWidths = [maxWidths]
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        auto_leading = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return kinsoku_split(self.frags, list(maxWidths), auto_leading not in ("", "off"))


def signature(style: Any) -> tuple[Any, ...]:
    """Everything about a paragraph style that reportlab reads, as a hashable value: two
    styles with the same signature parse, break and draw text alike (the same body text of
    two clinics whose brand colours differ only in headings shares its lines)."""
    known = _SIGNATURES.get(id(style))
    if known is not None and known[0] is style:
        return known[1]
    plain = _PLAIN_TYPES
    value = tuple((k, v if type(v) in plain else _signature_value(v))
                  for k, v in sorted(style.__dict__.items()) if k != "name" and k != "parent")
    if len(_SIGNATURES) >= _PARSED_MAX:
        _SIGNATURES.pop(next(iter(_SIGNATURES)))
    # (The entry holds the style itself, so its id cannot be reused by another style.)
    _SIGNATURES[id(style)] = (style, value)
    return value


def _signature_value(value: Any) -> Any:
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    language = getattr(value, "language", None)  # a hyphenator: its language says it all
    if isinstance(language, str) and callable(value):
        return ("hyphenate", language)
    return (type(value).__name__, repr(value))


_SIGNATURES: dict[int, tuple[Any, tuple[Any, ...]]] = {}
_PLAIN_TYPES = frozenset((str, int, float, bool, type(None)))  # (values that are their own)
# Per style signature: the fragment reportlab's parser makes for plain text in it.
_PLAIN_MODELS: dict[tuple[Any, ...], Any] = {}


# Parsed markup per (text, style signature): reportlab's parser's text, fragments, bullet.
_PARSED: dict[tuple[str, tuple[Any, ...], int], tuple[Any, ...]] = {}
_PARSED_MAX = 4_000  # texts; a batch reuses a text within the same handout, jobs in a row
# The fragment lists in _PARSED, by id: only lines of a shared (never changed) list are kept.
_PARSED_FRAGS: dict[int, list[Any]] = {}
# Broken lines per (fragments, style signature, width): (fragments, the fragments after
# breaking, width, height, lines, widths).
_LINES: dict[tuple[int, tuple[Any, ...], float], tuple[Any, ...]] = {}


def _units(frags: list[Any]) -> tuple[list[str], list[float], list[Any]]:
    """What reportlab's CJK wrapping makes one unit per character of (its text, width and
    fragment), as three lists."""
    texts: list[str] = []
    widths: list[float] = []
    owners: list[Any] = []
    for frag in frags:
        text = frag.text
        if not text or hasattr(frag, "cbDefn"):
            made = [cjkU(ch, frag, "utf8") for ch in text] if text else \
                [cjkU(text, frag, "utf8")]
            texts += (str(u) for u in made)
            widths += (u._width for u in made)
            owners += (u._frag for u in made)
            continue
        # (The widths kept with the font, as for words: a handout uses a few hundred distinct
        # characters thousands of times.)
        font = getFont(frag.fontName)
        size = frag.fontSize
        known = word_widths(font, size, "utf8")
        for ch in text:
            width = known.get(ch)
            if width is None:
                width = known[ch] = font.stringWidth(ch, size, "utf8")
            widths.append(width)
        texts += text
        owners += [frag] * len(text)
    return texts, widths, owners


def _cjk_line(texts: list[str], owners: list[Any], start: int, end: int, max_width: float,
              width_used: float, extra_space: float, line_break: bool,
              calc_bounds: bool) -> FragLine:
    """reportlab's makeCJKParaLine for the units start..end, with the same result, taking
    each fragment's metrics once rather than once per character."""
    words: list[Any] = []
    chars: list[str] = []
    f0: Any = FragLine()
    max_size = max_ascent = min_descent = 0
    measured = None
    special = False
    for n in range(start, end):
        frag = owners[n]
        if frag is not measured:
            measured = frag
            size = frag.fontSize
            cb = getattr(frag, "cbDefn", None) if calc_bounds else None
            if getattr(cb, "width", 0):
                descent, ascent = imgVRange(imgNormV(cb.height, size), cb.valign, size)
            else:
                ascent, descent = getAscentDescent(frag.fontName, size)
            max_size = max(max_size, size)
            max_ascent = max(max_ascent, ascent)
            min_descent = min(min_descent, descent)
            special = hasattr(frag, "cbDefn") or hasattr(frag, "lineBreak")
        if (frag is not f0 or special) and not sameFrag(f0, frag):
            f0 = f0.clone()
            f0.text = "".join(chars)
            words.append(f0)
            chars = []
            f0 = frag
        chars.append(texts[n])
    if chars:
        f0 = f0.clone()
        f0.text = "".join(chars)
        words.append(f0)
    return FragLine(kind=1, extraSpace=extra_space, wordCount=1, words=words[1:],
                    fontSize=max_size, ascent=max_ascent, descent=min_descent,
                    maxWidth=max_width, currentWidth=width_used, lineBreak=line_break)
