"""The two-page leaflet compiled by Typst from bench/leaflet.typ, as a reference for the builder."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import typst
from reportlab.graphics.barcode.qrencoder import QRCode, QRErrorCorrectLevel

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "leaflet.typ"
FONT_DIR = HERE.parent / "assets" / "fonts"
# Every content path is absolute: with "/" as the project root Typst reads them as they are.
ROOT = "/"
TIMESTAMP = 1_767_225_600  # 2026-01-01T00:00:00Z, so the same content gives the same bytes


@functools.lru_cache(maxsize=64)
def qr_modules(data: str) -> list[str]:
    """The QR code of `data` (error correction M, as the builder's) as rows of "0" and "1";
    encoded once per address, as the builder does."""
    code = QRCode(None, QRErrorCorrectLevel.M)
    code.addData(data)
    code.make()
    return ["".join("1" if dark else "0" for dark in row) for row in code.modules]


class TypstLeaflet:
    """One Typst compiler, loaded once with the template and the bundled fonts."""

    def __init__(self, template: Path = TEMPLATE, font_dir: Path = FONT_DIR,
                 warm: dict[str, Any] | None = None) -> None:
        """`warm`: content to compile once now, so the first render() is already warm."""
        fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False,
                            font_paths=[str(font_dir)])
        # reportlab knows a font by its file, Typst by its family name.
        self.families = {str(Path(f.path).resolve()): f.family
                         for f in fonts.fonts() if f.path is not None}
        # A path, not the file's bytes: typst-py 0.15.2 compiles bytes input only once.
        self.compiler = typst.Compiler(input=str(template.resolve()), root=ROOT,
                                       font_paths=[str(font_dir)], ignore_system_fonts=True)
        if warm is not None:
            self.render(warm)

    def render(self, content: dict[str, Any]) -> bytes:
        """The leaflet as PDF bytes (any language; right-to-left ones mirror the layout)."""
        data = dict(content)
        regular = str(Path(content["fonts"]["regular"]).resolve())
        if regular not in self.families:
            raise ValueError(f"{regular} is not in the font folder given to Typst")
        data["font_family"] = self.families[regular]
        url = content["brand"]["booking_url"]
        data["qr"] = qr_modules(url) if url else []
        pdf = self.compiler.compile(format="pdf", sys_inputs={"content": json.dumps(data)},
                                    timestamp=TIMESTAMP)
        assert isinstance(pdf, bytes)
        return pdf
