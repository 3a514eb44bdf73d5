"""What an invoice or credit note says, once: the printable page and the PDF both lay out
this content, so the PDF shows every word the page does.

The mentions follow what a French business customer needs to accept an invoice (Code de
commerce, L. 441-9 and L. 441-10, and the CGI, art. 242 nonies A): both parties' identity
and address, numbers and dates, the period, amounts before and after tax with the VAT or
its exemption, the terms of payment with the due date, the late-payment penalty rate and
the fixed €40 recovery indemnity, and the bank details; a paid invoice says "acquittée"
with the date it was paid in full.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import Invoice
from .periods import human_date


def euros(amount: Decimal) -> str:
    """Return an amount as the active language writes it: "1 234,50 €", "1,234.50 €"."""
    return f"{number_format(amount, 2, use_l10n=True, force_grouping=True)} €"


@dataclass
class InvoiceDocument:
    """An invoice's content, in the active language: plain strings, laid out by the page
    template and the PDF alike."""

    title: str
    number: str
    seller: list[str]
    buyer: list[str]
    facts: list[tuple[str, str]]
    lines: list[tuple[str, str]]
    totals: list[tuple[str, str]]
    mentions: list[str] = field(default_factory=list)
    paid_on: date | None = None
    paid_mark: str = ""


def _party(name, address, siren, vat_number, siret=""):
    lines = [name, *address.splitlines()]
    if siren:
        lines.append(f"SIREN {siren}")
    if siret:
        lines.append(f"SIRET {siret}")
    if vat_number:
        lines.append(_("VAT number %(number)s") % {"number": vat_number})
    return [line for line in lines if line]


def paid_in_full_on(invoice: Invoice, payments) -> date | None:
    """Return the day an invoice was paid in full (its last payment), or None."""
    if invoice.kind != Invoice.Kind.INVOICE or not payments:
        return None
    paid = sum((payment.amount for payment in payments), Decimal("0.00"))
    credited = -getattr(invoice, "credited", Decimal("0.00"))
    if paid + credited < invoice.amount_incl_tax:
        return None
    return max(payment.date for payment in payments)


def invoice_document(invoice: Invoice, payments=()) -> InvoiceDocument:
    """Return what ``invoice`` says, with ``payments`` (its payments, for the paid mark)."""
    credit = invoice.kind == Invoice.Kind.CREDIT_NOTE
    facts = [
        (_("Issue date"), human_date(invoice.issue_date)),
        (_("Due date"), human_date(invoice.due_date)),
    ]
    if invoice.period_start and invoice.period_end:
        facts.append(
            (
                _("Period covered"),
                _("%(start)s to %(end)s")
                % {
                    "start": human_date(invoice.period_start),
                    "end": human_date(invoice.period_end),
                },
            )
        )
    if invoice.credited_invoice_id:
        facts.append((_("Credits invoice"), invoice.credited_invoice.number))
    totals = [
        (_("Amount before tax"), euros(invoice.amount_excl_tax)),
        (
            _("VAT at %(rate)s %%") % {"rate": number_format(invoice.vat_rate, 2, use_l10n=True)},
            euros(invoice.vat_amount),
        ),
        (_("Amount after tax"), euros(invoice.amount_incl_tax)),
    ]
    mentions = [invoice.vat_mention] if invoice.vat_mention else []
    if not credit:
        mentions += _payment_mentions(invoice)
    paid_on = paid_in_full_on(invoice, list(payments))
    return InvoiceDocument(
        title=_("Credit note") if credit else _("Invoice"),
        number=invoice.number,
        seller=_party(
            invoice.seller_name,
            invoice.seller_address,
            invoice.seller_siren,
            invoice.seller_vat_number,
            invoice.seller_siret,
        ),
        buyer=_party(
            invoice.buyer_name,
            invoice.buyer_address,
            invoice.buyer_siren,
            invoice.buyer_vat_number,
            invoice.buyer_siret,
        ),
        facts=facts,
        lines=[(line.description, euros(line.amount_excl_tax)) for line in invoice.lines.all()]
        or [(invoice.description, euros(invoice.amount_excl_tax))],
        totals=totals,
        mentions=mentions,
        paid_on=paid_on,
        paid_mark=_("Paid in full on %(date)s") % {"date": human_date(paid_on)} if paid_on else "",
    )


def _payment_mentions(invoice):
    mentions = [invoice.payment_terms] if invoice.payment_terms else []
    mentions += [text for _subject, text in penalty_mentions(invoice)]
    if invoice.seller_iban:
        bank = _("Pay by bank transfer to %(bank)s, IBAN %(iban)s, BIC %(bic)s, quoting %(ref)s.")
        mentions.append(
            bank
            % {
                "bank": invoice.seller_bank or invoice.seller_name,
                "iban": _grouped(invoice.seller_iban),
                "bic": invoice.seller_bic,
                "ref": invoice.number,
            }
        )
    return mentions


def penalty_mentions(invoice) -> list[tuple[str, str]]:
    """Return the late-payment penalty mention, then the recovery indemnity's, for those
    the invoice states, each with its subject code in e-invoices (UNTDID 4451: PMD, PMT)."""
    mentions = []
    if invoice.late_penalty_rate is not None:
        penalty = _(
            "In case of late payment, penalties are due from the day after the due date "
            "at the rate of %(rate)s %% a year."
        ) % {"rate": number_format(invoice.late_penalty_rate, 2, use_l10n=True)}
        mentions.append(("PMD", penalty))
    if invoice.recovery_indemnity:
        indemnity = _(
            "Any business customer paying late also owes a fixed indemnity of %(amount)s "
            "for recovery costs (Code de commerce, art. D. 441-5)."
        ) % {"amount": euros(invoice.recovery_indemnity)}
        mentions.append(("PMT", indemnity))
    return mentions


def _grouped(iban):
    """Write an IBAN in groups of four, as it is printed."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
