"""One "public data changed" event: every write that can change what a visitor sees makes
the cached public pages fresh at once; and the cache key holds the host and only the
parameters a page understands."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.utils import timezone

from members import services
from members.models import ClusterIdentity, Contact, Membership, ProfileRevision
from startups.models import Incubation, Programme
from tests.startups.factories import LeaseFactory, OfficeFactory

from .factories import (
    CompanyFactory,
    MembershipPlanFactory,
    OfferFactory,
    RepresentativeFactory,
    SectorFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def company():
    sector = SectorFactory(name="Jeu vidéo", slug="jeu-video")
    return CompanyFactory(trade_name="Tramontane Games", sectors=[sector])


def cached(client, url):
    """Fetch ``url`` twice as a visitor: return the page, after checking it is cached."""
    first = client.get(url)
    second = client.get(url)
    assert second["X-Cache"] == "hit", url
    return first.text


def fresh(client, url):
    """Fetch ``url`` and check that it was not served from the cache."""
    response = client.get(url)
    assert response.get("X-Cache") == "miss", url
    return response.text


def test_a_company_edit_shows_at_once(client, company):
    url = company.get_absolute_url()
    assert "Tramontane Games" in cached(client, url)
    company.trade_name = "Tramontane Studio"
    company.save()
    assert "Tramontane Studio" in fresh(client, url)


def test_a_sector_rename_shows_at_once_in_the_directory(client, company):
    assert "Jeu vidéo" in cached(client, "/directory/")
    sector = company.sectors.get()
    sector.name = "Jeux vidéo et e-sport"
    sector.save()
    assert "Jeux vidéo et e-sport" in fresh(client, "/directory/")


def test_a_new_sector_link_shows_at_once(client, company):
    sound = SectorFactory(name="Son", slug="son")
    assert "Tramontane Games" not in cached(client, "/directory/?sector=son")
    company.sectors.add(sound)
    assert "Tramontane Games" in fresh(client, "/directory/?sector=son")


def test_a_consenting_contact_shows_at_once(client, company):
    url = company.get_absolute_url()
    assert "Montserrat" not in cached(client, url)
    Contact.objects.create(
        company=company, first_name="Montserrat", last_name="Puig", public_consent=True
    )
    assert "Montserrat" in fresh(client, url)


def test_an_approved_offer_shows_at_once(client, company):
    cached(client, "/offers/")
    OfferFactory(company=company, title="Stage animation 3D")
    assert "Stage animation 3D" in fresh(client, "/offers/")


def test_a_membership_status_change_shows_at_once(client, company):
    plan = MembershipPlanFactory(annual_fee=Decimal("100.00"))
    membership = services.membership_create(company=company, plan=plan)
    url = company.get_absolute_url()
    cached(client, url)
    services.membership_resign(membership=membership)
    assert client.get(url).status_code == 404
    assert company.memberships.get().status == Membership.Status.RESIGNED


def test_a_current_incubation_shows_at_once_among_the_start_ups(client, company):
    url = "/directory/?kind=startup"
    assert "Tramontane Games" not in cached(client, url)
    Incubation.objects.create(
        company=company,
        programme=Programme.objects.create(name="Incubation", stage="incubation"),
        cohort="2026-A",
        start=timezone.localdate() - timedelta(days=30),
        planned_end=timezone.localdate() + timedelta(days=300),
    )
    assert "Tramontane Games" in fresh(client, url)


def test_a_lease_makes_the_cached_pages_fresh(client, company):
    cached(client, company.get_absolute_url())
    LeaseFactory(office=OfficeFactory(), company=company)
    fresh(client, company.get_absolute_url())


def test_a_moderation_decision_shows_at_once(client, company, settings):
    settings.CITE_MODERATE_PROFILES = True
    url = company.get_absolute_url()
    cached(client, url)
    representative = RepresentativeFactory(company=company)
    revision = ProfileRevision.objects.create(
        company=company, changes={"description_fr": "Jeux en réalité virtuelle."}
    )
    revision.submitted_by = representative.user
    revision.save()
    assert "réalité virtuelle" not in cached(client, url)  # pending: not public yet
    services.revision_approve(revision=revision, reviewer=UserFactory(is_staff=True))
    assert "Jeux en réalité virtuelle." in fresh(client, url)


def test_the_cluster_identity_shows_at_once(client, company):
    url = company.get_absolute_url()
    cached(client, url)
    identity = ClusterIdentity.objects.current()
    identity.site_name = "Cité de l’image"
    identity.save()
    assert "Cité de l’image" in fresh(client, url)


def test_the_cache_key_ignores_unknown_parameters_and_their_order(client, company):
    cached(client, "/directory/?q=tramontane&sort=name")
    assert client.get("/directory/?sort=name&q=tramontane")["X-Cache"] == "hit"
    assert client.get("/directory/?sort=name&q=tramontane&utm_source=x")["X-Cache"] == "hit"
    assert client.get("/directory/?q=tramontane")["X-Cache"] == "miss"


def test_the_cache_key_holds_the_host(client, company, settings):
    settings.ALLOWED_HOSTS = ["annuaire.example.org", "directory.example.org"]
    url = company.get_absolute_url()
    client.get(url, HTTP_HOST="annuaire.example.org")
    assert client.get(url, HTTP_HOST="annuaire.example.org")["X-Cache"] == "hit"
    assert client.get(url, HTTP_HOST="directory.example.org")["X-Cache"] == "miss"


def test_a_rolled_back_write_leaves_the_cache_as_it_was(client, company):
    """The event commits or rolls back with the write it announces."""
    from django.db import transaction

    url = company.get_absolute_url()
    cached(client, url)
    with pytest.raises(RuntimeError), transaction.atomic():
        company.trade_name = "Never saved"
        company.save()
        raise RuntimeError
    assert client.get(url)["X-Cache"] == "hit"


def test_a_past_membership_year_does_not_hide_a_renewed_member(client, company):
    plan = MembershipPlanFactory(annual_fee=Decimal("100.00"))
    old = services.membership_create(company=company, plan=plan, start=date(2025, 1, 1))
    Membership.objects.filter(pk=old.pk).update(status=Membership.Status.LAPSED)
    services.membership_create(company=company, plan=plan, start=date(2026, 1, 1))
    assert client.get(company.get_absolute_url()).status_code == 200
