"""Password protection of a patient's copy: AES-256, as every current PDF reader opens."""

from __future__ import annotations

import io
import secrets

from pypdf import PdfReader, PdfWriter
from pypdf.constants import UserAccessPermissions as Allow

# What the patient may do once the file is open: read, print, fill in the form, copy text
# (screen readers need it). Changing the document needs the owner password, which nobody has.
PATIENT_RIGHTS = (Allow.PRINT | Allow.PRINT_TO_REPRESENTATION | Allow.FILL_FORM_FIELDS
                  | Allow.EXTRACT_TEXT_AND_GRAPHICS | Allow.EXTRACT)


def encrypt(pdf: bytes, password: str) -> bytes:
    """The document encrypted with AES-256 (PDF 2.0's algorithm), opened by `password`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=password, owner_password=secrets.token_urlsafe(24),
                   permissions_flag=PATIENT_RIGHTS, algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
