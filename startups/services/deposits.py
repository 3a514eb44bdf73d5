"""Deposits: recorded when the tenant pays it, returned (in full or in part, saying why)
once the lease has ended. A deposit is held, not billed: no invoice, no VAT."""

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members.invoice_document import euros
from members.periods import human_date

from ..models import Lease


@transaction.atomic
def deposit_return(
    *,
    lease: Lease,
    returned_on: date,
    amount: Decimal,
    reason: str = "",
    by: AbstractBaseUser | None = None,
) -> Lease:
    """Record that the deposit of an ended lease was returned, ``amount`` of it; keeping
    part of it needs a reason. Raise ValidationError, changing nothing, otherwise."""
    lease = Lease.objects.select_for_update().get(pk=lease.pk)
    errors = {}
    if lease.deposit_returned_on is not None:
        errors["returned_on"] = _("This deposit was already returned on %(date)s.") % {
            "date": human_date(lease.deposit_returned_on)
        }
    elif lease.deposit_received_on is None or not lease.deposit:
        errors["returned_on"] = _("No deposit was recorded as received on this lease.")
    elif lease.end is None or returned_on < lease.end:
        errors["returned_on"] = _(
            "The deposit is returned once the lease has ended: it has no end yet, or ends "
            "after this date."
        )
    if amount < 0 or amount > lease.deposit:
        errors["amount"] = _("Return between 0 and the deposit, %(deposit)s.") % {
            "deposit": euros(lease.deposit)
        }
    elif amount < lease.deposit and not reason.strip():
        errors["reason"] = _("Say why part of the deposit is kept.")
    if errors:
        raise ValidationError(errors)
    lease.deposit_returned_on = returned_on
    lease.deposit_returned = amount
    lease.deposit_retained_reason = reason.strip()
    lease._change_reason = _("Deposit returned")
    if by is not None:
        lease._history_user = by
    lease.save(update_fields=["deposit_returned_on", "deposit_returned", "deposit_retained_reason"])
    return lease
