"""Images in the PDF: a file's own compressed pixels embedded unchanged where a PDF can hold
them, decoded and compressed otherwise, and every one of them shown as the file shows it."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path

import pypdf
import pypdfium2
import pytest
from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from builder import images
from builder.image_streams import embeddable
from builder.pdf_images import draw_image
from builder.postprocess import print_ready

SIZE = (60, 40)


def picture(mode: str = "RGB") -> Image.Image:
    """Four flat quarters (red, green, blue, white) with noise in the last rows, so that PNG
    rows use every filter type and a wrong predictor shows."""
    image = Image.new("RGB", SIZE, "white")
    w, h = SIZE
    image.paste((200, 30, 30), (0, 0, w // 2, h // 2))
    image.paste((30, 160, 60), (w // 2, 0, w, h // 2))
    image.paste((40, 60, 190), (0, h // 2, w // 2, h))
    rng = random.Random(7)
    for x in range(w):
        for y in range(h - 4, h):
            image.putpixel((x, y), tuple(rng.randrange(256) for _ in range(3)))
    return image.convert(mode)


def saved(image: Image.Image, fmt: str, path: Path, **options: object) -> Path:
    image.save(path, fmt, **options)
    return path


def drawn(path: Path, width_pt: float = 180.0) -> bytes:
    """A one-page PDF with the image drawn `width_pt` wide."""
    image = images.load_image(path)
    height_pt = width_pt * image.size[1] / image.size[0]
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(width_pt, height_pt), invariant=1)
    draw_image(canvas, image, 0, 0, width_pt, height_pt)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def image_object(pdf: bytes) -> pypdf.generic.StreamObject:
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    found = [x.get_object() for x in page["/Resources"]["/XObject"].values()
             if x.get_object()["/Subtype"] == "/Image"]
    assert len(found) == 1
    return found[0]


def shown(pdf: bytes) -> Image.Image:
    """The page as a viewer shows it, one pixel per image pixel."""
    page = pypdfium2.PdfDocument(pdf)[0]
    return page.render(scale=SIZE[0] / page.get_width()).to_pil().convert("RGB")


def close(a: tuple[int, ...], b: tuple[int, ...], within: int = 12) -> bool:
    return all(abs(x - y) <= within for x, y in zip(a, b, strict=True))


def shows_the_picture(pdf: bytes, source: Image.Image) -> None:
    """The middle of each quarter has its colour (rendering blurs only the edges)."""
    page, source = shown(pdf), source.convert("RGB")
    assert page.size == source.size
    w, h = SIZE
    for x, y in ((w // 4, h // 4), (3 * w // 4, h // 4), (w // 4, 5 * h // 8),
                 (3 * w // 4, 5 * h // 8)):
        assert close(page.getpixel((x, y)), source.getpixel((x, y))), (x, y)


def images_in(resources: pypdf.generic.DictionaryObject) -> list[pypdf.generic.StreamObject]:
    """The image objects a page uses, inside form objects too."""
    found = []
    for ref in resources.get_object().get("/XObject", {}).values():
        obj = ref.get_object()
        if obj["/Subtype"] == "/Image":
            found.append(obj)
        elif "/Resources" in obj:
            found += images_in(obj["/Resources"])
    return found


def idat(data: bytes) -> bytes:
    pos, rows = 8, []
    while pos < len(data):
        length, kind = struct.unpack_from(">I4s", data, pos)
        if kind == b"IDAT":
            rows.append(data[pos + 8: pos + 8 + length])
        pos += 12 + length
    return b"".join(rows)


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_a_png_is_embedded_as_its_file_holds_it(tmp_path: Path, mode: str) -> None:
    path = saved(picture(mode), "PNG", tmp_path / "f.png")
    pdf = drawn(path)
    obj = image_object(pdf)
    assert obj["/Filter"] == "/FlateDecode"
    assert obj["/DecodeParms"]["/Predictor"] == 15
    assert obj["/DecodeParms"]["/Colors"] == (3 if mode == "RGB" else 1)
    assert obj["/ColorSpace"] == ("/DeviceRGB" if mode == "RGB" else "/DeviceGray")
    assert obj._data == idat(path.read_bytes())  # not one byte re-encoded
    pixels = Image.frombytes(mode, SIZE, obj.get_data())  # pypdf undoes the predictors
    assert pixels.tobytes() == Image.open(path).tobytes()
    shows_the_picture(pdf, picture(mode))


@pytest.mark.parametrize("mode", ["RGB", "L"])
def test_a_jpeg_is_embedded_as_its_file_holds_it(tmp_path: Path, mode: str) -> None:
    path = saved(picture(mode), "JPEG", tmp_path / "f.jpg", quality=95)
    pdf = drawn(path)
    obj = image_object(pdf)
    assert obj["/Filter"] == "/DCTDecode" and "/DecodeParms" not in obj
    assert obj._data == path.read_bytes()
    shows_the_picture(pdf, picture(mode))


@pytest.mark.parametrize("name, make", [
    ("rgba.png", lambda p: saved(picture("RGBA"), "PNG", p)),
    ("palette.png", lambda p: saved(picture("P"), "PNG", p)),
    ("transparent.png", lambda p: saved(picture(), "PNG", p, transparency=(255, 255, 255))),
    ("deep.png", lambda p: saved(picture("I;16"), "PNG", p)),
    ("cmyk.jpg", lambda p: saved(picture("CMYK"), "JPEG", p)),
])
def test_other_images_are_decoded_and_compressed(tmp_path: Path, name: str, make) -> None:
    path = make(tmp_path / name)
    assert images.encoded(images.load_image(path)) is None
    obj = image_object(drawn(path))
    assert "/DecodeParms" not in obj
    assert "/DCTDecode" not in str(obj["/Filter"])


def with_header_byte(data: bytes, offset: int, value: int) -> bytes:
    """The PNG with one byte of its IHDR changed and the chunk's checksum made right."""
    out = bytearray(data)
    out[16 + offset] = value
    struct.pack_into(">I", out, 29, zlib.crc32(bytes(out[12:29])))
    return bytes(out)


