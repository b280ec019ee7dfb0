"""The builder's PDF streams: compressed with ISA-L, no ASCII85; other reportlab documents in
the same process are written as reportlab writes them."""

from __future__ import annotations

import io
import re
import zlib
from pathlib import Path

import pypdf
from reportlab import rl_config
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from builder.pdf_compression import builder_streams, compress

from .test_pdf_validity import built_pdf


def plain_reportlab_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 72, "Hello")
    canvas.save()
    return out.getvalue()


def test_compressed_streams_are_zlib_data() -> None:
    data = bytes(range(256)) * 400 + "日本語のテキスト".encode() * 50
    assert zlib.decompress(compress(data)) == data
    assert zlib.decompress(compress("テキスト")) == "テキスト".encode()
    assert len(compress(data)) < len(data) // 10


def test_the_builders_streams_are_flate_alone(tmp_path: Path) -> None:
    data = built_pdf(tmp_path).read_bytes()
    filters = re.findall(rb"/Filter\s*(\[[^\]]*\]|/\w+)", data)
    assert len(filters) >= 4  # pages, font files, their character maps
    assert {f.strip(b"[ ]") for f in filters} == {b"/FlateDecode"}
    reader = pypdf.PdfReader(io.BytesIO(data))
    for page in reader.pages:
        assert page.extract_text()  # (every page stream inflates and reads)


def test_other_reportlab_documents_are_untouched(tmp_path: Path) -> None:
    before = plain_reportlab_pdf()
    built_pdf(tmp_path)
    with builder_streams():
        pass
    assert pdfdoc.PDFZCompress.encode(b"x") == zlib.compress(b"x")
    assert rl_config.useA85 == 1
    after = plain_reportlab_pdf()
    assert after == before and b"/ASCII85Decode" in after


def test_settings_come_back_after_an_error() -> None:
    try:
        with builder_streams():
            raise RuntimeError
    except RuntimeError:
        pass
    assert rl_config.useA85 == 1 and pdfdoc.PDFZCompress.encode(b"y") == zlib.compress(b"y")
