"""Drawing images so that their pixels are compressed once per process, not once per document.

A clinic's logo is on every document of a batch, a figure on every language and paper of its
handout. reportlab compresses an image's pixels each time a document first draws it; here the
image object it makes is kept with the (cached, decoded) image and registered in each new
document under the same name, so a document only refers to it.

A PNG or JPEG file whose own compressed pixels a PDF can hold is not compressed at all: they
are embedded as they are (see image_streams.py).
"""

from __future__ import annotations

import hashlib

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from .image_streams import EncodedImage
from .images import as_is, for_print
from .pdf_compression import builder_streams

MASK = "auto"  # an alpha channel becomes a soft mask
_INTERNAL_NAME = pdfdoc.__InternalName__


def draw_image(canvas: Canvas, image: Image.Image, x: float, y: float, width: float,
               height: float) -> None:
    """Draw `image` in the box at (x, y): the file's own compressed pixels when they can be
    embedded as they are, else the pixels scaled down to print resolution and compressed."""
    found = as_is(image, width, height)
    if found is not None:
        key = f"handout-image-{found.digest}"
        made = image.__dict__.get("_pdf_encoded")
        if made is None:
            name = _name(key)
            made = image.__dict__["_pdf_encoded"] = (name, _EncodedImageObject(name, found),
                                                     None)
    else:
        printed = for_print(image, width, height)
        key = _key(printed)
        made = _decoded_objects(printed, key)
    _register(canvas, made)
    # A name that is not a file: reportlab finds the image already registered under it and
    # only draws it.
    canvas.drawImage(key, x, y, width, height, mask=MASK)


# An image object's name, the object, and its soft mask: kept with the (cached) image.
_Made = tuple[str, pdfdoc.PDFImageXObject, "pdfdoc.PDFImageXObject | None"]


class _EncodedImageObject(pdfdoc.PDFImageXObject):
    """An image object whose stream is a file's own compressed pixels."""

    def __init__(self, name: str, encoded: EncodedImage):
        super().__init__(name)
        self.encoded = encoded
        self.mask = None

    def format(self, document: pdfdoc.PDFDocument) -> bytes:
        found = self.encoded
        stream = pdfdoc.PDFStream(content=found.data)
        entries = stream.dictionary
        entries["Type"] = pdfdoc.PDFName("XObject")
        entries["Subtype"] = pdfdoc.PDFName("Image")
        entries["Width"] = found.width
        entries["Height"] = found.height
        entries["BitsPerComponent"] = 8
        entries["ColorSpace"] = pdfdoc.PDFName("DeviceRGB" if found.colors == 3 else
                                                "DeviceGray")
        # A single filter by name, so its parameters are a single dictionary as well.
        entries["Filter"] = pdfdoc.PDFName(found.filter)
        if found.decode_parms:
            entries["DecodeParms"] = pdfdoc.PDFDictionary(found.decode_parms)
        return stream.format(document)


def _key(image: Image.Image) -> str:
    key = image.__dict__.get("_pdf_key")
    if key is None:
        digest = hashlib.sha256(image.tobytes()).hexdigest()[:32]
        key = image.__dict__["_pdf_key"] = f"handout-image-{digest}-{image.mode}-{image.size}"
    return key


def _decoded_objects(image: Image.Image, key: str) -> _Made:
    """The image object (and soft mask) of decoded pixels, compressed the first time in this
    process."""
    made = image.__dict__.get("_pdf_objects")
    if made is None:
        name = _name(key)
        with builder_streams():  # (no ASCII85 around the pixels)
            obj = pdfdoc.PDFImageXObject(name, ImageReader(image), mask=MASK)
        obj.name = name
        smask = getattr(obj, "_smask", None)
        if smask is not None:
            obj.smask = pdfdoc.PDFObjectReference(pdfdoc.xObjectName(smask.name))
            del obj._smask
        made = image.__dict__["_pdf_objects"] = (name, obj, smask)
    return made


def _register(canvas: Canvas, made: _Made) -> None:
    """Make the image object known to this canvas's document under the name drawImage gives
    its key."""
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
