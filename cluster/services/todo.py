"""The staff's to-do: what waits for someone, counted, each with a link to the admin list
that shows it.

The admin's home page and the daily digest show the same items, each only to staff who
hold its permission. One query per item shown, whatever the amount of data.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from members.models import (
    Application,
    Contact,
    DirectDebit,
    EmailLog,
    Invoice,
    Offer,
    PaymentStatus,
    ProfileRevision,
)
from startups.models import Lease

from ..models import Event

LEASES_ENDING_DAYS = 90


@dataclass(frozen=True)
class TodoKind:
    """One kind of thing that waits: how to count it, who may see it and where to go."""

    key: str
    label: Promise
    permission: str
    admin_list: str
    query: dict
    pending: Callable[[date], QuerySet]

    @property
    def url(self) -> str:
        """Return the path of the admin list filtered to what waits."""
        return f"{reverse(self.admin_list)}?{urlencode(self.query)}"


@dataclass(frozen=True)
class TodoItem:
    kind: TodoKind
    count: int

    key = property(lambda self: self.kind.key)
    label = property(lambda self: self.kind.label)
    url = property(lambda self: self.kind.url)


def _overdue_invoices(today):
    # The invoice list's status filter is the same method: ?payment_status=overdue.
    return Invoice.objects.invoices().overdue()


TODO = (
    TodoKind(
        "applications",
        _("Applications to review"),
        "members.change_application",
        "admin:members_application_changelist",
        {"status__exact": Application.Status.PENDING},
        lambda today: Application.objects.filter(status=Application.Status.PENDING),
    ),
    TodoKind(
        "revisions",
        _("Profile changes to moderate"),
        "members.change_profilerevision",
        "admin:members_profilerevision_changelist",
        {"status__exact": ProfileRevision.Status.PENDING},
        lambda today: ProfileRevision.objects.filter(status=ProfileRevision.Status.PENDING),
    ),
    TodoKind(
        "contacts",
        _("Contacts to approve"),
        "members.change_contact",
        "admin:members_contact_changelist",
        {"approved__exact": "0"},
        lambda today: Contact.objects.filter(approved=False),
    ),
    TodoKind(
        "offers",
        _("Offers to moderate"),
        "members.change_offer",
        "admin:members_offer_changelist",
        {"status__exact": Offer.Status.PENDING},
        lambda today: Offer.objects.filter(status=Offer.Status.PENDING),
    ),
    TodoKind(
        "events",
        _("Events proposed by members to review"),
        "cluster.change_event",
        "admin:cluster_event_changelist",
        {"status__exact": Event.Status.PROPOSED},
        lambda today: Event.objects.proposed(),
    ),
    TodoKind(
        "invoices",
        _("Overdue invoices"),
        "members.view_invoice",
        "admin:members_invoice_changelist",
        {"payment_status": PaymentStatus.OVERDUE},
        _overdue_invoices,
    ),
    TodoKind(
        "debits",
        _("Direct debits rejected by the bank"),
        "members.view_directdebit",
        "admin:members_directdebit_changelist",
        {"status__exact": DirectDebit.Status.REJECTED, "followed_up__exact": "0"},
        lambda today: DirectDebit.objects.rejections_to_follow_up(),
    ),
    TodoKind(
        "leases",
        _("Leases ending within 90 days"),
        "startups.view_lease",
        "admin:startups_lease_changelist",
        {"ending": str(LEASES_ENDING_DAYS)},
        lambda today: Lease.objects.ending_within(LEASES_ENDING_DAYS, today=today),
    ),
    TodoKind(
        "emails",
        _("Emails that failed"),
        "members.view_emaillog",
        "admin:members_emaillog_changelist",
        {"status__exact": EmailLog.Status.FAILED},
        lambda today: EmailLog.objects.failed(),
    ),
)


def todo_kinds_for(user: AbstractBaseUser) -> list[TodoKind]:
    """Return the kinds of to-do this staff member may see (their permissions)."""
    if not (user.is_active and user.is_staff):
        return []
    return [kind for kind in TODO if user.has_perm(kind.permission)]


def todo_count(kinds, *, today: date | None = None) -> list[TodoItem]:
    """Count what waits, one query per kind."""
    today = today or timezone.localdate()
    return [TodoItem(kind, kind.pending(today).count()) for kind in kinds]


def staff_todo(*, user: AbstractBaseUser, today: date | None = None) -> list[TodoItem]:
    """Return this staff member's to-do: each kind they may see, with its count."""
    return todo_count(todo_kinds_for(user), today=today)
