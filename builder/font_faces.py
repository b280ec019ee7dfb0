"""TrueType faces read in bulk: what reportlab's TTFontFace reads, in a tenth of the time.

reportlab reads a font's character map, metrics and glyph locations one number at a time,
about a tenth of a second for a Japanese font of sixteen thousand glyphs, paid by every
process that sets Japanese. Here the same tables are unpacked whole and the same attributes
come out, equal to reportlab's. A character map in a format other than the two in use
(segments, format 4; groups, format 12), or any surprise while reading, is left to reportlab.
"""

from __future__ import annotations

import mmap
import struct
from array import array
from collections.abc import Callable, Sequence
from itertools import chain, repeat
from typing import Any, overload

from reportlab.pdfbase.ttfonts import (
    GF_ARG_1_AND_2_ARE_WORDS,
    GF_MORE_COMPONENTS,
    GF_WE_HAVE_A_SCALE,
    GF_WE_HAVE_A_TWO_BY_TWO,
    GF_WE_HAVE_AN_X_AND_Y_SCALE,
    TTFError,
    TTFontFace,
    TTFontMaker,
    _set_ushort,
)

from . import face_cache

_BIG_ENDIAN = array("H", [1]).tobytes() == b"\x00\x01"
_SHORT = struct.Struct(">h").unpack_from  # a glyph's contour count: negative if composite
assert array("I").itemsize == 4  # (true of every platform Python runs on in practice)


def _numbers(data: bytes, offset: int, count: int, code: str) -> list[int]:
    """`count` big-endian numbers of array type `code` ('H', 'h', or 'I' for 32 bits) from
    `offset`."""
    return _number_array(data, offset, count, code).tolist()


def _number_array(data: bytes, offset: int, count: int, code: str) -> array[int]:
    """The same numbers as an array, for tables only looked up by index (no list of
    thousands of numbers to make)."""
    values = array(code)
    end = offset + count * values.itemsize
    if count < 0 or end > len(data):
        raise TTFError("table runs past the end of the font file")
    values.frombytes(data[offset:end])
    if not _BIG_ENDIAN:
        values.byteswap()
    return values


def _mapped(path: str) -> mmap.mmap | None:
    """A font file mapped into memory rather than read: a process then loads only the pages
    of the tables and glyphs it uses (a document uses a few hundred of a Japanese font's
    sixteen thousand glyphs, in a file of five megabytes), and processes share them. The
    fonts are the builder's own files, which nothing rewrites while it runs. None where the
    file cannot be mapped (reportlab then reads it)."""
    try:
        with open(path, "rb") as file:
            return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # (missing, unreadable, empty, or not a regular file)
        return None


