"""Staff members in their roles, and work waiting for them, for the to-do and role tests."""

from datetime import date, timedelta

from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from cluster.roles import ROLES, roles_sync
from members import services
from members.models import Application, EmailLog, ProfileRevision
from tests.members.factories import (
    CompanyFactory,
    ContactFactory,
    MembershipPlanFactory,
    OfferFactory,
    UserFactory,
)
from tests.startups.factories import LeaseFactory, OfficeFactory

from .factories import EventFactory


def roles_present():
    """Make sure the roles' groups exist: a migration creates them, but a transactional
    test (a browser test) empties every table when it ends, and Django makes only the
    permissions again."""
    if Group.objects.filter(name__in=ROLES).count() < len(ROLES):
        roles_sync(group_model=Group, permission_model=Permission)


def staff_member(*roles, username=None, **fields):
    """Return an active staff user in these roles' groups (names from cluster.roles)."""
    roles_present()
    user = UserFactory(username=username or f"staff-{'-'.join(roles) or 'none'}@pole.example")
    user.is_staff = True
    for name, value in fields.items():
        setattr(user, name, value)
    user.save()
    user.groups.set(Group.objects.filter(name__in=roles))
    return user


def application(**fields):
    """Return an application as /join/ records it (saved as is, without the form)."""
    values = {
        "legal_name": "Pixel Catalan SAS",
        "trade_name": "Pixel Catalan",
        "siret": "",
        "siren": "732829320",
        "city": "Perpignan",
        "contact_first_name": "Núria",
        "contact_last_name": "Puig",
        "contact_email": "nuria@pixel.example",
        "contact_phone": "06 11 22 33 44",
        "contact_role": "Gérante",
        "plan": MembershipPlanFactory(name="Petite entreprise"),
        "motivation": "Nous faisons de l’animation 3D à Perpignan.",
        "consent": True,
        **fields,
    }
    return Application.objects.create(**values)


def invoice(*, overdue, today=None):
    """Return an issued invoice: unpaid and past its due date, or paid in full."""
    today = today or timezone.localdate()
    membership = services.membership_create(
        company=CompanyFactory(),
        plan=MembershipPlanFactory(name="Plan"),
        start=date(today.year, 1, 1),
        prorate=False,
    )
    issued = services.invoice_issue(membership=membership, issue_date=today - timedelta(days=60))
    if not overdue:
        services.payment_record(
            invoice=issued,
            amount=issued.amount_incl_tax,
            date=today - timedelta(days=50),
            method="transfer",
        )
    return issued


def work_waiting(times=1):
    """Make ``times`` of each thing that waits for staff, and one of each that does not.

    Return the counts the to-do should show.
    """
    today = timezone.localdate()
    for n in range(times):
        application(contact_email=f"waiting{n}@pixel.example")
        company = CompanyFactory()
        ProfileRevision.objects.create(company=company, changes={"city": "Elne"})
        ContactFactory(company=company, approved=False)
        OfferFactory(company=company, status="pending")
        EventFactory(organiser=company, status="proposed")
        rejected_debit(invoice(overdue=True))
        LeaseFactory(office=OfficeFactory(), start=date(2024, 1, 1), end=today + timedelta(days=30))
        EmailLog.objects.create(
            kind="invitation", to="a@b.example", subject="s", body="b", status="failed"
        )
    # And what does not wait.
    application(status=Application.Status.REJECTED, contact_email="done@pixel.example")
    ProfileRevision.objects.create(company=CompanyFactory(), changes={}, status="approved")
    ContactFactory(approved=True)
    OfferFactory(status="approved")
    EventFactory(status="published")
    invoice(overdue=False)
    # Past due but being collected by direct debit: neither overdue nor rejected.
    rejected_debit(invoice(overdue=True), reject=False)
    LeaseFactory(office=OfficeFactory(), start=date(2024, 1, 1), end=today + timedelta(days=200))
    EmailLog.objects.create(
        kind="invitation", to="a@b.example", subject="s", body="b", status="sent"
    )
    return {
        "applications": times,
        "revisions": times,
        "contacts": times,
        "offers": times,
        "events": times,
        "invoices": times,
        "debits": times,
        "leases": times,
        "emails": times,
    }


def rejected_debit(issued, *, reject=True):
    """Collect an invoice by direct debit and record the bank's rejection: the invoice is
    open again, and the rejection waits for staff."""
    from members.sepa_calendar import earliest_collection_date
    from members.services import direct_debits
    from tests.members.sepa_factories import MandateFactory

    MandateFactory(company=issued.company)
    file = direct_debits.direct_debit_file_build(
        invoices=[issued], collection_date=earliest_collection_date(timezone.localdate())
    )
    if reject:
        direct_debits.direct_debit_reject(debit=file.debits.get(), date=timezone.localdate())
    return issued
