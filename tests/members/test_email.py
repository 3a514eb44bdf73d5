"""One outgoing-email path: every email is logged, leaves after the commit, and a failing
mail server never turns a completed action into a 500; staff see the failure and can send
the email again. One-line fields refuse line breaks, so a subject never breaks."""

import smtplib

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse

from members import services
from members.models import Application, Company, EmailLog, Offer
from members.services.email import email_send

from .factories import CompanyFactory, MembershipPlanFactory, OfferFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    """A mail server that is down: every message fails, as smtplib reports it."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def mail_server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"


@pytest.fixture
def application():
    return services.application_submit(
        application=Application(
            legal_name="Pixel Catalan SAS",
            siret="73282932000074",
            street="3 carrer de la Fusteria",
            postcode="66000",
            city="Perpignan",
            contact_first_name="Núria",
            contact_last_name="Puig",
            contact_email="nuria@pixel.example",
            plan=MembershipPlanFactory(),
            motivation="Oui.",
            consent=True,
        )
    )


def test_an_approval_with_the_mail_server_down_succeeds_and_staff_see_the_failure(
    admin_client, application, mail_server_down, django_capture_on_commit_callbacks
):
    url = reverse("admin:members_application_change", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"decision": "approve", "reason_text": ""})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    assert Company.objects.filter(siret="73282932000074").exists()
    failed = EmailLog.objects.failed()
    assert {log.kind for log in failed} == {"invoice", "invitation", "application_approved"}
    assert all("SMTPServerDisconnected" in log.error for log in failed)

    listing = admin_client.get(reverse("admin:members_emaillog_changelist"), {"status": "failed"})
    assert "nuria@pixel.example" in listing.text


def test_staff_send_a_failed_email_again_once_the_server_is_back(
    admin_client, application, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        services.application_reject(application=application, reviewer=None, reason="Hors filière")
    log = EmailLog.objects.get(kind="application_rejected")
    assert log.status == EmailLog.Status.FAILED

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:members_emaillog_changelist"),
            {"action": "send_again", "_selected_action": [log.pk]},
        )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == EmailLog.Status.SENT and log.sent_at is not None
    assert mail.outbox[-1].to == ["nuria@pixel.example"]


def test_an_email_leaves_only_when_its_transaction_commits(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        email_send(
            to=["a@example.org"],
            subject="Rolled back",
            template="members/email/invitation.txt",
            context={"invitation": None, "url": "", "days": 7, "inviter": "x"},
            kind="test",
        )
        raise RuntimeError
    assert mail.outbox == []
    assert not EmailLog.objects.exists()


def test_every_service_email_is_logged_with_its_kind(
    application, admin_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.application_approve(
            application=application, reviewer=admin_user, site_url="http://testserver/"
        )
    kinds = set(EmailLog.objects.values_list("kind", flat=True))
    assert kinds == {"application_received", "application_approved", "invitation", "invoice"}
    sent = EmailLog.objects.filter(status=EmailLog.Status.SENT)
    assert set(sent.values_list("kind", flat=True)) == {
        "application_approved",
        "invitation",
        "invoice",
    }
    assert len(mail.outbox) == 3


def test_the_password_reset_email_goes_through_the_same_path(
    client, django_capture_on_commit_callbacks
):
    representative = RepresentativeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": representative.user.email})
    assert EmailLog.objects.get().kind == "password_reset"
    assert mail.outbox[0].to == [representative.user.email]


def test_a_subject_never_carries_a_line_break(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email_send(
            to=["a@example.org"],
            subject="Votre offre « Stage\r\nBcc: victim@example.org »",
            template="members/email/invitation.txt",
            context={"invitation": None, "url": "", "days": 7, "inviter": "x"},
            kind="test",
        )
    assert mail.outbox[0].subject == "Votre offre « Stage Bcc: victim@example.org »"
    assert "victim@example.org" not in mail.outbox[0].bcc


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: CompanyFactory.build(trade_name="Studio\nLigne"), "trade_name"),
        (lambda: CompanyFactory.build(legal_name="Studio\rLigne SAS"), "legal_name"),
        (lambda: OfferFactory.build(company=CompanyFactory(), title="Stage\u2028"), "title"),
    ],
)
def test_one_line_fields_refuse_line_breaks(make, field):
    with pytest.raises(ValidationError) as error:
        make().full_clean()
    assert field in error.value.message_dict


def test_the_join_form_says_where_a_line_break_is_refused(client):
    plan = MembershipPlanFactory()
    response = client.post(
        reverse("members:join"),
        {
            "legal_name": "Pixel\nCatalan",
            "siret": "73282932000074",
            "street": "3 carrer de la Fusteria",
            "postcode": "66000",
            "city": "Perpignan",
            "country": "FR",
            "contact_first_name": "Núria",
            "contact_last_name": "Puig",
            "contact_email": "nuria@pixel.example",
            "plan": plan.pk,
            "motivation": "Oui.",
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert 'href="#id_legal_name"' in response.text
    assert not Application.objects.exists()


def test_an_offer_title_with_a_line_break_never_reaches_a_subject(client):
    representative = RepresentativeFactory(role="admin")
    client.force_login(representative.user)
    url = reverse("members:my-offer-add", args=[representative.company.slug])
    response = client.post(url, {"title": "Stage\nBcc: x@example.org", "kind": "job"})
    assert response.status_code == 200
    assert not Offer.objects.exists()
