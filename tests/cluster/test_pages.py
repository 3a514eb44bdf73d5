import pytest
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from members import services
from startups.models import Incubation, Programme
from tests.members.factories import CompanyFactory, MembershipPlanFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_home_page_shows_members_startups_and_trades(client):
    sector = SectorFactory()
    plan = MembershipPlanFactory()
    programme = Programme.objects.create(name="Incubation", stage="incubation")
    today = timezone.localdate()
    for company in CompanyFactory.create_batch(3, sectors=[sector]):
        membership = services.membership_create(company=company, plan=plan, start=today)
        membership.status = "active"
        membership.save()
    Incubation.objects.create(
        company=company,
        programme=programme,
        cohort="2026",
        start=today,
        planned_end=today.replace(year=today.year + 1),
    )
    CompanyFactory(published=False)
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["figures"] == {"members": 3, "startups": 1, "sectors": 1}
    assert reverse("members:company-list") in response.text
    assert reverse("members:join") in response.text


def test_home_page_is_in_french_by_default_and_english_on_request(client):
    assert 'lang="fr"' in client.get("/").text
    assert "Annuaire" in client.get("/").text
    response = client.get("/", headers={"accept-language": "en"})
    assert 'lang="en"' in response.text
    assert "Directory" in response.text


def test_language_switcher_works_without_javascript(client):
    response = client.get(reverse("switch-language", args=["en"]), {"next": "/directory/"})
    assert response.status_code == 302
    assert response["Location"] == "/directory/"
    assert 'lang="en"' in client.get("/").text
    client.get(reverse("switch-language", args=["fr"]), {"next": "/"})
    assert 'lang="fr"' in client.get("/").text


def test_language_switcher_refuses_an_unknown_language(client):
    assert client.get(reverse("switch-language", args=["xx"])).status_code == 404


def test_healthz_answers_ok_after_a_database_round_trip(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, monkeypatch):
    from django.db.backends.utils import CursorWrapper

    def unreachable(*args, **kwargs):
        raise DatabaseError("connection refused")

    # Only the database driver's answer is simulated: the view, middleware and
    # response are the real ones.
    monkeypatch.setattr(CursorWrapper, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Cache-Control"].startswith("max-age=0")


def test_directory_lists_only_published_companies_in_pages_of_twenty(
    client, django_assert_max_num_queries
):
    sector = SectorFactory()
    CompanyFactory.create_batch(25, sectors=[sector])
    hidden = CompanyFactory(published=False, trade_name="Studio Caché")
    with django_assert_max_num_queries(7):
        response = client.get(reverse("members:company-list"))
    assert response.status_code == 200
    assert len(response.context["page_obj"]) == 20
    assert response.context["page_obj"].paginator.count == 25
    assert hidden.trade_name not in response.text
    second = client.get(reverse("members:company-list"), {"page": 2})
    assert len(second.context["page_obj"]) == 5


@pytest.mark.parametrize("page", ["0", "-1", "abc", "1000000000"])
def test_directory_bad_page_numbers_give_404_not_500(client, page):
    CompanyFactory()
    response = client.get(reverse("members:company-list"), {"page": page})
    assert response.status_code == 404


def test_company_page_shows_a_published_company_and_hides_an_unpublished_one(client):
    shown = CompanyFactory(description_fr="Studio de réalité virtuelle.")
    hidden = CompanyFactory(published=False)
    response = client.get(shown.get_absolute_url())
    assert response.status_code == 200
    assert "Studio de réalité virtuelle." in response.text
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get("/directory/no-such-company/").status_code == 404


def test_every_page_links_the_icon_and_favicon_ico_leads_to_it(client):
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/").text
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/favicon.svg"
