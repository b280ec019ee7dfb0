"""How the builder's PDF streams are compressed: ISA-L's deflate, without ASCII85.

Compressing took a fifth of a Japanese leaflet's time with zlib at its default level (a font
subset of a few hundred glyphs is a large stream). ISA-L's level 2 writes the same zlib format
six to eight times faster, for streams about 5 % larger. ASCII85, which reportlab wraps around
page and image streams so that a PDF survives 7-bit channels, makes them a quarter larger for
nothing today: it is left out.

reportlab picks its page-stream filter and ASCII85 from module-level settings when a document
is written. `builder_streams()` sets them for the builder's own documents only, while they
are written, and puts them back: other reportlab documents in the same process (a caller's,
the benchmark's plain reportlab baseline) are written as reportlab writes them.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from isal import isal_zlib
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc

LEVEL = 2  # ISA-L's levels run 0-3; 2 is nearly level 3's size at level 1's speed


def compress(data: bytes | str) -> bytes:
    """`data` in the zlib format (PDF's FlateDecode)."""
    return isal_zlib.compress(data.encode("utf-8") if isinstance(data, str) else data, LEVEL)


class _Flate(pdfdoc.PDFStreamFilterZCompress):
    """reportlab's FlateDecode filter, compressing with `compress`."""

    def encode(self, text: bytes | str) -> bytes:
        return compress(text)


_FLATE = _Flate()


@contextlib.contextmanager
def builder_streams() -> Iterator[None]:
    """Streams written meanwhile are compressed with `compress` and not ASCII85-encoded."""
    saved = pdfdoc.PDFZCompress, rl_config.useA85
    pdfdoc.PDFZCompress, rl_config.useA85 = _FLATE, 0
    try:
        yield
    finally:
        pdfdoc.PDFZCompress, rl_config.useA85 = saved
