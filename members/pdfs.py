"""Check uploaded PDF files (signed SEPA mandates) before they are kept.

The same treatment as the logos (``members.images``): the upload is untrusted, read once
with a hard size cap, judged by its content and never by its name or declared type, and
stored under a safe name. A PDF cannot be re-encoded the way an image is, so what cannot
be made harmless is refused: a file that is not a complete PDF, an encrypted one, or one
that carries scripts, launch actions or embedded files. The file is kept in the database
(it holds bank details and a signature), never in the public media folder.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .images import _read_capped, safe_name

MAX_PDF_BYTES = 5 * 1024 * 1024
FALLBACK_NAME = "mandat"

# Active content a viewer may run or open: a signed paper mandate scanned to PDF has none.
_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|OpenAction|AA|XFA)\b")

MESSAGES = {
    "too_large": _("This file is larger than %(limit)s MB. Upload a PDF of at most %(limit)s MB."),
    "empty": _("This file is empty. Upload the signed mandate as a PDF."),
    "not_a_pdf": _("This file is not a PDF. Upload the signed mandate as a PDF."),
    "truncated": _("This PDF is incomplete or damaged. Scan or export it again."),
    "encrypted": _("This PDF is protected by a password. Upload it without protection."),
    "active": _(
        "This PDF contains scripts, actions or attached files, which are not accepted. "
        "Print it to a new PDF, or scan the signed paper, and upload that file."
    ),
}


def _refusal(code, **params):
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def process_pdf(uploaded) -> tuple[bytes, str]:
    """Check an uploaded PDF and return ``(content, safe file name)``.

    Raise ValidationError, with one of the codes of MESSAGES, when the file is refused.
    """
    try:
        data = _read_capped(uploaded)
    except ValidationError as error:
        code = error.code if error.code in MESSAGES else "too_large"
        raise _refusal(code, limit=MAX_PDF_BYTES // (1024 * 1024)) from error
    if len(data) > MAX_PDF_BYTES:
        raise _refusal("too_large", limit=MAX_PDF_BYTES // (1024 * 1024))
    # The header may follow a few bytes of junk (allowed by readers), never more.
    if b"%PDF-" not in data[:1024]:
        raise _refusal("not_a_pdf")
    if b"%%EOF" not in data[-2048:]:
        raise _refusal("truncated")
    if b"/Encrypt" in data:
        raise _refusal("encrypted")
    if _ACTIVE.search(data):
        raise _refusal("active")
    name = safe_name(getattr(uploaded, "name", "") or "", "pdf")
    if name == "logo.pdf":
        name = f"{FALLBACK_NAME}.pdf"
    return data, name
