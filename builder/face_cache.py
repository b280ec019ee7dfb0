"""Fonts' character maps and widths, kept on disk between runs (builder/disk_cache.py).

A Japanese or Chinese font maps thousands of characters through thousands of small
segments; working them out takes each process tens of milliseconds, a quarter of what it then
spends on a leaflet. What comes out depends on nothing but the font file. An entry holds
plain arrays of numbers: whatever its bytes, reading one can only give numbers or a miss.
"""

from __future__ import annotations

import struct
import sys
from array import array
from pathlib import Path
from typing import NamedTuple

from . import disk_cache

FORMAT = b"handout-face-map 1\n"
_COUNTS = struct.Struct("<5I")  # four counts and the widths' kind
_KINDS = ("q", "d")  # widths as whole numbers or as scaled fractions


class FaceMap(NamedTuple):
    """A face's characters and glyphs (in its character map's order), and its characters'
    widths (in the order reportlab sets them)."""

    chars: list[int]
    glyphs: list[int]
    width_chars: list[int]
    widths: list[int] | list[float]


def entry_path(font_file: str, subfont: object) -> Path | None:
    """The entry for a font file as it is now; None when the cache is off or the file
    cannot be looked at."""
    return disk_cache.entry("faces", FORMAT.decode(), disk_cache.file_key(font_file),
                            str(subfont))


def encode(face: FaceMap) -> bytes:
    kind = 0 if all(isinstance(w, int) for w in face.widths) else 1
    parts = [array("I", face.chars), array("I", face.glyphs), array("I", face.width_chars),
             array(_KINDS[kind], face.widths)]
    if sys.byteorder != "little":
        for part in parts:
            part.byteswap()
    counts = (len(face.chars), len(face.glyphs), len(face.width_chars), len(face.widths), kind)
    return FORMAT + _COUNTS.pack(*counts) + b"".join(part.tobytes() for part in parts)


def decode(data: bytes) -> FaceMap | None:
    """The face map a payload holds; None for anything but one written by encode()."""
    if not data.startswith(FORMAT) or len(data) < len(FORMAT) + _COUNTS.size:
        return None
    *counts, kind = _COUNTS.unpack_from(data, len(FORMAT))
    if kind >= len(_KINDS) or counts[0] != counts[1] or counts[2] != counts[3]:
        return None
    body = memoryview(data)[len(FORMAT) + _COUNTS.size:]
    parts, at = [], 0
    for count, code in zip(counts, ("I", "I", "I", _KINDS[kind]), strict=True):
        part = array(code)
        end = at + count * part.itemsize
        if end > len(body):
            return None
        part.frombytes(body[at:end])
        if sys.byteorder != "little":
            part.byteswap()
        parts.append(part.tolist())
        at = end
    if at != len(body):
        return None
    return FaceMap(*parts)


def read(entry: Path | None) -> FaceMap | None:
    payload = disk_cache.read(entry)
    return None if payload is None else decode(payload)


def write(entry: Path | None, face: FaceMap) -> None:
    try:
        payload = encode(face)
    except (ValueError, OverflowError):  # (numbers an entry cannot hold: no entry)
        return
    disk_cache.write(entry, payload)