class FastFace(TTFontFace):
    """A TTFontFace whose character map, widths and glyph locations are read in bulk, whose
    character map and widths are kept on disk between runs (builder/face_cache.py), and
    whose glyph-to-characters table and horizontal metrics are worked out when asked for
    (only subsetting asks, and only for the glyphs it takes)."""

    def __init__(self, filename: Any, validate: int = 0, subfontIndex: Any = 0) -> None:
        self._subfont = subfontIndex
        mapped = _mapped(filename) if isinstance(filename, str) else None
        if mapped is not None:  # (reportlab reads the file only when it has no data yet)
            self._ttf_data, self.filename = mapped, filename
        super().__init__(filename, validate=validate, subfontIndex=subfontIndex)

    def __getattr__(self, attr: str) -> Any:
        # (only called for attributes not set: the one worked out when first asked for)
        if attr == "glyphToChar" and "_character_pairs" in self.__dict__:
            chars, glyph_ids = self.__dict__.pop("_character_pairs")
            glyph_to_char: dict[int, list[int]] = {}
            for char, glyph in zip(chars, glyph_ids, strict=True):
                glyph_to_char.setdefault(glyph, []).append(char)
            self.glyphToChar = glyph_to_char
            return glyph_to_char
        raise AttributeError(attr)

    def extractInfo(self, charInfo: int = 1) -> None:
        if not charInfo:
            super().extractInfo(charInfo)
            return
        super().extractInfo(0)  # names, header, metrics and flags, as reportlab reads them
        try:
            if not self._read_characters():
                super().extractInfo(1)
        except (TTFError, struct.error, IndexError, KeyError):
            self.__dict__.pop("_character_pairs", None)
            super().extractInfo(1)  # reportlab's own reading, with its own errors

    def _read_characters(self) -> bool:
        """Set charToGlyph, charWidths, defaultWidth, hmetrics and glyphPos (glyphToChar
        when asked for); False for a character map this reader leaves to reportlab."""
        data = self._ttf_data
        head = self.table["head"]["offset"]
        index_to_loc, glyph_data = struct.unpack_from(">HH", data, head + 50)
        if glyph_data != 0:
            raise TTFError(f"Unknown glyph data format ({glyph_data})")
        metrics_count = struct.unpack_from(">H", data, self.table["hhea"]["offset"] + 34)[0]
        glyphs = self.numGlyphs
        hmtx = self.table["hmtx"]["offset"]
        pairs = _number_array(data, hmtx, 2 * metrics_count, "H")
        bearings = _number_array(data, hmtx + 4 * metrics_count,
                            max(0, glyphs - metrics_count), "H")
        scale: Callable[[int], Any] = self._pdfScale
        if not pairs:
            raise TTFError("no horizontal metrics")
        # (reportlab gives the glyphs past the metrics the last advance, already scaled)
        self.hmetrics = HorizontalMetrics(pairs, bearings, scale(pairs[-2]))
        self.defaultWidth = scale(pairs[0])
        entry = face_cache.entry_path(self.filename, self._subfont)
        stored = face_cache.read(entry)
        if stored is None:
            mapping = self._character_map(data)
            if mapping is None:
                return False
            stored = self._face_map(*mapping, pairs, glyphs)
            face_cache.write(entry, stored)
        chars, glyph_ids, width_chars, widths = stored
        # (Where segments overlap the later one wins, as in reportlab's reading.)
        char_to_glyph = dict(zip(chars, glyph_ids, strict=True))
        char_widths = dict(zip(width_chars, widths, strict=True))
        self._character_pairs = (chars, glyph_ids)
        if "loca" not in self.table:
            raise TTFError("missing location table")
        loca = self.table["loca"]["offset"]
        if index_to_loc == 0:
            self.glyphPos = [p << 1 for p in _numbers(data, loca, glyphs + 1, "H")]
        elif index_to_loc == 1:
            self.glyphPos = _number_array(data, loca, glyphs + 1, "I")
        else:
            raise TTFError(f"Unknown location table format ({index_to_loc})")
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        self.charToGlyph, self.charWidths = char_to_glyph, char_widths
        return True

    def _face_map(self, chars: list[int], glyph_ids: list[int], pairs: array[int],
                  glyphs: int) -> face_cache.FaceMap:
        """The characters' widths, from the advances of their glyphs."""
        advances = pairs[0::2].tolist()
        scale: Callable[[int], Any] = self._pdfScale
        scaled = advances if self.unitsPerEm == 1000 else [scale(a) for a in advances]
        widths = scaled + [scaled[-1]] * max(0, glyphs - len(advances))
        # Each character's width, set in reportlab's order: by glyph, then as in the map.
        by_glyph = sorted(range(len(chars)), key=glyph_ids.__getitem__)
        char_widths = {chars[i]: widths[glyph_ids[i]] for i in by_glyph
                       if glyph_ids[i] < len(widths)}
        return face_cache.FaceMap(chars, glyph_ids, list(char_widths),
                                  list(char_widths.values()))

    def makeSubset(self, subset: list[int]) -> bytes:
        """reportlab's makeSubset, byte for byte, without copying the whole glyph table
        (megabytes for a CJK font) and without a call per number read."""
        data = self._ttf_data
        output = TTFontMaker()
        # Glyphs of the subset, in order, from glyph 0 ("missing character") on.
        glyph_map = [0]  # new glyph index -> old glyph index
        glyph_set = {0: 0}  # old glyph index -> new glyph index
        code_to_glyph = {}
        char_to_glyph = self.charToGlyph
        for code in subset:
            original = char_to_glyph.get(code, 0)
            if original not in glyph_set:
                glyph_set[original] = len(glyph_map)
                glyph_map.append(original)
            code_to_glyph[code] = glyph_set[original]
        # The parts of composite glyphs join the subset too.
        glyf_start, glyf_length = self.get_table_pos("glyf")
        positions = self.glyphPos
        short = _SHORT
        n = 0
        while n < len(glyph_map):
            original = glyph_map[n]
            at = positions[original]
            n += 1
            if positions[original + 1] == at:
                continue
            at += glyf_start
            if short(data, at)[0] < 0:
                at += 10
                flags = GF_MORE_COMPONENTS
                while flags & GF_MORE_COMPONENTS:
                    flags, part = struct.unpack_from(">HH", data, at)
                    at += 4 + _component_args(flags)
                    if part not in glyph_set:
                        glyph_set[part] = len(glyph_map)
                        glyph_map.append(part)
        for tag in ("name", "OS/2", "cvt ", "fpgm", "prep"):  # copied as they are
            if tag in self.table:
                output.add(tag, self.get_table(tag))
        output.add("post", b"\x00\x03\x00\x00" + self.get_table("post")[4:16] + b"\x00" * 16)
        glyphs = len(glyph_map)
        metrics = self.hmetrics
        if type(metrics) is HorizontalMetrics:
            hmtx = metrics.flat(glyph_map)
        else:
            hmtx = []
            for original in glyph_map:
                advance, bearing = metrics[original]
                hmtx.append(int(advance))
                hmtx.append(int(bearing))
        # Full pairs up to the start of the last run of equal advances, then bearings only.
        n = len(hmtx) - 2
        while n and hmtx[n] == hmtx[n - 2]:
            n -= 2
        n += 2
        hmtx = hmtx[:n] + hmtx[n + 1::2]
        output.add("hmtx", struct.pack(f">{len(hmtx)}H", *hmtx))
        output.add("hhea", _set_ushort(self.get_table("hhea"), 34, n >> 1))
        output.add("maxp", _set_ushort(self.get_table("maxp"), 4, glyphs))
        entries = len(subset)
        cmap = [0, 1, 1, 0, 0, 12, 6, 10 + entries * 2, 0, 0, entries,
                *map(code_to_glyph.get, subset)]
        output.add("cmap", struct.pack(f">{len(cmap)}H", *cmap))
        # Glyph data, read where the glyph table holds it (no further than its end), with
        # composite glyphs pointing at their parts' new numbers.
        offsets = []
        glyf = []
        written = 0
        glyf_end = glyf_start + glyf_length
        for original in glyph_map:
            offsets.append(written)
            at = positions[original]
            length = positions[original + 1] - at
            first = glyf_start + at
            last = first + length
            piece = data[first if first < glyf_end else glyf_end:
                         last if last < glyf_end else glyf_end]
            if length > 2 and short(piece)[0] < 0:
                at = 10
                flags = GF_MORE_COMPONENTS
                while flags & GF_MORE_COMPONENTS:
                    flags, part = struct.unpack_from(">HH", piece, at)
                    piece = _set_ushort(piece, at + 2, glyph_set[part])
                    at += 4 + _component_args(flags)
            glyf.append(piece)
            written += length
            if written % 4:
                glyf.append(b"\0" * (4 - written % 4))
                written += 4 - written % 4
        offsets.append(written)
        output.add("glyf", b"".join(glyf))
        if (written + 1) >> 1 > 0xFFFF:
            loc_format = 1
            loca = struct.pack(f">{len(offsets)}L", *offsets)
        else:
            loc_format = 0
            loca = struct.pack(f">{len(offsets)}H", *[offset >> 1 for offset in offsets])
        output.add("loca", loca)
        output.add("head", _set_ushort(self.get_table("head"), 50, loc_format))
        return output.makeStream()

    def _character_map(self, data: bytes) -> tuple[list[int], list[int]] | None:
        """Characters and their glyphs, in the order of the subtable reportlab would
        choose."""
        start = cmap_subtable(data, self.table["cmap"]["offset"])
        if start is None:
            return None
        fmt = struct.unpack_from(">H", data, start)[0]
        if fmt == 4:
            return _format4(data, start)
        if fmt == 12:
            return _format12(data, start)
        return None


