"""How money comes in: the share collected by SEPA direct debit, and days sales outstanding.

Dues are the invoices of a membership; every other invoice (rent, from the leases) is
counted apart, and shown only when there is any.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Invoice, Payment
from members.money import money

from .figures import Column, Figure, KeyFigure
from .members import percent
from .periods import Period

DUES = Q(invoice__membership__isnull=False)
DEBIT = Q(method=Payment.Method.DIRECT_DEBIT)


def definitions():
    return [
        (
            _("Share by direct debit"),
            _("The payments received in the year by SEPA direct debit ÷ all payments received."),
        ),
        (
            _("Days sales outstanding"),
            _(
                "What customers still owe at the end of the year (today for the current year) "
                "÷ what was invoiced in the year, tax included, × the days of the year."
            ),
        ),
    ]


def _in(period, field="date"):
    return Q(**{f"{field}__gte": period.start, f"{field}__lt": period.end})


def _until(period, today):
    """Return the first day not counted: the period's end, or tomorrow while it runs."""
    return min(period.end, today + timedelta(days=1))


def _totals(periods, today):
    """Return, for each period, what was received (dues and other, all and by direct
    debit) and what its DSO needs, in two queries whatever the number of periods."""
    payments, invoices = {}, {}
    for n, period in enumerate(periods):
        until = _until(period, today)
        payments |= {
            f"dues{n}": Sum("amount", filter=_in(period) & DUES),
            f"dues_debit{n}": Sum("amount", filter=_in(period) & DUES & DEBIT),
            f"other{n}": Sum("amount", filter=_in(period) & ~DUES),
            f"other_debit{n}": Sum("amount", filter=_in(period) & ~DUES & DEBIT),
            f"paid{n}": Sum("amount", filter=Q(date__lt=until)),
        }
        invoices |= {
            f"all{n}": Sum("amount_incl_tax", filter=Q(issue_date__lt=until)),
            f"year{n}": Sum(
                "amount_incl_tax", filter=Q(issue_date__gte=period.start, issue_date__lt=until)
            ),
        }
    paid = Payment.objects.aggregate(**payments)
    invoiced = Invoice.objects.aggregate(**invoices)
    totals = []
    for n, period in enumerate(periods):
        row = {key: money(paid[f"{key}{n}"] or 0) for key in DUES_KEYS}
        row["receivables"], row["dso"] = _dso(
            period,
            _until(period, today),
            invoiced[f"all{n}"] or 0,
            invoiced[f"year{n}"] or 0,
            paid[f"paid{n}"] or 0,
        )
        totals.append(row)
    return totals


DUES_KEYS = ("dues", "dues_debit", "other", "other_debit")


def _dso(period, until, invoiced_until, invoiced_in_period, paid_until):
    receivables = money(invoiced_until - paid_until)
    if invoiced_in_period <= 0 or until <= period.start:
        return receivables, None
    days = (until - period.start).days
    dso = (receivables / invoiced_in_period * days).quantize(Decimal("1"), ROUND_HALF_UP)
    return receivables, int(max(dso, 0))


def days_sales_outstanding(period, *, today: date | None = None):
    """Return ``(receivables, DSO in days)`` at the end of the period, or today when the
    period is not over; the DSO is None when nothing was invoiced."""
    [totals] = _totals([period], today or timezone.localdate())
    return totals["receivables"], totals["dso"]


def figures(year):
    """Return the key figures and the figure of how money came in, calendar year ``year``
    (2 queries)."""
    period = Period.calendar(year)
    this, before = _totals([period, period.previous()], timezone.localdate())
    receivables, dso, dso_before = this["receivables"], this["dso"], before["dso"]
    share = percent(this["dues_debit"], this["dues"])
    rows = [
        (_("dues collected"), this["dues"]),
        (_("dues collected by direct debit"), this["dues_debit"]),
        (_("share of dues by direct debit"), share),
    ]
    kinds = ["money", "money", "percent"]
    if this["other"] or before["other"]:
        rows += [
            (_("rent and other invoices collected"), this["other"]),
            (_("rent and other invoices by direct debit"), this["other_debit"]),
            (
                _("share of rent and other invoices by direct debit"),
                percent(this["other_debit"], this["other"]),
            ),
        ]
        kinds += ["money", "money", "percent"]
    rows += [(_("owed by customers"), receivables), (_("days sales outstanding"), dso)]
    kinds += ["money", "count"]
    tiles = [
        KeyFigure(
            "direct-debit-share",
            _("Dues by direct debit"),
            share,
            percent(before["dues_debit"], before["dues"]),
            "percent",
            period,
            figure="collection",
        ),
        KeyFigure(
            "dso",
            _("Days sales outstanding"),
            dso,
            dso_before,
            "count",
            period,
            figure="collection",
        ),
    ]
    return tiles, [
        Figure(
            "collection",
            _("Collection"),
            period,
            [Column(_("figure")), Column(_("value"), "money")],
            rows,
            description=_(
                "What was received, the share by SEPA direct debit, and how long customers "
                "take to pay."
            ),
            definitions=definitions(),
            row_kinds=kinds,
            series=[(rows[0][0], rows[0][1]), (rows[1][0], rows[1][1])],
            series_kind="money",
        )
    ]
