"""The one way out for every email Cité sends.

``email_send`` renders the message at once (in the language active at that moment), logs
it in the admin's list of emails, and hands it over for sending only once the caller's
transaction commits: an email never announces a change that was rolled back, and a slow or
failing mail server never holds a database transaction open. ``email_deliver`` sends a
logged email and records the outcome; a failure is logged and shown to staff (with a
"send again" action), never raised into the action that caused the email.
"""

import logging
import threading
from email.utils import formataddr, parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connections, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from ..models import ClusterIdentity, EmailAttachment, EmailLog
from ..text import single_line

logger = logging.getLogger(__name__)


def email_send(
    *,
    to: list[str],
    subject: str,
    template: str,
    context: dict | None = None,
    kind: str,
    key: str | None = None,
    company=None,
    attachments: list[tuple[str, bytes, str]] = (),
    background: bool = False,
) -> EmailLog | None:
    """Queue an email; return its log entry, or None when nothing is queued.

    ``to``: the addresses (empty ones are dropped; none at all queues nothing).
    ``subject``: plain text; line breaks and runs of spaces become one space, so that a
    name typed with a line break can never break the header.
    ``template``: the name of a plain-text template, rendered with ``context`` plus the
    cluster's ``identity``.
    ``kind``: what the email is, for the admin's list ("invitation", "overdue"…).
    ``key``: when given, the email goes out once: a second call with the same key queues
    nothing and returns None.
    ``attachments``: ``(filename, content, mimetype)`` triples, kept with the log entry so
    that sending again sends the same files.
    ``background``: send from a thread of its own once the transaction commits, so that a
    page anyone may ask for (a password reset) answers without waiting for the mail
    server, and its timing does not tell whether an email went out
    (``CITE_SEND_EMAIL_IN_BACKGROUND``; the test settings send at once).
    """
    recipients = [address for address in to if address]
    if not recipients:
        return None
    identity = ClusterIdentity.objects.current()
    body = render_to_string(template, {"identity": identity, **(context or {})})
    try:
        with transaction.atomic():
            log = EmailLog.objects.create(
                key=key,
                kind=kind,
                to=", ".join(recipients),
                subject=single_line(subject)[:300],
                body=body,
                company=company,
            )
            EmailAttachment.objects.bulk_create(
                EmailAttachment(email=log, filename=name, content=content, mimetype=mimetype)
                for name, content, mimetype in attachments
            )
    except IntegrityError:
        if key and EmailLog.objects.filter(key=key).exists():
            return None  # already queued or sent under this key
        raise
    if background and settings.CITE_SEND_EMAIL_IN_BACKGROUND:
        transaction.on_commit(partial(_deliver_in_background, log_id=log.pk))
    else:
        transaction.on_commit(partial(email_deliver, log_id=log.pk))
    return log


def _deliver_in_background(*, log_id: int) -> threading.Thread:
    """Send a logged email from a new thread, after the response. The thread is not a
    daemon: a worker that stops waits for it (at most EMAIL_TIMEOUT); an email it could not
    send stays "waiting to be sent" in the admin, which can send it again."""

    def deliver():
        try:
            email_deliver(log_id=log_id)
        finally:
            connections.close_all()

    thread = threading.Thread(target=deliver, name=f"email-{log_id}")
    thread.start()
    return thread


def email_deliver(*, log_id: int) -> bool:
    """Send a logged email that is not sent yet, and record how it went.

    Return True when it is sent (now or before). Any failure of the mail server or the
    address is recorded on the log entry and logged, never raised.
    """
    log = EmailLog.objects.filter(pk=log_id).first()
    if log is None or log.status == EmailLog.Status.SENT:
        return log is not None
    message = EmailMessage(
        subject=log.subject,
        body=log.body,
        from_email=sender(),
        to=[address.strip() for address in log.to.split(",")],
    )
    for attachment in log.attachments.all():
        message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - SMTP, network, a refused address: recorded
        logger.exception("Email %s (%s) to %s failed", log.pk, log.kind, log.to)
        EmailLog.objects.filter(pk=log.pk).update(
            status=EmailLog.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000]
        )
        return False
    EmailLog.objects.filter(pk=log.pk).update(
        status=EmailLog.Status.SENT, sent_at=timezone.now(), error=""
    )
    return True


def site_url(path: str) -> str:
    """Return the absolute address of a path of this site, for emails sent without a
    request (``CITE_SITE_URL``)."""
    return settings.CITE_SITE_URL.rstrip("/") + path


def sender() -> str:
    """Return the From header: DEFAULT_FROM_EMAIL, named after the cluster when it has no
    name of its own."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or ClusterIdentity.objects.current().display_name, address))
