"""Names staff enter in both languages: programmes, plans, buildings and school programmes.

Each has a French name and an optional English one; English pages show the English name,
and the French one when the English is blank (the pattern the sectors use)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cluster.models import Placement
from cluster.models import Programme as SchoolProgramme
from members import services
from startups.models import Building, Incubation, Office, Programme
from tests.members.factories import CompanyFactory, MembershipPlanFactory, RepresentativeFactory

from .factories import PlacementFactory

pytestmark = pytest.mark.django_db

EN = {"accept-language": "en"}


def host(programme):
    today = timezone.localdate()
    company = CompanyFactory(trade_name="Vroom")
    Incubation.objects.create(
        company=company,
        programme=programme,
        cohort="2026-A",
        start=today - timedelta(days=30),
        planned_end=today + timedelta(days=300),
    )
    return company


@pytest.mark.parametrize(
    ("name_en", "shown_in_english"),
    [("Acceleration", "Acceleration"), ("", "Accélération")],
)
def test_showcase_names_the_programme_in_the_visitors_language(
    client, name_en, shown_in_english, django_assert_max_num_queries
):
    host(Programme.objects.create(name="Accélération", name_en=name_en, stage="acceleration"))

    french = client.get(reverse("startups:showcase")).text
    with django_assert_max_num_queries(6):
        english = client.get(reverse("startups:showcase"), headers=EN).text

    assert "Accélération · promotion 2026-A" in french
    assert f"{shown_in_english} · cohort 2026-A" in english


@pytest.mark.parametrize(
    ("name_en", "shown_in_english"), [("Building A", "Building A"), ("", "Bâtiment A")]
)
def test_offices_page_names_the_building_in_the_visitors_language(
    client, name_en, shown_in_english
):
    building = Building.objects.create(name="Bâtiment A", name_en=name_en)
    Office.objects.create(
        building=building,
        code="A101",
        area=Decimal("40.00"),
        list_rent=Decimal("460.00"),
        delivery_date=date(2020, 1, 1),
    )

    french = client.get(reverse("startups:office-list")).text
    english = client.get(reverse("startups:office-list"), headers=EN).text

    assert '<th scope="row">Bâtiment A</th>' in french
    assert f'<th scope="row">{shown_in_english}</th>' in english


@pytest.mark.parametrize(
    ("name_en", "shown_in_english"), [("Small company", "Small company"), ("", "Petite entreprise")]
)
def test_join_and_my_membership_name_the_plan_in_the_visitors_language(
    client, name_en, shown_in_english
):
    plan = MembershipPlanFactory(name="Petite entreprise", name_en=name_en)
    representative = RepresentativeFactory(role="admin")
    start, _end = services.membership_year(timezone.localdate())
    services.membership_create(company=representative.company, plan=plan, start=start)

    assert "Petite entreprise — 300 € par an" in client.get(reverse("members:join")).text
    join = client.get(reverse("members:join"), headers=EN).text
    assert f"{shown_in_english} — 300 € a year" in join

    client.force_login(representative.user)
    url = reverse("members:my-membership", args=[representative.company.slug])
    assert f"<td>{shown_in_english}</td>" in client.get(url, headers=EN).text
    assert "<td>Petite entreprise</td>" in client.get(url).text


@pytest.mark.parametrize(
    ("title_en", "shown_in_english"),
    [("Bachelor in 3D animation", "Bachelor in 3D animation"), ("", "Bachelor Animation 3D")],
)
def test_school_statistics_name_the_programme_in_the_staff_members_language(
    admin_client, title_en, shown_in_english
):
    programme = SchoolProgramme.objects.create(
        title="Bachelor Animation 3D",
        title_en=title_en,
        level="Bac+3",
        training_type="initial",
        duration_months=36,
    )
    PlacementFactory(student__programme=programme)
    url = reverse("admin:cluster_placement_statistics")

    assert shown_in_english in admin_client.get(url, headers=EN).text
    assert "Bachelor Animation 3D" in admin_client.get(url).text
    assert Placement.objects.count() == 1


@pytest.mark.parametrize(
    ("url_name", "model"),
    [
        ("admin:startups_programme_add", Programme),
        ("admin:startups_building_add", Building),
        ("admin:members_membershipplan_add", None),
        ("admin:cluster_programme_add", SchoolProgramme),
    ],
)
def test_admin_forms_ask_for_both_names(admin_client, url_name, model):
    page = admin_client.get(reverse(url_name)).text
    french, english = ("title", "title_en") if model is SchoolProgramme else ("name", "name_en")
    assert f'name="{french}"' in page
    assert f'name="{english}"' in page
    assert "(anglais)" in page and "(français)" in page
