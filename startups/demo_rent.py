"""The demo's rent: a year of monthly rent invoices for the hosted start-ups, mostly paid;
about a third of the tenants pay by SEPA direct debit, collected month by month through
the same files as the dues (the current month's debit may still be on its way)."""

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from members import services as billing
from members.demo import DEMO_SEED
from members.demo.direct_debits import DEBTOR_IBANS, DEMO_CREDITOR_ID
from members.models import ClusterIdentity, Mandate, Payment
from members.sepa_calendar import earliest_collection_date
from members.services import direct_debits

from .billing_periods import add_months
from .services.rent import rent_invoices_issue

METHODS = [Payment.Method.TRANSFER] * 3 + [Payment.Method.CHEQUE]
DEBIT_SHARE = 0.35  # of the tenants, chosen by name: they sign a mandate


@transaction.atomic
def seed_rent(months: int = 12) -> int:
    """Run the rent of the last ``months`` months, each dated its first day; collect the
    invoices of the tenants with a mandate by direct debit, and pay most of the others
    within three weeks; return the invoices issued.

    Idempotent: a lease and a period are never invoiced twice, so a second run adds only
    the months not yet run (and collects only those). About one invoice in eight paid by
    transfer stays unpaid, for the arrears.
    """
    today = timezone.localdate()
    this_month = today.replace(day=1)
    debiting = _creditor_ready()
    issued = 0
    for back in range(months - 1, -1, -1):
        month = add_months(this_month, -back)
        invoices, _refused = rent_invoices_issue(month=month, issue_date=month)
        issued += len(invoices)
        debited = [i for i in invoices if debiting and _pays_by_debit(i.company)]
        _collect(debited, month, today)
        for invoice in invoices:
            if invoice in debited:
                continue
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


def _creditor_ready() -> bool:
    """Give the demo cluster the SEPA creditor identifier the dues' demo gives it (when it
    has none); return whether direct debits can be built (it needs an IBAN too)."""
    identity = ClusterIdentity.objects.current()
    if identity.pk and not identity.sepa_creditor_id:
        ClusterIdentity.objects.filter(pk=identity.pk).update(sepa_creditor_id=DEMO_CREDITOR_ID)
        identity.refresh_from_db()
    return bool(identity.pk and identity.iban and identity.bic)


def _pays_by_debit(company) -> bool:
    return random.Random(f"{DEMO_SEED}-mandate-{company.legal_name}").random() < DEBIT_SHARE


def _mandate(company, signed_on):
    """Return the tenant's active mandate, signing one on ``signed_on`` if it has none."""
    mandate = Mandate.objects.active().filter(company=company).first()
    if mandate is None:
        mandate = Mandate.objects.create(
            company=company,
            reference=f"RUM-LOYER-{company.pk:05d}",
            signed_on=signed_on,
            debtor_name=company.legal_name[:70],
            iban=DEBTOR_IBANS[company.pk % len(DEBTOR_IBANS)],
            bic="AGRIFRPP",
        )
    return mandate


def _collect(invoices, month, today):
    """Build the month's direct debit file on the day of issue, and record it collected
    once its collection date has passed."""
    if not invoices:
        return
    for invoice in invoices:
        _mandate(invoice.company, month)
    file = direct_debits.direct_debit_file_build(
        invoices=invoices, collection_date=earliest_collection_date(month), today=month
    )
    if file is not None and file.collection_date <= today:
        direct_debits.direct_debits_collect(
            debits=list(file.debits.all()), date=file.collection_date
        )
