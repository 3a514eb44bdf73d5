"""The tenant's representatives see their rent invoices and balance in /my/."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from members import services
from startups.services.rent import rent_invoices_issue
from tests.members.factories import RepresentativeFactory

from .factories import LeaseFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def tenant():
    """A tenant with three months of rent at 500 € + 20% VAT, January paid."""
    lease = LeaseFactory(start=date(2026, 10, 1), monthly_rent=D("500.00"))
    invoices = [rent_invoices_issue(month=date(2027, month, 1))[0][0] for month in (1, 2, 3)]
    services.payment_record(
        invoice=invoices[0], amount=D("600.00"), date=invoices[0].issue_date, method="transfer"
    )
    return RepresentativeFactory(company=lease.company), invoices


def test_the_representative_sees_rent_invoices_and_balance(
    tenant, client, django_assert_max_num_queries
):
    representative, invoices = tenant
    client.force_login(representative.user)
    url = reverse("startups:my-rent", args=[representative.company.slug])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    for invoice in invoices:
        assert invoice.number in response.text
    assert response.context["balance"] == D("1200.00")
    detail = client.get(reverse("members:invoice-detail", args=[invoices[1].number]))
    assert detail.status_code == 200 and "Loyer, bureau" in detail.text
    # The members' billing page lists them too, with every other invoice.
    billing = client.get(reverse("members:my-membership", args=[representative.company.slug]))
    assert invoices[2].number in billing.text


def test_the_query_count_does_not_grow_with_the_invoices(
    tenant, client, django_assert_max_num_queries
):
    representative, _invoices = tenant
    for month in range(4, 10):
        rent_invoices_issue(month=date(2027, month, 1))
    client.force_login(representative.user)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("startups:my-rent", args=[representative.company.slug]))
    assert len(response.context["invoices"]) == 9


def test_another_companys_representative_sees_none_of_it(tenant, client):
    _representative, invoices = tenant
    stranger = RepresentativeFactory()
    client.force_login(stranger.user)
    tenant_slug = invoices[0].company.slug
    assert client.get(reverse("startups:my-rent", args=[tenant_slug])).status_code == 404
    detail = client.get(reverse("members:invoice-detail", args=[invoices[0].number]))
    assert detail.status_code == 404
    own = client.get(reverse("startups:my-rent", args=[stranger.company.slug]))
    assert own.status_code == 200 and own.context["invoices"] == []
    assert invoices[0].number not in own.text
