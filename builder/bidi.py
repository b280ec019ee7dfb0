"""Right-to-left text: Arabic letter joining and the Unicode bidirectional order of each line.

Paragraphs are wrapped in logical (typed) order, with Arabic letters already in their joined
presentation forms so that widths are measured right. Each line is then put into visual order
on its own, as the Unicode Bidirectional Algorithm (UAX #9, via python-bidi) requires: a
sentence that wraps keeps its first words on the first line, Latin words and numbers inside
Arabic keep reading left to right, and brackets are mirrored.
"""

from __future__ import annotations

import copy
import functools
import re
import unicodedata
from typing import Any

from bidi import algorithm as uba

from .linebreak import KinsokuParagraph

RTL_LANGUAGES = frozenset({"ar", "fa", "he", "ur", "yi", "ps", "sd", "ug", "dv", "ckb"})
_STRONG_RTL = frozenset({"R", "AL"})

@functools.cache
def _reshaper() -> Any:
    """Arabic letter joining, set up on first use (most documents have no Arabic letters)."""
    import arabic_reshaper

    # Keep vowel marks (harakat) and tatweel: every typed character must reach the page.
    return arabic_reshaper.ArabicReshaper(configuration={
        "delete_harakat": False,
        "delete_tatweel": False,
        "shift_harakat_position": False,
        "support_ligatures": True,
    })


def is_rtl_language(lang: str) -> bool:
    return lang.split("-")[0].lower() in RTL_LANGUAGES


# Every character written right to left lies in these blocks (tests/test_bidi.py checks it
# against the whole of Unicode): text with none of them is told apart in one regex search.
_RTL_BLOCKS = re.compile("[\u0590-\u08ff\u200f\ufb1d-\ufdff\ufe70-\ufeff"
                         "\U00010800-\U00010fff\U0001e800-\U0001efff]")


@functools.lru_cache(maxsize=65536)
def has_rtl(text: str) -> bool:
    """Whether any character of `text` is written right to left."""
    if _RTL_BLOCKS.search(text) is None:
        return False
    return any(unicodedata.bidirectional(c) in _STRONG_RTL for c in text)


# The Arabic blocks whose letters join (Arabic, Arabic Supplement, Arabic Extended-A).
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


def join_letters(text: str) -> str:
    """Arabic letters in the forms they take next to their neighbours (logical order kept)."""
    if _ARABIC.search(text) is None:
        return text
    return _reshaper().reshape(text)


def visual_order(text: str, rtl_base: bool) -> list[tuple[int, str]]:
    """The characters of one line in display order, as (logical index, glyph) pairs.

    Glyphs differ from the typed character only where a bracket is mirrored. Characters the
    algorithm removes (zero-width format controls) are left out.
    """
    storage = uba.get_empty_storage()
    storage["base_level"] = 1 if rtl_base else 0
    storage["base_dir"] = "R" if rtl_base else "L"
    uba.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    # python-bidi may combine surrogate pairs; Python strings never hold them, so indices match.
    uba.explicit_embed_and_overrides(storage)
    uba.resolve_weak_types(storage)
    uba.resolve_neutral_types(storage, False)
    uba.resolve_implicit_levels(storage, False)
    uba.reorder_resolved_levels(storage, False)
    uba.apply_mirroring(storage, False)
    # Combining marks stay before their letter in display order (UAX #9 leaves rule L3
    # optional): the bundled Arabic font draws marks to the right of their origin, that is
    # over the letter drawn next.
    return [(char["index"], char["ch"]) for char in storage["chars"]]


def _reorder_words(words: list[str], rtl_base: bool) -> list[str]:
    """A line of plain words (one font, one colour) in display order."""
    line = " ".join(words)
    visual = "".join(glyph for _, glyph in visual_order(line, rtl_base))
    return visual.split(" ")


def _reorder_frags(frags: list[Any], rtl_base: bool) -> list[Any]:
    """A line of styled fragments in display order: regrouped where styles meet."""
    owners: list[int] = []
    text = ""
    for n, frag in enumerate(frags):
        piece = getattr(frag, "text", "")
        if not isinstance(piece, str) or hasattr(frag, "cbDefn"):
            return frags  # inline images or callbacks: leave the line as it is
        text += piece
        owners.extend([n] * len(piece))
    out: list[Any] = []
    current = -1
    for index, glyph in visual_order(text, rtl_base):
        owner = owners[index]
        if owner != current:
            piece = copy.copy(frags[owner])
            piece.text = ""
            out.append(piece)
            current = owner
        out[-1].text += glyph
    return out or frags


def visual_lines(bl_para: Any, rtl_base: bool) -> Any:
    """A copy of reportlab's broken lines with every line in display order."""
    result = copy.copy(bl_para)
    if bl_para.kind == 0:
        result.lines = [(extra, _reorder_words(list(words), rtl_base))
                        for extra, words in bl_para.lines]
    else:
        lines = []
        for line in bl_para.lines:
            new = copy.copy(line)
            new.words = _reorder_frags(list(line.words), rtl_base)
            lines.append(new)
        result.lines = lines
    return result


class BidiParagraph(KinsokuParagraph):
    """A paragraph with right-to-left text in it, drawn line by line in display order."""

    rtl_base = False  # the paragraph direction: left to right, with embedded RTL runs

    def drawPara(self, debug: int = 0) -> None:
        # Wrapping and splitting work on the logical lines; only drawing sees display order.
        logical = self.blPara
        self.blPara = visual_lines(logical, self.rtl_base)
        try:
            super().drawPara(debug)
        finally:
            self.blPara = logical


class RtlParagraph(BidiParagraph):
    """A paragraph of a right-to-left language: right to left, with embedded LTR runs."""

    rtl_base = True
