"""Cross-company access: a representative walks every URL of another company's space
(/my/<slug>/…, its invoices) and gets a 404 every time, with nothing changed or sent.

The walk is a table of every such URL; a test checks the table against the URL
configuration, so that a new page of the space cannot be forgotten here.
"""

import pytest
from django.core import mail
from django.urls import URLResolver, get_resolver, reverse

from members.models import Contact, Offer
from tests.cluster.factories import EventFactory
from tests.members.factories import profile_data

from .support import company_state, kpi_data, offer_data

pytestmark = pytest.mark.django_db

# Pages named after something other than a company's slug, that belong to one company.
COMPANY_OBJECT_ROUTES = ("invoices/",)


# Answer only POST (a form on another page sends them): a GET gets 405, whoever asks.
POST_ONLY = {"events:my-event-register"}


def company_urls(company):
    """Return ``(url name, args, valid POST data)`` for every URL of a company's space."""
    slug = company.slug
    contact = company.contacts.get()
    offer = company.offers.get()
    invoice = company.invoices.get()
    proposal = company.organised_events.first() or EventFactory(
        organiser=company, status="proposed"
    )
    return [
        ("members:my-profile", [slug], profile_data(company, description_fr="Piraté")),
        ("members:my-contacts", [slug], {}),
        (
            "members:my-contact-add",
            [slug],
            {"first_name": "Eve", "last_name": "Intruse", "public_consent": "on"},
        ),
        (
            "members:my-contact-edit",
            [slug, contact.pk],
            {"first_name": "Eve", "last_name": "Intruse"},
        ),
        ("members:my-contact-delete", [slug, contact.pk], {}),
        ("members:my-offers", [slug], {}),
        ("members:my-offer-add", [slug], offer_data(title="Piraté")),
        ("members:my-offer-edit", [slug, offer.pk], offer_data(title="Piraté")),
        ("members:my-offer-delete", [slug, offer.pk], {}),
        ("members:my-team", [slug], {"email": "eve@example.org", "role": "admin"}),
        ("members:my-membership", [slug], {}),
        ("startups:my-kpis", [slug], kpi_data(headcount=666)),
        ("startups:my-rent", [slug], {}),
        ("events:my-events", [slug], {}),
        ("events:my-event-add", [slug], {"title_fr": "Piraté", "kind": "workshop"}),
        ("events:my-event-edit", [slug, proposal.pk], {"title_fr": "Piraté", "kind": "workshop"}),
        ("events:my-event-register", [slug], {"name": "Eve Intruse", "email": "eve@example.org"}),
        ("members:invoice-detail", [invoice.number], {}),
        ("members:invoice-pdf", [invoice.number], {}),
    ]


def company_scoped_url_names():
    """Return the names of every URL under /my/<slug>/ and of the company's invoices."""
    names = set()

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern.url_patterns, route, inner)
            elif route.startswith(("my/<slug:slug>/", *COMPANY_OBJECT_ROUTES)):
                names.add(f"{namespace}:{pattern.name}")

    walk(get_resolver().url_patterns, "", "")
    return names


def test_the_walk_covers_every_url_of_a_companys_space(other):
    walked = {name for name, _args, _data in company_urls(other.company)}
    assert walked == company_scoped_url_names()


def test_the_walk_reaches_every_page_of_ones_own_company(client, own):
    client.force_login(own.user)
    for name, args, _data in company_urls(own.company):
        url = reverse(name, args=args)
        assert client.get(url).status_code == (405 if name in POST_ONLY else 200), url


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_representative_cannot_reach_any_url_of_another_company(
    client, own, other, method, settings
):
    # Without moderation a successful edit would go live at once: a leak cannot hide.
    settings.CITE_MODERATE_PROFILES = False
    client.force_login(own.user)
    victim = other.company
    urls = company_urls(victim)  # makes the victim's event proposal, before the state
    before = company_state(victim)
    own_before = company_state(own.company)
    for name, args, data in urls:
        url = reverse(name, args=args)
        response = client.get(url) if method == "get" else client.post(url, data)
        assert response.status_code == (405 if method == "get" and name in POST_ONLY else 404), url
        assert victim.trade_name not in response.text, url
    assert company_state(victim) == before
    assert company_state(own.company) == own_before
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("name", "model", "data"),
    [
        ("members:my-contact-edit", Contact, {"first_name": "Eve", "last_name": "Intruse"}),
        ("members:my-contact-delete", Contact, {}),
        ("members:my-offer-edit", Offer, offer_data(title="Piraté")),
        ("members:my-offer-delete", Offer, {}),
    ],
)
def test_another_companys_contact_or_offer_is_unreachable_through_ones_own_slug(
    client, own, other, name, model, data
):
    client.force_login(own.user)
    foreign = model.objects.get(company=other.company)
    before = company_state(other.company)
    url = reverse(name, args=[own.company.slug, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    assert company_state(other.company) == before
