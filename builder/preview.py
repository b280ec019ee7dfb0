"""Pages of PDFs as PNG images (PDFium renders what viewers show): previews and thumbnails."""

from __future__ import annotations

import io

POINTS_PER_INCH = 72


class PageError(Exception):
    """The page asked for is not in the document."""


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def page_png(pdf: bytes, page: int = 1, *, dpi: float | None = None,
             width: int | None = None) -> bytes:
    """Page `page` (1-based) as PNG bytes, at `dpi` or scaled to `width` pixels."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = len(document)
        if not 1 <= page <= pages:
            raise PageError(f"there is no page {page}; the document has {pages} "
                            f"page{'s' if pages != 1 else ''}")
        sheet = document[page - 1]
        points_wide = sheet.get_width()
        scale = width / points_wide if width else (dpi or 100) / POINTS_PER_INCH
        image = sheet.render(scale=scale).to_pil()
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        return out.getvalue()
    finally:
        document.close()
