"""Dues, counted by calendar year: invoices are numbered and payments booked by calendar year."""

from django.db.models import Sum
from django.utils.translation import gettext as _

from members import services
from members.models import Payment
from members.money import money

from .figures import Column, Figure, KeyFigure
from .periods import Period


def definitions():
    return [
        (
            _("Expected"),
            _("The fees, before tax, of the memberships starting in the year (not resigned)."),
        ),
        (
            _("Invoiced"),
            _("The invoices issued in the year, tax included, less their credit notes."),
        ),
        (_("Collected"), _("The payments received in the year, whatever the invoice's year.")),
        (
            _("Overdue"),
            _("What is still unpaid today on the year's invoices whose due date has passed."),
        ),
    ]


def figures(year):
    """Return the dues' key figure and figure for the calendar year ``year`` (5 queries)."""
    period = Period.calendar(year)
    [this] = services.yearly_summary(year)
    # The year before only for its tile: what was collected, as yearly_summary counts it.
    before = period.previous()
    collected_before = Payment.objects.filter(
        invoice__membership__isnull=False, date__gte=before.start, date__lt=before.end
    ).aggregate(total=Sum("amount"))["total"]
    rows = [
        (_("expected (before tax)"), this["expected"]),
        (_("invoiced (tax included)"), this["invoiced"]),
        (_("collected"), this["collected"]),
        (_("overdue today"), this["overdue"]),
    ]
    tile = KeyFigure(
        "dues-collected",
        _("Dues collected"),
        this["collected"],
        money(collected_before or 0),
        "money",
        period,
        figure="dues",
    )
    return [tile], [
        Figure(
            "dues",
            _("Dues"),
            period,
            [Column(_("figure")), Column(_("amount"), "money")],
            rows,
            series=rows,
            series_kind="money",
            description=_("Dues of the year: expected, invoiced, collected and overdue."),
            definitions=definitions(),
        )
    ]
