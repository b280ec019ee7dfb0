"""Building blocks for hostile-input tests: a small two-handout, two-brand project and bad files."""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Callable
from pathlib import Path

from PIL import Image

HANDOUT_YAML = """\
id: demo
condition: Demo condition
source_language: en
reviewed: 2026-01-15
review_due: 2099-01-15
layouts: [leaflet]
"""

EN_YAML = """\
title: Demo handout
sections:
  - type: about
    text: Some text about the condition.
  - type: prepare
    items:
      - id: loose-clothes
        text: Wear loose clothes.
      - id: light-meal
        text: Eat a light meal.
  - type: red_flags
    items:
      - id: chest-pain
        text: Chest pain or trouble breathing.
  - type: faq
    items:
      - q: Does it hurt?
        a: Most people feel little.
"""

BRAND_YAML = """\
name: Demo Clinic
paper: a4
colors: {primary: "#1B4F72", accent: "#A93226", text: "#1A1A1A"}
contact:
  address: "1 Demo Street, Demo Town"
  phone: "+44 20 5555 0100"
  email: info@demo.example.org
  web: https://demo.example.org
"""

# The files a case changes: the handout 'demo' and the brand 'demo-brand'. Their twins 'good'
# and 'good-brand' stay valid and must build whatever happens to the others.
H = "handouts/demo/handout.yaml"
E = "handouts/demo/en.yaml"
B = "assets/brands/demo-brand/brand.yaml"
HANDOUT_DIR = "handouts/demo"
BRAND_DIR = "assets/brands/demo-brand"

Content = str | bytes | Callable[[Path], None]


def edit(text: str, old: str, new: str) -> str:
    """`text` with the first `old` replaced; fails loudly when the fixture text drifts."""
    assert old in text, f"{old!r} not in the fixture text"
    return text.replace(old, new, 1)


def write_files(root: Path, files: dict[str, Content]) -> None:
    """Write text, bytes, or let a callable make the file (a link, a folder, a pipe …)."""
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        elif isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            content(path)


def hostile_project(root: Path) -> Path:
    """Two valid handouts ('demo', 'good') and two valid brands ('demo-brand', 'good-brand')."""
    write_files(root, {
        H: HANDOUT_YAML, E: EN_YAML, B: BRAND_YAML,
        "handouts/good/handout.yaml": edit(HANDOUT_YAML, "id: demo", "id: good"),
        "handouts/good/en.yaml": EN_YAML,
        "assets/brands/good-brand/brand.yaml": edit(BRAND_YAML, "Demo Clinic", "Good Clinic"),
    })
    return root


# -- images -------------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (8, 8), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 128).save(out, fmt)
    return out.getvalue()


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` x `height` pixels: a decompression bomb, cheaply."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b""))
            + _chunk(b"IEND", b""))


def png_bomb(side: int = 8000) -> bytes:
    """A real PNG of side x side black pixels: a few kilobytes that decode to `side`² bytes."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data)
            + _chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A small JPEG whose frame header is rewritten to claim `width` x `height` pixels."""
    data = bytearray(image_bytes("JPEG", (16, 16)))
    sof = data.index(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def truncated(data: bytes, keep: float = 0.6) -> bytes:
    return data[: int(len(data) * keep)]


def noisy_jpeg() -> bytes:
    """A JPEG with enough detail that cutting it short loses real image data."""
    image = Image.effect_noise((96, 96), 64).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95)
    return out.getvalue()
