"""The demo's rent: a year of monthly rent invoices for the hosted start-ups, mostly paid."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from members import services as billing
from members.demo import DEMO_SEED
from members.models import Payment

from .billing_periods import add_months
from .services.rent import rent_invoices_issue

METHODS = [Payment.Method.TRANSFER] * 3 + [Payment.Method.DIRECT_DEBIT]


@transaction.atomic
def seed_rent(months: int = 12) -> int:
    """Run the rent of the last ``months`` months, each dated its first day, and pay most
    invoices within three weeks; return the invoices issued.

    Idempotent: a lease and a period are never invoiced twice, so a second run adds only
    the months not yet run. About one invoice in eight stays unpaid, for the arrears.
    """
    today = timezone.localdate()
    this_month = today.replace(day=1)
    issued = 0
    for back in range(months - 1, -1, -1):
        month = add_months(this_month, -back)
        invoices, _refused = rent_invoices_issue(month=month, issue_date=month)
        issued += len(invoices)
        for invoice in invoices:
            rng = random.Random(f"{DEMO_SEED}-rent-{invoice.number}")
            paid_on = month + timedelta(days=rng.randrange(2, 25))
            if rng.random() < 0.88 and paid_on <= today:
                billing.payment_record(
                    invoice=invoice,
                    amount=invoice.amount_incl_tax,
                    date=paid_on,
                    method=rng.choice(METHODS),
                    reference=invoice.number,
                )
    return issued
