"""The demo's year of rent: monthly invoices for the hosted start-ups, mostly paid, some
collected by SEPA direct debit."""

from datetime import date

import pytest

from members.models import DirectDebit, DirectDebitFile, Invoice, Mandate
from startups.demo_rent import seed_rent

from .factories import LeaseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_holds_monthly_rent_invoices_mostly_paid_and_runs_once():
    for n in range(6):
        LeaseFactory(start=date(2020, 1, 1), company__legal_name=f"Locataire {n} SAS")

    assert seed_rent(months=12) == 72

    rent = Invoice.objects.filter(rent__isnull=False).with_balance()
    assert rent.values("issue_date").distinct().count() == 12
    paid = rent.filter(payment_status="paid").count()
    assert 45 <= paid < 72  # mostly paid, some left for the arrears
    # Some tenants pay by direct debit: one mandate each, their rent collected monthly.
    debited = DirectDebit.objects.filter(invoice__rent__isnull=False)
    mandates = Mandate.objects.filter(debits__in=debited).distinct().count()
    assert 1 <= mandates < 6
    assert debited.filter(status="collected").count() >= 11 * mandates
    assert (
        not rent.filter(direct_debits__isnull=False)
        .exclude(payment_status__in=("paid", "collecting"))
        .exists()
    )
    files = DirectDebitFile.objects.count()
    assert seed_rent(months=12) == 0
    assert DirectDebitFile.objects.count() == files
