"""Mailings: who they reach, a test to oneself, sending now or later.

Sending hands the mailing to the worker (``mailing_dispatch``, at the scheduled time when
there is one). The dispatch takes the segment's people at that moment, keeps those who
consented to the mailing's topic, records the others who left it as "unsubscribed", and
queues one email per address through the one email path, each in the person's language,
with its own unsubscribe link and the RFC 8058 headers. It runs once: the mailing's row is
locked and its status moves from "scheduled" to "sent" in the same transaction.
"""

import uuid
from dataclasses import dataclass, field
from datetime import datetime

import markdown
import nh3
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_tasks import task
from psycopg2.extras import execute_values

from members.models import ClusterIdentity
from members.services.email import OutgoingEmail, emails_queue, enqueue
from members.services.subscriptions import (
    consenting_addresses,
    unsubscribe_links,
    unsubscribed_addresses,
)

from ..models import Mailing, MailingRecipient
from ..segments import Recipient, segment_people

MAILING_KIND = "mailing"
TEST_KIND = "mailing_test"
BATCH = 1000


def markdown_html(text: str) -> str:
    """Return the Markdown text as HTML with nothing but safe tags and attributes."""
    html = markdown.markdown(text or "", extensions=["sane_lists", "smarty"], output_format="html")
    return nh3.clean(html, link_rel="noopener noreferrer")


@dataclass
class Audience:
    """Who a mailing would reach now."""

    people: list[Recipient]
    consenting: dict[str, str] = field(default_factory=dict)  # address: language
    unsubscribed: set[str] = field(default_factory=set)

    @property
    def count(self) -> int:
        return len(self.consenting)

    @property
    def without_consent(self) -> int:
        return len(self.people) - len(self.consenting) - len(self.unsubscribed)


def mailing_audience(mailing: Mailing) -> Audience:
    """Return the segment's people and, among them, those the mailing will reach."""
    people = segment_people(mailing)
    addresses = [person.email for person in people]
    return Audience(
        people=people,
        consenting=consenting_addresses(topic=mailing.topic, emails=addresses),
        unsubscribed=unsubscribed_addresses(topic=mailing.topic, emails=addresses),
    )


class _Renderer:
    """Render a mailing once per language, then fill in each recipient's link."""

    def __init__(self, mailing: Mailing):
        self.mailing = mailing
        self.identity = ClusterIdentity.objects.current()
        self.marker = f"cite-unsubscribe-{uuid.uuid4().hex}"
        self.cache = {}
        self.link = unsubscribe_links(mailing.topic_id)

    def _render(self, language):
        with translation.override(language):
            context = {
                "mailing": self.mailing,
                "identity": self.identity,
                "subject": self.mailing.subject_in(language),
                "text": self.mailing.body_in(language),
                "html": mark_safe(markdown_html(self.mailing.body_in(language))),  # noqa: S308 - sanitised by nh3
                "unsubscribe_url": self.marker,
            }
            return (
                context["subject"],
                render_to_string("cluster/email/mailing.txt", context),
                render_to_string("cluster/email/mailing.html", context),
            )

    def message(self, *, address: str, language: str, prefix: str = "") -> OutgoingEmail:
        if language not in self.cache:
            self.cache[language] = self._render(language)
        subject, text, html = self.cache[language]
        link = self.link(address)
        headers = {
            "List-Unsubscribe": f"<{link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
        if self.identity.email:
            headers["Reply-To"] = self.identity.email
        return OutgoingEmail(
            to=address,
            subject=f"{prefix}{subject}",
            body=text.replace(self.marker, link),
            html_body=html.replace(self.marker, link),
            headers=headers,
        )


def mailing_test_send(*, mailing: Mailing, user) -> None:
    """Send the mailing to this staff member alone, in the language they use now."""
    if not user.email:
        raise ValidationError(_("Your account has no email address to send the test to."))
    language = "en" if translation.get_language() == "en" else "fr"
    message = _Renderer(mailing).message(address=user.email, language=language, prefix="[TEST] ")
    with transaction.atomic():
        emails_queue([message], kind=TEST_KIND)


@transaction.atomic
def mailing_send(*, mailing: Mailing, when: datetime | None = None) -> Mailing:
    """Send a draft mailing now, or at ``when``: the worker dispatches it then."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != Mailing.Status.DRAFT:
        raise ValidationError(_("This mailing is already sent or scheduled."))
    now = timezone.now()
    if when is not None and when < now:
        raise ValidationError(_("Choose a time in the future, or send it now."))
    mailing.status = Mailing.Status.SCHEDULED
    mailing.scheduled_for = when or now
    mailing.save(update_fields=["status", "scheduled_for"])
    transaction.on_commit(lambda: enqueue(dispatch_mailing_task, mailing.pk, run_after=when))
    return mailing


@transaction.atomic
def mailing_cancel(*, mailing: Mailing) -> Mailing:
    """Take a scheduled mailing back to draft, before the worker dispatches it."""
    mailing = Mailing.objects.select_for_update().get(pk=mailing.pk)
    if mailing.status != Mailing.Status.SCHEDULED:
        raise ValidationError(_("Only a scheduled mailing can be cancelled."))
    mailing.status = Mailing.Status.DRAFT
    mailing.scheduled_for = None
    mailing.save(update_fields=["status", "scheduled_for"])
    return mailing


def _recipients_insert(rows) -> None:
    """Write recipient rows (mailing, address, name, language, unsubscribed, email) with
    one multi-row INSERT: thousands per mailing, without a model instance each."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        execute_values(
            cursor.cursor,
            f"INSERT INTO {MailingRecipient._meta.db_table} "  # noqa: S608 - constant names
            "(mailing_id, address, name, language, unsubscribed, email_id) VALUES %s",
            rows,
            page_size=1000,
        )


@transaction.atomic
def mailing_dispatch(*, mailing_id: int, now: datetime | None = None) -> int:
    """Queue one email per consenting recipient; return how many. Run by the worker.

    Does nothing for a mailing cancelled, already dispatched, or not due yet.
    """
    now = now or timezone.now()
    mailing = Mailing.objects.select_for_update().filter(pk=mailing_id).first()
    if (
        mailing is None
        or mailing.status != Mailing.Status.SCHEDULED
        or (mailing.scheduled_for and mailing.scheduled_for > now)
    ):
        return 0
    audience = mailing_audience(mailing)
    renderer = _Renderer(mailing)
    names = {person.email: person.name for person in audience.people}
    addresses = sorted(audience.consenting)
    for start in range(0, len(addresses), BATCH):
        chunk = addresses[start : start + BATCH]
        email_ids = emails_queue(
            [
                renderer.message(address=address, language=audience.consenting[address])
                for address in chunk
            ],
            kind=MAILING_KIND,
        )
        _recipients_insert(
            (
                mailing.pk,
                address,
                names.get(address, "")[:200],
                audience.consenting[address],
                False,
                email_id,
            )
            for address, email_id in zip(chunk, email_ids, strict=True)
        )
    _recipients_insert(
        (mailing.pk, address, names.get(address, "")[:200], "fr", True, None)
        for address in sorted(audience.unsubscribed)
    )
    mailing.status = Mailing.Status.SENT
    mailing.sent_at = now
    mailing.save(update_fields=["status", "sent_at"])
    return len(addresses)


@task()
def dispatch_mailing_task(mailing_id: int) -> int:
    """The worker's task: dispatch a mailing when its time comes."""
    return mailing_dispatch(mailing_id=mailing_id)
