"""Personal data: everything held about a person, exported as JSON (GDPR right of access).

A person is a student, a contact, a user (a company's representative), or an applicant
(an application's contact), found by the record's id or by an email address. The export
holds the record, every past version of it in the history (with who changed it and
when), and what else names the person: placements, representations, invitations, emails
sent, login attempts. A record deleted since is still found by its history rows.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from members.models import (
    Application,
    Contact,
    EmailLog,
    Invitation,
    Representative,
    Subscription,
)

from ..models import Erasure, MailingRecipient, Registration, StaffPreferences, Student

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}

_HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_type",
    "history_user",
    "history_change_reason",
}
# Never exported: a password hash is no one's business, not even its owner's.
_SECRET_FIELDS = {"password"}

KINDS = ("student", "contact", "user", "application", "registration")


def _values(instance, *, exclude=()):
    """Return the stored fields of ``instance``; a relation as its id and its name."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name in _HISTORY_FIELDS | _SECRET_FIELDS:
            continue
        if field.is_relation:
            related_id = getattr(instance, field.attname)
            try:
                related = getattr(instance, field.name) if related_id is not None else None
            except ObjectDoesNotExist:  # deleted since: a historical row keeps only the id
                related = None
            values[field.name] = (
                None
                if related_id is None
                else {"id": related_id, "label": str(related) if related else None}
            )
        else:
            values[field.name] = getattr(instance, field.attname)
    return values


def _rows(history: QuerySet) -> list[dict]:
    return [
        {
            "date": record.history_date,
            "type": HISTORY_TYPES.get(record.history_type, record.history_type),
            "user_id": record.history_user_id,
            "change_reason": record.history_change_reason,
            "fields": _values(record),
        }
        for record in history.order_by("history_date", "history_id")
    ]


def _with_history(model: type[Model], pk: int, *, exclude=()) -> dict:
    """Return a record and its history; a deleted record by its history alone.

    Raise ``model.DoesNotExist`` when nothing at all is held under this id.
    """
    record = model._default_manager.filter(pk=pk).first()
    history = _rows(model.history.filter(id=pk))
    if record is None and not history:
        raise model.DoesNotExist(f"No {model._meta.model_name} {pk}, nor any history of one.")
    return {
        "id": pk,
        "deleted": record is None,
        "record": _values(record, exclude=exclude) if record is not None else None,
        "history": history,
    }


def _erasures(kind: str, pk: int) -> list[dict]:
    return [
        {"date": erasure.erased_at, "reason": erasure.reason, "changes": erasure.changes}
        for erasure in Erasure.objects.filter(kind=kind, object_id=pk)
    ]


def emails_to(address: str) -> QuerySet:
    """Return the logged emails sent to this address (alone or among others)."""
    address = address.strip().lower()
    if not address:
        return EmailLog.objects.none()
    candidates = EmailLog.objects.filter(to__icontains=address)
    ids = [
        log.pk
        for log in candidates.only("pk", "to")
        if address in {part.strip().lower() for part in log.to.split(",")}
    ]
    return EmailLog.objects.filter(pk__in=ids)


def _emails(address: str, **filters) -> list[dict]:
    return [_values(log) for log in emails_to(address).filter(**filters).order_by("created_at")]


def mailings_data(address: str) -> dict:
    """Return the address's subscriptions to mailing topics and the mailings sent to it."""
    address = (address or "").strip().lower()
    if not address:
        return {"subscriptions": [], "mailings": []}
    subscriptions = Subscription.objects.filter(email=address).select_related("topic")
    received = MailingRecipient.objects.filter(address=address).select_related("mailing", "email")
    return {
        "subscriptions": [
            {
                "topic": subscription.topic.slug,
                "language": subscription.language,
                "source": subscription.source,
                "consented_at": subscription.consented_at,
                "unsubscribed_at": subscription.unsubscribed_at,
            }
            for subscription in subscriptions.order_by("topic__slug")
        ],
        "mailings": [
            {
                "mailing": recipient.mailing_id,
                "subject": recipient.mailing.subject_fr,
                "sent_at": recipient.email.sent_at if recipient.email_id else None,
                "status": recipient.status,
            }
            for recipient in received.order_by("pk")
        ],
    }


def student_data(pk: int) -> dict:
    data = _with_history(Student, pk)
    student = Student.objects.filter(pk=pk).first()
    placements = student.placements.order_by("start") if student else []
    data["placements"] = [
        {
            "record": _values(placement, exclude={"student"}),
            "history": _rows(placement.history.all()),
        }
        for placement in placements
    ]
    return data


def contact_data(pk: int) -> dict:
    data = _with_history(Contact, pk)
    if data["record"]:
        data |= mailings_data(data["record"]["email"])
    return data


