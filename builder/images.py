"""Opening untrusted images: format and size limits, full decoding, no surprises."""

from __future__ import annotations

import functools
import io
import re
import struct
import warnings
from pathlib import Path
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import BuildError, Problem
from .image_streams import EncodedImage, embeddable

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 25_000_000        # a 5000 x 5000 image; far above what a printed figure needs
_ORIENTATION = 0x0112  # the EXIF tag

# What a file that is not PNG or JPEG is, told by its first bytes (only to say so).
_OTHER_FORMATS = (
    (rb"GIF8[79]a", "a GIF image"), (rb"BM", "a BMP image"), (rb"RIFF....WEBP", "a WEBP image"),
    (rb"II\*\x00|MM\x00\*", "a TIFF image"), (rb"....ftyp(heic|heix|mif1|avif)", "a HEIC or "
     "AVIF image"), (rb"\x00\x00\x01\x00", "an icon (ICO)"), (rb"8BPS", "a Photoshop file"),
    (rb"%PDF-", "a PDF file"), (rb"%!PS", "a PostScript file"),
    (rb"(\xef\xbb\xbf)?\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg", "an SVG image"),
)


class ImageProblem(BuildError):
    """An image that cannot be used, with a message a person can act on.

    When an image changes or goes away between the check and the drawing, the document fails
    alone with this problem, located at the image file.
    """

    def __init__(self, path: Path, reason: str):
        self.reason = reason
        super().__init__([Problem(str(path), message=reason)])


def _kind(head: bytes) -> str | None:
    """What a file that Pillow did not take for PNG or JPEG is, when its first bytes say."""
    for pattern, name in _OTHER_FORMATS:
        if re.match(pattern, head, re.S):
            return name
    return None


def _open(path: Path) -> Image.Image:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageProblem(path, f"cannot read image: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ImageProblem(path, f"image file is {size:,} bytes; at most {MAX_FILE_BYTES:,} "
                                 "are allowed")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:  # the file itself (not its content) could not be read
        raise ImageProblem(path, f"cannot read image: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:  # (it grew since it was measured)
        raise ImageProblem(path, f"image file is more than {MAX_FILE_BYTES:,} bytes; at most "
                                 f"{MAX_FILE_BYTES:,} are allowed")
    image = _decode(path, io.BytesIO(data), data[:256])
    upright = _upright(image)
    encoded = embeddable(data, image) if upright is image else None
    image = upright
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info
                              else "RGB")
    elif image.mode == "LA":
        image = image.convert("RGBA")
    if encoded is not None:
        image.__dict__["_encoded"] = encoded
    return image


def encoded(image: Image.Image) -> EncodedImage | None:
    """The file's own compressed pixels, when a PDF can embed them unchanged."""
    return image.__dict__.get("_encoded")


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says (as a phone's photo is shown); the same
    image when it needs no turning."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (Pillow warns of EXIF data it cannot read)
            orientation = image.getexif().get(_ORIENTATION, 1)
    except Exception:  # (damaged EXIF data: the pixels themselves are sound, shown as stored)
        return image
    if orientation not in range(2, 9):
        return image
    return ImageOps.exif_transpose(image)


def _decode(path: Path, handle: BinaryIO, head: bytes) -> Image.Image:
    """Open with only the PNG and JPEG decoders, check the size, then decode every pixel."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # (e.g. EXIF data Pillow cannot read: not ours)
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            # Only our two formats' parsers ever see the bytes: no other decoder is tried.
            image = Image.open(handle, formats=("PNG", "JPEG"))  # (MPO opens as JPEG)
            width, height = image.size
            # Our own cap, whatever Image.MAX_IMAGE_PIXELS is set to, before any decoding.
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise ImageProblem(path, f"image is {width} x {height} pixels; at most "
                                   f"{MAX_PIXELS:,} pixels are allowed")
            image.load()  # decode fully now: a truncated file fails here, not inside the PDF
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"has {int(found.group(1)):,} pixels" if found else "is too large"
        raise ImageProblem(path, f"image {size}; at most {MAX_PIXELS:,} pixels are "
                                 "allowed") from exc
    except UnidentifiedImageError as exc:
        kind = _kind(head)
        raise ImageProblem(path, f"is {kind}; use PNG or JPEG" if kind else
                           "is not a PNG or JPEG image, or it is damaged") from exc
    except OSError as exc:
        if exc.errno is not None:
            raise  # reading failed (not decoding): reported as such by the caller
        raise ImageProblem(path, f"image is damaged or truncated ({exc})") from exc
    except (ValueError, SyntaxError, EOFError, MemoryError, struct.error) as exc:
        raise ImageProblem(path, f"image is damaged or truncated ({exc})") from exc
    if getattr(image, "n_frames", 1) > 1:
        image = image.copy()  # the first frame alone, no longer tied to the (closed) file
    return image


def check_image(path: Path) -> str | None:
    """None when the image is usable, else why not."""
    try:
        load_image(path)
    except ImageProblem as exc:
        return exc.reason
    return None


@functools.lru_cache(maxsize=64)
def _cached(path: Path, mtime_ns: int, size: int) -> Image.Image:
    return _open(path)


def load_image(path: Path) -> Image.Image:
    """A fully decoded image in RGB, RGBA or L mode; cached while the file is unchanged."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ImageProblem(path, f"cannot read image: {exc.strerror or exc}") from exc
    return _cached(path, stat.st_mtime_ns, stat.st_size)


PRINT_DPI = 300  # what a print shop needs; more only makes the PDF bigger
# Up to this resolution as printed, a file's own compressed pixels are embedded unchanged
# (sharper line art, no re-encoding, and often smaller than the same pixels resampled and
# compressed again); above it the image is resampled to PRINT_DPI.
AS_IS_DPI = 600


def _resized(image: Image.Image, width: int, height: int) -> Image.Image:
    # Kept on the (cached) image itself: a logo is resized once per process, not per page.
    sizes: dict[tuple[int, int], Image.Image] = image.__dict__.setdefault("_print_sizes", {})
    if (width, height) not in sizes:
        sizes[(width, height)] = image.resize((width, height), Image.Resampling.LANCZOS)
    return sizes[(width, height)]


def for_print(image: Image.Image, width_pt: float, height_pt: float,
              dpi: int = PRINT_DPI) -> Image.Image:
    """The image scaled down to `dpi` at the size it is printed; never scaled up."""
    w, h = image.size
    scale = min(1.0, width_pt / 72 * dpi / w, height_pt / 72 * dpi / h)
    if scale >= 0.95:  # resampling for a few percent would only soften the image
        return image
    return _resized(image, max(1, round(w * scale)), max(1, round(h * scale)))


def as_is(image: Image.Image, width_pt: float, height_pt: float) -> EncodedImage | None:
    """The file's own compressed pixels when they can be embedded unchanged at this size."""
    found = encoded(image)
    if found is None or width_pt <= 0 or height_pt <= 0:
        return None
    dpi = max(found.width / (width_pt / 72), found.height / (height_pt / 72))
    return found if dpi <= AS_IS_DPI else None
