"""Renewals: next year's membership and invoice for every member in good standing."""

from datetime import date

from django.conf import settings
from django.db import transaction

from ..models import Invoice, Membership
from .invoices import invoices_issue, lock_memberships
from .memberships import membership_create


def renewals_due(year: int):
    """Return the memberships to renew for the membership year starting in ``year``: those
    in good standing that end when it starts, with no membership of that year yet."""
    start = date(year, settings.CITE_MEMBERSHIP_YEAR_START_MONTH, 1)
    return (
        Membership.objects.filter(end=start, status__in=Membership.Status.IN_GOOD_STANDING)
        .exclude(company__memberships__start=start)
        .select_related("plan", "company")
    )


@transaction.atomic
def renewals_issue(*, year: int, issued_by=None) -> list[Invoice]:
    """Renew every membership due for the year starting in ``year`` and invoice it; return
    the invoices issued (none when another run issued them first).

    The previous memberships are locked first (the billing lock order), then counted again:
    a concurrent run waits, then finds nothing left to renew.
    """
    lock_memberships(renewals_due(year).values_list("pk", flat=True))
    previous = list(renewals_due(year).order_by("pk"))
    start = date(year, settings.CITE_MEMBERSHIP_YEAR_START_MONTH, 1)
    renewed = [
        membership_create(
            company=membership.company, plan=membership.plan, start=start, prorate=False
        )
        for membership in previous
    ]
    return invoices_issue(memberships=renewed, issued_by=issued_by) if renewed else []
