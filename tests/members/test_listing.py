"""Who the public sees (``Company.listed``) and how many in each sector (``SectorCount``),
kept by PostgreSQL's triggers: the same answer whatever path wrote the company, its
sectors or its memberships, raw SQL and bulk inserts included."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection

from members import services
from members.models import Company, Membership, SectorCount

from .factories import CompanyFactory, MembershipPlanFactory, SectorFactory

pytestmark = pytest.mark.django_db

S = Membership.Status


def listed(company):
    return Company.objects.public().filter(pk=company.pk).exists()


@pytest.fixture
def plan():
    return MembershipPlanFactory(name="Petite entreprise", annual_fee=Decimal("300.00"))


def a_membership(plan, company, start, status):
    membership = services.membership_create(company=company, plan=plan, start=start, prorate=False)
    Membership.objects.filter(pk=membership.pk).update(status=status)
    return membership


@pytest.mark.parametrize("status", list(S))
def test_the_latest_membership_decides_and_every_gone_status_hides(plan, status):
    company = CompanyFactory(published=True)
    a_membership(plan, company, date(2026, 1, 1), status)
    assert listed(company) is (status not in S.GONE)


def test_a_newer_membership_brings_a_lapsed_company_back_and_deleting_it_hides_it_again(plan):
    company = CompanyFactory(published=True)
    a_membership(plan, company, date(2025, 1, 1), S.LAPSED)
    assert not listed(company)
    newer = a_membership(plan, company, date(2026, 1, 1), S.PENDING)
    assert listed(company)
    newer.delete()
    assert not listed(company)


def test_an_unpublished_company_is_never_listed_and_publishing_lists_it(plan):
    company = CompanyFactory(published=False)
    a_membership(plan, company, date(2026, 1, 1), S.ACTIVE)
    assert not listed(company)
    company.published = True
    company.save()
    assert listed(company)
    Company.objects.filter(pk=company.pk).update(published=False)
    assert not listed(company)


def test_a_stale_instance_saved_later_cannot_list_a_lapsed_company_again(plan):
    company = CompanyFactory(published=True)
    stale = Company.objects.get(pk=company.pk)
    assert stale.listed
    a_membership(plan, company, date(2026, 1, 1), S.RESIGNED)
    stale.phone = "04 68 00 00 00"
    stale.save()
    assert not listed(company)


def test_raw_sql_and_bulk_inserts_are_listed_by_the_same_rule(plan):
    [bulk] = Company.objects.bulk_create(
        [Company(trade_name="Vroom", slug="vroom", published=True)]
    )
    assert listed(bulk)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_membership SET status = 'lapsed' WHERE id = %s",
            [a_membership(plan, bulk, date(2026, 1, 1), S.ACTIVE).pk],
        )
    assert not listed(bulk)


def test_moving_a_membership_to_another_company_relists_both(plan):
    first, second = CompanyFactory(published=True), CompanyFactory(published=True)
    membership = a_membership(plan, first, date(2026, 1, 1), S.LAPSED)
    assert (listed(first), listed(second)) == (False, True)
    Membership.objects.filter(pk=membership.pk).update(company=second)
    assert (listed(first), listed(second)) == (True, False)


def counted(*sectors):
    """The kept counts, and the same counted over the register, of these sectors."""
    kept = {
        count.sector.slug: count.companies
        for count in SectorCount.objects.filter(sector__in=sectors).select_related("sector")
    }
    truth = {
        sector.slug: Company.objects.public().filter(sectors=sector).count() for sector in sectors
    }
    return {slug: kept.get(slug, 0) for slug in truth}, truth


def test_sector_counts_follow_every_write_that_changes_who_is_listed_in_a_sector(plan):
    games, health = SectorFactory(slug="jeu-video"), SectorFactory(slug="e-sante")
    first = CompanyFactory(published=True, sectors=[games, health])
    second = CompanyFactory(published=False, sectors=[games])
    kept, truth = counted(games, health)
    assert kept == truth == {"jeu-video": 1, "e-sante": 1}

    second.published = True
    second.save()  # published: counted
    first.sectors.remove(health)  # a link removed
    a_membership(plan, first, date(2026, 1, 1), S.LAPSED)  # hidden by its membership
    kept, truth = counted(games, health)
    assert kept == truth == {"jeu-video": 1, "e-sante": 0}

    second.sectors.set([health])  # links replaced in one statement each
    kept, truth = counted(games, health)
    assert kept == truth == {"jeu-video": 0, "e-sante": 1}
    CompanyFactory(published=True, sectors=[health]).delete()  # in, then out with its links
    kept, truth = counted(games, health)
    assert kept == truth == {"jeu-video": 0, "e-sante": 1}

    health.delete()  # the sector goes with its count
    assert not SectorCount.objects.filter(sector_id=health.pk).exists()


def test_the_unfiltered_directory_reads_the_kept_counts_and_a_search_counts_its_matches(client):
    cache.clear()  # another test's page under the same public version
    games = SectorFactory(slug="jeu-video", name="Jeu vidéo")
    CompanyFactory(trade_name="Vroom", sectors=[games])
    CompanyFactory(trade_name="Pixel", sectors=[games], published=False)
    response = client.get("/directory/")
    assert [(facet.slug, facet.count) for facet in response.context["facets"]] == [("jeu-video", 1)]
    response = client.get("/directory/", {"q": "pixel"})
    assert response.context["facets"] == []
