"""Erasure of a person's data, on their request (contacts, users, applicants, students)
or at the end of a retention period (``retention``).

A person's record is anonymised, or deleted when an anonymous copy would serve no one (a
contact), and so is every row of its history, so that neither the admin's history pages
nor an export still name them; the admin's log stops naming them too. What the figures
count stays: a student's programme and placements, an application's status, plan and
dates. Each erasure is recorded (``Erasure``), with what it changed and nothing
identifying; running one again changes nothing more.
"""

from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import Application, Contact, Invitation, Representative, Subscription

from ..models import Erasure, MailingRecipient, Placement, Registration, StaffPreferences, Student
from .personal_data import emails_to, ids_by_email

# Stored data, not messages: the same in every language.
ANONYMISED = "Anonymised"
ANONYMISED_EMAIL_BODY = "[anonymised]"


# What an erasure changes, by key (``Erasure.changes``), as the erase command reports it.
CHANGES = {
    "deleted": _("record deleted"),
    "anonymised": _("record anonymised"),
    "history_rows": _("history rows anonymised"),
    "admin_log_entries": _("admin log entries renamed"),
    "representations": _("representations of companies deleted"),
    "staff_preferences": _("staff preferences deleted"),
    "login_attempts": _("login attempts deleted"),
    "invitations": _("invitations anonymised"),
    "emails": _("emails anonymised"),
    "subscriptions": _("mailing subscriptions deleted"),
    "mailing_recipients": _("mailing recipient entries deleted"),
}


class ErasureRefused(Exception):
    """The person cannot be erased this way (a staff member, say); the message says why."""


@dataclass
class ErasureReport:
    """What an erasure did, counted by kind of row, for the person who ran it."""

    kind: str
    pk: int
    changes: dict = field(default_factory=dict)

    def add(self, what: str, count: int) -> None:
        """Count ``count`` rows changed, ``what`` being a key of ``CHANGES``."""
        if what not in CHANGES:
            raise ValueError(f"Unknown change {what!r}: add it to CHANGES.")
        if count:
            self.changes[what] = self.changes.get(what, 0) + count


def _free_text(model, keep):
    """Return the names of the model's free-text fields (no choices) outside ``keep``:
    fields added later are anonymised too, unless someone says they are not personal."""
    return [
        f.name
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in keep
        and not f.name.startswith("history_")
    ]


def _anonymise(queryset, model, keep, names):
    """Blank the free-text fields of the rows, writing ``names`` (field: value) instead."""
    values = dict.fromkeys(_free_text(model, keep), "") | names
    return queryset.update(**values)


def _rename_in_admin_log(model, pk, label):
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=str(pk)
    ).update(object_repr=label[:200])


def _anonymise_emails(address, queryset):
    """Take the address out of the emails sent to it, and their text (which names the
    person); keep their kind, subject, dates and status (the counts), and the other
    recipients of an email sent to several."""
    count = 0
    for log in queryset.exclude(body=ANONYMISED_EMAIL_BODY).only("pk", "to"):
        others = [
            part.strip()
            for part in log.to.split(",")
            if part.strip() and part.strip().lower() != address.strip().lower()
        ]
        count += (
            type(log)
            .objects.filter(pk=log.pk)
            .update(to=", ".join(others) or ANONYMISED, body=ANONYMISED_EMAIL_BODY, error="")
        )
    return count


def _erase_mailings(address, report):
    """Delete the address's subscriptions and its entries in the mailings' recipient
    logs (the emails themselves are anonymised with the others). Without a subscription
    no mailing reaches the address again: no consent, no mailing."""
    address = (address or "").strip().lower()
    if not address:
        return
    report.add("subscriptions", Subscription.objects.filter(email=address).delete()[0])
    report.add("mailing_recipients", MailingRecipient.objects.filter(address=address).delete()[0])


def _record(report, reason, by):
    Erasure.objects.get_or_create(
        kind=report.kind,
        object_id=report.pk,
        defaults={"reason": reason, "erased_by": by, "changes": report.changes},
    )
    return report


# --- Contacts ------------------------------------------------------------------------------

CONTACT_KEEP = {"company"}


