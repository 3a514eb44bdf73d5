"""Password reset: throttled per address asked for and per visitor's address, with one
neutral answer, and the email sent by the worker after the response."""

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from members.models import EmailLog
from members.services.email import email_deliver
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def visitor():
    """A visitor's address of its own, so that no other test's count reaches this one."""
    number = uuid.uuid4().int
    return f"10.{number % 256}.{number // 256 % 256}.{number // 65536 % 256}"


@pytest.fixture
def address():
    """An account's address of its own, for the same reason."""
    return UserFactory(email=f"lea-{uuid.uuid4().hex[:8]}@vroom.example").email


def ask(client, email, remote):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=remote)


def test_fifteen_resets_to_one_address_send_at_most_the_allowed_number(
    client, settings, visitor, address, django_capture_on_commit_callbacks
):
    settings.CITE_PASSWORD_RESETS_PER_ADDRESS = 3
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask(client, address, visitor) for _ in range(15)]
    assert {(answer.status_code, answer["Location"]) for answer in answers} == {
        (302, reverse("password_reset_done"))
    }
    assert len(mail.outbox) == 3
    assert EmailLog.objects.filter(kind="password_reset").count() == 3


def test_an_address_in_another_case_counts_as_the_same_address(
    client, settings, visitor, address, django_capture_on_commit_callbacks
):
    settings.CITE_PASSWORD_RESETS_PER_ADDRESS = 2
    with django_capture_on_commit_callbacks(execute=True):
        for variant in [address, address.upper(), address.title(), " " + address]:
            ask(client, variant, visitor)
    assert len(mail.outbox) == 2


def test_another_address_from_the_same_visitor_is_counted_apart(
    client, settings, visitor, address, django_capture_on_commit_callbacks
):
    settings.CITE_PASSWORD_RESETS_PER_ADDRESS = 3
    other = UserFactory(email=f"bob-{uuid.uuid4().hex[:8]}@vroom.example").email
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            ask(client, address, visitor)
        ask(client, other, visitor)
    assert [message.to for message in mail.outbox] == [[address]] * 3 + [[other]]


def test_one_visitor_is_throttled_across_addresses_and_another_is_not(
    client, settings, visitor, django_capture_on_commit_callbacks
):
    settings.CITE_PASSWORD_RESETS_PER_IP = 10
    addresses = [
        UserFactory(email=f"p{n}-{uuid.uuid4().hex[:6]}@x.example").email for n in range(15)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for email in addresses[:14]:
            ask(client, email, visitor)
        ask(client, addresses[14], "192.0.2." + visitor.rsplit(".", 1)[1])
    assert len(mail.outbox) == 11
    assert mail.outbox[-1].to == [addresses[14]]


def test_the_answer_is_the_same_for_a_known_an_unknown_and_a_throttled_address(
    client, settings, visitor, address, django_capture_on_commit_callbacks
):
    settings.CITE_PASSWORD_RESETS_PER_ADDRESS = 1
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, address, visitor)
        unknown = ask(client, f"nobody-{uuid.uuid4().hex[:8]}@x.example", visitor)
        throttled = ask(client, address, visitor)
    assert known.status_code == unknown.status_code == throttled.status_code == 302
    assert known["Location"] == unknown["Location"] == throttled["Location"]
    page = client.get(known["Location"])
    assert [template.name for template in page.templates][
        0
    ] == "registration/password_reset_done.html"
    assert len(mail.outbox) == 1


def test_a_malformed_address_gets_a_form_error(client, visitor):
    response = client.post(reverse("password_reset"), {"email": "not an address\x00"})
    assert response.status_code == 200
    assert response.context["form"].errors["email"]
    assert mail.outbox == []


# --- Sent by the worker, after the response -----------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_page_answers_before_the_mail_server_is_asked(client, settings, visitor, address):
    # A backend that keeps tasks for a worker, as production's database backend does.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    response = ask(client, address, visitor)
    assert response.status_code == 302
    log = EmailLog.objects.get()
    assert log.status == EmailLog.Status.QUEUED
    assert mail.outbox == []
    # The worker's turn.
    assert email_deliver(log_id=log.pk) is True
    log.refresh_from_db()
    assert log.status == EmailLog.Status.SENT
    assert mail.outbox[0].to == [address]
