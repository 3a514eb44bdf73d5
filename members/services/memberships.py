"""Memberships: the membership year, first-year fees, creation and resignation."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..constraints import constraint_violations_as_errors
from ..models import (
    Membership,
)
from ..money import money


def membership_year(day):
    """Return ``(start, end)`` of the membership year containing ``day``."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    year = day.year if day.month >= month else day.year - 1
    return date(year, month, 1), date(year + 1, month, 1)


def first_year_fee(plan, start):
    """Return the fee for a membership starting on ``start``: prorated by the months left
    in the membership year (the month of joining counts) when the setting says so."""
    year_start, year_end = membership_year(start)
    if not settings.CITE_PRORATE_FIRST_YEAR or start == year_start:
        return money(plan.annual_fee)
    months_left = (year_end.year - start.year) * 12 + year_end.month - start.month
    return money(plan.annual_fee * months_left / 12)


def membership_create(*, company, plan, start=None, prorate=True):
    """Create a pending membership from ``start`` (today) to the end of its year.

    Raise ValidationError when the company already has a membership for part of the
    period, including one created concurrently.
    """
    start = start or timezone.localdate()
    year_start, year_end = membership_year(start)
    fee = first_year_fee(plan, start) if prorate else money(plan.annual_fee)
    membership = Membership(company=company, plan=plan, start=start, end=year_end, fee=fee)
    with constraint_violations_as_errors(membership), transaction.atomic():
        membership.full_clean()
        membership.save()
    return membership


@transaction.atomic
def membership_resign(*, membership):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.status = Membership.Status.RESIGNED
    membership.save(update_fields=["status"])
    return membership


def _move(membership, status):
    """Change a membership's status (kept in its history); return 1 if it changed."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.status == status:
            return 0
        membership.status = status
        membership.save(update_fields=["status"])
    return 1
