"""Cross-site scripting: payloads stored in every text the public pages show (company,
sector, contact, offer, start-up, office and building fields, website and email links) and
payloads sent in query strings come out as text, never as markup: no element, event
handler, script or ``javascript:`` link of theirs reaches a page, JSON-LD cannot be closed
early, and the JSON APIs answer JSON that browsers will not sniff as HTML.

Pages are parsed as a browser would split them into tags (html.parser), so an escaped
payload (text) and an injected one (a tag or an attribute) are told apart exactly. The
browser check is test_xss_browser.py.
"""

import json
from html.parser import HTMLParser
from urllib.parse import quote, urlencode

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import escape
from import_export.formats.base_formats import CSV

from members.models import Application, Company
from members.resources import CompanyResource
from tests.members.factories import MembershipPlanFactory, RepresentativeFactory, profile_data

from .support import XSS_PAYLOADS, hostile_site

pytestmark = pytest.mark.django_db

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data"}
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
JSON_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_FIELDS = ["website", "linkedin_url", "instagram_url", "facebook_url", "youtube_url"]
BAD_URLS = [
    "javascript:window.__xss=1",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "javascript://example.org/%0Aalert(1)",
    "vbscript:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
]


@pytest.fixture(autouse=True)
def _empty_cache():
    """Start from an empty page cache: public pages are cached per PublicDataVersion."""
    cache.clear()


class Page(HTMLParser):
    """A page split into tags the way a browser's tokenizer does it."""

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.tags = []  # (tag, {attribute: value})
        self.scripts = []  # ({attribute: value}, content)
        self._script = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.tags.append((tag, attributes))
        if tag == "script":
            self._script = (attributes, [])

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None


def scheme_of(url):
    """Return how a browser reads the start of a URL: no spaces or controls, lower case."""
    return "".join(char for char in url if char > " ").lower()


def assert_inert(response):
    """Check that an HTML answer carries no markup, handler, script or link of an attacker."""
    assert response.status_code in (200, 400, 404), response.status_code
    text = response.content.decode()
    assert "<script>window.__xss" not in text
    page = Page(text)
    for tag, attributes in page.tags:
        handlers = [name for name in attributes if name.startswith("on")]
        assert not handlers, (tag, attributes)
        assert not (tag == "img" and attributes.get("src") == "x"), attributes
        assert tag != "svg" or "onload" not in attributes
        for name in URL_ATTRIBUTES & set(attributes):
            assert not scheme_of(attributes[name]).startswith(DANGEROUS_SCHEMES), (tag, attributes)
    assert page._script is None, "a script element left open"
    for attributes, content in page.scripts:
        if "src" in attributes:
            source = attributes["src"]
            assert source.startswith("/") and not source.startswith("//"), attributes
            assert not content.strip()
        else:
            assert attributes.get("type") in JSON_SCRIPT_TYPES, (attributes, content)
            json.loads(content)  # data, and the whole of it: nothing closed it early
    return page


def get(client, url):
    response = client.get(url)
    assert_inert(response)
    return response


# --- Stored payloads on the public pages -----------------------------------------------------


@pytest.fixture
def site():
    return hostile_site()


def public_urls(site):
    urls = [
        reverse("home"),
        reverse("members:company-list"),
        reverse("members:offer-list"),
        reverse("startups:showcase"),
        reverse("startups:office-list"),
        reverse("members:join"),
    ]
    for company in site.values():
        urls.append(company.get_absolute_url())
        urls.append(company.offers.get().get_absolute_url())
    return urls


@pytest.mark.parametrize("language", ["fr", "en"])
def test_no_public_page_runs_a_stored_payload(client, site, language):
    client.cookies["django_language"] = language
    for url in public_urls(site):
        get(client, url)


def test_the_payloads_are_shown_as_text(client, site):
    escaped = "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;"
    for url in [
        reverse("members:company-list"),
        reverse("members:offer-list"),
        reverse("startups:showcase"),
        reverse("startups:office-list"),
        site["script"].get_absolute_url(),
        site["script"].offers.get().get_absolute_url(),
    ]:
        assert escaped in get(client, url).text, url
    page = get(client, site["template"].get_absolute_url()).text
    assert "{{ 7*7 }}" in page  # shown as typed, never evaluated


