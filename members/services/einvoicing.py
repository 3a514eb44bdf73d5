"""Electronic invoicing: the file an approved platform (a PDP) takes, and the one place
where the send path hands it an issued invoice or credit note.

No platform is connected today: invoices and credit notes reach the buyer by email, as
Factur-X PDFs (``members.invoice_pdf``), which a buyer's platform can already read. What
remains to send them through a PDP is written in ``docs/e-invoicing.md``.
"""

from functools import partial

from django.db import transaction

from ..invoice_pdf import invoice_pdf
from ..models import Invoice

FACTURX_MIME = "application/pdf"


def einvoice_export(invoice: Invoice) -> tuple[str, bytes, str]:
    """Return ``(file name, content, MIME type)`` of what a PDP takes for an invoice or
    credit note: its Factur-X PDF (EN 16931 profile), the XML embedded."""
    return f"{invoice.number}.pdf", invoice_pdf(invoice), FACTURX_MIME


def einvoice_transmit(invoice: Invoice) -> bool:
    """Hand an issued invoice or credit note to the approved platform; return whether
    it was sent.

    The hook for a PDP: the send path calls it once per document, after the commit.
    Connecting one means calling its API here with ``einvoice_export(invoice)`` and
    recording the platform's receipt (see ``docs/e-invoicing.md``). None is connected, so
    nothing leaves and the document goes by email only.
    """
    return False


def einvoice_after_commit(invoice: Invoice) -> None:
    """Transmit a document once the transaction that issues it has committed."""
    transaction.on_commit(partial(_transmit, invoice))


def _transmit(invoice):
    # The hook is looked up when called, so that the platform plugged in is the one used.
    einvoice_transmit(invoice)
