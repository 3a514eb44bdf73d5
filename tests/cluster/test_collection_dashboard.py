"""The dashboard's collection figures: the share of dues (and rent) paid by SEPA direct
debit, and days sales outstanding."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cluster.dashboard import collection
from cluster.dashboard.periods import Period
from members import services
from members.models import Invoice
from members.sepa_calendar import earliest_collection_date
from members.services import direct_debits
from tests.members.factories import CompanyFactory
from tests.members.sepa_factories import MandateFactory, due_invoice

from .staff import staff_member

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Read the rows by their English labels."""
    with translation.override("en"):
        yield


TODAY = timezone.localdate()


def pay(invoice, method, day=None):
    services.payment_record(
        invoice=invoice,
        amount=invoice.amount_incl_tax,
        date=day or TODAY - timedelta(days=5),
        method=method,
    )


def collect(invoice):
    MandateFactory(company=invoice.company)
    file = direct_debits.direct_debit_file_build(
        invoices=[invoice], collection_date=earliest_collection_date(TODAY)
    )
    direct_debits.direct_debits_collect(debits=file.debits.all(), date=TODAY)


def test_the_share_by_direct_debit_counts_the_years_payments():
    collect(due_invoice(fee=Decimal("300.00")))
    pay(due_invoice(fee=Decimal("100.00")), "transfer")
    due_invoice(fee=Decimal("50.00"))  # unpaid: not counted
    tiles, [figure] = collection.figures(TODAY.year)
    share = next(tile for tile in tiles if tile.key == "direct-debit-share")
    assert share.value == Decimal("75.0")
    assert dict(figure.rows)["dues collected by direct debit"] == Decimal("300.00")
    # No rent invoice yet: no rent rows.
    assert not any("rent" in str(label) for label, _value in figure.rows)


def test_days_sales_outstanding_is_what_is_owed_over_what_was_invoiced_times_the_days():
    year = TODAY.year - 1
    period = Period.calendar(year)
    paid = due_invoice(fee=Decimal("300.00"), days_ago=(TODAY - date(year, 3, 1)).days)
    due_invoice(fee=Decimal("100.00"), days_ago=(TODAY - date(year, 6, 1)).days)
    pay(paid, "transfer", day=date(year, 4, 1))
    receivables, dso = collection.days_sales_outstanding(period)
    days = (period.end - period.start).days
    assert receivables == Decimal("100.00")
    assert dso == round(100 / 400 * days)


def test_without_invoices_there_is_no_dso():
    assert collection.days_sales_outstanding(Period.calendar(2001)) == (Decimal("0.00"), None)


def test_rent_and_other_invoices_are_counted_apart_once_there_are_some():
    invoice = due_invoice(fee=Decimal("200.00"))
    Invoice.objects.filter(pk=invoice.pk).update(membership=None)  # as a rent invoice is
    collect(invoice)
    _tiles, [figure] = collection.figures(TODAY.year)
    rows = dict(figure.rows)
    assert rows["rent and other invoices by direct debit"] == Decimal("200.00")
    assert rows["share of rent and other invoices by direct debit"] == Decimal("100.0")


def test_the_accountant_sees_the_collection_figures_and_the_school_does_not(client):
    collect(due_invoice(CompanyFactory()))
    client.force_login(staff_member("Comptabilité"))
    response = client.get(reverse("staff-dashboard"), {"year": TODAY.year})
    assert "collection" in {figure.key for figure in response.context["figures"]}
    client.force_login(staff_member("École"))
    response = client.get(reverse("staff-dashboard"), {"year": TODAY.year})
    assert "collection" not in {figure.key for figure in response.context["figures"]}
