"""Writes on the incubator and office space that need more than one form's save."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from .models import Lease, Office, overlap_message


def lease_create(*, office, company, start, end=None, monthly_rent=None, **terms):
    """Let an office, refusing any overlap with another lease of it.

    The overlap check and the insert run in one transaction: on SQLite transactions are
    IMMEDIATE (one writer at a time); on PostgreSQL the exclusion constraint refuses the
    loser of a race, turned here into the same clear error.
    """
    lease = Lease(
        office=office,
        company=company,
        start=start,
        end=end,
        monthly_rent=office.list_rent if monthly_rent is None else monthly_rent,
        **terms,
    )
    try:
        with transaction.atomic():
            Office.objects.select_for_update().filter(pk=office.pk).first()
            lease.full_clean()
            lease.save()
    except IntegrityError as error:
        clash = (
            Lease.objects.filter(office=office)
            .overlapping(start, end)
            .select_related("company")
            .first()
        )
        message = (
            overlap_message(clash)
            if clash
            else _("Another booking of this office was just made for these dates.")
        )
        raise ValidationError({"start": message}, code="overlap") from error
    return lease
