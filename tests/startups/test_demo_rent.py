"""The demo's year of rent: monthly invoices for the hosted start-ups, mostly paid."""

from datetime import date

import pytest

from members.models import Invoice
from startups.demo_rent import seed_rent

from .factories import LeaseFactory

pytestmark = pytest.mark.django_db


def test_the_demo_holds_monthly_rent_invoices_mostly_paid_and_runs_once():
    for _ in range(4):
        LeaseFactory(start=date(2020, 1, 1))

    assert seed_rent(months=12) == 48

    rent = Invoice.objects.filter(rent__isnull=False).with_balance()
    assert rent.values("issue_date").distinct().count() == 12
    paid = rent.filter(payment_status="paid").count()
    assert 30 <= paid < 48  # mostly paid, some left for the arrears
    assert seed_rent(months=12) == 0
