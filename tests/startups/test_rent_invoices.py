"""Rent invoices from leases: one per lease and period, prorated, numbered with the rest."""

from datetime import date
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from members.models import Invoice
from startups.models import RentInvoice
from startups.services.rent import rent_invoices_issue
from tests.cluster.staff import invoice as dues_invoice
from tests.cluster.staff import staff_member
from tests.concurrency import run_concurrently
from tests.members.factories import CompanyFactory

from .factories import BuildingFactory, LeaseFactory, OfficeFactory

D = Decimal
JANUARY = date(2027, 1, 1)


@pytest.fixture
def leases():
    """Three tenants: a full month at 20% VAT with charges, one starting on 16 January,
    one in an exempt building; and a lease already ended, which is never billed."""
    taxed = BuildingFactory(name="Pépinière", vat_rate=D("20.00"))
    exempt = BuildingFactory(name="Atelier", vat_rate=D("0.00"))
    return [
        LeaseFactory(
            office=OfficeFactory(building=taxed, code="P01"),
            company=CompanyFactory(legal_name="Alpha SAS"),
            start=date(2026, 1, 1),
            monthly_rent=D("1000.00"),
            service_charges=D("150.00"),
        ),
        LeaseFactory(
            office=OfficeFactory(building=taxed, code="P02"),
            company=CompanyFactory(legal_name="Bravo SAS"),
            start=date(2027, 1, 16),
            monthly_rent=D("310.00"),
        ),
        LeaseFactory(
            office=OfficeFactory(building=exempt, code="A01"),
            company=CompanyFactory(legal_name="Charlie SAS"),
            start=date(2026, 6, 1),
            monthly_rent=D("500.00"),
        ),
        LeaseFactory(
            office=OfficeFactory(building=taxed, code="P03"),
            start=date(2025, 1, 1),
            end=date(2026, 7, 1),
        ),
    ]


def test_the_command_issues_one_invoice_per_active_lease(leases):
    out = StringIO()
    call_command("issue_rent_invoices", "--period", "2027-01", stdout=out)

    invoices = list(Invoice.objects.order_by("sequence").prefetch_related("lines"))
    assert [i.buyer_name for i in invoices] == ["Alpha SAS", "Bravo SAS", "Charlie SAS"]
    alpha, bravo, charlie = invoices
    assert [(line.amount_excl_tax) for line in alpha.lines.all()] == [D("1000.00"), D("150.00")]
    assert (alpha.vat_rate, alpha.vat_amount, alpha.amount_incl_tax) == (
        D("20.00"),
        D("230.00"),
        D("1380.00"),
    )
    # 16 to 31 January: 16 days of 31.
    assert bravo.amount_excl_tax == D("160.00")
    assert (bravo.period_start, bravo.period_end) == (date(2027, 1, 16), date(2027, 1, 31))
    assert charlie.vat_amount == D("0.00") and charlie.vat_mention
    assert "Loyer, bureau P01 (Pépinière)" in alpha.lines.first().description
    assert "3 factures de loyer émises" in out.getvalue()
    assert RentInvoice.objects.get(invoice=alpha).lease == leases[0]


def test_a_second_run_issues_nothing_more_and_says_so(leases):
    rent_invoices_issue(month=JANUARY)
    out = StringIO()
    call_command("issue_rent_invoices", "--period", "2027-01", stdout=out)
    assert Invoice.objects.count() == 3
    assert "0 factures de loyer émises" in out.getvalue()
    assert "déjà facturé" in out.getvalue()


def test_a_bad_period_is_refused_clearly():
    with pytest.raises(CommandError, match="2027-01"):
        call_command("issue_rent_invoices", "--period", "janvier")


def test_a_prorated_tie_is_rounded_half_up_on_the_line():
    LeaseFactory(start=date(2027, 4, 16), monthly_rent=D("100.05"))
    [invoice], _refused = rent_invoices_issue(month=date(2027, 4, 1))
    # 100.05 × 15 / 30 = 50.025: half up 50.03 (half even would give 50.02).
    assert invoice.amount_excl_tax == D("50.03")
    assert invoice.vat_amount == D("10.01")  # 10.006
    assert invoice.amount_incl_tax == D("60.04")


