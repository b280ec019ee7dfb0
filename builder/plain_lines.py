"""Line breaking for paragraphs of one plain fragment: reportlab's lines, found faster.

Most of a leaflet's paragraphs are one run of text in one style. reportlab breaks them a
word at a time, asking the font for each word's width through three layers of calls and
taking each word off the front of a list. Here the same greedy filling, the same
hyphenation and long-word splitting (reportlab's own helpers) and the same arithmetic give
the same lines; word widths come from a table kept with the font, since a handout sets the
same few thousand words over and over. Anything else is left to reportlab.
"""

from __future__ import annotations

from typing import Any

from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.platypus import paragraph
from reportlab.platypus.paragraph import (
    _handleBulletWidth,
    _hyphenateWord,
    _processed_frags,
    _shy,
    _SplitWord,
    _splitWord,
    _SplitWordH,
    hyphenationMinWordLength,
    split,
    strip,
)

_FRAG_KEYS = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor",
              "nobr")
_MISSING = object()


def same_frag(f: Any, g: Any) -> bool:
    """Whether two fragments set text alike: what reportlab's compiled `sameFrag` answers,
    in a tenth of its time. (The compiled one asks for absent attributes in a way that
    builds an exception and its message each time, eight or more times per call; breaking a
    paragraph with inline bold calls it for every word.)"""
    if hasattr(f, "cbDefn") or hasattr(g, "cbDefn") or hasattr(f, "lineBreak") or \
            hasattr(g, "lineBreak"):
        return False
    for key in _FRAG_KEYS:
        a = getattr(f, key, _MISSING)
        b = getattr(g, key, _MISSING)
        if a is not b and (a is _MISSING or b is _MISSING or a != b):
            return False
    return True


def string_width(text: Any, font_name: str, size: float, encoding: str = "utf8") -> float:
    """pdfmetrics.stringWidth, from the table of widths kept with the font: reportlab
    measures each word of a paragraph with inline marks several times over (and the
    width of a space for every word of a line, to know how far its spaces may shrink)."""
    font = getFont(font_name)
    widths = word_widths(font, size, encoding)
    found = widths.get(text)
    if found is None:
        found = widths[text] = font.stringWidth(text, size, encoding)
    return found


# (Every paragraph breaks its lines with these, the builder's and any other in the
# process: the answers are the same.)
paragraph.sameFrag = same_frag
paragraph.stringWidth = string_width

_WORDS_KEPT = 50_000  # widths per font and size; a run of new texts starts the table again


def word_widths(font: Any, size: float, encoding: str) -> dict[str, float]:
    """The table of word widths kept with a font object (so a font loaded again, changed,
    starts a new one) for one size."""
    tables = font.__dict__.get("_word_widths")
    if tables is None:
        tables = font._word_widths = {}
    table = tables.get((size, encoding))
    if table is None or len(table) > _WORDS_KEPT:
        table = tables[(size, encoding)] = {}
    return table


