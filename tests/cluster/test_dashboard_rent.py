"""The dashboard's rent: invoiced and collected by month, arrears by tenant."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from cluster import dashboard
from members import services
from members.models import Invoice
from startups.services.rent import rent_invoices_issue
from tests.cluster.staff import invoice as dues_invoice
from tests.cluster.staff import staff_member
from tests.members.factories import CompanyFactory
from tests.startups.factories import LeaseFactory

pytestmark = pytest.mark.django_db
D = Decimal


def figure(key, year):
    return next(f for f in dashboard.dashboard(year).figures if f.key == key)


@pytest.fixture
def rent():
    """Two tenants at 500 € + 20% from January 2026, invoiced on the 1st of January to
    March: Alpha pays every month on the 10th, Bravo pays nothing."""
    alpha = LeaseFactory(
        company=CompanyFactory(legal_name="Alpha SAS"),
        start=date(2026, 1, 1),
        monthly_rent=D("500.00"),
    )
    LeaseFactory(
        company=CompanyFactory(legal_name="Bravo SAS"),
        start=date(2026, 1, 1),
        monthly_rent=D("500.00"),
    )
    for month in (1, 2, 3):
        first = date(2026, month, 1)
        invoices, _ = rent_invoices_issue(month=first, issue_date=first)
        paid = next(i for i in invoices if i.company == alpha.company)
        services.payment_record(
            invoice=paid, amount=D("600.00"), date=date(2026, month, 10), method="transfer"
        )


def test_rent_is_counted_by_month_and_kept_out_of_the_dues(rent):
    dues_invoice(overdue=False)  # a dues invoice, paid: never counted as rent
    rows = figure("rent", 2026).rows
    assert [(row[1], row[2]) for row in rows[:4]] == [
        (D("1200.00"), D("600.00")),
        (D("1200.00"), D("600.00")),
        (D("1200.00"), D("600.00")),
        (D("0.00"), D("0.00")),
    ]
    tile = next(t for t in dashboard.dashboard(2026).key_figures if t.key == "rent-collected")
    assert (tile.value, tile.previous) == (D("1800.00"), D("0.00"))
    dues = figure("dues", 2026).rows
    assert D("3600.00") not in [row[1] for row in dues]


def test_arrears_list_each_tenant_with_what_is_overdue(rent):
    assert figure("rent-arrears", 2026).rows == [("Bravo SAS", D("1800.00"), 3)]


def test_a_credit_note_takes_its_amount_off_the_month(rent):
    bravo_january = Invoice.objects.filter(buyer_name="Bravo SAS").order_by("sequence").first()
    services.credit_note_issue(invoice=bravo_january, reason="Erreur de loyer")
    # Issued today, in November: 3 600 € invoiced, less the 600 € credited.
    total = sum(row[1] for row in figure("rent", 2026).rows)
    assert total == D("3000.00")
    assert figure("rent-arrears", 2026).rows == [("Bravo SAS", D("1200.00"), 2)]


def test_the_dashboard_shows_rent_to_accounting_not_to_the_incubator(rent, client):
    client.force_login(staff_member("Comptabilité"))
    page = client.get(reverse("staff-dashboard"), {"year": 2026})
    assert page.status_code == 200 and "Bravo SAS" in page.text
    client.force_login(staff_member("Incubateur", username="incubator@pole.example"))
    page = client.get(reverse("staff-dashboard"), {"year": 2026})
    assert page.status_code == 200 and "Bravo SAS" not in page.text
