"""Character maps and widths of fonts, kept on disk between runs.

A Japanese or Chinese font maps thousands of characters through thousands of small
segments; working them out takes each process tens of milliseconds, a quarter of what it then
spends on a leaflet. What comes out depends on nothing but the font file, so it is kept in the
user's cache folder (`HANDOUT_CACHE_DIR`, else the platform's cache folder) under a key made
of the file's path, size, modification time and inode, the subfont and this format's version.

Entries hold plain arrays of numbers behind a checksum: a damaged, truncated or foreign entry
is read as a miss, never trusted. A cache that cannot be read or written is no cache; the
font is then read from its file as before. Setting `HANDOUT_CACHE_DIR` to `off` turns the
cache off.
"""

from __future__ import annotations

import hashlib
import os
import struct
import sys
import tempfile
from array import array
from pathlib import Path
from typing import NamedTuple

FORMAT = b"handout-face-map 1\n"
_HEADER = struct.Struct("<16s5I")  # digest of the rest; four counts and the widths' kind
_KINDS = ("q", "d")  # widths as whole numbers or as scaled fractions
_ENV = "HANDOUT_CACHE_DIR"


class FaceMap(NamedTuple):
    """A face's characters and glyphs (in its character map's order), and its characters'
    widths (in the order reportlab sets them)."""

    chars: list[int]
    glyphs: list[int]
    width_chars: list[int]
    widths: list[int] | list[float]


def cache_dir() -> Path | None:
    """Where entries live; None when the cache is off."""
    chosen = os.environ.get(_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off") else Path(chosen)
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA")
    elif sys.platform == "darwin":
        base = str(Path.home() / "Library" / "Caches")
    else:
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "handout-builder") if base else None


def entry_path(font_file: str, subfont: int) -> Path | None:
    """The entry for a font file as it is now; None when the cache is off or the file
    cannot be looked at."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        info = os.stat(font_file)
    except OSError:
        return None
    key = "\0".join((FORMAT.decode(), os.path.abspath(font_file), str(info.st_size),
                     str(info.st_mtime_ns), str(info.st_ino), str(subfont)))
    return folder / "faces" / f"{hashlib.sha256(key.encode()).hexdigest()[:40]}.map"


def _arrays(face: FaceMap, kind: str) -> list[array]:
    return [array("I", face.chars), array("I", face.glyphs), array("I", face.width_chars),
            array(kind, face.widths)]


def encode(face: FaceMap) -> bytes:
    kind = 0 if all(isinstance(w, int) for w in face.widths) else 1
    parts = _arrays(face, _KINDS[kind])
    if sys.byteorder != "little":
        for part in parts:
            part.byteswap()
    body = b"".join(part.tobytes() for part in parts)
    counts = (len(face.chars), len(face.glyphs), len(face.width_chars), len(face.widths), kind)
    digest = hashlib.blake2b(struct.pack("<5I", *counts) + body, digest_size=16).digest()
    return FORMAT + _HEADER.pack(digest, *counts) + body


def decode(data: bytes) -> FaceMap | None:
    """The face map an entry holds; None for anything but a whole, unchanged entry."""
    if not data.startswith(FORMAT) or len(data) < len(FORMAT) + _HEADER.size:
        return None
    digest, *counts = _HEADER.unpack_from(data, len(FORMAT))
    kind = counts.pop()
    if kind >= len(_KINDS) or counts[0] != counts[1] or counts[2] != counts[3]:
        return None
    body = memoryview(data)[len(FORMAT) + _HEADER.size:]
    if hashlib.blake2b(struct.pack("<5I", *counts, kind) + body,
                       digest_size=16).digest() != digest:
        return None
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
    if entry is None:
        return None
    try:
        return decode(entry.read_bytes())
    except (OSError, ValueError, struct.error):
        return None


def write(entry: Path | None, face: FaceMap) -> None:
    """Keep an entry, written whole or not at all (several processes may write at once)."""
    if entry is None:
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".part")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(encode(face))
            os.replace(temporary, entry)
        except BaseException:
            os.unlink(temporary)
            raise
    except (OSError, ValueError, OverflowError):
        pass  # (a read-only or full disk: the next run reads the font again)
