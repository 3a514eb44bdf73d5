"""The background worker sends every email: retries with backoff, a failure staff see and
retry, and one message per email even when a worker is killed in the middle of a send.

The other tests run tasks at once in their own thread (the immediate backend of the test
settings); the tests here call the worker's functions directly, or start real workers
(``manage.py run_worker``, database backend) in other processes."""

import os
import signal
import smtplib
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cluster.services.todo import staff_todo
from members.models import EmailLog
from members.services.email import email_deliver, email_send, emails_deliver_due

pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class BusyBackend(BaseEmailBackend):
    """A mail server that answers "try again later" (421) to every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPResponseException(421, b"Too busy, try again later")


class RefusingRecipientBackend(BaseEmailBackend):
    """A mail server that refuses one address for good (550) and takes the others."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if message.to == ["nobody@bad.example"]:
                raise smtplib.SMTPRecipientsRefused({"nobody@bad.example": (550, b"No such user")})
            mail.outbox.append(message)
        return len(email_messages)


def queued(address, **fields):
    return EmailLog.objects.create(
        kind="test", to=address, subject="Bonjour", body="Texte", **fields
    )


def test_a_busy_server_is_tried_again_later_waiting_longer_each_time(settings):
    settings.EMAIL_BACKEND = f"{__name__}.BusyBackend"
    settings.CITE_EMAIL_RETRY_SECONDS = 60
    log = queued("a@example.org")
    # Called directly, as the worker does; the immediate backend would retry at once.
    before = timezone.now()
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    assert email_deliver(log_id=log.pk) is False
    log.refresh_from_db()
    assert log.status == EmailLog.Status.QUEUED and log.attempts == 1
    assert before + timedelta(seconds=59) < log.next_attempt_at
    assert log.next_attempt_at < before + timedelta(seconds=61)
    assert "421" in log.error

    # Not due yet: the sweep leaves it alone.
    assert emails_deliver_due() == 0
    log.refresh_from_db()
    assert log.attempts == 1

    EmailLog.objects.filter(pk=log.pk).update(next_attempt_at=timezone.now())
    email_deliver(log_id=log.pk)
    log.refresh_from_db()
    assert log.attempts == 2
    assert log.next_attempt_at - timezone.now() > timedelta(seconds=110)


def test_after_the_last_attempt_the_email_is_failed_and_on_the_staff_to_do(
    settings, admin_user, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BusyBackend"
    settings.CITE_EMAIL_MAX_ATTEMPTS = 3
    with django_capture_on_commit_callbacks(execute=True):
        log = email_send(
            to=["a@example.org"],
            subject="Bonjour",
            template="members/email/invitation.txt",
            context={"invitation": None, "url": "", "days": 7, "inviter": "x"},
            kind="test",
        )
    log.refresh_from_db()
    # The immediate backend of the tests runs each retry at once.
    assert log.status == EmailLog.Status.FAILED and log.attempts == 3
    todo = {item.key: item.count for item in staff_todo(user=admin_user)}
    assert todo["emails"] == 1


def test_staff_retry_a_failed_email_and_the_worker_sends_it(
    admin_client, settings, django_capture_on_commit_callbacks
):
    log = queued("a@example.org", status=EmailLog.Status.FAILED, attempts=5, error="421")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:members_emaillog_changelist"),
            {"action": "send_again", "_selected_action": [log.pk]},
        )
    assert response.status_code == 302
    log.refresh_from_db()
    assert log.status == EmailLog.Status.SENT and log.attempts == 1
    assert mail.outbox[0].to == ["a@example.org"]


def test_a_refused_address_fails_at_once_and_never_stops_the_others(settings):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingRecipientBackend"
    good = queued("ana@example.org")
    bad = queued("nobody@bad.example")
    other = queued("bea@example.org")
    assert emails_deliver_due() == 2
    for log in (good, bad, other):
        log.refresh_from_db()
    assert bad.status == EmailLog.Status.FAILED and bad.attempts == 1
    assert "550" in bad.error
    assert good.status == other.status == EmailLog.Status.SENT
    assert sorted(m.to[0] for m in mail.outbox) == ["ana@example.org", "bea@example.org"]


def test_a_sent_email_is_never_sent_twice():
    log = queued("a@example.org")
    assert email_deliver(log_id=log.pk) is True
    assert email_deliver(log_id=log.pk) is True
    assert len(mail.outbox) == 1


def _start_worker(environment):
    return subprocess.Popen(
        [sys.executable, str(BASE_DIR / "manage.py"), "run_worker", "--interval", "0.2"],
        env=environment,
        cwd=BASE_DIR,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _lines(sink):
    return sink.read_text().splitlines() if sink.exists() else []


def _wait(condition, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    pytest.fail(f"Timed out waiting for {what}")


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_in_the_middle_of_a_send_loses_no_email_and_sends_none_twice(tmp_path):
    addresses = [f"person{number:03d}@example.org" for number in range(60)]
    EmailLog.objects.bulk_create(
        EmailLog(kind="mailing", to=address, subject="Nouvelles", body="Texte")
        for address in addresses
    )
    sink = tmp_path / "sink.txt"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "CITE_TEST_DATABASE": connection.settings_dict["NAME"],
        "CITE_MAIL_SINK": str(sink),
        "CITE_MAIL_SINK_DELAY": "0.1",
    }
    worker = _start_worker(environment)
    try:
        # Some sent, then one begun and not finished: kill the worker right there.
        _wait(lambda: sum(x.startswith("done") for x in _lines(sink)) >= 10, 120, "sends")
        _wait(lambda: (_lines(sink) or [""])[-1].startswith("start"), 30, "a send to begin")
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    interrupted = _lines(sink)[-1].split()[1]
    assert EmailLog.objects.get(to=interrupted).status == EmailLog.Status.QUEUED
    assert EmailLog.objects.filter(status=EmailLog.Status.QUEUED).exists()

    worker = _start_worker(environment)
    try:
        _wait(
            lambda: not EmailLog.objects.exclude(status=EmailLog.Status.SENT).exists(),
            180,
            "every email to be sent",
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    delivered = [line.split()[1] for line in _lines(sink) if line.startswith("done")]
    assert sorted(delivered) == addresses  # each one exactly once
    assert delivered.count(interrupted) == 1


def test_the_worker_keeps_to_the_configured_rate(settings):
    settings.CITE_EMAIL_RATE = 20  # a message every 50 ms at most
    for number in range(5):
        queued(f"p{number}@example.org")
    started = time.monotonic()
    assert emails_deliver_due() == 5
    assert time.monotonic() - started >= 0.2  # four waits between five messages
    assert len(mail.outbox) == 5
