"""An invoice as a PDF (reportlab), with the same content as its printable page."""

import io

from django.utils import formats
from django.utils.translation import gettext as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas


def _amount(value):
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} €"


def invoice_pdf(invoice):
    """Return the PDF bytes of an invoice or credit note."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    title = _("Credit note") if invoice.kind == invoice.Kind.CREDIT_NOTE else _("Invoice")
    pdf.setTitle(f"{title} {invoice.number}")
    width, height = A4
    left, y = 20 * mm, height - 25 * mm

    def line(text, *, size=10, bold=False, x=left, step=5.5 * mm):
        nonlocal y
        pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        pdf.drawString(x, y, str(text))
        y -= step

    line(f"{title} {invoice.number}", size=16, bold=True, step=10 * mm)
    top = y
    line(invoice.seller_name, bold=True)
    for part in invoice.seller_address.splitlines() or [""]:
        line(part)
    if invoice.seller_siren:
        line(f"SIREN {invoice.seller_siren}")
    if invoice.seller_vat_number:
        line(_("VAT number %(number)s") % {"number": invoice.seller_vat_number})
    y_seller = y
    y = top
    right = width / 2 + 10 * mm
    line(invoice.buyer_name, bold=True, x=right)
    for part in invoice.buyer_address.splitlines() or [""]:
        line(part, x=right)
    if invoice.buyer_siren:
        line(f"SIREN {invoice.buyer_siren}", x=right)
    if invoice.buyer_vat_number:
        line(_("VAT number %(number)s") % {"number": invoice.buyer_vat_number}, x=right)
    y = min(y, y_seller) - 8 * mm
    line(_("Issue date: %(date)s") % {"date": formats.date_format(invoice.issue_date)})
    line(_("Due date: %(date)s") % {"date": formats.date_format(invoice.due_date)})
    if invoice.period_start and invoice.period_end:
        line(
            _("Period covered: %(start)s to %(end)s")
            % {
                "start": formats.date_format(invoice.period_start),
                "end": formats.date_format(invoice.period_end),
            }
        )
    y -= 6 * mm
    line(invoice.description[:110], bold=True, step=8 * mm)
    rows = [
        (_("Amount before tax"), _amount(invoice.amount_excl_tax)),
        (
            _("VAT at %(rate)s %%") % {"rate": formats.number_format(invoice.vat_rate, 2)},
            _amount(invoice.vat_amount),
        ),
        (_("Amount after tax"), _amount(invoice.amount_incl_tax)),
    ]
    for label, value in rows:
        pdf.setFont("Helvetica", 11)
        pdf.drawString(left, y, label)
        pdf.drawRightString(width - 20 * mm, y, value)
        y -= 7 * mm
    if invoice.vat_mention:
        y -= 4 * mm
        line(invoice.vat_mention, size=9)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
