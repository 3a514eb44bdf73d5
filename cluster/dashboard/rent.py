"""Rent, by calendar month: what was invoiced and collected, and who is in arrears today."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from members.models import Invoice, Payment
from members.money import money

from .figures import Column, Figure, KeyFigure
from .periods import Period

ZERO = Decimal("0.00")
# Rent invoices and their credit notes (startups.RentInvoice names the lease they bill).
RENT = Q(rent__isnull=False) | Q(credited_invoice__rent__isnull=False)


def definitions():
    return [
        (
            _("Rent invoiced"),
            _(
                "The rent invoices issued in the month, tax and service charges included, "
                "less their credit notes."
            ),
        ),
        (_("Rent collected"), _("The payments on rent invoices received in the month.")),
        (
            _("Arrears"),
            _("What each tenant still owes today on rent invoices past their due date."),
        ),
    ]


def by_month(year):
    """Return ``{month: (invoiced, collected)}`` for the twelve months of ``year`` (2
    queries)."""
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    invoiced = dict(
        Invoice.objects.filter(RENT, issue_date__gte=start, issue_date__lt=end)
        .annotate(month=TruncMonth("issue_date"))
        .values("month")
        .annotate(total=Sum("amount_incl_tax"))
        .values_list("month", "total")
        .order_by()
    )
    collected = dict(
        Payment.objects.filter(invoice__rent__isnull=False, date__gte=start, date__lt=end)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("amount"))
        .values_list("month", "total")
        .order_by()
    )
    months = [date(year, month, 1) for month in range(1, 13)]
    return {
        month: (money(invoiced.get(month, ZERO)), money(collected.get(month, ZERO)))
        for month in months
    }


def arrears():
    """Return ``(tenant, amount overdue, invoices overdue)`` today, largest first (1 query)."""
    rows = (
        Invoice.objects.filter(rent__isnull=False)
        .overdue()
        .values("company__legal_name")
        .annotate(total=Sum("balance"), count=Count("pk"))
        .order_by("-total", "company__legal_name")
    )
    return [(row["company__legal_name"], money(row["total"]), row["count"]) for row in rows]


def figures(year):
    """Return the rent's key figure and figures for the calendar year ``year`` (4 queries)."""
    period = Period.calendar(year)
    months = by_month(year)
    before = by_month(year - 1)
    rows = [(month, invoiced, collected) for month, (invoiced, collected) in months.items()]
    owed = arrears()
    tile = KeyFigure(
        "rent-collected",
        _("Rent collected"),
        sum((collected for _m, _i, collected in rows), ZERO),
        sum((collected for _i, collected in before.values()), ZERO),
        "money",
        period,
        figure="rent",
    )
    return [tile], [
        Figure(
            "rent",
            _("Rent invoiced and collected by month"),
            period,
            [
                Column(_("month"), "month"),
                Column(_("invoiced"), "money"),
                Column(_("collected"), "money"),
            ],
            rows,
            chart="columns",
            series=[(format_date(month, "N"), collected) for month, _i, collected in rows],
            series_kind="money",
            description=_(
                "Rent invoiced and collected each month of the year; the chart shows what "
                "was collected."
            ),
            definitions=definitions(),
        ),
        Figure(
            "rent-arrears",
            _("Rent arrears by tenant"),
            period,
            [Column(_("tenant")), Column(_("overdue"), "money"), Column(_("invoices"), "count")],
            owed,
            series=[(tenant, amount) for tenant, amount, _count in owed],
            series_kind="money",
            description=_("What each tenant owes today on rent invoices past their due date."),
            definitions=definitions(),
            period_text=_("today"),
        ),
    ]
