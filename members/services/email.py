"""The one way out for every email Cité sends.

``email_send`` renders the message at once (in the language active at that moment), logs
it in the admin's list of emails, and, once the caller's transaction commits, hands it to
the background worker (Django's Tasks API): an email never announces a change that was
rolled back, and a slow or failing mail server never slows a page down. ``emails_queue``
does the same for many prepared messages at once (a mailing).

The worker sends with ``email_deliver``: it claims the logged email by locking its row
(``SELECT … FOR UPDATE SKIP LOCKED``, while it is still waiting), sends it, and records
"sent" in the same transaction. A worker killed before that commit releases the lock and
leaves the email waiting, for the next worker to send; two workers never hold the same
email. A mail server that refuses for a while is tried again later, waiting longer each
time (``CITE_EMAIL_MAX_ATTEMPTS``, ``CITE_EMAIL_RETRY_SECONDS``); a refused address (an
SMTP 5xx, a malformed address) fails at once. A failed email is shown to staff (the
to-do, and the email list's "send again" action), never raised into the action that
caused it.
"""

import logging
import smtplib
import time
from dataclasses import dataclass, field
from datetime import timedelta
from email.utils import formataddr, parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db import connection as database
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks import task
from psycopg2.extras import Json, execute_values

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
    transaction.on_commit(partial(enqueue, deliver_email_task, log.pk))
    return log


@dataclass
class OutgoingEmail:
    """A prepared message for ``emails_queue``: rendered already, one recipient."""

    to: str
    subject: str
    body: str
    html_body: str = ""
    headers: dict = field(default_factory=dict)
    company_id: int | None = None


_QUEUE_COLUMNS = (
    "kind",
    "to",
    "subject",
    "body",
    "html_body",
    "headers",
    "company_id",
    "status",
    "error",
    "attempts",
    "created_at",
)


def emails_queue(messages: list[OutgoingEmail], *, kind: str) -> list[int]:
    """Log many prepared messages at once and hand them to the worker after the commit;
    return the ids of the log entries, in order. One task sends them all
    (``emails_deliver_due``).

    Written with one multi-row INSERT rather than ``bulk_create``: a mailing queues
    thousands, and building a model instance for each took most of the time.
    """
    if not messages:
        return []
    now = timezone.now()
    rows = [
        (
            kind,
            message.to,
            single_line(message.subject)[:300],
            message.body,
            message.html_body,
            Json(message.headers),
            message.company_id,
            EmailLog.Status.QUEUED,
            "",
            0,
            now,
        )
        for message in messages
    ]
    columns = ", ".join(f'"{column}"' for column in _QUEUE_COLUMNS)
    with database.cursor() as cursor:
        returned = execute_values(
            cursor.cursor,
            f"INSERT INTO {EmailLog._meta.db_table} ({columns}) VALUES %s RETURNING id",  # noqa: S608 - constant names
            rows,
            page_size=500,
            fetch=True,
        )
    transaction.on_commit(partial(enqueue, deliver_due_emails_task))
    return [row[0] for row in returned]


class PermanentFailure(Exception):
    """The mail server or the address refuses this message for good: no retry."""


def _is_permanent(error: Exception) -> bool:
    if isinstance(error, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused):
        return True
    if isinstance(error, smtplib.SMTPResponseException):
        return 500 <= error.smtp_code < 600
    return isinstance(error, PermanentFailure | ValueError)


def _message(log: EmailLog, *, from_email: str, connection=None) -> EmailMultiAlternatives:
    message = EmailMultiAlternatives(
        subject=log.subject,
        body=log.body,
        from_email=from_email,
        to=[address.strip() for address in log.to.split(",")],
        headers=log.headers,
        connection=connection,
    )
    if log.html_body:
        message.attach_alternative(log.html_body, "text/html")
    if log.has_attachments:
        for attachment in log.attachments.all():
            message.attach(attachment.filename, bytes(attachment.content), attachment.mimetype)
    return message


def _retry_delay(attempts: int) -> timedelta:
    return timedelta(seconds=settings.CITE_EMAIL_RETRY_SECONDS * 2 ** max(attempts - 1, 0))


# Claim and mark sent in one statement: the first waiting email no other worker holds
# (SKIP LOCKED) becomes "sent" in the worker's open transaction, which commits only once
# the mail server has taken the message; a failure rewrites the row before the commit, and
# a worker that dies before it leaves the row as it was. Two round trips to PostgreSQL a
# message (this, then COMMIT) instead of three.
_CLAIM = """
UPDATE {table} AS log
SET status = 'sent', sent_at = clock_timestamp(), attempts = log.attempts + 1,
    next_attempt_at = NULL, error = ''
WHERE log.id = (
    SELECT id FROM {table}
    WHERE status = 'queued' AND {condition}
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
)
RETURNING log.id, log.kind, log."to", log.subject, log.body, log.html_body, log.headers,
    log.attempts,
    EXISTS (SELECT 1 FROM {attachments} AS a WHERE a.email_id = log.id) AS has_attachments
"""
_DUE = "(next_attempt_at IS NULL OR next_attempt_at <= clock_timestamp())"
_ONE = "id = %s"
_CLAIMED_FIELDS = ("id", "kind", "to", "subject", "body", "html_body", "headers", "attempts")