def test_every_stored_text_reaches_the_company_page_escaped(client, site):
    company = site["script"]
    text = get(client, company.get_absolute_url()).text
    escaped = "&lt;script&gt;window.__xss=1;alert(1)&lt;/script&gt;"
    # Name, description (in the page and its meta tags), street, city, sector, contact name
    # and role, offer title: the payload is everywhere, always as text.
    assert text.count(escaped) >= 8
    assert "&lt;svg/onload=__xss=1&gt;" in text  # the phone, too short for the full payload


@pytest.mark.parametrize("key", XSS_PAYLOADS)
def test_json_ld_keeps_the_payload_as_data_and_cannot_be_closed(client, site, key):
    company = site[key]
    page = get(client, company.get_absolute_url())
    (content,) = [
        content
        for attributes, content in Page(page.text).scripts
        if attributes.get("type") == "application/ld+json"
    ]
    assert "</script" not in content.lower() and "<" not in content
    if "<" in XSS_PAYLOADS[key]:
        assert "\\u003c" in content
    data = json.loads(content)
    assert data["name"] == company.trade_name
    assert data["description"] == company.description_fr
    assert data["address"]["streetAddress"] == company.street
    assert data["sameAs"] == [company.website]


def test_website_and_email_links_stay_inside_their_attribute(client, site):
    for company in site.values():
        page = Page(get(client, company.get_absolute_url()).text)
        links = {attributes.get("href") for tag, attributes in page.tags if tag == "a"}
        assert company.website in links
        assert f"mailto:{company.email}" in links


# --- Reflected payloads: query strings and paths --------------------------------------------


@pytest.mark.parametrize("key", XSS_PAYLOADS)
def test_no_page_reflects_a_payload_from_the_query_string(client, site, key):
    payload = XSS_PAYLOADS[key]
    every = {"q": payload, "city": payload, "kind": payload, "sort": payload, "page": "1"}
    urls = [
        reverse("members:company-list") + "?" + urlencode({**every, "sector": payload}),
        reverse("members:company-list") + "?" + urlencode({"q": payload}),
        reverse("members:offer-list") + "?" + urlencode({**every, "start": payload}),
        reverse("members:offer-list") + "?" + urlencode({"city": payload}),
        reverse("startups:office-list")
        + "?"
        + urlencode({"start": payload, "end": payload, "min_area": payload, "kind": payload}),
        reverse("home") + "?" + urlencode({"x": payload}),
        reverse("login") + "?" + urlencode({"next": payload}),
        reverse("members:company-list") + quote(payload, safe="") + "/",
        "/" + quote(payload) + "/",
    ]
    for url in urls:
        get(client, url)
    search = get(client, urls[1]).text
    assert f'value="{escape(payload)}"' in search  # echoed in the search box, as text


@pytest.mark.parametrize("key", XSS_PAYLOADS)
def test_the_join_form_shows_submitted_payloads_as_text(client, key):
    payload = XSS_PAYLOADS[key]
    plan = MembershipPlanFactory()
    fields = ["legal_name", "trade_name", "city", "contact_first_name", "contact_last_name"]
    data = dict.fromkeys(fields, payload)
    data.update(website=payload, contact_email=payload, motivation=payload, plan=plan.pk)
    response = client.post(reverse("members:join"), data)  # no consent: the form is shown again
    assert response.status_code == 200
    assert_inert(response)
    assert not Application.objects.exists()


# --- The representatives' and the staff's pages ---------------------------------------------


def test_the_representatives_space_shows_payloads_as_text(client, site):
    for key, company in site.items():
        representative = RepresentativeFactory(company=company, role="admin")
        client.force_login(representative.user)
        slug = company.slug
        for name in [
            "members:my-companies",
            "members:my-profile",
            "members:my-contacts",
            "members:my-offers",
            "members:my-team",
            "members:my-membership",
            "startups:my-kpis",
        ]:
            url = reverse(name, args=[] if name == "members:my-companies" else [slug])
            response = get(client, url)
            assert response.status_code == 200, (key, url)


