"""The accountant's export: the FEC (Fichier des Écritures Comptables, article A47 A-1 of
the Livre des procédures fiscales) of a period, from the invoices, credit notes and
payments.

- Journal VE (sales), one entry per invoice or credit note dated its issue date: the
  customer's account 411 (an auxiliary account per company) against the sales accounts of
  its lines (dues, rent, service charges, other) and VAT collected. A credit note posts
  the same accounts the other way round, split as the invoice it credits.
- Journal BQ (bank), one entry per payment dated the day it was received: bank 512
  against the customer's account.

The accounts come from ``settings.CITE_ACCOUNTS``. The file has the 18 columns of the
decree in their order, tab-separated, dates YYYYMMDD, amounts with a decimal comma and no
thousands separator, in ISO 8859-15 as the decree allows, named ``<SIREN>FEC<closing
date>.txt``. Entries are numbered 1, 2, 3… in date order, sales before bank on one day.
The labels are French: the file is for the French tax administration, whatever the
language of whoever downloads it.
"""

import csv
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from ..models import ClusterIdentity, Invoice, InvoiceLine, Payment, Revenue
from ..money import money

COLUMNS = (
    "JournalCode",
    "JournalLib",
    "EcritureNum",
    "EcritureDate",
    "CompteNum",
    "CompteLib",
    "CompAuxNum",
    "CompAuxLib",
    "PieceRef",
    "PieceDate",
    "EcritureLib",
    "Debit",
    "Credit",
    "EcritureLet",
    "DateLet",
    "ValidDate",
    "Montantdevise",
    "Idevise",
)
ENCODING = "iso-8859-15"
SALES, BANK = ("VE", "Ventes"), ("BQ", "Banque")
ACCOUNT_LABELS = {
    Revenue.DUES: "Cotisations",
    Revenue.RENT: "Loyers",
    Revenue.CHARGES: "Charges locatives refacturées",
    Revenue.OTHER: "Prestations de services",
    Revenue.EVENT: "Participations aux événements",
    "vat": "TVA collectée",
    "customers": "Clients",
    "bank": "Banque",
}
ZERO = Decimal("0.00")
# Typographic quotes ISO 8859-15 lacks, as a typewriter writes them.
TYPOGRAPHY = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


@dataclass
class Posting:
    """One line of an entry: an account (its key in ``CITE_ACCOUNTS``) debited or
    credited."""

    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    auxiliary: tuple[str, str] = ("", "")


@dataclass
class Entry:
    """One accounting entry (EcritureNum): balanced postings of one document."""

    journal: tuple[str, str]
    day: date
    piece: str
    piece_date: date
    label: str
    valid: date
    postings: list[Posting]


def fiscal_year(year: int) -> tuple[date, date]:
    """Return the first and last day of the fiscal year that starts in ``year``."""
    month = settings.CITE_FISCAL_YEAR_START_MONTH
    return date(year, month, 1), date(year + 1, month, 1) - timedelta(days=1)


def fec_filename(end: date) -> str:
    """Return the file's name: the cluster's SIREN, "FEC", and the closing date."""
    siren = ClusterIdentity.objects.current().siren or "000000000"
    return f"{siren}FEC{end:%Y%m%d}.txt"


def _customer(invoice):
    return ("C" + f"{invoice.company_id:05d}", invoice.buyer_name)


def _revenue_split(invoice) -> dict[str, Decimal]:
    """Return an invoice's amount before tax per revenue, as its lines say; a credit note
    splits as the invoice it credits, rounding's cents on the largest share."""
    if invoice.kind == Invoice.Kind.CREDIT_NOTE and invoice.credited_invoice_id:
        original = _revenue_split(invoice.credited_invoice)
        total = sum(original.values(), ZERO)
        if total:
            split = {
                kind: money(invoice.amount_excl_tax * amount / total)
                for kind, amount in original.items()
            }
            largest = max(split, key=lambda kind: abs(split[kind]))
            split[largest] += invoice.amount_excl_tax - sum(split.values(), ZERO)
            return split
    default = Revenue.DUES if invoice.membership_id else Revenue.OTHER
    split = defaultdict(Decimal)
    for line in invoice.lines.all():
        split[line.revenue or default] += line.amount_excl_tax
    if not split:
        split[default] = invoice.amount_excl_tax
    return dict(split)