@transaction.atomic
def contact_erase(
    *, pk: int, by: AbstractBaseUser | None = None, reason: str = Erasure.Reason.REQUEST
) -> ErasureReport:
    """Delete a contact and anonymise every row of its history (a deleted contact's
    history still named them). Raise Contact.DoesNotExist when nothing is held."""
    report = ErasureReport("contact", pk)
    contact = Contact.objects.filter(pk=pk).first()
    if contact is None and not Contact.history.filter(id=pk).exists():
        raise Contact.DoesNotExist(f"No contact {pk}, nor any history of one.")
    if contact is not None:
        still_used = Contact.objects.filter(email__iexact=contact.email).exclude(pk=pk).exists()
        if not still_used:
            _erase_mailings(contact.email, report)
        contact.delete()  # public pages that showed them are refreshed
        report.add("deleted", 1)
    names = {"first_name": ANONYMISED, "last_name": f"Contact-{pk}"}
    report.add(
        "history_rows",
        _anonymise(Contact.history.filter(id=pk), Contact.history.model, CONTACT_KEEP, names),
    )
    report.add("admin_log_entries", _rename_in_admin_log(Contact, pk, f"{ANONYMISED} Contact-{pk}"))
    return _record(report, reason, by)


# --- Users (representatives) ---------------------------------------------------------------


@transaction.atomic
def user_erase(
    *, pk: int, by: AbstractBaseUser | None = None, reason: str = Erasure.Reason.REQUEST
) -> ErasureReport:
    """Anonymise a user who represents companies: their account can no longer log in,
    their representations, staff preferences and login attempts go, and the invitations
    and emails to their address no longer name it.

    Refuse a staff member: take away their staff status first, so that no one erases
    the last administrator by mistake.
    """
    User = get_user_model()
    user = User.objects.select_for_update().get(pk=pk)
    if user.is_staff or user.is_superuser:
        raise ErasureRefused(
            f"User {pk} is a staff member: remove their staff status before erasing them."
        )
    report = ErasureReport("user", pk)
    address, username = user.email, user.get_username()
    label = f"anonymised-{pk}"
    if address or username != label or user.is_active:
        user.username, user.first_name, user.last_name, user.email = label, "", "", ""
        user.is_active = False
        user.set_unusable_password()  # also ends their sessions
        user.save()
        report.add("anonymised", 1)
    report.add("admin_log_entries", _rename_in_admin_log(User, pk, label))
    representations = Representative.objects.filter(user_id=pk)
    for representation_id in representations.values_list("pk", flat=True):
        _rename_in_admin_log(Representative, representation_id, label)
    report.add("representations", representations.delete()[1].get(Representative._meta.label, 0))
    report.add(
        "staff_preferences",
        StaffPreferences.objects.filter(user_id=pk)
        .delete()[1]
        .get(StaffPreferences._meta.label, 0),
    )
    StaffPreferences.history.filter(user_id=pk).delete()
    logins = Q(username__iexact=username) | (Q(username__iexact=address) if address else Q())
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        report.add("login_attempts", model.objects.filter(logins).delete()[0])
    if address:
        report.add(
            "invitations",
            Invitation.objects.filter(email__iexact=address).update(email=""),
        )
        report.add("emails", _anonymise_emails(address, emails_to(address)))
        _erase_mailings(address, report)
    return _record(report, reason, by)


# --- Applicants ----------------------------------------------------------------------------

# What an application keeps once anonymised: what the figures count.
APPLICATION_KEEP = {"city"}
# An approved application also keeps the company's identity: the register holds it.
APPROVED_APPLICATION_KEEP = APPLICATION_KEEP | {
    "legal_name",
    "trade_name",
    "siret",
    "siren",
    "website",
}


@transaction.atomic
def application_erase(
    *, pk: int, by: AbstractBaseUser | None = None, reason: str = Erasure.Reason.REQUEST
) -> ErasureReport:
    """Anonymise an application and its history: the contact's name, address, phone and
    role, the motivation and the reason given; for one not approved, the company's name
    and identifiers too (a sole trader's is their own name). The status, plan, city,
    company and dates stay. The emails about the application no longer name them.

    Raise Application.DoesNotExist when nothing is held.
    """
    report = ErasureReport("application", pk)
    live = Application.objects.select_for_update().filter(pk=pk).first()
    history = Application.history.filter(id=pk)
    if live is None and not history.exists():
        raise Application.DoesNotExist(f"No application {pk}, nor any history of one.")
    approved = live.status == Application.Status.APPROVED if live else False
    keep = APPROVED_APPLICATION_KEEP if approved else APPLICATION_KEEP
    names = {"contact_first_name": ANONYMISED, "contact_last_name": f"Applicant-{pk}"}
    if not approved:
        names["legal_name"] = f"{ANONYMISED} application {pk}"
    addresses = {
        address
        for address in [
            live.contact_email if live else "",
            *history.values_list("contact_email", flat=True),
        ]
        if address
    }
    if live is not None and live.contact_email:
        report.add(
            "anonymised",
            _anonymise(Application.objects.filter(pk=pk), Application, keep, names),
        )
    report.add(
        "history_rows",
        _anonymise(history.exclude(contact_email=""), Application.history.model, keep, names),
    )
    if live is not None:
        report.add(
            "admin_log_entries",
            _rename_in_admin_log(Application, pk, str(Application.objects.get(pk=pk))),
        )
    for address in addresses:
        report.add(
            "emails",
            _anonymise_emails(address, emails_to(address).filter(kind__startswith="application")),
        )
    return _record(report, reason, by)


