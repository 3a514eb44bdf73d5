"""The events' emails, all through ``members.services.email``."""

from django.utils import timezone
from django.utils.translation import gettext as _

from members.services.email import email_send, site_url

from .calendar import event_ics
from .tickets import cancel_url, ticket_qr_png


def _context(registration, **extra):
    event = registration.event
    return {
        "registration": registration,
        "event": event,
        "starts_at": timezone.localtime(event.starts_at),
        "event_url": site_url(event.get_absolute_url()),
        "cancel_url": cancel_url(registration),
        **extra,
    }


def registration_notify(registration, *, promoted: bool = False) -> None:
    """Tell a registrant they have a seat (ticket, QR code, calendar) or are waiting."""
    from ...models import Registration

    event = registration.event
    if registration.status == Registration.Status.CONFIRMED:
        email_send(
            to=[registration.email],
            subject=_("Your seat at “%(title)s”") % {"title": event.title},
            template="cluster/email/event_confirmed.txt",
            context=_context(registration, promoted=promoted),
            kind="event_promoted" if promoted else "event_confirmed",
            key=f"event-confirmed:{registration.pk}",
            company=registration.company,
            attachments=[
                (f"{event.slug}.ics", event_ics(event, with_link=True), "text/calendar"),
                (
                    f"ticket-{registration.ticket_code}.png",
                    ticket_qr_png(registration.ticket_code),
                    "image/png",
                ),
            ],
        )
    else:
        email_send(
            to=[registration.email],
            subject=_("Waiting list for “%(title)s”") % {"title": event.title},
            template="cluster/email/event_waiting.txt",
            context=_context(registration),
            kind="event_waiting",
            key=f"event-waiting:{registration.pk}",
            company=registration.company,
        )


def registration_remind(registration) -> bool:
    """Send the reminder of the day before, once (its own key)."""
    return (
        email_send(
            to=[registration.email],
            subject=_("Tomorrow: “%(title)s”") % {"title": registration.event.title},
            template="cluster/email/event_reminder.txt",
            context=_context(registration),
            kind="event_reminder",
            key=f"event-reminder:{registration.pk}",
            company=registration.company,
        )
        is not None
    )


def event_cancelled_notify(registration) -> None:
    email_send(
        to=[registration.email],
        subject=_("Cancelled: “%(title)s”") % {"title": registration.event.title},
        template="cluster/email/event_cancelled.txt",
        context=_context(registration),
        kind="event_cancelled",
        key=f"event-cancelled:{registration.pk}",
        company=registration.company,
    )


def registrants_message(registration, *, subject: str, body: str) -> None:
    """Send staff's message to one registrant."""
    email_send(
        to=[registration.email],
        subject=subject,
        template="cluster/email/event_message.txt",
        context=_context(registration, body=body),
        kind="event_message",
        company=registration.company,
    )
