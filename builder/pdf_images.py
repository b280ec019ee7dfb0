"""Drawing images so that their pixels are compressed once per process, not once per document.

A clinic's logo is on every document of a batch, a figure on every language and paper of its
handout. reportlab compresses an image's pixels each time a document first draws it; here the
image object it makes is kept with the (cached, decoded) image and registered in each new
document under the same name, so a document only refers to it.
"""

from __future__ import annotations

import hashlib

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from .images import for_print

MASK = "auto"  # an alpha channel becomes a soft mask
_INTERNAL_NAME = pdfdoc.__InternalName__


def draw_image(canvas: Canvas, image: Image.Image, x: float, y: float, width: float,
               height: float) -> None:
    """Draw `image` (scaled down to print resolution first) in the box at (x, y)."""
    printed = for_print(image, width, height)
    key = _key(printed)
    _register(canvas, printed, key)
    # A name that is not a file: reportlab finds the image already registered under it and
    # only draws it.
    canvas.drawImage(key, x, y, width, height, mask=MASK)


def _key(image: Image.Image) -> str:
    key = image.__dict__.get("_pdf_key")
    if key is None:
        digest = hashlib.sha256(image.tobytes()).hexdigest()[:32]
        key = image.__dict__["_pdf_key"] = f"handout-image-{digest}-{image.mode}-{image.size}"
    return key


def _register(canvas: Canvas, image: Image.Image, key: str) -> None:
    """Make the image object known to this canvas's document under the name drawImage gives
    `key`, making (and compressing) it only the first time in this process."""
    made = image.__dict__.get("_pdf_objects")
    if made is None:
        name = _name(key)
        obj = pdfdoc.PDFImageXObject(name, ImageReader(image), mask=MASK)
        obj.name = name
        smask = getattr(obj, "_smask", None)
        if smask is not None:
            obj.smask = pdfdoc.PDFObjectReference(pdfdoc.xObjectName(smask.name))
            del obj._smask
        made = image.__dict__["_pdf_objects"] = (name, obj, smask)
    name, obj, smask = made
    doc = canvas._doc
    reg_name = doc.getXObjectName(name)
    if doc.idToObject.get(reg_name) is not None:
        return
    # reportlab marks an object with the name it has in the last document that took it;
    # the name is the same in every document.
    obj.__dict__.pop(_INTERNAL_NAME, None)
    doc.Reference(obj, reg_name)
    doc.addForm(name, obj)
    if smask is not None:
        mask_name = doc.getXObjectName(smask.name)
        if doc.idToObject.get(mask_name) is None:
            smask.__dict__.pop(_INTERNAL_NAME, None)
            doc.Reference(smask, mask_name)


def _name(key: str) -> str:
    """The name reportlab's drawImage derives from a file name and mask."""
    from reportlab.pdfgen.canvas import _digester

    return _digester(f"{key}{MASK}".encode())
