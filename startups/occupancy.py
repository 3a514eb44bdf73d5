"""How full the buildings are, month by month, and which offices are or will be free.

A day's occupancy is measured on that day:

- delivered m² is the sum of the ``area`` of the active offices whose ``delivery_date`` is on
  or before the day;
- let m² is the sum of the ``area`` of those same offices that have a lease covering the
  day (``start <= day < end``, or ``end`` empty);
- the rate is let m² / delivered m², a fraction with 4 decimals, and ``None`` when nothing
  is delivered (no rate rather than a misleading 0 % or a division by zero).

A month is measured on its first day, so a lease starting on 15 March counts from April and
a lease ending on 1 June (its first day no longer let) does not count in June.

The database does the sums with conditional aggregation, one aggregate per day: the number
of queries is fixed whatever the number of months, buildings and offices.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Exists, Max, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Greatest
from django.utils import timezone

from .models import Building, Lease, Office

CENT = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
ZERO_M2 = Decimal("0.00")


def month_starts(first_month: date, last_month: date) -> list[date]:
    """Return the first day of each month from ``first_month`` to ``last_month`` included.

    Any day of a month stands for its month; an empty list when the range is reversed.
    """
    year, month = first_month.year, first_month.month
    months = []
    while (year, month) <= (last_month.year, last_month.month):
        months.append(date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _delivered_on(day, prefix=""):
    return Q(**{f"{prefix}active": True, f"{prefix}delivery_date__lte": day})


def _let_on(day):
    # The same rule as PeriodQuerySet.active_on, written as a Q so that it can filter an
    # aggregate; an office that is inactive or not yet delivered lets no m².
    covers = Q(start__lte=day) & (Q(end__isnull=True) | Q(end__gt=day))
    return covers & _delivered_on(day, prefix="office__")


def _sums(days, area, condition):
    return {f"m{i}": Sum(area, filter=condition(day)) for i, day in enumerate(days)}


def _m2(value):
    """Return a sum of areas as a Decimal with 2 places (0.00 for an empty sum)."""
    if value is None:
        return ZERO_M2
    return Decimal(str(value)).quantize(CENT)


def _row(key, day, let, delivered):
    let, delivered = _m2(let), _m2(delivered)
    rate = (let / delivered).quantize(RATE_PLACES, ROUND_HALF_UP) if delivered else None
    return {key: day, "let_m2": let, "delivered_m2": delivered, "rate": rate}


def _rows(key, days, let, delivered):
    return [_row(key, day, let.get(f"m{i}"), delivered.get(f"m{i}")) for i, day in enumerate(days)]


def _totals(key, days, *, building=None):
    """Return one row per day, for every building or one, in 2 queries."""
    offices, leases = Office.objects.all(), Lease.objects.all()
    if building is not None:
        offices = offices.filter(building=building)
        leases = leases.filter(office__building=building)
    delivered = offices.aggregate(**_sums(days, "area", _delivered_on))
    let = leases.aggregate(**_sums(days, "office__area", _let_on))
    return _rows(key, days, let, delivered)


def occupancy_by_month(
    first_month: date, last_month: date, *, building: Building | None = None
) -> list[dict]:
    """Return the occupancy of each month from ``first_month`` to ``last_month``.

    Each row is ``{"month", "let_m2", "delivered_m2", "rate"}``, measured on the month's
    first day (see the module's docstring), for every building or only ``building``.
    Costs 2 queries whatever the number of months.
    """
    return _totals("month", month_starts(first_month, last_month), building=building)


def occupancy_on(day: date, *, building: Building | None = None) -> dict:
    """Return the row ``{"day", "let_m2", "delivered_m2", "rate"}`` of ``day``, in 2 queries."""
    return _totals("day", [day], building=building)[0]


def upcoming_deliveries(today: date | None = None) -> list[dict]:
    """Return ``[{"date", "area_m2"}]``: the m² of active offices delivered after today."""
    today = today or timezone.localdate()
    deliveries = (
        Office.objects.filter(active=True, delivery_date__gt=today)
        .order_by("delivery_date")
        .values("delivery_date")
        .annotate(area=Sum("area"))
    )
    return [{"date": row["delivery_date"], "area_m2": _m2(row["area"])} for row in deliveries]


def free_from(today: date | None = None) -> QuerySet[Office]:
    """Return the offices that are or will be free for good, annotated with ``free_from``.

    ``free_from`` is the latest of the delivery date, today and the end of the last lease
    that ends after today: from that day the office is free with no end, as in
    ``Office.objects.free_between(day, None)``. An office with an open-ended lease, current
    or future, is never free for good and is left out. One query, ordered by ``free_from``.
    """
    today = today or timezone.localdate()
    open_ended = Lease.objects.filter(office=OuterRef("pk"), end__isnull=True)
    return (
        Office.objects.filter(active=True)
        .filter(~Exists(open_ended))
        .annotate(last_end=Max("leases__end", filter=Q(leases__end__gt=today)))
        .annotate(free_from=Greatest("delivery_date", Value(today), "last_end"))
        .select_related("building")
        .order_by("free_from", "building__name", "floor", "code")
    )
