"""A document's TrueType font subsets as PDF objects, each made once per process.

reportlab embeds a TrueType font as subsets of up to 256 characters, numbered in the order a
document first uses them. Making one means cutting the glyphs out of the font file, writing
its widths and its ToUnicode map and compressing both streams: several milliseconds, the
same for every document of a batch whose subset holds the same characters in the same order
(the same handout for ten clinics, the same Latin text in its first subset). The objects
written are byte for byte what reportlab writes.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from typing import Any

from reportlab import rl_config
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfdoc import PDFArray
from reportlab.pdfbase.ttfonts import FF_NONSYMBOLIC, FF_SYMBOLIC, SUBSETN, makeToUnicodeCMap

from .pdf_compression import compress

# A ToUnicode entry whose target is a code point beyond U+FFFF, written as 5 or 6 hex digits.
_WIDE_ENTRY = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")

# Compressed subsets kept, at most this many bytes in all (a Japanese subset is ~40 KB; a
# batch takes the same handout for its brands and papers in a row).
_KEEP_BYTES = 2_000_000


class _Formatted(pdfdoc.PDFObject):
    """A PDF value whose bytes were worked out before (a subset's widths)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def format(self, document: Any) -> bytes:
        return self.data


class _Subset:
    """What one subset adds to a document, apart from the references between its objects."""

    __slots__ = ("base_name", "cmap", "compressed", "font_file", "length1", "size", "widths")

    def __init__(self, face: Any, number: int, subset: list[int], document: Any,
                 compressed: bool) -> None:
        self.base_name = b"".join((SUBSETN(number), b"+", face.name,
                                   face.subfontNameX)).decode("pdfdoc")
        self.widths = _Formatted(number_array(list(map(face.getCharWidth, subset)), document))
        cmap = _WIDE_ENTRY.sub(_utf16_entry, makeToUnicodeCMap(self.base_name, subset))
        font_file = face.makeSubset(subset)
        self.length1 = len(font_file)
        self.compressed = compressed
        self.cmap = compress(cmap.encode("utf-8")) if compressed else cmap.encode("utf-8")
        self.font_file = compress(font_file) if compressed else font_file
        self.size = len(self.cmap) + len(self.font_file)


def number_array(values: list[Any], document: Any) -> bytes:
    """What PDFArray(values).format(document) writes, for plain numbers (a subset's widths)
    formatted in one call per line instead of one per number."""
    if any(type(value) not in (int, float) for value in values):
        return pdfdoc.PDFArray(values).format(document)
    if PDFArray.multiline and rl_config.pdfMultiLine:
        return b"[ " + "\n ".join(map(fp_str, values)).encode("ascii") + b" ]"
    lines = [fp_str(*values[n:n + 10]) for n in range(0, len(values), 10)]
    return b"[ " + " \n  ".join(lines).encode("ascii") + b" ]"


_SUBSETS: OrderedDict[tuple[Any, ...], _Subset] = OrderedDict()
_KEPT = [0]


def add_objects(font: Any, doc: Any) -> None:
    """What TTFont.addObjects does: a font, descriptor, font file and ToUnicode map per
    subset the document used, made from the kept subsets where it can."""
    state = font.state.get(doc)
    if state is None:
        state = font.state[doc] = type(font).State(font._asciiReadable)
    state.frozen = 1
    face = font.face
    for number, subset in enumerate(state.subsets):
        internal_name = font.getSubsetInternalName(number, doc)[1:]
        made = _subset(face, number, subset, doc)
        pdf_font = pdfdoc.PDFTrueTypeFont()
        pdf_font.__Comment__ = f"Font {font.fontName} subset {number}"
        pdf_font.Name = internal_name
        pdf_font.BaseFont = made.base_name
        pdf_font.FirstChar = 0
        pdf_font.LastChar = len(subset) - 1
        pdf_font.Widths = made.widths
        pdf_font.ToUnicode = doc.Reference(_stream(made, made.cmap),
                                           "toUnicodeCMap:" + made.base_name)
        pdf_font.FontDescriptor = _descriptor(face, made, doc)
        doc.Reference(pdf_font, internal_name)
        doc.idToObject["BasicFonts"].dict[internal_name] = pdf_font
    del font.state[doc]


def forget() -> None:
    """Empty the kept subsets."""
    _SUBSETS.clear()
    _KEPT[0] = 0


def _subset(face: Any, number: int, subset: list[int], doc: Any) -> _Subset:
    compressed = bool(doc.compression)
    key = (face.filename, face.subfontNameX, number, tuple(subset), compressed)
    made = _SUBSETS.get(key)
    if made is not None:
        _SUBSETS.move_to_end(key)
        return made
    made = _Subset(face, number, subset, doc, compressed)
    _SUBSETS[key] = made
    _KEPT[0] += made.size
    while _KEPT[0] > _KEEP_BYTES and len(_SUBSETS) > 1:
        _KEPT[0] -= _SUBSETS.popitem(last=False)[1].size
    return made


def _stream(made: _Subset, data: bytes, **entries: Any) -> pdfdoc.PDFStream:
    """A stream of a subset, compressed already when the document compresses: reportlab
    writes it as it is, with the same dictionary (its own entries, then the filter, then
    the length) as when it compresses it itself."""
    stream = pdfdoc.PDFStream()
    for name, value in entries.items():
        stream.dictionary[name] = value
    if made.compressed:
        stream.dictionary["Filter"] = pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])
    stream.content = data
    return stream


def _descriptor(face: Any, made: _Subset, doc: Any) -> Any:
    """What TTFontFace.addSubsetObjects adds: the font file and its descriptor."""
    font_file = doc.Reference(_stream(made, made.font_file, Length1=made.length1),
                              f"fontFile:{face.filename}({made.base_name})")
    descriptor = pdfdoc.PDFDictionary({
        "Type": "/FontDescriptor",
        "Ascent": face.ascent,
        "CapHeight": face.capHeight,
        "Descent": face.descent,
        "Flags": (face.flags & ~FF_NONSYMBOLIC) | FF_SYMBOLIC,
        "FontBBox": pdfdoc.PDFArray(face.bbox),
        "FontName": pdfdoc.PDFName(made.base_name),
        "ItalicAngle": face.italicAngle,
        "StemV": face.stemV,
        "FontFile2": font_file,
        "MissingWidth": face.defaultWidth,
    })
    return doc.Reference(descriptor, "fontDescriptor:" + made.base_name)


def _utf16_entry(match: re.Match[str]) -> str:
    # reportlab writes such a character's code point as is (<20BB7>); a ToUnicode CMap
    # needs UTF-16 (<D842DFB7>), else viewers and text extraction drop or garble it.
    target = chr(int(match.group(2), 16)).encode("utf-16-be").hex().upper()
    return f"<{match.group(1)}> <{target}>"
