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
import marshal
import struct
from pathlib import Path

from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

from . import disk_cache
from .image_streams import EncodedImage
from .images import as_is, for_print, load_image
from .pdf_compression import builder_streams

MASK = "auto"  # an alpha channel becomes a soft mask
_INTERNAL_NAME = pdfdoc.__InternalName__


def draw_image(canvas: Canvas, image: Image.Image, x: float, y: float, width: float,
               height: float) -> None:
    """Draw `image` in the box at (x, y): the file's own compressed pixels when they can be
    embedded as they are, else the pixels scaled down to print resolution and compressed."""
    key, made, _ = _prepared(image, width, height)
    _draw(canvas, key, made, x, y, width, height)


def draw_image_file(canvas: Canvas, path: Path, x: float, y: float, width: float,
                    height: float) -> None:
    """draw_image for an image file (a brand's logo), whose image object, once scaled and
    compressed, is kept on disk between runs: each new process takes it from there instead
    of decoding and resampling the file again."""
    file = disk_cache.file_key(path)
    found = _FILE_OBJECTS.get((file, width, height)) if file else None
    if found is None:
        entry = disk_cache.entry("images", _IMAGE_FORMAT, file, repr(width), repr(height))
        found = _unpacked(disk_cache.read(entry))
        if found is None:
            key, made, decoded = _prepared(load_image(path), width, height)
            found = key, made
            packed = _packed(key, made) if decoded else None
            if packed is not None:
                disk_cache.write(entry, packed)
        if file:
            _FILE_OBJECTS[(file, width, height)] = found
    _draw(canvas, *found, x, y, width, height)


def image_size(path: Path) -> tuple[int, int]:
    """The size in pixels of an image file as it is shown (turned as its EXIF says), kept on
    disk between runs beside its image object."""
    file = disk_cache.file_key(path)
    found = _SIZES.get(file) if file else None
    if found is None:
        entry = disk_cache.entry("image-sizes", _IMAGE_FORMAT, file)
        payload = disk_cache.read(entry)
        if payload is not None and len(payload) == _SIZE.size:
            found = _SIZE.unpack(payload)
        else:
            found = load_image(path).size
            disk_cache.write(entry, _SIZE.pack(*found))
        if file:
            _SIZES[file] = found
    return found


_IMAGE_FORMAT = "handout-image 1"
_SIZE = struct.Struct("<II")
_SIZES: dict[str, tuple[int, int]] = {}


def _prepared(image: Image.Image, width: float, height: float) -> tuple[str, _Made, bool]:
    """The name drawImage is given, the image objects, and whether they were decoded and
    resampled (not embedded as the file holds them)."""
    found = as_is(image, width, height)
    if found is not None:
        key = f"handout-image-{found.digest}"
        made = image.__dict__.get("_pdf_encoded")
        if made is None:
            name = _name(key)
            made = image.__dict__["_pdf_encoded"] = (name, _EncodedImageObject(name, found),
                                                     None)
        return key, made, False
    printed = for_print(image, width, height)
    key = _key(printed)
    return key, _decoded_objects(printed, key), True


def _draw(canvas: Canvas, key: str, made: _Made, x: float, y: float, width: float,
          height: float) -> None:
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


_FILE_OBJECTS: dict[tuple[str, float, float], tuple[str, _Made]] = {}

# What an image object of decoded pixels holds (reportlab's PDFImageXObject, made from a PIL
# image) besides its soft mask, and what each may be: an object holding anything else is not
# kept, and an entry holding anything else is not taken.
_KEPT_FIELDS: dict[str, tuple[type, ...]] = {
    "name": (str,), "width": (int,), "height": (int,), "bitsPerComponent": (int,),
    "colorSpace": (str,), "_filters": (tuple,), "streamContent": (bytes,),
    "mask": (type(None),), "_decode": (list,),
}
_ITEMS: dict[str, tuple[type, ...]] = {"_filters": (str,), "_decode": (int, float)}


def _checked(fields: object) -> dict[str, object] | None:
    """`fields` when they are what an image object of decoded pixels holds."""
    if not isinstance(fields, dict) or {"name", "streamContent"} - fields.keys():
        return None
    for name, value in fields.items():
        if name not in _KEPT_FIELDS or not isinstance(value, _KEPT_FIELDS[name]):
            return None
        if name in _ITEMS and not all(type(item) in _ITEMS[name] for item in value):
            return None
    return fields


def _packed(key: str, made: _Made) -> bytes | None:
    """An entry's payload for image objects of decoded pixels; None when they hold more
    than an entry keeps."""
    name, obj, smask = made
    if ("smask" in obj.__dict__) != (smask is not None):
        return None
    obj_fields = _checked({k: v for k, v in obj.__dict__.items() if k != "smask"})
    smask_fields = None if smask is None else _checked(dict(smask.__dict__))
    if obj_fields is None or (smask is not None and smask_fields is None):
        return None
    return marshal.dumps((key, name, obj_fields, smask_fields))


def _unpacked(payload: bytes | None) -> tuple[str, _Made] | None:
    """The image objects an entry holds; None for anything but what _packed wrote."""
    if payload is None:
        return None
    try:
        key, name, obj_fields, smask_fields = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not (isinstance(key, str) and isinstance(name, str) and name == _name(key)):
        return None
    obj = _image_object(obj_fields)
    smask = None if smask_fields is None else _image_object(smask_fields)
    if obj is None or (smask_fields is not None and smask is None):
        return None
    if smask is not None:
        obj.smask = pdfdoc.PDFObjectReference(pdfdoc.xObjectName(smask.name))
    return key, (name, obj, smask)


def _image_object(fields: object) -> pdfdoc.PDFImageXObject | None:
    checked = _checked(fields)
    if checked is None:
        return None
    obj = pdfdoc.PDFImageXObject.__new__(pdfdoc.PDFImageXObject)
    obj.__dict__.update(checked)
    return obj


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
