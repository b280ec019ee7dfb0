"""An image file's own compressed pixels, when a PDF can hold them as they are.

A PDF reads PNG's compressed rows (Flate with PNG predictors) and JPEG's data (DCT) itself.
Embedding them unchanged keeps every pixel of the original (what a print shop wants), never
re-encodes a JPEG, and spares decoding, resampling and compressing the image again: for the
figure of a leaflet that is a tenth of a second in every process that draws it.

Only what every PDF viewer reads the same way is taken: 8-bit grey or RGB, PNG without
interlacing or transparency, baseline or progressive JPEG. Anything else is decoded and
compressed as before. The file has been decoded in full before (images.py), so what is taken
here is known to be sound.
"""

from __future__ import annotations

import hashlib
import struct
from dataclasses import dataclass

from PIL import Image

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_COLOURS = {0: 1, 2: 3}  # colour type -> channels: grey, RGB (no palette, no alpha)
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2}  # baseline, extended and progressive Huffman coding
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # markers without a length: TEM, RSTn


@dataclass(frozen=True, eq=False)
class EncodedImage:
    """Pixels as the file holds them, with what a PDF image object says about them."""

    filter: str  # "FlateDecode" (PNG rows, with predictors) or "DCTDecode" (a JPEG file)
    data: bytes
    width: int
    height: int
    colors: int  # 1 (grey) or 3 (RGB)
    digest: str  # of the data: the image's name in a PDF

    @property
    def decode_parms(self) -> dict[str, int] | None:
        """The predictor parameters of PNG rows (each row starts with its filter type)."""
        if self.filter != "FlateDecode":
            return None
        return {"Predictor": 15, "Colors": self.colors, "BitsPerComponent": 8,
                "Columns": self.width}


def embeddable(data: bytes, image: Image.Image) -> EncodedImage | None:
    """The file's pixels as a PDF can embed them, or None when they must be decoded."""
    if image.mode not in ("RGB", "L"):
        return None
    if image.format == "PNG":
        found = _png(data)
    elif image.format == "JPEG":
        found = _jpeg(data)
    else:
        return None
    if found is None:
        return None
    kind, payload, width, height, colors = found
    if (width, height) != image.size or colors != (1 if image.mode == "L" else 3):
        return None  # (what the decoder made of the file is what counts)
    return EncodedImage(kind, payload, width, height, colors,
                        hashlib.sha256(payload).hexdigest()[:32])


def _png(data: bytes) -> tuple[str, bytes, int, int, int] | None:
    if not data.startswith(_PNG_SIGNATURE):
        return None
    pos, header, rows = len(_PNG_SIGNATURE), None, []
    while pos + 8 <= len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8: pos + 8 + length]
        if len(body) != length:
            return None
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            rows.append(body)
        elif kind in (b"tRNS", b"PLTE"):
            return None  # transparency or a palette: decoded instead
        elif kind == b"IEND":
            break
        pos += 12 + length
    if header is None or len(header) != 13 or not rows:
        return None
    width, height, depth, colour, compression, filtering, interlace = \
        struct.unpack(">IIBBBBB", header)
    if depth != 8 or colour not in _PNG_COLOURS or (compression, filtering, interlace) != (0, 0, 0):
        return None
    return "FlateDecode", b"".join(rows), width, height, _PNG_COLOURS[colour]


def _jpeg(data: bytes) -> tuple[str, bytes, int, int, int] | None:
    if not data.startswith(b"\xff\xd8"):
        return None
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # (fill bytes before a marker)
            pos += 1
            continue
        if marker in _JPEG_STANDALONE:
            pos += 2
            continue
        (length,) = struct.unpack_from(">H", data, pos + 2)
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # a frame header
            if marker not in _JPEG_FRAMES or pos + 10 > len(data):
                return None  # lossless, hierarchical or arithmetic coding: decoded instead
            precision, height, width, components = struct.unpack_from(">BHHB", data, pos + 4)
            if precision != 8 or components not in (1, 3):
                return None
            return "DCTDecode", data, width, height, components
        if marker in (0xD9, 0xDA):  # image end or scan start before any frame header
            return None
        pos += 2 + length
    return None