@pytest.mark.parametrize("offset, value", [(12, 1), (8, 16), (9, 3), (10, 1), (11, 1)])
def test_a_png_a_pdf_reads_otherwise_is_not_embedded(offset: int, value: int) -> None:
    """Interlaced, 16-bit, palette, other compression or filter method (IHDR bytes 8-12)."""
    out = io.BytesIO()
    picture().save(out, "PNG")
    image = Image.open(out)
    assert embeddable(out.getvalue(), image) is not None
    assert embeddable(with_header_byte(out.getvalue(), offset, value), image) is None


def test_a_png_whose_header_disagrees_with_its_decoding_is_not_embedded() -> None:
    out = io.BytesIO()
    picture().save(out, "PNG")
    image = Image.open(out)
    data = bytearray(out.getvalue())
    struct.pack_into(">I", data, 16, SIZE[0] + 1)  # IHDR width, without fixing its checksum
    assert embeddable(bytes(data), image) is None


def test_an_image_far_above_print_resolution_is_resampled(tmp_path: Path) -> None:
    path = saved(picture(), "PNG", tmp_path / "f.png")
    obj = image_object(drawn(path, width_pt=SIZE[0] / images.AS_IS_DPI * 72 / 2))
    assert "/DecodeParms" not in obj and obj["/Width"] < SIZE[0]


def test_a_photo_turned_by_its_exif_orientation_is_shown_upright(tmp_path: Path) -> None:
    stored = picture().transpose(Image.Transpose.ROTATE_90)  # as a phone held sideways saves it
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to show"
    path = saved(stored, "JPEG", tmp_path / "phone.jpg", quality=95, exif=exif.tobytes())
    image = images.load_image(path)
    assert image.size == SIZE and images.encoded(image) is None
    shows_the_picture(drawn(path), picture())


def test_damaged_exif_leaves_the_image_as_stored(tmp_path: Path) -> None:
    path = saved(picture(), "JPEG", tmp_path / "f.jpg", quality=95,
                 exif=b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\xff\xff")
    assert images.load_image(path).size == SIZE


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_print_ready_turns_embedded_images_into_cmyk(tmp_path: Path, fmt: str) -> None:
    path = saved(picture(), fmt, tmp_path / f"f.{fmt.lower()}", quality=95)
    reader = pypdf.PdfReader(io.BytesIO(print_ready(drawn(path), bleed=9)))
    found = images_in(reader.pages[0]["/Resources"])
    assert len(found) == 1
    cmyk = found[0]
    assert cmyk["/ColorSpace"] == "/DeviceCMYK" and "/DecodeParms" not in cmyk
    pixels = Image.frombytes("CMYK", SIZE, cmyk.get_data()).convert("RGB")
    assert close(pixels.getpixel((SIZE[0] // 4, SIZE[1] // 4)), (200, 30, 30), 40)


def test_a_figure_is_the_same_object_on_every_paper_size(tmp_path: Path) -> None:
    path = saved(picture(), "PNG", tmp_path / "f.png")
    assert image_object(drawn(path, 150))._data == image_object(drawn(path, 170))._data
