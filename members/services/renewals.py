"""Renewals: next year's membership and invoice for every member in good standing."""

from datetime import date

from django.conf import settings
from django.db import transaction

from ..models import (
    Membership,
)
from .invoices import invoices_issue
from .memberships import membership_create


def renewals_issue(*, year, issued_by=None):
    """Renew, for the membership year starting in ``year``, every company whose previous
    membership is in good standing, and invoice it. Return the invoices issued."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    start = date(year, month, 1)
    previous = (
        Membership.objects.filter(end=start, status__in=Membership.Status.IN_GOOD_STANDING)
        .exclude(company__memberships__start=start)
        .select_related("plan", "company")
    )
    with transaction.atomic():
        renewed = [
            membership_create(
                company=membership.company, plan=membership.plan, start=start, prorate=False
            )
            for membership in previous
        ]
        return invoices_issue(memberships=renewed, issued_by=issued_by) if renewed else []
