"""The membership state machine: every transition of the table, every refused one, who
changed what and why, and the daily job's order (grace before lapse)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from members import services
from members.models import Company, Membership
from members.services.memberships import TRANSITIONS, Trigger, membership_transition

from .factories import CompanyFactory, MembershipPlanFactory, RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db

S = Membership.Status

# The whole table, written out by hand: (trigger, from) -> to. A pair not listed is refused.
EXPECTED = {
    (Trigger.PAID, S.PENDING): S.ACTIVE,
    (Trigger.PAID, S.GRACE): S.ACTIVE,
    (Trigger.PAID, S.LAPSED): S.ACTIVE,
    (Trigger.CREDITED, S.PENDING): S.CANCELLED,
    (Trigger.CREDITED, S.GRACE): S.CANCELLED,
    (Trigger.CREDITED, S.LAPSED): S.CANCELLED,
    (Trigger.CREDITED, S.ACTIVE): S.CANCELLED,
    (Trigger.INVOICED, S.CANCELLED): S.PENDING,
    (Trigger.DUE_DATE_PASSED, S.PENDING): S.GRACE,
    (Trigger.GRACE_ENDED, S.GRACE): S.LAPSED,
    (Trigger.PERIOD_ENDED, S.PENDING): S.LAPSED,
    (Trigger.PERIOD_ENDED, S.GRACE): S.LAPSED,
    (Trigger.RESIGNED, S.PENDING): S.RESIGNED,
    (Trigger.RESIGNED, S.ACTIVE): S.RESIGNED,
    (Trigger.RESIGNED, S.GRACE): S.RESIGNED,
    (Trigger.REINSTATED, S.LAPSED): S.ACTIVE,
    (Trigger.REINSTATED, S.RESIGNED): S.ACTIVE,
    (Trigger.REINSTATED, S.CANCELLED): S.ACTIVE,
}
EVERY_PAIR = [(trigger, status) for trigger in Trigger for status in S]


@pytest.fixture
def plan():
    return MembershipPlanFactory(name="Petite entreprise", annual_fee=Decimal("300.00"))


def a_membership(plan, status, start=date(2026, 1, 1)):
    """A membership put in ``status`` straight in the database, as a fixture for one move."""
    membership = services.membership_create(
        company=CompanyFactory(), plan=plan, start=start, prorate=False
    )
    Membership.objects.filter(pk=membership.pk).update(status=status)
    membership.refresh_from_db()
    return membership


def test_the_service_table_is_the_documented_one():
    assert dict(TRANSITIONS) == EXPECTED


@pytest.mark.parametrize(("trigger", "status"), EVERY_PAIR)
def test_every_transition_moves_as_the_table_says_and_every_other_is_refused(plan, trigger, status):
    membership = a_membership(plan, status)
    staff = UserFactory(is_staff=True)
    target = EXPECTED.get((trigger, status))
    if target is None:
        with pytest.raises(ValidationError) as error:
            membership_transition(membership=membership, trigger=trigger, by=staff, reason="r")
        assert error.value.code == "transition"
        membership.refresh_from_db()
        assert membership.status == status
        return
    moved = membership_transition(
        membership=membership, trigger=trigger, by=staff, reason="Décision du bureau"
    )
    assert moved.status == target
    assert moved.status_since == timezone.localdate()
    latest = moved.history.latest()
    assert (latest.status, latest.history_user) == (target, staff)
    assert latest.history_change_reason == f"{trigger.label}: Décision du bureau"


def test_a_reinstatement_needs_a_reason(plan):
    membership = a_membership(plan, S.LAPSED)
    with pytest.raises(ValidationError, match="Say why|Dites pourquoi"):
        membership_transition(membership=membership, trigger=Trigger.REINSTATED, reason="  ")
    membership.refresh_from_db()
    assert membership.status == S.LAPSED


def test_fully_crediting_the_only_invoice_of_a_pending_membership_cancels_it(plan):
    membership = services.membership_create(company=CompanyFactory(), plan=plan)
    invoice = services.invoice_issue(membership=membership)
    assert Company.objects.public().filter(pk=membership.company_id).exists()

    services.credit_note_issue(invoice=invoice, reason="Adhésion annulée à sa demande")

    membership.refresh_from_db()
    assert membership.status == S.CANCELLED
    assert not Company.objects.public().filter(pk=membership.company_id).exists()
    # A new invoice makes it pending again: the company is back, waiting for payment.
    services.invoice_issue(membership=membership)
    membership.refresh_from_db()
    assert membership.status == S.PENDING


def test_a_free_membership_is_paid_when_invoiced_and_invoiced_only_once():
    free = MembershipPlanFactory(name="Partenaire", annual_fee=Decimal("0.00"))
    membership = services.membership_create(company=CompanyFactory(), plan=free)
    invoice = services.invoice_issue(membership=membership)
    assert invoice.amount_incl_tax == 0
    membership.refresh_from_db()
    assert membership.status == S.ACTIVE
    with pytest.raises(ValidationError, match="already invoiced|déjà facturée"):
        services.invoice_issue(membership=membership)
    assert membership.invoices.count() == 1


class TestTheDailyJob:
    """What the demo showed: 14 reminders and 14 lapses in one run, none in grace."""

    @pytest.fixture
    def long_overdue(self, plan):
        """A member whose invoice fell due long ago and was never paid."""
        representative = RepresentativeFactory(role="admin", company__trade_name="Mind & Go")
        membership = services.membership_create(
            company=representative.company, plan=plan, start=date(2026, 1, 1), prorate=False
        )
        invoice = services.invoice_issue(membership=membership, issue_date=date(2026, 1, 2))
        return membership, invoice

    def test_the_first_run_sends_a_reminder_and_starts_the_grace_never_a_lapse(
        self, long_overdue, settings, django_capture_on_commit_callbacks
    ):
        settings.CITE_GRACE_DAYS = 60
        membership, invoice = long_overdue
        day = date(2026, 11, 30)  # about ten months after the due date
        with django_capture_on_commit_callbacks(execute=True):
            counts = services.reminders_send(today=day)
        assert counts == {"lapsed": 0, "grace": 1, "overdue": 1, "renewal": 0}
        membership.refresh_from_db()
        assert (membership.status, membership.status_since) == (S.GRACE, day)
        assert len(mail.outbox) == 1
        assert "1 février 2026" not in mail.outbox[0].body  # the lapse date is grace's end
        assert "29 janvier 2027" in mail.outbox[0].body
        assert Company.objects.public().filter(pk=membership.company_id).exists()

        # The next day, still in grace: nothing lapses, nothing is sent again.
        assert services.reminders_send(today=day + timedelta(days=1))["lapsed"] == 0
        membership.refresh_from_db()
        assert membership.status == S.GRACE

        # At the end of grace, it lapses.
        ended = services.reminders_send(today=day + timedelta(days=60))
        assert ended["lapsed"] == 1
        membership.refresh_from_db()
        assert membership.status == S.LAPSED
        assert not Company.objects.public().filter(pk=membership.company_id).exists()

    def test_an_unpaid_membership_lapses_when_its_period_ends(self, long_overdue):
        membership, _invoice = long_overdue
        services.reminders_send(today=date(2026, 12, 1))
        services.reminders_send(today=membership.end)
        membership.refresh_from_db()
        assert membership.status == S.LAPSED

    def test_a_hosted_start_up_in_grace_stays_in_the_directory(self, long_overdue, client):
        membership, _invoice = long_overdue
        services.reminders_send(today=date(2026, 11, 30))
        assert client.get(membership.company.get_absolute_url()).status_code == 200


class TestTheAdmin:
    @pytest.fixture
    def lapsed(self, plan):
        return a_membership(plan, S.LAPSED)

    def test_the_status_is_not_a_field_staff_can_type(self, admin_client, lapsed):
        url = reverse("admin:members_membership_change", args=[lapsed.pk])
        page = admin_client.get(url).text
        assert 'name="status"' not in page
        data = {
            "company": lapsed.company_id,
            "plan": lapsed.plan_id,
            "start": "2026-01-01",
            "end": "2027-01-01",
            "fee": "300.00",
            "status": "active",
        }
        assert admin_client.post(url, data).status_code == 302
        lapsed.refresh_from_db()
        assert lapsed.status == S.LAPSED

    def test_reinstating_shows_what_changes_and_needs_a_reason(self, admin_client, plan, lapsed):
        active = a_membership(plan, S.ACTIVE)
        url = reverse("admin:members_membership_changelist")
        selection = {
            "action": "reinstated_memberships",
            "_selected_action": [lapsed.pk, active.pk],
        }
        preview = admin_client.post(url, selection)
        assert preview.status_code == 200
        assert str(lapsed.company) in preview.text and str(active.company) in preview.text
        assert "ne le permet pas" in preview.text or "does not allow" in preview.text

        refused = admin_client.post(url, {**selection, "apply": "1", "reason": ""})
        assert refused.status_code == 200
        lapsed.refresh_from_db()
        assert lapsed.status == S.LAPSED

        done = admin_client.post(url, {**selection, "apply": "1", "reason": "Payé en espèces"})
        assert done.status_code == 302
        lapsed.refresh_from_db()
        active.refresh_from_db()
        assert (lapsed.status, active.status) == (S.ACTIVE, S.ACTIVE)
        assert lapsed.history.latest().history_change_reason.endswith("Payé en espèces")

    def test_a_staff_member_without_the_change_permission_cannot_resign(
        self, client, plan, django_user_model
    ):
        from django.contrib.auth.models import Permission

        membership = a_membership(plan, S.ACTIVE)
        viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
        viewer.user_permissions.add(Permission.objects.get(codename="view_membership"))
        client.force_login(viewer)
        url = reverse("admin:members_membership_changelist")
        client.post(
            url,
            {
                "action": "resigned_memberships",
                "_selected_action": [membership.pk],
                "apply": "1",
                "reason": "",
            },
        )
        membership.refresh_from_db()
        assert membership.status == S.ACTIVE
