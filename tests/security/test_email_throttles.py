"""Emails that a visitor or a representative can make Cité send are counted: the
acknowledgment of /join/ per address typed, and invitations per company."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from members.models import Application, Invitation
from tests.members.factories import MembershipPlanFactory, RepresentativeFactory
from tests.members.test_applications import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Ask for the English pages, so that assertions never depend on the French catalog."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def test_one_address_typed_from_many_visitors_gets_a_bounded_number_of_acknowledgments(
    client, settings, django_capture_on_commit_callbacks
):
    settings.CITE_APPLICATIONS_PER_HOUR = 2
    plan = MembershipPlanFactory()
    victim = f"victim-{uuid.uuid4().hex[:8]}@example.org"
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [
            client.post(
                reverse("members:join"),
                form_data(plan, contact_email=victim.upper() if n % 2 else victim),
                REMOTE_ADDR=f"198.51.100.{n}",
            ).status_code
            for n in range(1, 6)
        ]
    assert statuses == [302, 302, 429, 429, 429]
    assert len(mail.outbox) == 2
    assert Application.objects.count() == 2


def test_a_company_cannot_send_invitations_without_end(client, settings):
    settings.CITE_INVITATIONS_PER_HOUR = 2
    admin = RepresentativeFactory(role="admin", company__trade_name=f"Vroom {uuid.uuid4().hex}")
    client.force_login(admin.user)
    url = reverse("members:my-team", kwargs={"slug": admin.company.slug})
    answers = [
        client.post(url, {"email": f"p{n}@vroom.example", "role": "editor"}) for n in range(3)
    ]
    assert [answer.status_code for answer in answers] == [302, 302, 200]
    assert "sent 2 invitations in the last hour" in answers[2].text
    assert Invitation.objects.filter(company=admin.company).count() == 2