def plain_lines(para: Any, width: Any) -> Any | None:
    """What `Paragraph.breakLines(width)` returns for a paragraph of one plain fragment,
    or None to leave the paragraph to reportlab."""
    style = para.style
    frags = para.frags
    if len(frags) != 1:
        return None
    f = frags[0]
    text = getattr(f, "text", None)
    if type(text) is not str or _shy in text or style.endDots or hasattr(f, "cbDefn") or \
            hasattr(f, "backColor") or _processed_frags(frags):
        return None
    word_wrap = style.wordWrap
    if word_wrap and word_wrap.upper() in ("RTL", "LTR"):
        return None
    hyphenator = getattr(style, "hyphenationLang", "")
    if isinstance(hyphenator, str) and hyphenator:
        return None  # (reportlab makes a pyphen dictionary of its own)
    if style.shaping and bool(getFont(style.fontName).shapable):
        return None
    font_name, font_size, encoding = f.fontName, f.fontSize, para.encoding
    font = getFont(font_name)
    hyphenator = hyphenator or None
    if hyphenator is not None and not callable(hyphenator):
        return None

    # (as reportlab's breakLines starts)
    para._width_max = 0
    max_widths = list(width) if isinstance(width, tuple) else \
        width if isinstance(width, list) else [width]
    para.height = lineno = 0
    max_lineno = len(max_widths) - 1
    uri_waste_reduce = style.uriWasteReduce
    embedded_hyphenation = style.embeddedHyphenation
    hyphenation2 = embedded_hyphenation > 1
    space_shrinkage = style.spaceShrinkage
    split_long_words = style.splitLongWords
    attempt_hyphenation = hyphenator or uri_waste_reduce or embedded_hyphenation
    min_word = getattr(style, "hyphenationMinWordLength", hyphenationMinWordLength) \
        if attempt_hyphenation else hyphenationMinWordLength
    para._splitLongWordCount = para._hyphenations = 0
    _handleBulletWidth(para.bulletText, style, max_widths)
    max_width = max_widths[0]
    ascent, descent = getAscentDescent(font_name, font_size)
    text = strip(text)
    if not text:
        return f.clone(kind=0, lines=[], ascent=ascent, descent=descent, fontSize=font_size)

    widths = word_widths(font, font_size, encoding)
    measure = font.stringWidth
    space_width = widths.get(" ")
    if space_width is None:
        space_width = widths[" "] = measure(" ", font_size, encoding)
    space_shrink = space_shrinkage * space_width
    no_break = getattr(f, "nobr", False)
    lines: list[tuple[float, list[str]]] = []
    line: list[Any] = []
    current = -space_width
    forced = 0
    pending = split(text)
    pending.reverse()  # (taken from the end: the next word is the last item)
    take = pending.pop
    while pending:
        word = take()
        if not word and isinstance(word, _SplitWord):
            forced = 1
        word_width = widths.get(word)
        if word_width is None:
            word_width = widths[word] = measure(word, font_size, encoding)
        new_width = current + space_width + word_width
        limit = max_width + space_shrink * len(line)
        if new_width > limit and not (forced or isinstance(word, _SplitWordH)):
            if attempt_hyphenation:
                parts = _hyphenateWord(None if no_break else hyphenator, font_name, font_size,
                                       word, word_width, new_width, limit,
                                       False if no_break else uri_waste_reduce,
                                       embedded_hyphenation and not no_break, min_word)
                if parts:
                    pending.extend(reversed(parts))
                    para._hyphenations += 1
                    forced = 1
                    continue
                if hyphenation2 and line:
                    parts = _hyphenateWord(None if no_break else hyphenator, font_name,
                                           font_size, word, word_width, word_width, max_width,
                                           False if no_break else uri_waste_reduce,
                                           embedded_hyphenation and not no_break, min_word)
                    if parts:
                        pending.append(word)
                        forced = 1
                        new_width = current
                        word = None
            if split_long_words and not (forced or isinstance(word, _SplitWord)):
                n = min(lineno, max_lineno)
                if word_width > max(max_widths[n:n + 1]):
                    pending.extend(reversed(_splitWord(word, current + space_width, max_widths,
                                                       lineno, font_name, font_size,
                                                       encoding)))
                    para._splitLongWordCount += 1
                    forced = 1
                    continue
        if new_width <= limit or not line or forced:
            if word:
                line.append(word)
            if forced:
                forced = 0
                if new_width > para._width_max:
                    para._width_max = new_width
                lines.append((max_width - new_width, line))
                line = []
                current = -space_width
                lineno += 1
                max_width = max_widths[min(max_lineno, lineno)]
            else:
                current = new_width
        else:
            if current > para._width_max:
                para._width_max = current
            lines.append((max_width - current, line))
            line = [word]
            current = word_width
            lineno += 1
            max_width = max_widths[min(max_lineno, lineno)]
    if line:
        if current > para._width_max:
            para._width_max = current
        lines.append((max_width - current, line))
    return f.clone(kind=0, lines=lines, ascent=ascent, descent=descent, fontSize=font_size)
