"""Office occupancy over the twelve months of a calendar year (see ``startups.occupancy``)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.dateformat import format as format_date
from django.utils.translation import gettext as _

from startups import occupancy

from .figures import Column, Figure, KeyFigure
from .periods import Period

TENTH = Decimal("0.1")


def rate(let, delivered):
    """Return let ÷ delivered as a percentage with one decimal, None when nothing is delivered."""
    if not delivered:
        return None
    return (let * 100 / delivered).quantize(TENTH, ROUND_HALF_UP)


def average(months):
    """Return the year's occupancy: m² let ÷ m² delivered, each summed over its months."""
    return rate(sum(m["let_m2"] for m in months), sum(m["delivered_m2"] for m in months))


def definitions():
    return [
        (
            _("Occupancy"),
            _(
                "m² let ÷ m² delivered, measured on the first day of each month: a lease "
                "starting on the 15th counts from the next month. Months still to come "
                "count the leases signed today."
            ),
        ),
        (
            _("Occupancy of the year"),
            _("The m² let on the twelve first days of the months ÷ the m² delivered on them."),
        ),
    ]


def figures(year):
    """Return the occupancy key figure and figure for the calendar year ``year`` (2 queries)."""
    period = Period.calendar(year)
    months = occupancy.occupancy_by_month(date(year - 1, 1, 1), date(year, 12, 1))
    last, this = months[:12], months[12:]
    rows = [
        (month["month"], month["let_m2"], month["delivered_m2"], rate(*_m2(month)))
        for month in this
    ]
    tile = KeyFigure(
        "occupancy",
        _("Office occupancy"),
        average(this),
        average(last),
        "percent",
        period,
        figure="occupancy",
    )
    return [tile], [
        Figure(
            "occupancy",
            _("Office occupancy by month"),
            period,
            [
                Column(_("month"), "month"),
                Column(_("m² let"), "area"),
                Column(_("m² delivered"), "area"),
                Column(_("occupancy"), "percent"),
            ],
            rows,
            chart="line",
            series=[(format_date(row[0], "N"), row[3]) for row in rows],
            series_kind="percent",
            description=_(
                "Occupancy on the first day of each month of the year, new offices counted "
                "from their delivery."
            ),
            definitions=definitions(),
        )
    ]


def _m2(month):
    return month["let_m2"], month["delivered_m2"]