# --- Students ------------------------------------------------------------------------------

ANONYMISED_FIRST_NAME = ANONYMISED
ANONYMISED_LAST_NAME_PREFIX = "Student-"


def students_anonymise(ids, *, today, reason):
    """Anonymise these students: names, email and consents go; the programme, cohort,
    status and placements stay, so that the statistics do not change. The history rows,
    which hold the names, are replaced by one row recording the anonymisation, and the
    admin's log stops naming them."""
    Student.objects.filter(pk__in=ids).update(
        first_name=ANONYMISED_FIRST_NAME,
        last_name=Concat(
            Value(ANONYMISED_LAST_NAME_PREFIX), Cast("pk", CharField()), output_field=CharField()
        ),
        email="",
        consent_share_with_companies=False,
        consent_news=False,
        anonymised_on=today,
    )
    Student.history.filter(id__in=ids).delete()
    students = list(Student.objects.filter(pk__in=ids))
    Student.history.bulk_history_create(
        students, update=True, default_change_reason=f"anonymised: {reason}"
    )
    for student in students:
        _rename_in_admin_log(Student, student.pk, str(student))
    placements = Placement.objects.filter(student__in=students).select_related("student", "company")
    for placement in placements:
        _rename_in_admin_log(Placement, placement.pk, str(placement))
    return students


@transaction.atomic
def student_erase(
    *, pk: int, by: AbstractBaseUser | None = None, reason: str = Erasure.Reason.REQUEST
) -> ErasureReport:
    """Anonymise one student now, as the retention purge does."""
    student = Student.objects.select_for_update().get(pk=pk)
    report = ErasureReport("student", pk)
    if student.anonymised_on is None:
        students_anonymise([pk], today=timezone.localdate(), reason="at the person's request")
        report.add("anonymised", 1)
    return _record(report, reason, by)


# --- Event registrations -------------------------------------------------------------------


@transaction.atomic
def registration_erase(
    *, pk: int, by: AbstractBaseUser | None = None, reason: str = Erasure.Reason.REQUEST
) -> ErasureReport:
    """Anonymise a registration and delete its history; its status, category, company
    and check-in stay for the events' counts."""
    from .events import registration_anonymise

    registration = Registration.objects.select_for_update().get(pk=pk)
    report = ErasureReport("registration", pk)
    if registration.anonymised_on is None:
        history = registration.history.count()
        registration_anonymise(registration=registration)
        report.add("anonymised", 1)
        report.add("history_rows", history)
    return _record(report, reason, by)


# --- Everything about one address ----------------------------------------------------------

ERASE = {
    "registration": registration_erase,
    "student": student_erase,
    "contact": contact_erase,
    "user": user_erase,
    "application": application_erase,
}


def personal_data_erase(*, kind: str, pk: int, by: AbstractBaseUser | None = None) -> ErasureReport:
    """Erase one person at their request (see each kind's function)."""
    return ERASE[kind](pk=pk, by=by)


@transaction.atomic
def personal_data_erase_email(
    *, email: str, by: AbstractBaseUser | None = None
) -> tuple[list[ErasureReport], list[str]]:
    """Erase every person recorded with this address, and the invitations and emails
    sent to it. Return the reports, and why anyone was left: a staff member is, and then
    so are the invitations and emails to the address, which are theirs too."""
    reports, refused = [], []
    for kind, ids in ids_by_email(email).items():
        for pk in ids:
            try:
                reports.append(personal_data_erase(kind=kind, pk=pk, by=by))
            except ErasureRefused as error:
                refused.append(str(error))
    if refused:
        return reports, refused
    rest = ErasureReport("email", 0)
    rest.add("invitations", Invitation.objects.filter(email__iexact=email).update(email=""))
    rest.add("emails", _anonymise_emails(email, emails_to(email)))
    _erase_mailings(email, rest)
    if rest.changes:
        reports.append(rest)
    return reports, refused
