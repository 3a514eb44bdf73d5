"""The yearly rent revision by index, applied on the lease's anniversary and shown."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from members.models import Invoice
from startups.models import RentIndex, RentRevision
from startups.services.rent import rent_due, rent_invoices_issue

from .factories import LeaseFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def indexes():
    return {
        2025: RentIndex.objects.create(kind="ilat", year=2025, quarter=2, value=D("131.12")),
        2026: RentIndex.objects.create(kind="ilat", year=2026, quarter=2, value=D("134.58")),
    }


def test_the_rent_is_revised_on_the_anniversary_and_the_invoice_shows_how(indexes):
    lease = LeaseFactory(
        start=date(2026, 3, 1), monthly_rent=D("1000.00"), rent_index=indexes[2025]
    )
    [february], _ = rent_invoices_issue(month=date(2027, 2, 1))
    assert february.amount_excl_tax == D("1000.00")

    [march], _ = rent_invoices_issue(month=date(2027, 3, 1))

    # 1 000 × 134.58 / 131.12 = 1 026.3880…
    assert march.amount_excl_tax == D("1026.39")
    # The texts are the site's (French) formats; the words are translated with the catalog.
    text = march.lines.get().description.replace("\xa0", " ")
    assert "01/03/2027 : 1 000,00 € × 134,58 (ILAT T2 2026) / 131,12 (ILAT T2 2025)" in text
    assert "= 1 026,39 €" in text
    revision = RentRevision.objects.get(lease=lease)
    assert (revision.effective, revision.old_rent, revision.new_rent) == (
        date(2027, 3, 1),
        D("1000.00"),
        D("1026.39"),
    )
    [april], _ = rent_invoices_issue(month=date(2027, 4, 1))
    assert april.amount_excl_tax == D("1026.39")
    assert RentRevision.objects.count() == 1


def test_an_anniversary_inside_the_month_splits_the_rent(indexes):
    LeaseFactory(start=date(2026, 3, 16), monthly_rent=D("1000.00"), rent_index=indexes[2025])
    [march], _ = rent_invoices_issue(month=date(2027, 3, 1))
    lines = list(march.lines.all())
    # 15 days of 31 at 1 000 €, then 16 days of 31 at 1 026.39 €.
    assert [line.amount_excl_tax for line in lines] == [D("483.87"), D("529.75")]
    assert "révisé" not in lines[0].description and "révisé" in lines[1].description


def test_a_missing_index_holds_the_lease_back_with_a_clear_reason(indexes):
    indexes[2026].delete()
    LeaseFactory(start=date(2026, 3, 1), rent_index=indexes[2025])
    due, refused = rent_due(date(2027, 3, 1))
    assert due == []
    assert "L’indice ILAT T2 2026 n’est pas encore saisi" in refused[0][1]
    invoices, _ = rent_invoices_issue(month=date(2027, 3, 1))
    assert invoices == [] and Invoice.objects.count() == 0
    assert RentRevision.objects.count() == 0


def test_a_lease_without_index_keeps_its_rent():
    LeaseFactory(start=date(2026, 3, 1), monthly_rent=D("700.00"))
    [march], _ = rent_invoices_issue(month=date(2027, 3, 1))
    assert march.amount_excl_tax == D("700.00")
    assert "révisé" not in march.lines.get().description


def test_staff_enter_an_index_in_the_admin(admin_client):
    response = admin_client.post(
        reverse("admin:startups_rentindex_add"),
        {"kind": "ilc", "year": "2026", "quarter": "3", "value": "137.50"},
    )
    assert response.status_code == 302
    index = RentIndex.objects.get(kind="ilc")
    assert index.value == D("137.50")
    duplicate = admin_client.post(
        reverse("admin:startups_rentindex_add"),
        {"kind": "ilc", "year": "2026", "quarter": "3", "value": "1"},
    )
    assert duplicate.status_code == 200 and RentIndex.objects.count() == 1


def test_the_index_list_costs_the_same_whatever_its_length(
    admin_client, admin_user, django_assert_max_num_queries
):
    for year in range(2010, 2030):
        RentIndex.objects.create(
            kind="ilc", year=year, quarter=1, value=D("100.00"), entered_by=admin_user
        )
    with django_assert_max_num_queries(10):
        response = admin_client.get(reverse("admin:startups_rentindex_changelist"))
    assert response.status_code == 200
    assert "ILC T1 2029" in response.text