class HorizontalMetrics(Sequence[tuple[Any, int]]):
    """A face's hmetrics as reportlab lists them, (advance, left side bearing) per glyph,
    without a list of them all: the glyphs past the table's full entries take its last
    advance, scaled."""

    def __init__(self, pairs: Sequence[int], bearings: Sequence[int], last: Any) -> None:
        self._pairs, self._bearings, self._last = pairs, bearings, last
        self._full = len(pairs) // 2

    def __len__(self) -> int:
        return self._full + len(self._bearings)

    def flat(self, glyphs: Sequence[int]) -> list[int]:
        """Advance and bearing of each glyph in turn, as whole numbers in one list (what a
        subset's hmtx table is cut from), without a lookup call per glyph."""
        pairs, bearings, full, last = self._pairs, self._bearings, self._full, int(self._last)
        extra = len(bearings)
        out: list[int] = []
        for glyph in glyphs:
            if 0 <= glyph < full:
                out += pairs[2 * glyph:2 * glyph + 2]
            elif 0 <= glyph - full < extra:
                out.append(last)
                out.append(bearings[glyph - full])
            else:
                raise IndexError("glyph out of range")
        return out

    @overload
    def __getitem__(self, index: int) -> tuple[Any, int]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[Any, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Any, int] | list[tuple[Any, int]]:
        if isinstance(index, slice):
            return [self[n] for n in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if 0 <= index < self._full:
            return self._pairs[2 * index], self._pairs[2 * index + 1]
        if self._full <= index < len(self):
            return self._last, self._bearings[index - self._full]
        raise IndexError("glyph out of range")


def _component_args(flags: int) -> int:
    """Bytes after a composite glyph's flags and glyph index: its offsets, then its
    scale."""
    size = 4 if flags & GF_ARG_1_AND_2_ARE_WORDS else 2
    if flags & GF_WE_HAVE_A_SCALE:
        size += 2
    elif flags & GF_WE_HAVE_AN_X_AND_Y_SCALE:
        size += 4
    elif flags & GF_WE_HAVE_A_TWO_BY_TWO:
        size += 8
    return size


def cmap_subtable(data: bytes, cmap: int) -> int | None:
    """Where the character map subtable reportlab reads starts (the last one for Unicode or
    Macintosh Roman), given where the cmap table starts; None when there is none."""
    version, count = struct.unpack_from(">HH", data, cmap)
    if count == 0 and version != 0:
        count = version
    chosen, kind = None, 0
    for n in range(count):
        platform, encoding, offset = struct.unpack_from(">HHL", data, cmap + 4 + 8 * n)
        if platform == 3 or (platform == 1 and encoding == 1) or \
                (platform == 0 and encoding != 5):
            chosen, kind = offset, 1
        elif platform == 1 and encoding == 0 and kind != 1:
            chosen, kind = offset, 2
    return None if chosen is None else cmap + chosen


def _format4(data: bytes, start: int) -> tuple[list[int], list[int]] | None:
    length = struct.unpack_from(">H", data, start + 2)[0]
    limit = start + length
    segments = struct.unpack_from(">H", data, start + 6)[0] // 2
    ends = _numbers(data, start + 14, segments, "H")
    starts = _numbers(data, start + 16 + 2 * segments, segments, "H")
    deltas = _numbers(data, start + 16 + 4 * segments, segments, "h")
    range_start = start + 16 + 6 * segments
    range_offsets = _numbers(data, range_start, segments, "H")
    if any(offset % 2 for offset in range_offsets):
        return None  # (glyph ids read across word boundaries: reportlab's reading)
    # The range offsets and the glyph id array after them, as words from range_start on
    # (a word at or past the subtable's end counts as glyph 0, as in reportlab).
    words = _numbers(data, range_start, max(0, (min(limit, len(data)) - range_start) // 2), "H")
    words.append(0)
    # Every segment's characters in one list, each with its segment's delta and where its
    # glyph id is read (None: worked out from the delta alone), built without a loop per
    # character in Python.
    sizes = [max(0, end - first + 1) for first, end in zip(starts, ends, strict=True)]
    chars = list(chain.from_iterable(map(range, starts, [e + 1 for e in ends])))
    char_deltas = list(chain.from_iterable(map(repeat, deltas, sizes)))
    bases = [n + offset // 2 - first if offset else None
             for n, (first, offset) in enumerate(zip(starts, range_offsets, strict=True))]
    char_bases = chain.from_iterable(map(repeat, bases, sizes))
    last = len(words) - 1
    glyphs = [(char + delta) & 0xFFFF if base is None
              else ((words[min(base + char, last)] + delta) & 0xFFFF
                    if words[min(base + char, last)] else 0)
              for char, delta, base in zip(chars, char_deltas, char_bases, strict=True)]
    return chars, glyphs


def _format12(data: bytes, start: int) -> tuple[list[int], list[int]]:
    groups = struct.unpack_from(">L", data, start + 12)[0]
    values = _numbers(data, start + 16, 3 * groups, "I")
    firsts, lasts, glyph_starts = values[0::3], values[1::3], values[2::3]
    chars = list(chain.from_iterable(map(range, firsts, [last + 1 for last in lasts])))
    glyphs = list(chain.from_iterable(
        map(range, glyph_starts, [g + last - first + 1 for first, last, g
                                  in zip(firsts, lasts, glyph_starts, strict=True)])))
    return chars, glyphs
