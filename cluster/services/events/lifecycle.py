"""Events' lifecycle: duplicate, propose (a representative), review, cancel, remind, and
anonymise past registrations."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.images import store_logo
from members.services.moderation import notify_submitter, rejection_reason

from ...models import Event, Registration
from . import billing as fees
from . import notifications

REMOVED = "—"


def unique_slug(title: str, *, exclude_pk=None) -> str:
    """Return a slug made of the title and the date part, unique among events."""
    base = slugify(title)[:100] or "event"
    slug = base
    taken = Event.objects.exclude(pk=exclude_pk)
    while taken.filter(slug=slug).exists():
        slug = f"{base}-{get_random_string(5).lower()}"
    return slug


def store_image(event: Event, image) -> None:
    """Store an image already checked by ``members.images.process_logo`` on the event."""
    if image:
        event.image.name = store_logo(
            event.image.storage, f"events/{event.slug}-{image.name}", image
        )


@transaction.atomic
def event_duplicate(*, event: Event) -> Event:
    """Return a draft copy of the event (same place, partners and prices), without
    registrations, for staff to give new dates."""
    partners = list(event.partners.all())
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy._state.adding = True
    copy.status = Event.Status.DRAFT
    copy.slug = unique_slug(f"{event.title_fr}-copie")
    copy.proposed_by = None
    copy.reviewed_by = None
    copy.reviewed_at = None
    copy.reason = ""
    copy.full_clean()
    copy.save()
    copy.partners.set(partners)
    return copy


@transaction.atomic
def event_propose(*, event: Event, user: AbstractBaseUser, image=None) -> Event:
    """Save an event a representative proposes; staff review it like an offer."""
    if event.pk is None:
        event.proposed_by = user
        event.slug = unique_slug(event.title_fr)
    event.status = Event.Status.PROPOSED
    event.reason = ""
    event.reviewed_by = None
    event.reviewed_at = None
    store_image(event, image)
    event.full_clean()
    event.save()
    return event


def _pending(event):
    submission = Event.objects.select_for_update().get(pk=event.pk)
    if submission.status != Event.Status.PROPOSED:
        raise ValidationError(_("This event was already reviewed."))
    return submission


@transaction.atomic
def event_approve(*, event: Event, reviewer: AbstractBaseUser) -> Event:
    """Publish a proposed event and tell the representative who proposed it."""
    event = _pending(event)
    event.record_review(Event.Status.PUBLISHED, reviewer=reviewer)
    event.full_clean()
    event.save()
    _notify_proposer(event, "cluster/email/event_approved")
    return event


@transaction.atomic
def event_reject(*, event: Event, reviewer: AbstractBaseUser, reason: str) -> Event:
    """Reject a proposed event with a reason, emailed to the representative."""
    reason = rejection_reason(reason, _("Say why the event is rejected: the proposer is told."))
    event = _pending(event)
    event.record_review(Event.Status.REJECTED, reviewer=reviewer, reason=reason)
    event.full_clean()
    event.save()
    _notify_proposer(event, "cluster/email/event_rejected")
    return event


def _notify_proposer(event, template):
    notify_submitter(
        event.proposed_by,
        subject=_("Your event “%(title)s”") % {"title": event.title},
        template=template,
        context={"event": event},
        company=event.organiser,
    )


@transaction.atomic
def event_cancel(*, event: Event) -> int:
    """Cancel an event, tell every registrant and credit every invoice of it; return how
    many were told."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.status == Event.Status.CANCELLED:
        return 0
    event.status = Event.Status.CANCELLED
    event.save(update_fields=["status"])
    # The lock order: the registrations, then their invoices, then the numbering.
    list(event.registrations.select_for_update().order_by("pk"))
    registrations = list(event.registrations.active().select_related("event", "company"))
    for registration in registrations:
        notifications.event_cancelled_notify(registration)
    fees.event_credit(event=event)
    return len(registrations)


def registrants_email(*, event: Event, subject: str, body: str) -> int:
    """Email staff's message to every registrant not cancelled; return how many."""
    if not subject.strip() or not body.strip():
        raise ValidationError(_("Write a subject and a message."))
    registrations = list(event.registrations.active().select_related("event", "company"))
    with transaction.atomic():
        for registration in registrations:
            notifications.registrants_message(registration, subject=subject, body=body)
    return len(registrations)


def registrations_remind(*, now=None) -> int:
    """Remind the confirmed registrants of events starting tomorrow; return how many emails
    were queued (each goes once, whatever the number of runs)."""
    now = timezone.localtime(now or timezone.now())
    tomorrow = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    registrations = (
        Registration.objects.confirmed()
        .filter(
            event__status=Event.Status.PUBLISHED,
            event__starts_at__gte=tomorrow,
            event__starts_at__lt=tomorrow + timedelta(days=1),
        )
        .select_related("event", "company")
    )
    sent = 0
    for registration in registrations:
        with transaction.atomic():
            sent += notifications.registration_remind(registration)
    return sent


@transaction.atomic
def registrations_anonymise(*, today=None) -> int:
    """Anonymise the registrations of events over for ``CITE_EVENT_RETENTION_DAYS``,
    keeping status, category, check-in and company (the counts); return how many."""
    today = today or timezone.localdate()
    before = timezone.now() - timedelta(days=settings.CITE_EVENT_RETENTION_DAYS)
    registrations = Registration.objects.to_anonymise(before)
    count = 0
    for registration in registrations.select_for_update():
        registration_anonymise(registration=registration, today=today)
        count += 1
    return count


def registration_anonymise(*, registration: Registration, today=None) -> None:
    """Remove the person from a registration and its history; keep what counts."""
    registration.name = REMOVED
    registration.email = f"anonymised-{registration.pk}@invalid"
    registration.organisation = registration.company.display_name if registration.company else ""
    registration.registered_by = None
    registration.anonymised_on = today or timezone.localdate()
    registration.save_without_historical_record()
    registration.history.all().delete()
