"""Offers: publishing from /my/, moderation, expiry, /offers/, its API, company pages, hiring."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Offer

from .factories import CompanyFactory, OfferFactory, RepresentativeFactory, SectorFactory

pytestmark = pytest.mark.django_db

LIST = reverse("members:offer-list")
API = reverse("members:api-offer-list")
DIRECTORY = reverse("members:company-list")
COMPANIES_API = reverse("members:api-company-list")


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Ask for the English pages, so that assertions never depend on the French catalog."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture
def admin_client(admin_client):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return admin_client


@pytest.fixture
def own():
    """A representative (editor) of their own company."""
    return RepresentativeFactory(company__trade_name="Vroom", company__city="Le Soler")


def offer_data(**changes):
    data = {
        "title": "Stage en animation 3D",
        "description_fr": "Rejoignez notre studio.",
        "description_en": "Join our studio.",
        "kind": "internship",
        "start_date": in_days(30).isoformat(),
        "duration_months": "6",
        "place": "Le Soler",
        "remote": "partly",
        "monthly_stipend": "650.00",
        "expires_on": in_days(20).isoformat(),
        "apply_email": "stages@vroom.example",
    }
    data.update(changes)
    return data


def titles(response):
    return {offer.title for offer in response.context["page_obj"]}


def api_titles(response):
    return {result["title"] for result in response.json()["results"]}


# --- Publishing from the representatives' space -------------------------------------------


def test_with_moderation_a_new_offer_waits_for_review_and_is_not_public(client, own, settings):
    settings.CITE_MODERATE_PROFILES = True
    client.force_login(own.user)
    response = client.post(reverse("members:my-offer-add", args=[own.company.slug]), offer_data())
    assert response.status_code == 302
    offer = Offer.objects.get()
    assert (offer.company, offer.created_by, offer.status) == (own.company, own.user, "pending")
    listing = client.get(reverse("members:my-offers", args=[own.company.slug]))
    assert "Pending review" in listing.text
    assert "pending review by the cluster" in listing.text  # the flash message
    client.logout()
    assert client.get(LIST).context["page_obj"].paginator.count == 0
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.get(API).json()["count"] == 0


def test_without_moderation_a_new_offer_is_published_at_once(client, own, settings):
    settings.CITE_MODERATE_PROFILES = False
    client.force_login(own.user)
    client.post(reverse("members:my-offer-add", args=[own.company.slug]), offer_data())
    offer = Offer.objects.get()
    assert offer.status == "approved"
    client.logout()
    assert titles(client.get(LIST)) == {"Stage en animation 3D"}
    page = client.get(offer.get_absolute_url())
    assert page.status_code == 200
    assert f'href="{own.company.get_absolute_url()}"' in page.text


def test_with_moderation_editing_a_published_offer_takes_it_offline_until_approved(
    client, own, settings
):
    settings.CITE_MODERATE_PROFILES = True
    offer = OfferFactory(company=own.company, title="Stage", created_by=own.user)
    url = reverse("members:my-offer-edit", args=[own.company.slug, offer.pk])
    client.force_login(own.user)
    form = client.get(url)
    assert "takes the offer off the site" in form.text
    client.post(url, offer_data(title="Stage", expires_on=offer.expires_on.isoformat()))
    offer.refresh_from_db()
    assert offer.status == "pending"
    assert offer.description_fr == "Rejoignez notre studio."
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_saving_an_unchanged_offer_keeps_it_published(client, own, settings):
    settings.CITE_MODERATE_PROFILES = True
    offer = OfferFactory(company=own.company, description_en="", remote="no")
    url = reverse("members:my-offer-edit", args=[own.company.slug, offer.pk])
    client.force_login(own.user)
    unchanged = offer_data(
        title=offer.title,
        description_fr=offer.description_fr,
        description_en="",
        remote="no",
        place=offer.place,
        start_date=offer.start_date.isoformat(),
        expires_on=offer.expires_on.isoformat(),
        apply_email=offer.apply_email,
    )
    response = client.post(url, unchanged, follow=True)
    assert "Nothing changed." in response.text
    offer.refresh_from_db()
    assert offer.status == "approved"


def test_the_form_asks_for_an_internships_stipend_and_duration(client, own):
    client.force_login(own.user)
    url = reverse("members:my-offer-add", args=[own.company.slug])
    response = client.post(url, offer_data(monthly_stipend="", duration_months=""))
    assert response.status_code == 200
    assert "Give the monthly stipend of the internship" in response.text
    assert "Give the duration of an internship or a work-study" in response.text
    assert not Offer.objects.exists()


def test_a_job_needs_neither_duration_nor_stipend(client, own, settings):
    settings.CITE_MODERATE_PROFILES = False
    client.force_login(own.user)
    url = reverse("members:my-offer-add", args=[own.company.slug])
    client.post(url, offer_data(kind="job", monthly_stipend="", duration_months=""))
    job = Offer.objects.get()
    assert (job.kind, job.duration_months, job.monthly_stipend) == ("job", None, None)


def test_deleting_an_offer_asks_for_confirmation_first(client, own):
    offer = OfferFactory(company=own.company, title="À supprimer")
    url = reverse("members:my-offer-delete", args=[own.company.slug, offer.pk])
    client.force_login(own.user)
    page = client.get(url)
    assert "Yes, delete" in page.text
    assert Offer.objects.filter(pk=offer.pk).exists()
    response = client.post(url)
    assert response.url == reverse("members:my-offers", args=[own.company.slug])
    assert not Offer.objects.filter(pk=offer.pk).exists()


def test_the_offers_tab_is_in_the_representatives_space(client, own):
    client.force_login(own.user)
    page = client.get(reverse("members:my-profile", args=[own.company.slug]))
    assert f'href="{reverse("members:my-offers", args=[own.company.slug])}"' in page.text


def test_anonymous_visitors_are_sent_to_log_in(client, own):
    response = client.get(reverse("members:my-offers", args=[own.company.slug]))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


# --- Moderation ----------------------------------------------------------------------------


def test_approval_publishes_the_offer_and_tells_its_creator(
    client, own, admin_user, django_capture_on_commit_callbacks
):
    offer = OfferFactory(company=own.company, status="pending", created_by=own.user)
    assert client.get(LIST).context["page_obj"].paginator.count == 0  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_approve(offer=offer, reviewer=admin_user)
    offer.refresh_from_db()
    assert (offer.status, offer.reviewed_by) == ("approved", admin_user)
    assert mail.outbox[-1].to == [own.user.email]
    assert offer.title in mail.outbox[-1].subject
    # The approval is visible at once, despite the cached page.
    assert titles(client.get(LIST)) == {offer.title}
    with pytest.raises(services.ModerationError):
        services.offer_approve(offer=offer, reviewer=admin_user)


def test_rejection_needs_a_reason_which_is_emailed_to_the_creator(
    client, own, admin_user, django_capture_on_commit_callbacks
):
    colleague = RepresentativeFactory(company=own.company)
    offer = OfferFactory(company=own.company, status="pending", created_by=own.user)
    with pytest.raises(services.ModerationError):
        services.offer_reject(offer=offer, reviewer=admin_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_reject(offer=offer, reviewer=admin_user, reason="Gratification manquante.")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [own.user.email]
    assert "Gratification manquante." in mail.outbox[0].body
    offer.refresh_from_db()
    assert offer.status == "rejected"
    client.force_login(colleague.user)
    listing = client.get(reverse("members:my-offers", args=[own.company.slug]))
    assert "Rejected: Gratification manquante." in listing.text
    client.logout()
    assert client.get(offer.get_absolute_url()).status_code == 404


def test_staff_review_an_offer_in_the_admin_with_a_reason_to_reject(
    admin_client, own, django_capture_on_commit_callbacks
):
    offer = OfferFactory(company=own.company, status="pending", created_by=own.user)
    url = reverse("admin:members_offer_change", args=[offer.pk])
    assert offer.title in admin_client.get(url).text
    response = admin_client.post(url, {"decision": "reject", "reason_text": ""})
    assert response.status_code == 200  # the form asks for a reason
    offer.refresh_from_db()
    assert offer.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"decision": "reject", "reason_text": "Trop vague."})
    offer.refresh_from_db()
    assert (offer.status, offer.reason) == ("rejected", "Trop vague.")
    assert "Trop vague." in mail.outbox[-1].body


def test_staff_approve_the_selected_pending_offers_in_bulk(admin_client, own):
    pending = OfferFactory.create_batch(2, company=own.company, status="pending")
    rejected = OfferFactory(company=own.company, status="rejected", reason="Non.")
    response = admin_client.post(
        reverse("admin:members_offer_changelist"),
        {
            "action": "approve_offers",
            "_selected_action": [offer.pk for offer in [*pending, rejected]],
            "apply": "1",
        },
        follow=True,
    )
    assert "2 offers approved." in response.text
    statuses = dict(Offer.objects.values_list("pk", "status"))
    assert [statuses[offer.pk] for offer in pending] == ["approved", "approved"]
    assert statuses[rejected.pk] == "rejected"


# --- Expiry and visibility ------------------------------------------------------------------


def test_an_offer_disappears_the_day_after_it_expires(client):
    company = CompanyFactory()
    OfferFactory(company=company, title="Ouverte", start_date=in_days(-10), expires_on=in_days(0))
    expired = OfferFactory(
        company=company, title="Expirée", start_date=in_days(-10), expires_on=in_days(-1)
    )
    assert titles(client.get(LIST)) == {"Ouverte"}
    assert api_titles(client.get(API)) == {"Ouverte"}
    assert client.get(expired.get_absolute_url()).status_code == 404
    page = client.get(company.get_absolute_url())
    assert "Ouverte" in page.text and "Expirée" not in page.text


def test_pending_rejected_and_unpublished_companies_offers_are_not_public(client):
    OfferFactory(title="Publiée")
    OfferFactory(title="En attente", status="pending")
    OfferFactory(title="Refusée", status="rejected")
    hidden = OfferFactory(title="Entreprise cachée", company__published=False)
    assert titles(client.get(LIST)) == {"Publiée"}
    assert client.get(hidden.get_absolute_url()).status_code == 404


# --- /offers/ and /api/offers/ -------------------------------------------------------------


@pytest.fixture
def board():
    games = SectorFactory(slug="jeu-video", name="Jeu vidéo")
    health = SectorFactory(slug="e-sante", name="E-santé")
    vroom = CompanyFactory(trade_name="Vroom", city="Le Soler", sectors=[games])
    alaxione = CompanyFactory(trade_name="Alaxione", city="Perpignan", sectors=[health])
    arcade = CompanyFactory(trade_name="Arcade", city="Perpignan", sectors=[games, health])
    OfferFactory(company=vroom, title="Stage 3D", place="Le Soler", start_date=in_days(30))
    OfferFactory(
        company=alaxione,
        title="Alternance Python",
        kind="work_study",
        place="Perpignan",
        start_date=in_days(90),
        duration_months=12,
        monthly_stipend=None,
    )
    OfferFactory(
        company=arcade,
        title="Développeur Unity",
        kind="job",
        place="Barcelona",
        remote="fully",
        start_date=in_days(10),
        duration_months=None,
        monthly_stipend=None,
    )
    OfferFactory(company=vroom, title="En attente", status="pending")


FILTERS = [
    ({}, {"Stage 3D", "Alternance Python", "Développeur Unity"}),
    ({"kind": "internship"}, {"Stage 3D"}),
    ({"kind": "job"}, {"Développeur Unity"}),
    ({"sector": "jeu-video"}, {"Stage 3D", "Développeur Unity"}),
    ({"sector": ["jeu-video", "e-sante"]}, {"Stage 3D", "Alternance Python", "Développeur Unity"}),
    ({"city": "perpignan"}, {"Alternance Python", "Développeur Unity"}),  # place or company
    ({"city": "BARCELONA"}, {"Développeur Unity"}),
    ({"city": " Le Soler "}, {"Stage 3D"}),
    ({"start": in_days(30).isoformat()}, {"Stage 3D", "Alternance Python"}),
    ({"kind": "internship", "city": "Perpignan"}, set()),
]


@pytest.mark.parametrize(("params", "expected"), FILTERS)
def test_offers_page_and_api_filter_alike(client, board, params, expected):
    page = client.get(LIST, params)
    assert page.status_code == 200
    assert titles(page) == expected
    assert api_titles(client.get(API, params)) == expected


def test_offers_page_shows_the_total_and_the_filters_state(client, board):
    response = client.get(LIST, {"sector": "jeu-video", "kind": "job"})
    assert "1 offer" in response.text
    assert 'value="jeu-video" checked' in response.text
    assert '<option value="job" selected>' in response.text


def test_offers_page_state_lives_in_the_url_with_20_offers_a_page(client):
    OfferFactory.create_batch(25, kind="internship")
    OfferFactory.create_batch(3, kind="job")
    response = client.get(LIST, {"kind": "internship"})
    assert response.context["page_obj"].paginator.count == 25
    assert len(response.context["page_obj"]) == 20
    assert "kind=internship&amp;page=2" in response.text
    second = client.get(LIST, {"kind": "internship", "page": 2})
    assert len(second.context["page_obj"]) == 5


def test_each_filter_that_empties_the_offers_is_offered_for_removal_with_its_count(client, board):
    response = client.get(LIST, {"city": "Le Soler", "kind": "work_study"})
    assert response.context["page_obj"].paginator.count == 0
    offered = {f["query"]: f["count"] for f in response.context["filters_to_remove"]}
    counts = [
        client.get(LIST, params).context["page_obj"].paginator.count
        for params in ({"kind": "work_study"}, {"city": "Le Soler"})
    ]
    assert offered == {"kind=work_study": counts[0], "city=Le+Soler": counts[1]}
    assert all(offered.values())


def test_offers_page_without_results_shows_an_empty_state(client, board):
    response = client.get(LIST, {"city": "Tombouctou"})
    assert response.status_code == 200
    assert "0 offers" in response.text
    assert "No offer matches this search" in response.text
    assert 'class="empty-state"' in response.text
    assert f'href="{LIST}"' in response.text


def test_offers_page_query_count_does_not_grow_with_the_number_of_offers(
    client, django_assert_max_num_queries
):
    sector = SectorFactory()
    OfferFactory.create_batch(3, company__sectors=[sector])
    with django_assert_max_num_queries(7) as few:
        client.get(LIST, {"sector": sector.slug})
    cache.clear()
    OfferFactory.create_batch(40, company__sectors=[sector])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(LIST, {"sector": sector.slug})
    assert len(response.context["page_obj"]) == 20


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"kind": "robot"}, 400),
        ({"start": "abc"}, 400),
        ({"sector": "no-such-sector"}, 400),
        ({"city": "x" * 500}, 400),
        ({"page": "0"}, 404),
        ({"page": "abc"}, 404),
        ({"page": str(10**9)}, 404),
    ],
)
def test_offers_page_bad_parameters_never_give_a_500(client, board, params, status):
    response = client.get(LIST, params)
    assert response.status_code == status
    if status == 400:
        assert 'class="errorlist"' in response.text


def test_offer_page_shows_the_offer_and_links_to_the_company(client, board):
    offer = Offer.objects.get(title="Alternance Python")
    page = client.get(reverse("members:offer-detail", args=[offer.pk]))
    assert page.status_code == 200
    assert "Work-study" in page.text and "12 months" in page.text
    assert f'<a href="{offer.company.get_absolute_url()}">Alaxione</a>' in page.text
    assert client.get(reverse("members:offer-detail", args=[10**6])).status_code == 404


def test_api_offers_returns_the_documented_shape(client, board):
    response = client.get(API, {"kind": "internship"})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert (data["count"], data["next"], data["previous"]) == (1, None, None)
    offer = Offer.objects.get(title="Stage 3D")
    assert data["results"] == [
        {
            "title": "Stage 3D",
            "id": offer.pk,
            "url": offer.get_absolute_url(),
            "kind": "internship",
            "company": offer.company.slug,
            "company_name": "Vroom",
            "city": "Le Soler",
            "start_date": in_days(30).isoformat(),
            "duration_months": 6,
            "remote": "no",
            "monthly_stipend": "650.00",
            "expires_on": in_days(30).isoformat(),
            "apply_email": "jobs@studio.example",
            "apply_url": None,
        }
    ]
    job = client.get(API, {"kind": "job"}).json()["results"][0]
    assert (job["monthly_stipend"], job["duration_months"]) == (None, None)


def test_api_offers_pages_link_to_each_other(client):
    OfferFactory.create_batch(25)
    first = client.get(API).json()
    assert first["count"] == 25
    assert first["next"].endswith("?page=2")
    second = client.get(first["next"]).json()
    assert second["next"] is None
    assert second["previous"].endswith("?page=1")
    assert len(second["results"]) == 5


@pytest.mark.parametrize(
    ("params", "status", "field"),
    [
        ({"kind": "robot"}, 400, "kind"),
        ({"start": "abc"}, 400, "start"),
        ({"sector": "no-such-sector"}, 400, "sector"),
        ({"page": "0"}, 400, "page"),
        ({"page": "abc"}, 400, "page"),
        ({"page": str(10**9)}, 404, "page"),
    ],
)
def test_api_offers_bad_parameters_get_a_clear_error(client, board, params, status, field):
    response = client.get(API, params)
    assert response.status_code == status
    assert field in response.json()["errors"]


# --- Company pages and the directory's hiring filter ------------------------------------------


def test_company_page_lists_its_open_offers_only(client):
    company = CompanyFactory()
    OfferFactory(company=company, title="Stage ouvert", start_date=in_days(20))
    OfferFactory(company=company, title="Poste ouvert", kind="job", start_date=in_days(5))
    OfferFactory(company=company, title="Stage en attente", status="pending")
    OfferFactory(company=company, title="Stage expiré", expires_on=in_days(-1))
    OfferFactory(title="Stage d'une autre entreprise")
    page = client.get(company.get_absolute_url())
    text = page.text
    assert text.index("Poste ouvert") < text.index("Stage ouvert")  # the soonest first
    for hidden in ("Stage en attente", "Stage expiré", "Stage d&#x27;une autre entreprise"):
        assert hidden not in text
    offer = company.offers.get(title="Stage ouvert")
    assert f'<a href="{offer.get_absolute_url()}">Stage ouvert</a> · internship' in text


def test_company_page_query_count_does_not_grow_with_its_offers(
    client, django_assert_max_num_queries
):
    company = CompanyFactory()
    OfferFactory(company=company)
    # The cache version, the company, its sectors, its open offers, its contacts and the
    # events it organises.
    with django_assert_max_num_queries(7) as few:
        client.get(company.get_absolute_url())
    cache.clear()
    OfferFactory.create_batch(10, company=company)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(company.get_absolute_url())
    assert len(re.findall(r'href="/offers/\d+/"', response.text)) == 11


@pytest.fixture
def hiring_board():
    CompanyFactory(trade_name="Embauche")
    OfferFactory(company__trade_name="Recrute", title="Stage")
    OfferFactory(company__trade_name="Expirée", expires_on=in_days(-1))
    OfferFactory(company__trade_name="En attente", status="pending")
    CompanyFactory(trade_name="Calme")


def test_hiring_filter_in_the_directory_and_the_api(client, hiring_board):
    page = client.get(DIRECTORY, {"hiring": "1"})
    assert [company.trade_name for company in page.context["page_obj"]] == ["Recrute"]
    assert 'name="hiring" value="1" checked' in page.text
    api = client.get(COMPANIES_API, {"hiring": "1"}).json()
    assert [result["name"] for result in api["results"]] == ["Recrute"]
    everyone = client.get(DIRECTORY).context["page_obj"].paginator.count
    assert everyone == 5


def test_hiring_filter_without_hiring_companies_says_that_none_matches(client):
    CompanyFactory(trade_name="Calme")
    response = client.get(DIRECTORY, {"hiring": "1"})
    assert response.status_code == 200
    assert "0 companies" in response.text
    assert "No company matches this search" in response.text


def test_cards_of_hiring_companies_have_a_badge(client, hiring_board):
    response = client.get(DIRECTORY)
    assert response.text.count('<span class="badge">Hiring</span>') == 1
    hiring = {company.trade_name for company in response.context["page_obj"] if company.hiring}
    assert hiring == {"Recrute"}


def test_directory_hiring_badges_cost_no_query_per_card(client, django_assert_max_num_queries):
    OfferFactory.create_batch(3)
    with django_assert_max_num_queries(8) as few:
        client.get(DIRECTORY)
    cache.clear()
    OfferFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(DIRECTORY)
    assert response.text.count('<span class="badge">Hiring</span>') == 20


def test_an_offer_says_how_to_apply_on_its_page_and_in_the_api(client):
    offer = OfferFactory(apply_email="", apply_url="https://jobs.example.org/3d")
    page = client.get(offer.get_absolute_url()).text
    assert 'href="https://jobs.example.org/3d"' in page
    result = client.get(API).json()["results"][0]
    assert (result["apply_email"], result["apply_url"]) == (None, "https://jobs.example.org/3d")


def test_an_offer_without_a_way_to_apply_is_refused(client):
    representative = RepresentativeFactory(role="admin")
    client.force_login(representative.user)
    url = reverse("members:my-offer-add", args=[representative.company.slug])
    response = client.post(url, offer_data(apply_email=""))
    assert response.status_code == 200
    assert 'href="#id_apply_email"' in response.text
    assert not Offer.objects.exists()
