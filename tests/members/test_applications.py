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
        "street": "3 carrer de la Fusteria",
        "postcode": "66000",
        "city": "Perpignan",
        "country": "FR",
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
    # Another visitor applying for another person is counted apart (the same person's
    # address typed from elsewhere is not: tests/security/test_email_throttles.py).
    other = client.post(
        reverse("members:join"),
        form_data(plan, contact_email="autre@pixel.example"),
        REMOTE_ADDR="10.9.9.9",
    )
    assert other.status_code == 302


def submit(plan, **changes):
    application = Application(
        **{
            "legal_name": "Pixel Catalan SAS",
            "trade_name": "Pixel Catalan",
            "siret": VALID_SIRET,
            "street": "3 carrer de la Fusteria",
            "postcode": "66000",
            "city": "Perpignan",
            "country": "FR",
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
        approval = services.application_approve(
            application=application, reviewer=admin_user, site_url="http://testserver/"
        )
    company = approval.company
    assert approval.company_created
    assert company.siret == VALID_SIRET and company.published
    assert company.address == "3 carrer de la Fusteria, 66000 Perpignan"
    membership = Membership.objects.get(company=company)
    assert membership.status == Membership.Status.PENDING
    assert Invoice.objects.get(membership=membership).amount_incl_tax > 0
    assert company.invitations.get().role == Representative.Role.ADMIN
    bodies = " ".join(message.body for message in mail.outbox)
    assert re.search(r"/invitations/\S+/", bodies)
    assert {tuple(m.to) for m in mail.outbox} == {("nuria@pixel.example",)}


def test_approval_links_the_existing_company_with_the_same_siret(plan, admin_user):
    existing = CompanyFactory(siret=VALID_SIRET, siren=VALID_SIRET[:9])
    approval = services.application_approve(
        application=submit(plan), reviewer=admin_user, site_url="http://testserver/"
    )
    assert approval.company == existing and not approval.company_created
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


class TestIdentityOnApproval:
    """An application that gives only the SIREN of an active member created a second
    company, a second membership and an invoice for a period already paid."""

    @pytest.fixture
    def active_member(self, plan):
        company = CompanyFactory(siret="", siren=VALID_SIRET[:9], legal_name="Pixel Catalan SAS")
        membership = services.membership_create(company=company, plan=plan)
        invoice = services.invoice_issue(membership=membership)
        services.payment_record(
            invoice=invoice,
            amount=invoice.amount_incl_tax,
            date=invoice.issue_date,
            method="transfer",
        )
        return company

    def test_staff_see_the_match_and_no_second_company_is_made_unasked(
        self, plan, active_member, admin_client
    ):
        application = submit(plan, siret="", siren=VALID_SIRET[:9])
        url = reverse("admin:members_application_change", args=[application.pk])
        page = admin_client.get(url).text
        assert str(active_member) in page and "même SIREN" in page

        refused = admin_client.post(url, {"decision": "approve", "company_choice": ""}, follow=True)
        assert "déjà" in refused.text and str(active_member) in refused.text
        assert "avec succès" not in refused.text
        application.refresh_from_db()
        assert application.status == Application.Status.PENDING
        assert Company.objects.count() == 1

    def test_linking_to_the_member_adds_no_membership_nor_invoice_for_a_paid_period(
        self, plan, active_member, admin_client
    ):
        application = submit(plan, siret="", siren=VALID_SIRET[:9])
        url = reverse("admin:members_application_change", args=[application.pk])
        done = admin_client.post(
            url,
            {"decision": "approve", "company_choice": str(active_member.pk)},
            follow=True,
        )
        assert "pas de nouvelle adhésion" in done.text
        assert Company.objects.count() == 1
        assert active_member.memberships.count() == 1
        assert active_member.invoices.count() == 1
        assert active_member.invitations.get().email == "nuria@pixel.example"

    def test_an_approval_says_what_it_created_with_links(self, plan, admin_client):
        application = submit(plan)
        url = reverse("admin:members_application_change", args=[application.pk])
        done = admin_client.post(url, {"decision": "approve", "company_choice": ""}, follow=True)
        company = Company.objects.get()
        invoice = Invoice.objects.get()
        message = done.text
        assert reverse("admin:members_company_change", args=[company.pk]) in message
        assert reverse("admin:members_invoice_change", args=[invoice.pk]) in message
        assert invoice.number in message and "nuria@pixel.example" in message
        assert "avec succès" not in message


@pytest.mark.django_db(transaction=True)
def test_two_applications_of_one_siret_approved_at_once_make_one_company(plan, admin_user):
    first, second = submit(plan), submit(plan, contact_email="jordi@pixel.example")

    approvals, errors = run_concurrently(
        lambda application: services.application_approve(
            application=application, reviewer=admin_user, site_url="http://testserver/"
        ),
        [(first,), (second,)],
    )

    assert errors == []
    assert Company.objects.count() == 1
    assert {approval.company_created for approval in approvals} == {True, False}
    assert Membership.objects.count() == 1 and Invoice.objects.count() == 1
