"""The cluster's identity is configuration: one record that staff edit, read wherever the
cluster names itself; nothing about one cluster is written in the code."""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse

from members import services
from members.models import ClusterIdentity

from .factories import CompanyFactory, MembershipPlanFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_pages_name_the_cluster_from_its_identity(client):
    identity = ClusterIdentity.objects.current()
    home = client.get("/").text
    assert identity.name in home and identity.site_name in home
    assert identity.tagline_fr in home

    identity.name = "Pôle Numérique Catalan"
    identity.save()
    assert "Pôle Numérique Catalan" in client.get("/directory/").text


def test_a_blank_identity_still_gives_working_pages(client):
    ClusterIdentity.objects.all().delete()
    response = client.get("/")
    assert response.status_code == 200
    assert "<title>" in response.text and "Cité" in response.text


def test_invoices_wait_for_the_identity_and_say_what_to_fill_in():
    identity = ClusterIdentity.objects.current()
    identity.siren = ""
    identity.street = ""
    identity.save()
    plan = MembershipPlanFactory(annual_fee=Decimal("100.00"))
    membership = services.membership_create(company=CompanyFactory(), plan=plan)
    with pytest.raises(ValidationError) as error:
        services.invoice_issue(membership=membership)
    message = error.value.messages[0]
    assert "SIREN" in message and "voie" in message
    assert not membership.invoices.exists()


def test_invoices_copy_the_identity_as_it_was(admin_client):
    plan = MembershipPlanFactory(annual_fee=Decimal("100.00"))
    membership = services.membership_create(company=CompanyFactory(), plan=plan)
    invoice = services.invoice_issue(membership=membership)
    identity = ClusterIdentity.objects.current()
    identity.legal_name = "Association renommée"
    identity.save()
    invoice.refresh_from_db()
    assert invoice.seller_name == "Association Pôle Image Test"
    assert invoice.seller_address == "1 rue de l’Image, 66270 Le Soler"


def test_staff_edit_the_one_identity_in_the_admin(admin_client):
    listing = admin_client.get(reverse("admin:members_clusteridentity_changelist"))
    assert listing.status_code == 302
    assert listing.url == reverse("admin:members_clusteridentity_change", args=[1])
    page = admin_client.get(listing.url)
    assert "FR7630006000011234567890189" in page.text or "FR76" in page.text
    assert admin_client.get(reverse("admin:members_clusteridentity_add")).status_code == 403


def test_the_admin_header_names_the_cluster(admin_client):
    assert "Cité · Pôle Image Test" in admin_client.get(reverse("admin:index")).text


def test_an_invalid_iban_is_refused_with_a_message():
    identity = ClusterIdentity.objects.current()
    identity.iban = "FR76 3000 6000 0112 3456 7890 180"
    with pytest.raises(ValidationError) as error:
        identity.full_clean()
    assert "iban" in error.value.message_dict