def _claim(condition: str, params=()) -> EmailLog | None:
    sql = _CLAIM.format(
        table=EmailLog._meta.db_table,
        attachments=EmailAttachment._meta.db_table,
        condition=condition,
    )
    with database.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = dict(zip(_CLAIMED_FIELDS, row[:-1], strict=True))
    # Django reads jsonb as text and decodes it in the field, as here.
    values["headers"] = EmailLog._meta.get_field("headers").from_db_value(
        values["headers"], None, database
    )
    log = EmailLog(**values)
    log.has_attachments = row[-1]
    return log


def _claim_and_send(condition, params=(), *, connection=None, from_email=None):
    """Claim the first waiting email that matches ``condition`` (SQL) and no other worker
    holds, send it, and record the outcome in the same transaction.

    Return ``(log_id, sent)``; ``(None, False)`` when there is none to claim.
    """
    retry_at = None
    with transaction.atomic():
        log = _claim(condition, params)
        if log is None:
            return None, False
        try:
            _message(log, from_email=from_email or sender(), connection=connection).send()
        except Exception as error:  # noqa: BLE001 - SMTP, network, a refused address: recorded
            logger.warning("Email %s (%s) to %s failed: %s", log.pk, log.kind, log.to, error)
            update = {
                "status": EmailLog.Status.QUEUED,
                "sent_at": None,
                "error": f"{type(error).__name__}: {error}"[:2000],
            }
            if _is_permanent(error) or log.attempts >= settings.CITE_EMAIL_MAX_ATTEMPTS:
                update["status"] = EmailLog.Status.FAILED
            else:
                retry_at = timezone.now() + _retry_delay(log.attempts)
                update["next_attempt_at"] = retry_at
            EmailLog.objects.filter(pk=log.pk).update(**update)
            sent = False
        else:
            sent = True
    if retry_at is not None:
        enqueue(deliver_email_task, log.pk, run_after=retry_at)
    return log.pk, sent


def email_deliver(*, log_id: int, connection=None) -> bool:
    """Claim a waiting email, send it and record how it went; return True when sent.

    An email already sent, failed, or being sent by another worker is left alone (False,
    or True when it is sent). A temporary refusal counts one attempt and schedules the
    next one; the last attempt, or a permanent refusal, marks the email failed.
    """
    claimed, sent = _claim_and_send(_ONE, [log_id], connection=connection)
    if claimed is None:
        return EmailLog.objects.filter(pk=log_id, status=EmailLog.Status.SENT).exists()
    return sent


def emails_deliver_due(*, limit: int | None = None) -> int:
    """Send the waiting emails whose time has come, one claim at a time, over one
    connection to the mail server, at most ``CITE_EMAIL_RATE`` a second; return how many
    were sent. Stop when none is left (or after ``limit`` claims)."""
    return _deliver_due(limit=limit)[1]


def _deliver_due(*, limit: int | None) -> tuple[int, int]:
    """Return how many emails were claimed, and how many of them sent."""
    sent = tried = 0
    interval = 1 / settings.CITE_EMAIL_RATE if settings.CITE_EMAIL_RATE > 0 else 0
    from_email = sender()
    connection = get_connection()
    try:
        while limit is None or tried < limit:
            started = time.monotonic()
            claimed, ok = _claim_and_send(_DUE, connection=connection, from_email=from_email)
            if claimed is None:
                break
            tried += 1
            sent += ok
            if interval:
                time.sleep(max(0.0, interval - (time.monotonic() - started)))
    finally:
        connection.close()
    return tried, sent


def email_retry(*, log_ids) -> int:
    """Put failed (or waiting) emails back in the queue with fresh attempts; return how
    many. The worker sends them."""
    ids = list(
        EmailLog.objects.filter(pk__in=log_ids)
        .exclude(status=EmailLog.Status.SENT)
        .values_list("pk", flat=True)
    )
    EmailLog.objects.filter(pk__in=ids).update(
        status=EmailLog.Status.QUEUED, attempts=0, next_attempt_at=None
    )
    for pk in ids:
        # After the commit when called inside a transaction, at once otherwise.
        transaction.on_commit(partial(enqueue, deliver_email_task, pk))
    return len(ids)


@task()
def deliver_email_task(log_id: int) -> bool:
    """The worker's task for one email."""
    return email_deliver(log_id=log_id)


# Emails one task sends before handing over to a fresh task: a worker asked to stop
# (SIGTERM) finishes its task first, so a task must stay short.
DELIVERY_BATCH = 200


@task()
def deliver_due_emails_task() -> int:
    """The worker's task for the waiting emails (a mailing, or what a killed worker left):
    a batch, then the same task again while some remain."""
    tried, sent = _deliver_due(limit=DELIVERY_BATCH)
    if tried == DELIVERY_BATCH:  # perhaps more: a fresh task goes on
        enqueue(deliver_due_emails_task)
    return sent


def enqueue(task_, *args, run_after=None):
    """Hand a task to the worker; ``run_after`` when the backend can wait (the database
    backend can; the tests' immediate backend runs it now)."""
    if run_after is not None and task_.get_backend().supports_defer:
        task_ = task_.using(run_after=run_after)
    return task_.enqueue(*args)


def site_url(path: str) -> str:
    """Return the absolute address of a path of this site, for emails sent without a
    request (``CITE_SITE_URL``)."""
    return settings.CITE_SITE_URL.rstrip("/") + path


def sender() -> str:
    """Return the From header: DEFAULT_FROM_EMAIL, named after the cluster when it has no
    name of its own."""
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((name or ClusterIdentity.objects.current().display_name, address))