def _side(amount):
    """Return ``(debit, credit)`` for an amount owed by the customer (negative: owed to)."""
    return (amount, ZERO) if amount >= 0 else (ZERO, -amount)


def _sales_entry(invoice) -> Entry:
    customer = _customer(invoice)
    debit, credit = _side(invoice.amount_incl_tax)
    postings = [Posting("customers", debit, credit, customer)]
    for kind, amount in sorted(_revenue_split(invoice).items()):
        if amount:
            credit, debit = _side(amount)
            postings.append(Posting(kind, debit, credit))
    if invoice.vat_amount:
        credit, debit = _side(invoice.vat_amount)
        postings.append(Posting("vat", debit, credit))
    word = "Avoir" if invoice.kind == Invoice.Kind.CREDIT_NOTE else "Facture"
    return Entry(
        journal=SALES,
        day=invoice.issue_date,
        piece=invoice.number,
        piece_date=invoice.issue_date,
        label=f"{word} {invoice.number} {invoice.buyer_name}",
        valid=timezone.localdate(invoice.created_at),
        postings=postings,
    )


def _bank_entry(payment) -> Entry:
    invoice = payment.invoice
    return Entry(
        journal=BANK,
        day=payment.date,
        piece=invoice.number,
        piece_date=payment.date,
        label=f"Règlement facture {invoice.number} {invoice.buyer_name}",
        valid=timezone.localdate(payment.created_at),
        postings=[
            Posting("bank", debit=payment.amount),
            Posting("customers", credit=payment.amount, auxiliary=_customer(invoice)),
        ],
    )


def fec_entries(start: date, end: date) -> list[Entry]:
    """Return the entries of the period ``start`` to ``end`` (both included), in the
    order they are numbered."""
    invoices = (
        Invoice.objects.filter(issue_date__range=(start, end))
        .exclude(amount_incl_tax=0, amount_excl_tax=0)
        .select_related("credited_invoice")
        .prefetch_related(
            Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")),
            Prefetch("credited_invoice__lines", queryset=InvoiceLine.objects.order_by("position")),
        )
        .order_by("issue_date", "year", "sequence")
    )
    payments = (
        Payment.objects.filter(date__range=(start, end))
        .select_related("invoice")
        .order_by("date", "created_at", "pk")
    )
    entries = [_sales_entry(invoice) for invoice in invoices]
    entries += [_bank_entry(payment) for payment in payments]
    # sorted() is stable: within a day and journal, the order of the queries stands.
    return sorted(entries, key=lambda entry: (entry.day, entry.journal != SALES))


def _amount(value: Decimal) -> str:
    return f"{value:.2f}".replace(".", ",")


def _text(value: str) -> str:
    """A field without the tabs and line breaks that would break the file, in ISO 8859-15."""
    value = " ".join(str(value).split()).translate(TYPOGRAPHY)
    return value.encode(ENCODING, "replace").decode(ENCODING)


def fec_rows(start: date, end: date):
    """Yield the file's rows: the header, then one per posting."""
    yield COLUMNS
    for number, entry in enumerate(fec_entries(start, end), start=1):
        for posting in entry.postings:
            yield (
                entry.journal[0],
                entry.journal[1],
                str(number),
                f"{entry.day:%Y%m%d}",
                settings.CITE_ACCOUNTS[posting.account],
                ACCOUNT_LABELS[posting.account],
                posting.auxiliary[0],
                _text(posting.auxiliary[1]),
                _text(entry.piece),
                f"{entry.piece_date:%Y%m%d}",
                _text(entry.label),
                _amount(posting.debit),
                _amount(posting.credit),
                "",
                "",
                f"{entry.valid:%Y%m%d}",
                "",
                "",
            )


def fec_export(start: date, end: date) -> bytes:
    """Return the FEC of the period ``start`` to ``end`` (both included), encoded."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, delimiter="\t", lineterminator="\r\n", quoting=csv.QUOTE_NONE, quotechar=None
    )
    writer.writerows(fec_rows(start, end))
    return buffer.getvalue().encode(ENCODING, "replace")