def user_data(pk: int) -> dict:
    """Return what is held about a user: the account (no password), the companies they
    represent and their history, invitations and emails to their address, their staff
    preferences and login attempts."""
    user = get_user_model().objects.get(pk=pk)
    address = user.email
    representations = Representative.history.filter(user_id=pk)
    login = Q(username__iexact=user.get_username())
    return {
        "id": pk,
        "record": {
            **_values(user, exclude={"user_permissions"}),
            "groups": sorted(user.groups.values_list("name", flat=True)),
        },
        "representations": [
            _with_history(Representative, representation_id)
            for representation_id in sorted(set(representations.values_list("id", flat=True)))
        ],
        "invitations": [
            _values(invitation)
            for invitation in Invitation.objects.filter(email__iexact=address).order_by("pk")
        ]
        if address
        else [],
        "emails": _emails(address),
        **mailings_data(address),
        "staff_preferences": [
            _with_history(StaffPreferences, preferences.pk)
            for preferences in StaffPreferences.objects.filter(user_id=pk)
        ],
        "login_attempts": [
            _values(attempt, exclude={"get_data", "post_data"})
            for model in (AccessAttempt, AccessFailureLog, AccessLog)
            for attempt in model.objects.filter(login).order_by("pk")
        ],
    }


def application_data(pk: int) -> dict:
    data = _with_history(Application, pk)
    rows = [data["record"], *(row["fields"] for row in data["history"])]
    addresses = {row["contact_email"] for row in rows if row and row.get("contact_email")}
    data["emails"] = [
        email
        for address in sorted(addresses)
        for email in _emails(address, kind__startswith="application")
    ]
    return data


def registration_data(pk: int) -> dict:
    """Return a registration to an event, its history and the emails about it."""
    data = _with_history(Registration, pk)
    address = (data["record"] or {}).get("email", "")
    data["emails"] = [email for email in _emails(address) if email["kind"].startswith("event")]
    return data


_DATA = {
    "registration": registration_data,
    "student": student_data,
    "contact": contact_data,
    "user": user_data,
    "application": application_data,
}


def personal_data_export(*, kind: str, pk: int) -> dict:
    """Return everything held about one person, ready for JSON.

    ``kind`` is one of ``KINDS``. Raise ObjectDoesNotExist when nothing is held under
    this id: no record, and no history of one.
    """
    return {
        "kind": kind,
        "exported_at": timezone.now(),
        **_DATA[kind](pk),
        "erasures": _erasures(kind, pk),
    }


def ids_by_email(address: str) -> dict[str, list[int]]:
    """Return the ids of every person recorded with this email address, by kind,
    including records deleted since (found by their history)."""
    address = address.strip()
    if not address:
        return {kind: [] for kind in KINDS}

    def ids(model, field):
        live = model._default_manager.filter(**{f"{field}__iexact": address})
        past = model.history.filter(**{f"{field}__iexact": address})
        return sorted(
            set(live.values_list("pk", flat=True)) | set(past.values_list("id", flat=True))
        )

    users = get_user_model().objects.filter(Q(email__iexact=address) | Q(username__iexact=address))
    return {
        "student": ids(Student, "email"),
        "contact": ids(Contact, "email"),
        "user": sorted(users.values_list("pk", flat=True)),
        "application": ids(Application, "contact_email"),
        "registration": ids(Registration, "email"),
    }


def personal_data_by_email(*, email: str) -> dict:
    """Return everything held about the people recorded with this email address, and
    the invitations and emails sent to it."""
    found = ids_by_email(email)
    user_ids = set(found["user"])
    return {
        "kind": "email",
        "email": email,
        "exported_at": timezone.now(),
        "people": {
            kind: [personal_data_export(kind=kind, pk=pk) for pk in found[kind]] for kind in KINDS
        },
        # What the users' own exports do not already hold.
        "invitations": [
            _values(invitation)
            for invitation in Invitation.objects.filter(email__iexact=email).order_by("pk")
        ]
        if not user_ids
        else [],
        "emails": _emails(email) if not user_ids else [],
        **mailings_data(email),
    }


def user_label(user: AbstractBaseUser) -> str:
    """Return how a user is named in a message: their name and address."""
    name = user.get_full_name()
    return f"{name} <{user.email}>" if name and user.email else name or user.get_username()


def describe_person(*, kind: str, pk: int) -> tuple[str, bool]:
    """Return who a record names, for a person to check before erasing it: the name and
    address (for a deleted record, the last ones its history holds), and whether the
    record is deleted.

    Raise ObjectDoesNotExist when nothing is held under this id.
    """
    if kind == "user":
        return user_label(get_user_model().objects.get(pk=pk)), False
    model = {
        "student": Student,
        "contact": Contact,
        "application": Application,
        "registration": Registration,
    }[kind]
    record = model._default_manager.filter(pk=pk).first()
    deleted = record is None
    if deleted:
        record = model.history.filter(id=pk).order_by("-history_date", "-history_id").first()
        if record is None:
            raise model.DoesNotExist(f"No {kind} {pk}, nor any history of one.")
    if kind == "application":
        name = f"{record.contact_first_name} {record.contact_last_name}"
        return f"{name} <{record.contact_email}>, {record.trade_name or record.legal_name}", deleted
    if kind == "registration":
        return f"{record.name} <{record.email}>, {record.event}", deleted
    return f"{record.first_name} {record.last_name} <{record.email}>", deleted
