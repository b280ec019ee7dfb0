"""Opening untrusted images: format and size limits, full decoding, no surprises."""

from __future__ import annotations

import functools
import re
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 25_000_000        # a 5000 x 5000 image; far above what a printed figure needs
ALLOWED_FORMATS = {"PNG": "PNG", "JPEG": "JPEG", "MPO": "JPEG"}


class ImageProblem(Exception):
    """An image that cannot be used, with a message a person can act on."""


def _open(path: Path) -> Image.Image:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ImageProblem(f"cannot read image: {exc.strerror or exc}") from exc
    if size > MAX_FILE_BYTES:
        raise ImageProblem(f"image file is {size:,} bytes; at most {MAX_FILE_BYTES:,} are allowed")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(path)
            if image.format not in ALLOWED_FORMATS:
                raise ImageProblem(f"is a {image.format or 'unknown'} image; use PNG or JPEG")
            width, height = image.size
            if width < 1 or height < 1 or width * height > MAX_PIXELS:
                raise ImageProblem(f"image is {width} x {height} pixels; at most "
                                   f"{MAX_PIXELS:,} pixels are allowed")
            image.load()  # decode fully now: a truncated file fails here, not inside the PDF
    except ImageProblem:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        found = re.search(r"\((\d+) pixels\)", str(exc))
        size = f"has {int(found.group(1)):,} pixels" if found else "is too large"
        raise ImageProblem(f"image {size}; at most {MAX_PIXELS:,} pixels are allowed") from exc
    except UnidentifiedImageError as exc:
        raise ImageProblem("is not a PNG or JPEG image, or it is damaged") from exc
    except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
        raise ImageProblem(f"image is damaged or truncated ({exc})") from exc
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info
                              else "RGB")
    elif image.mode == "LA":
        image = image.convert("RGBA")
    return image


def check_image(path: Path) -> str | None:
    """None when the image is usable, else why not."""
    try:
        load_image(path)
    except ImageProblem as exc:
        return str(exc)
    return None


@functools.lru_cache(maxsize=64)
def _cached(path: Path, mtime_ns: int, size: int) -> Image.Image:
    return _open(path)


def load_image(path: Path) -> Image.Image:
    """A fully decoded image in RGB, RGBA or L mode; cached while the file is unchanged."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise ImageProblem(f"cannot read image: {exc.strerror or exc}") from exc
    return _cached(path, stat.st_mtime_ns, stat.st_size)


PRINT_DPI = 300  # what a print shop needs; more only makes the PDF bigger


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
