"""Applications to join: the public form, spam defences, staff review."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from members import services
from members.models import Application, Company, Invoice, Membership, Representative
from tests.concurrency import run_concurrently

from .factories import CompanyFactory, MembershipPlanFactory

pytestmark = pytest.mark.django_db

VALID_SIRET = "73282932000074"


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


@pytest.fixture
def plan():
    return MembershipPlanFactory(name="Petite entreprise")


def form_data(chosen_plan, **changes):
    data = {
        "legal_name": "Pixel Catalan SAS",
        "trade_name": "Pixel Catalan",
        "siret": "732 829 320 00074",
        "city": "Perpignan",
        "contact_first_name": "Núria",
        "contact_last_name": "Puig",
        "contact_email": "nuria@pixel.example",
        "plan": chosen_plan.pk,
        "motivation": "Rejoindre les studios de la Cité digitale.",
        "consent": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_a_visitor_applies_and_gets_an_acknowledgement(
    client, plan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("members:join"), form_data(plan))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.siret == VALID_SIRET
    assert application.siren == VALID_SIRET[:9]
    assert mail.outbox[0].to == ["nuria@pixel.example"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"siret": "73282932000075"}, "siret"),
        ({"siret": "", "siren": ""}, "siret"),
        ({"siret": "", "siren": "123"}, "siren"),
        ({"consent": None}, "consent"),
        ({"contact_email": "pas-un-email"}, "contact_email"),
        ({"motivation": ""}, "motivation"),
        ({"plan": "999999"}, "plan"),
    ],
)
def test_a_bad_application_says_what_is_wrong_and_saves_nothing(client, plan, changes, field):
    response = client.post(reverse("members:join"), form_data(plan, **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Application.objects.exists()


def test_the_honeypot_silently_drops_robots(client, plan):
    response = client.post(reverse("members:join"), form_data(plan, fax="buy now"))
    assert response.status_code == 302
    assert not Application.objects.exists()


def test_applications_are_rate_limited_per_address(client, plan, settings):
    settings.CITE_APPLICATIONS_PER_HOUR = 2
    for _attempt in range(2):
        client.post(reverse("members:join"), form_data(plan))
    response = client.post(reverse("members:join"), form_data(plan))
    assert response.status_code == 429
    assert Application.objects.count() == 2
    other = client.post(reverse("members:join"), form_data(plan), REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def submit(plan, **changes):
    application = Application(
        **{
            "legal_name": "Pixel Catalan SAS",
            "trade_name": "Pixel Catalan",
            "siret": VALID_SIRET,
            "city": "Perpignan",
            "contact_first_name": "Núria",
            "contact_last_name": "Puig",
            "contact_email": "nuria@pixel.example",
            "plan": plan,
            "motivation": "Oui.",
            "consent": True,
            **changes,
        }
    )
    return services.application_submit(application=application)


def test_approval_creates_company_membership_invoice_and_invites_the_contact(
    plan, admin_user, django_capture_on_commit_callbacks
):
    application = submit(plan)
    with django_capture_on_commit_callbacks(execute=True):
        company = services.application_approve(
            application=application, reviewer=admin_user, site_url="http://testserver/"
        )
    assert company.siret == VALID_SIRET and company.published
    membership = Membership.objects.get(company=company)
    assert membership.status == Membership.Status.PENDING
    assert Invoice.objects.get(membership=membership).amount_incl_tax > 0
    assert company.invitations.get().role == Representative.Role.ADMIN
    bodies = " ".join(message.body for message in mail.outbox)
    assert re.search(r"/invitations/\S+/", bodies)
    assert {tuple(m.to) for m in mail.outbox} == {("nuria@pixel.example",)}


def test_approval_links_the_existing_company_with_the_same_siret(plan, admin_user):
    existing = CompanyFactory(siret=VALID_SIRET, siren=VALID_SIRET[:9])
    company = services.application_approve(
        application=submit(plan), reviewer=admin_user, site_url="http://testserver/"
    )
    assert company == existing
    assert Company.objects.count() == 1


def test_rejection_needs_a_reason_and_tells_the_applicant(
    plan, admin_client, django_capture_on_commit_callbacks
):
    application = submit(plan)
    url = reverse("admin:members_application_change", args=[application.pk])
    assert "Pixel Catalan" in admin_client.get(url).text
    response = admin_client.post(url, {"decision": "reject", "reason_text": ""})
    assert response.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        admin_client.post(url, {"decision": "reject", "reason_text": "Hors de la filière."})
    application.refresh_from_db()
    assert application.status == Application.Status.REJECTED
    assert "Hors de la filière." in mail.outbox[-1].body


@pytest.mark.django_db(transaction=True)
def test_two_staff_approving_one_application_at_once_create_one_member(plan, admin_user):
    application = submit(plan)

    companies, errors = run_concurrently(
        lambda: services.application_approve(
            application=application, reviewer=admin_user, site_url="http://testserver/"
        ),
        [(), ()],
    )

    assert len(companies) == 1
    assert [str(error) for error in errors] == ["Cette candidature a déjà été examinée."]
    assert Company.objects.count() == 1
    assert Membership.objects.count() == 1
    assert Invoice.objects.count() == 1


def test_the_form_chooses_no_plan_in_advance(client, plan):
    MembershipPlanFactory(name="Partenaire", annual_fee=0)
    html = client.get(reverse("members:join")).text

    select = re.search(r'<select name="plan".*?</select>', html, re.S).group()
    assert re.findall(r"<option[^>]*selected[^>]*>([^<]*)<", select) == ["---------"]
    assert "Partenaire — 0 € par an" in select
    assert "required" in select
    response = client.post(reverse("members:join"), form_data(plan, plan=""))
    assert response.status_code == 200
    assert 'href="#id_plan"' in response.text
    assert not Application.objects.exists()
