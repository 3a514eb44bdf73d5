"""Writes on the incubator and office space that need more than one form's save."""

from datetime import date
from decimal import Decimal

from django.db import transaction

from members.constraints import constraint_violations_as_errors
from members.models import Company

from ..models import Lease, Office


def lease_create(
    *,
    office: Office,
    company: Company,
    start: date,
    end: date | None = None,
    monthly_rent: Decimal | None = None,
    **terms,
) -> Lease:
    """Let an office from ``start`` to ``end`` (open when None) at its list rent by default.

    Raise ValidationError when the office is let during part of the period, including when
    a concurrent booking wins the race: the exclusion constraint refuses the loser.
    """
    lease = Lease(
        office=office,
        company=company,
        start=start,
        end=end,
        monthly_rent=office.list_rent if monthly_rent is None else monthly_rent,
        **terms,
    )
    return lease_save(lease=lease)


def lease_save(*, lease: Lease) -> Lease:
    """Check and save a new or changed lease; return it.

    Raise ValidationError when it breaks a rule, or when a concurrent booking of the same
    office for the same days won the race (the exclusion constraint refuses the loser).
    """
    with constraint_violations_as_errors(lease), transaction.atomic():
        lease.full_clean()
        lease.save()
    return lease
