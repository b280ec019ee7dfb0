"""Make the bundled Japanese and Chinese fonts from Noto Sans CJK, in regular and bold.

reportlab embeds only TrueType outlines, and Noto Sans CJK ships as CFF (OpenType/PostScript),
so its Japanese and Simplified Chinese faces are subset to the characters of JIS X 0208 and
GB 2312 (every character of everyday Japanese and Simplified Chinese), plus Latin, CJK
punctuation and full-width forms, and their cubic outlines converted to quadratic ones.
Rarer characters fall back to IPAex Gothic (Japanese) and WenQuanYi Micro Hei (Chinese).

Needs Debian's fonts-noto-cjk. Run: python3 scripts/make_cjk_fonts.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable

SOURCE = Path("/usr/share/fonts/opentype/noto")
TARGET = Path(__file__).resolve().parent.parent / "assets" / "fonts"
# Position of each face in the Noto Sans CJK collection, and the legacy encoding whose
# character set it is cut to.
FACES = {"JP": (0, "euc_jp"), "SC": (2, "gb2312")}
MAX_ERR = 1.0  # font units; outlines stay within 1/1000 em of the original curves


def encoded_characters(encoding: str) -> set[int]:
    """Every character a two-byte EUC encoding (JIS X 0208, GB 2312) encodes."""
    chars: set[int] = set()
    for high in range(0xA1, 0xFF):
        for low in range(0xA1, 0xFF):
            try:
                text = bytes([high, low]).decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                chars.add(ord(text))
    return chars


def wanted(encoding: str) -> set[int]:
    chars = encoded_characters(encoding)
    chars |= set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    chars |= set(range(0x2000, 0x2070))  # general punctuation
    chars |= set(range(0x3000, 0x3040))  # CJK symbols and punctuation
    chars |= set(range(0xFF00, 0xFFF0))  # full-width forms
    return chars


def to_truetype(font: TTFont) -> None:
    """Replace CFF outlines with quadratic TrueType glyphs (fontTools' otf2ttf recipe)."""
    glyph_order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyphs = {}
    for name in glyph_order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf = newTable("glyf")
    glyf.glyphOrder = glyph_order
    glyf.glyphs = glyphs
    del font["CFF "]
    if "VORG" in font:
        del font["VORG"]
    font["maxp"] = maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones", "maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                 "maxComponentElements"):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.numGlyphs = len(glyph_order)
    font["head"].glyphDataFormat = 0
    font["post"].formatType = 2.0
    font["post"].extraNames = []
    font["post"].mapping = {}
    font["post"].glyphOrder = glyph_order
    font.sfntVersion = "\x00\x01\x00\x00"


def make(face: str, weight: str) -> Path:
    index, encoding = FACES[face]
    collection = TTCollection(SOURCE / f"NotoSansCJK-{weight}.ttc")
    font = collection.fonts[index]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted(encoding))
    subsetter.subset(font)
    to_truetype(font)
    out = TARGET / f"NotoSans{face}-{weight}.ttf"
    font.save(out)
    return out


def main() -> int:
    for face in FACES:
        for weight in ("Regular", "Bold"):
            path = make(face, weight)
        print(f"wrote {path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