def test_the_staff_pages_show_payloads_as_text(client, admin_client, site, settings):
    settings.CITE_MODERATE_PROFILES = True
    company = site["script"]
    representative = RepresentativeFactory(company=company, role="admin")
    client.force_login(representative.user)
    client.post(
        reverse("members:my-profile", args=[company.slug]),
        profile_data(company, city=XSS_PAYLOADS["img-onerror"]),
    )
    revision = company.revisions.get()  # staff compare the public value and the proposed one
    urls = [
        reverse("admin:members_company_changelist"),
        reverse("admin:members_company_change", args=[company.pk]),
        reverse("admin:members_contact_changelist"),
        reverse("admin:members_sector_changelist"),
        reverse("admin:members_offer_changelist"),
        reverse("admin:members_offer_change", args=[company.offers.get().pk]),
        reverse("admin:members_profilerevision_change", args=[revision.pk]),
        reverse("admin:startups_incubation_changelist"),
        reverse("admin:startups_office_changelist"),
        reverse("staff-dashboard"),
    ]
    for url in urls:
        assert get(admin_client, url).status_code == 200, url


# --- The JSON APIs -----------------------------------------------------------------------------


def test_the_apis_answer_json_that_no_browser_sniffs_as_html(client, site):
    listing = client.get(reverse("members:api-company-list"))
    offers = client.get(reverse("members:api-offer-list"))
    details = [
        client.get(reverse("members:api-company-detail", args=[company.slug]))
        for company in site.values()
    ]
    for response in [listing, offers, *details]:
        assert response["Content-Type"] == "application/json"
        assert response["X-Content-Type-Options"] == "nosniff"
    names = {item["name"] for item in listing.json()["results"]}
    assert names == {company.trade_name for company in site.values()}
    assert {item["title"] for item in offers.json()["results"]} == {
        company.offers.get().title for company in site.values()
    }
    for company, response in zip(site.values(), details, strict=True):
        data = response.json()
        assert data["description_fr"] == company.description_fr  # exact, not mangled
        assert data["website"] == company.website
        assert data["contacts"][0]["role"] == company.contacts.get().role


def test_a_cached_api_answer_keeps_its_json_headers(client, site):
    url = reverse("members:api-company-list")
    client.get(url)
    cached = client.get(url)
    assert cached["X-Cache"] == "hit"
    assert cached["Content-Type"] == "application/json"
    assert cached["X-Content-Type-Options"] == "nosniff"


# --- javascript: URLs never get in ------------------------------------------------------------


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("field", URL_FIELDS)
def test_the_model_refuses_a_script_url_in_every_link(field, url):
    company = Company(trade_name="Acme", legal_name="Acme SAS", slug="acme", **{field: url})
    with pytest.raises(ValidationError) as caught:
        company.full_clean()
    assert field in caught.value.message_dict


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_profile_form_refuses_a_script_url_in_every_link(client, url, settings):
    settings.CITE_MODERATE_PROFILES = False
    representative = RepresentativeFactory(role="admin")
    company = representative.company
    client.force_login(representative.user)
    data = profile_data(company, **dict.fromkeys(URL_FIELDS, url))
    response = client.post(reverse("members:my-profile", args=[company.slug]), data)
    assert response.status_code == 200
    assert set(response.context["form"].errors) == set(URL_FIELDS)
    company.refresh_from_db()
    assert not any(getattr(company, field) for field in URL_FIELDS)
    assert not company.revisions.exists()


@pytest.mark.parametrize("url", BAD_URLS)
def test_the_join_form_refuses_a_script_url(client, url):
    plan = MembershipPlanFactory()
    data = {
        "legal_name": "Acme SAS",
        "city": "Perpignan",
        "website": url,
        "contact_first_name": "Ada",
        "contact_last_name": "Lovelace",
        "contact_email": "ada@example.org",
        "plan": plan.pk,
        "motivation": "Hello.",
        "consent": "on",
    }
    response = client.post(reverse("members:join"), data)
    assert response.status_code == 200
    assert "website" in response.context["form"].errors


@pytest.mark.parametrize("url", BAD_URLS)
def test_an_import_refuses_a_script_url(url):
    dataset = CSV().create_dataset(f'name,website\nAcme,"{url}"\n')
    result = CompanyResource().import_data(dataset, dry_run=True)
    assert result.has_validation_errors()
    assert not Company.objects.exists()
