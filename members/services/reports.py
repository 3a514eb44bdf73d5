"""Dues figures and the dues ledger, computed by the database."""

from datetime import date
from decimal import Decimal
from typing import TextIO

from django.db.models import Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from .. import csv_export
from ..models import (
    Invoice,
    Membership,
    Payment,
)
from ..money import money


def yearly_summary(year: int | None = None) -> list[dict]:
    """Return, per year (or for ``year`` alone): expected dues (memberships' fees before
    tax), invoiced (net of credit notes, after tax), collected (payments received) and
    overdue (balances past their due date), each computed by the database."""
    # No default ordering: it would join the company table into the GROUP BY query.
    memberships = Membership.objects.exclude(
        status__in=(Membership.Status.RESIGNED, Membership.Status.CANCELLED)
    ).order_by()
    invoices = Invoice.objects.dues()
    payments = Payment.objects.filter(invoice__membership__isnull=False)
    if year is not None:
        # Ranges rather than "year of the date", so that the indexes on dates serve.
        memberships = memberships.filter(
            start__gte=date(year, 1, 1), start__lt=date(year + 1, 1, 1)
        )
        invoices = invoices.filter(year=year)
        payments = payments.filter(date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))
    expected = dict(
        memberships.annotate(y=ExtractYear("start"))
        .values("y")
        .annotate(total=Sum("fee"))
        .values_list("y", "total")
    )
    invoiced = dict(
        invoices.values("year").annotate(total=Sum("amount_incl_tax")).values_list("year", "total")
    )
    collected = dict(
        payments.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(total=Sum("amount"))
        .values_list("y", "total")
    )
    overdue = dict(
        invoices.invoices()
        .overdue()
        .values("year")
        .annotate(total=Sum("balance"))
        .values_list("year", "total")
    )
    zero = Decimal("0.00")
    years = sorted(set(expected) | set(invoiced) | set(collected) | set(overdue), reverse=True)
    if year is not None:
        years = [year]
    return [
        {
            "year": each,
            "expected": money(expected.get(each, zero)),
            "invoiced": money(invoiced.get(each, zero)),
            "collected": money(collected.get(each, zero)),
            "overdue": money(overdue.get(each, zero)),
        }
        for each in years
    ]


def ledger_csv(output: TextIO, variant: str = csv_export.PLAIN) -> None:
    """Write the dues ledger as CSV of ``variant`` (plain, or for French Excel)."""
    csv_export.write_rows(output, ledger_rows(), variant)


def ledger_rows() -> list[list]:
    """Return the dues ledger (invoices, credit notes and payments by date), its header
    first."""
    header = [
        _("date"),
        _("entry"),
        _("invoice"),
        _("company"),
        "SIREN",
        _("debit"),
        _("credit"),
        _("method"),
        _("reference"),
    ]
    entries = []
    for invoice in Invoice.objects.select_related("company").order_by("issue_date", "sequence"):
        amount = invoice.amount_incl_tax
        entries.append(
            (
                invoice.issue_date,
                invoice.get_kind_display(),
                invoice.number,
                invoice.buyer_name,
                invoice.buyer_siren,
                amount if amount > 0 else "",
                -amount if amount < 0 else "",
                "",
                "",
            )
        )
    for payment in Payment.objects.select_related("invoice").order_by("date", "pk"):
        entries.append(
            (
                payment.date,
                _("payment"),
                payment.invoice.number,
                payment.invoice.buyer_name,
                payment.invoice.buyer_siren,
                "",
                payment.amount,
                payment.get_method_display(),
                payment.reference,
            )
        )
    entries.sort(key=lambda entry: (entry[0], entry[2]))
    return [header, *entries]