def test_a_tenant_without_an_address_is_left_out_and_the_others_invoiced(leases):
    tenant = leases[1].company
    tenant.street = ""
    tenant.save()
    invoices, refused = rent_invoices_issue(month=JANUARY)
    assert len(invoices) == 2
    assert [(lease.company, str(tenant) in why) for lease, why in refused] == [(tenant, True)]


def test_the_database_refuses_a_second_invoice_for_one_lease_and_period(leases):
    [first, *_rest], _refused = rent_invoices_issue(month=JANUARY)
    rent = first.rent
    other = dues_invoice(overdue=False)
    with pytest.raises(IntegrityError, match="startups_rentinvoice_once_per_period"):
        RentInvoice.objects.create(
            invoice=other,
            lease=rent.lease,
            period_start=rent.period_start,
            period_end=rent.period_end,
        )


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_runs_issue_each_invoice_once_without_a_gap():
    for n in range(6):
        LeaseFactory(start=date(2026, 1, 1), company=CompanyFactory(legal_name=f"T{n} SAS"))

    results, errors = run_concurrently(lambda: rent_invoices_issue(month=JANUARY), [(), ()])

    assert errors == []
    assert sorted(len(invoices) for invoices, _refused in results) == [0, 6]
    year = timezone.localdate().year
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"{year}-{n:04d}" for n in range(1, 7)]
    assert RentInvoice.objects.count() == 6


class TestAdminTool:
    url = reverse("admin:startups_lease_issue_rent")

    def test_staff_preview_then_issue_once(
        self, leases, admin_client, django_assert_max_num_queries
    ):
        assert (
            "Émettre les loyers"
            in admin_client.get(reverse("admin:startups_lease_changelist")).text
        )
        with django_assert_max_num_queries(12):
            preview = admin_client.get(self.url, {"period": "2027-01"})
        assert preview.status_code == 200
        assert [row[0].legal_name for row in preview.context["rows"]] == [
            "Alpha SAS",
            "Bravo SAS",
            "Charlie SAS",
        ]
        assert preview.context["total"].replace("\xa0", " ") == "2 072,00 €"
        assert Invoice.objects.count() == 0

        done = admin_client.post(self.url, {"period": "2027-01", "apply": "1"}, follow=True)
        assert "3 factures de loyer émises" in done.text
        again = admin_client.post(self.url, {"period": "2027-01", "apply": "1"}, follow=True)
        assert "déjà émis" in again.text
        assert Invoice.objects.count() == 3

    def test_a_bad_month_shows_the_form_with_the_error(self, admin_client):
        response = admin_client.get(self.url, {"period": "2027-13"})
        assert response.status_code == 200
        assert "AAAA-MM" in response.text and "errorlist" in response.text
        assert Invoice.objects.count() == 0

    def test_accounting_staff_run_the_rent_and_enter_indexes(self, leases, client):
        client.force_login(staff_member("Comptabilité"))
        indexes_page = client.get(reverse("admin:startups_rentindex_changelist"))
        assert self.url in indexes_page.text
        client.post(self.url, {"period": "2027-01", "apply": "1"})
        assert Invoice.objects.count() == 3
        assert client.get(reverse("admin:startups_rentindex_add")).status_code == 200
        lease = leases[0]
        change = client.post(
            reverse("admin:startups_lease_change", args=[lease.pk]), {"monthly_rent": "1"}
        )
        assert change.status_code == 403  # the leases themselves are the incubator's
        lease.refresh_from_db()
        assert lease.monthly_rent == D("1000.00")

    def test_incubator_staff_may_not_issue_rent(self, leases, client):
        client.force_login(staff_member("Incubateur"))
        assert client.get(self.url, {"period": "2027-01"}).status_code == 403
        assert client.post(self.url, {"period": "2027-01", "apply": "1"}).status_code == 403
        assert Invoice.objects.count() == 0


pytestmark = pytest.mark.django_db
