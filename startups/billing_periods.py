"""Rent billing periods: which days of a lease an invoice of a run covers, and rent
prorated by day.

Periods are calendar months or calendar quarters, ``[start, end)``. A lease billed in
advance has each period invoiced in the run of its first month; one billed in arrears, in
the run of the month after its last day. A lease starting or ending inside a period is
billed for the days it covers, each month's rent prorated by the days of that month.
"""

import calendar
import re
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def parse_month(text: str) -> date:
    """Return the first day of the month written ``YYYY-MM``; refuse anything else."""
    match = _MONTH.match((text or "").strip())
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1)
    raise ValidationError(
        _("“%(value)s” is not a month: write it as YYYY-MM, for example 2027-01.")
        % {"value": text},
        code="month",
    )


def add_months(day: date, count: int) -> date:
    """Return the first day of the month ``count`` months after ``day``'s."""
    index = day.year * 12 + day.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def calendar_period(kind: str, day: date) -> tuple[date, date]:
    """Return the calendar month, or quarter when ``kind`` is "quarterly", holding ``day``."""
    if kind == "quarterly":
        start = date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return start, add_months(start, 3)
    start = day.replace(day=1)
    return start, add_months(start, 1)


def billed_period(lease, month: date) -> tuple[date, date] | None:
    """Return the ``[start, end)`` of ``lease`` that the run of ``month`` invoices, or
    None when that run invoices nothing of it."""
    in_advance = lease.billing_timing == "advance"
    reference = month if in_advance else add_months(month, -1)
    start, end = calendar_period(lease.billing_period, reference)
    start = max(start, lease.start)
    if lease.end is not None:
        end = min(end, lease.end)
    if start >= end:
        return None
    billed_in = start.replace(day=1) if in_advance else (end - timedelta(days=1)).replace(day=1)
    return (start, end) if billed_in == reference else None


def prorated(monthly: Decimal, start: date, end: date) -> Decimal:
    """Return ``monthly`` for the days ``[start, end)``, each month counted by its days
    (not rounded: the caller rounds the line)."""
    total = Decimal("0")
    month = start.replace(day=1)
    while month < end:
        following = add_months(month, 1)
        days = (min(end, following) - max(start, month)).days
        length = calendar.monthrange(month.year, month.month)[1]
        total += monthly if days == length else Decimal(monthly) * days / length
        month = following
    return total
