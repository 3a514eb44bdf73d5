"""Registrations: the one place that writes their status.

Every transition locks the event's row first (then the registration's), so that two
visitors never take the same last seat and two cancellations never promote the same
person. Emails leave through ``members.services.email`` once the transaction commits.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Company, Contact

from ...models import Event, Registration, Student
from . import billing as fees
from . import notifications
from .tickets import new_ticket_code


class AlreadyCheckedIn(ValidationError):
    """The ticket was already checked in; ``registration.checked_in_at`` says when."""

    def __init__(self, registration):
        self.registration = registration
        when = timezone.localtime(registration.checked_in_at)
        super().__init__(
            _("%(name)s is already checked in at %(time)s.")
            % {"name": registration.name, "time": f"{when:%H:%M}"},
            code="already_checked_in",
        )


def _lock_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def company_of_email(address: str) -> Company | None:
    """Return the company this address belongs to: a representative's or a contact's."""
    address = address.strip()
    user = (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True, representations__isnull=False)
        .first()
    )
    if user is not None:
        return Company.objects.filter(representatives__user=user).order_by("pk").first()
    contact = Contact.objects.filter(email__iexact=address).select_related("company").first()
    return contact.company if contact else None


def is_member_person(address: str) -> bool:
    """Say whether this address is a representative's, or a consenting contact's, of a
    current member (who may register for members-only events)."""
    members = Company.objects.members()
    address = address.strip()
    return (
        get_user_model()
        .objects.filter(email__iexact=address, is_active=True, representations__company__in=members)
        .exists()
        or Contact.objects.filter(
            email__iexact=address, public_consent=True, company__in=members
        ).exists()
    )


def infer_category(address: str, company: Company | None, chosen: str) -> str:
    """Return the registrant's category where Cité knows it, else the one they chose."""
    if Student.objects.filter(email__iexact=address.strip()).exists():
        return Registration.Category.STUDENT
    if company is not None:
        if company.incubations.exists():
            return Registration.Category.STARTUP
        if Company.objects.members().filter(pk=company.pk).exists():
            return Registration.Category.MEMBER
    return chosen or Registration.Category.PUBLIC


def _check_audience(event: Event, registration: Registration, *, by_staff: bool) -> None:
    if by_staff or event.audience != Event.Audience.MEMBERS:
        return
    if not is_member_person(registration.email):
        raise ValidationError(
            {
                "email": _(
                    "This event is for members only, and this address is not a member's "
                    "representative or contact. Log in, or use your work address."
                )
            },
            code="members_only",
        )


@transaction.atomic
def registration_create(
    *,
    event: Event,
    name: str,
    email: str,
    organisation: str = "",
    category: str = "",
    user: AbstractBaseUser | None = None,
    consent: bool = True,
    walk_in: bool = False,
    by_staff: bool = False,
    billing: fees.Billing | None = None,
) -> Registration:
    """Register someone: confirmed while seats remain, on the waiting list past capacity.

    Raise ValidationError (by field) when registration is closed, the event is for members
    and the address is not a member's, or the address is already registered. For a paid
    event (walk-ins aside, paid on site), the fee is invoiced on confirmation to the
    registrant's company, or to the ``billing`` name and address (errors on its fields).
    """
    event = _lock_event(event)
    now = timezone.now()
    if not by_staff and not event.registration_open(now):
        raise ValidationError(_("Registration for this event is closed."), code="closed")
    email = email.strip()
    if event.registrations.active().with_email(email).exists():
        raise ValidationError(
            {"email": _("This address is already registered for this event.")}, code="twice"
        )
    company = company_of_email(email)
    if company is None and organisation:
        company = Company.objects.filter(trade_name__iexact=organisation.strip()).first()
    registration = Registration(
        event=event,
        name=name.strip(),
        email=email,
        organisation=organisation.strip() or (company.display_name if company else ""),
        company=company,
        category=infer_category(email, company, category),
        ticket_code=new_ticket_code(),
        walk_in=walk_in,
        registered_by=user if user and user.is_authenticated else None,
        consent_at=now if consent else None,
        created_at=now,
    )
    _check_audience(event, registration, by_staff=by_staff)
    taken = event.registrations.confirmed().count()
    registration.status = (
        Registration.Status.CONFIRMED if taken < event.capacity else Registration.Status.WAITING
    )
    if walk_in:
        registration.status = Registration.Status.CONFIRMED
        registration.checked_in_at = now
    if not walk_in:
        registration.buyer = fees.registration_buyer(registration=registration, billing=billing)
    registration.full_clean()
    registration.save()
    if not walk_in:
        notifications.registration_notify(registration)
    if registration.status == Registration.Status.CONFIRMED:
        fees.registration_invoice(registration=registration)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> Registration | None:
    """Cancel a registration; a freed seat goes to the first on the waiting list.

    Return the promoted registration, if any. Raise ValidationError when the registration
    is already cancelled (a cancel link works once). A paid registration cancelled before
    the event's cancellation deadline gets its invoice credited; after it, it stands.
    """
    event = _lock_event(registration.event)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."), code="cancelled")
    # The lock order: every registration first, then invoices, then the numbering.
    event.registrations.waiting().select_for_update().first()
    freed = registration.status == Registration.Status.CONFIRMED
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    if event.free_cancellation(registration.cancelled_at):
        fees.registration_credit(
            registration=registration,
            reason=_("Registration cancelled before the deadline: %(event)s")
            % {"event": event.title},
        )
    if freed and event.status == Event.Status.PUBLISHED and event.ends_at > timezone.now():
        return _promote(event)
    return None


def _promote(event: Event) -> Registration | None:
    """Give a free seat to the first person waiting (the event's row is locked)."""
    if event.registrations.confirmed().count() >= event.capacity:
        return None
    first = event.registrations.waiting().select_for_update().first()
    if first is None:
        return None
    first.status = Registration.Status.CONFIRMED
    first.save(update_fields=["status"])
    notifications.registration_notify(first, promoted=True)
    fees.registration_invoice(registration=first)
    return first


@transaction.atomic
def registration_check_in(*, event: Event, code: str) -> Registration:
    """Mark the holder of this ticket present, once.

    Raise ValidationError for an unknown code, a code of another event, a registration
    not confirmed, and AlreadyCheckedIn for a second scan.
    """
    code = code.strip().upper()
    registration = (
        Registration.objects.select_for_update().filter(ticket_code=code).select_related("event")
    ).first()
    if registration is None:
        raise ValidationError({"code": _("No ticket has this code.")}, code="unknown")
    if registration.event_id != event.pk:
        raise ValidationError(
            {
                "code": _("This ticket is for another event: %(event)s.")
                % {"event": registration.event}
            },
            code="other_event",
        )
    if registration.status != Registration.Status.CONFIRMED:
        raise ValidationError(
            {
                "code": _("This registration is not confirmed (%(status)s).")
                % {"status": registration.get_status_display()}
            },
            code="not_confirmed",
        )
    if registration.checked_in_at:
        raise AlreadyCheckedIn(registration)
    registration.checked_in_at = timezone.now()
    registration.save(update_fields=["checked_in_at"])
    return registration
