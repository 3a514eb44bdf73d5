"""Oversized requests: bodies over DATA_UPLOAD_MAX_MEMORY_SIZE, more fields than
DATA_UPLOAD_MAX_NUMBER_FIELDS, more files than DATA_UPLOAD_MAX_NUMBER_FILES, a logo over
5 MB, 10,000-character query parameters and very long paths get a 400 (or 404, or the
form's message), never a 500, and save nothing."""

from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from members.images import MAX_UPLOAD_BYTES
from members.models import Application
from tests.members.factories import MembershipPlanFactory, profile_data

from .support import company_state

pytestmark = pytest.mark.django_db

LONG = "a" * 10_000
URLENCODED = "application/x-www-form-urlencoded"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start with no page cached and no application counted against the rate limit."""
    cache.clear()


@pytest.fixture
def visitor():
    """A client that answers what a browser would get, even a 500, instead of raising."""
    return Client(raise_request_exception=False)


def join_data(**changes):
    data = {
        "legal_name": "Acme SAS",
        "siret": "73282932000074",
        "street": "1 rue Mailly",
        "postcode": "66000",
        "city": "Perpignan",
        "country": "FR",
        "contact_first_name": "Ada",
        "contact_last_name": "Lovelace",
        "contact_email": "ada@example.org",
        "plan": MembershipPlanFactory().pk,
        "motivation": "We make games.",
        "consent": "on",
    }
    data.update(changes)
    return data


def assert_bad_request(response):
    """Check that the request was refused with the site's own 400 page."""
    assert response.status_code == 400
    assert {"400.html", "base.html"} <= {template.name for template in response.templates}


# --- Request bodies ----------------------------------------------------------------------------


def test_a_body_over_the_memory_limit_to_the_join_form_is_refused(visitor, settings):
    body = urlencode(join_data(motivation="x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)))

    response = visitor.post(reverse("members:join"), body, content_type=URLENCODED)

    assert_bad_request(response)
    assert not Application.objects.exists()


def test_a_valid_join_body_of_the_same_shape_is_accepted(visitor):
    response = visitor.post(reverse("members:join"), urlencode(join_data()), URLENCODED)
    assert response.status_code == 302
    assert Application.objects.count() == 1


def test_a_body_over_the_memory_limit_to_the_profile_form_is_refused(visitor, own, settings):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    before = company_state(company)
    visitor.force_login(own.user)
    huge = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)

    response = visitor.post(
        reverse("members:my-profile", args=[company.slug]),
        profile_data(company, description_fr=huge),  # multipart, as a browser sends it
    )

    assert_bad_request(response)
    assert company_state(company) == before


def test_more_fields_than_allowed_are_refused(visitor, settings):
    extra = {f"field{number}": "x" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)}
    body = urlencode({**join_data(), **extra})

    response = visitor.post(reverse("members:join"), body, content_type=URLENCODED)

    assert_bad_request(response)
    assert not Application.objects.exists()


def test_more_query_parameters_than_allowed_are_refused(visitor, settings):
    params = {f"f{number}": "1" for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1)}
    assert_bad_request(visitor.get(reverse("members:company-list"), params))


def test_more_files_than_allowed_are_refused(visitor, own, png_bytes, settings):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    before = company_state(company)
    visitor.force_login(own.user)
    files = [
        SimpleUploadedFile(f"logo{number}.png", png_bytes, "image/png")
        for number in range(settings.DATA_UPLOAD_MAX_NUMBER_FILES + 1)
    ]

    response = visitor.post(
        reverse("members:my-profile", args=[company.slug]),
        {**profile_data(company, description_fr="Changé."), "new_logo": files},
    )

    assert_bad_request(response)
    assert company_state(company) == before


def test_a_logo_over_5_mb_gets_the_forms_message_and_changes_nothing(visitor, own, settings):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    before = company_state(company)
    visitor.force_login(own.user)
    too_big = SimpleUploadedFile("logo.png", b"\x89PNG\r\n\x1a\n" + bytes(MAX_UPLOAD_BYTES))

    response = visitor.post(
        reverse("members:my-profile", args=[company.slug]),
        {**profile_data(company, description_fr="Changé."), "new_logo": too_big},
    )

    assert response.status_code == 200
    (error,) = response.context["form"].errors.as_data()["new_logo"]
    assert error.code == "too_large"
    assert error.messages[0] in response.content.decode()
    assert company_state(company) == before


# --- Long query strings and paths --------------------------------------------------------------


@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("members:company-list", {"q": LONG}),
        ("members:company-list", {"city": LONG}),
        ("members:company-list", {"sector": LONG}),
        ("members:company-list", {"kind": LONG}),
        ("members:offer-list", {"city": LONG}),
        ("members:offer-list", {"start": LONG}),
        ("startups:office-list", {"start": LONG}),
        ("startups:office-list", {"min_area": "9" * 10_000}),
        ("startups:office-list", {"min_desks": "9" * 10_000}),
        ("members:api-company-list", {"q": LONG}),
        ("members:api-offer-list", {"city": LONG}),
        ("members:api-company-list", {"page": "²"}),  # a digit that int() refuses
    ],
)
def test_a_huge_query_parameter_gets_the_forms_400(visitor, url_name, params):
    response = visitor.get(reverse(url_name), params)
    assert response.status_code == 400
    if response["Content-Type"] == "application/json":
        assert response.json()["errors"]
    else:
        assert 'class="errorlist"' in response.text or "whole number" in response.text


@pytest.mark.parametrize(
    "url_name",
    [
        "members:company-list",
        "members:offer-list",
        "members:api-company-list",
        "members:api-offer-list",
    ],
)
def test_a_page_number_of_10000_digits_is_a_page_past_the_end(visitor, url_name):
    assert visitor.get(reverse(url_name), {"page": "9" * 10_000}).status_code == 404


@pytest.mark.parametrize("url_name", ["members:company-list", "members:offer-list"])
def test_a_page_number_in_digits_that_int_refuses_is_not_found(visitor, url_name):
    assert visitor.get(reverse(url_name), {"page": "²"}).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/" + LONG,
        "/directory/" + LONG + "/",
        "/api/companies/" + LONG + "/",
        "/offers/" + "9" * 5_000 + "/",  # more digits than int() converts
        "/offers/" + "9" * 30 + "/",  # more than a database integer holds
        "/static/" + LONG,
    ],
)
def test_a_very_long_path_is_not_found(visitor, path):
    assert visitor.get(path).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/my/" + "a" * 10_000 + "/",
        "/my/" + "a" * 10_000 + "/kpis/",
        "/invoices/" + "9" * 10_000 + "/",
        "/invoices/" + "9" * 10_000 + "/pdf/",
    ],
)
def test_a_very_long_path_in_the_representatives_space_is_not_found(visitor, own, path):
    visitor.force_login(own.user)
    assert visitor.get(path).status_code == 404
