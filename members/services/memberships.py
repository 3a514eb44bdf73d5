"""Memberships: the membership year, first-year fees, creation, and the one table of
status transitions.

Every change of ``Membership.status`` goes through ``membership_transition``: services,
the daily ``send_reminders`` job and the admin's actions alike. A transition is allowed
only from the statuses the table lists for its trigger; each one is kept in the
membership's history with who made it, when and why.

    trigger            from                                  to
    paid               pending, grace, lapsed                active
    credited           pending, grace, lapsed, active        cancelled
    invoiced           cancelled                             pending
    due_date_passed    pending                               grace
    grace_ended        grace                                 lapsed
    period_ended       pending, grace                        lapsed
    resigned           pending, active, grace                resigned
    reinstated         lapsed, resigned, cancelled           active   (a reason is required)

The daily job's order: a membership whose invoice is past due enters grace (and its first
overdue reminder goes out); it lapses ``CITE_GRACE_DAYS`` after it entered grace, never in
the run that moved it there.
"""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..constraints import constraint_violations_as_errors
from ..models import Membership
from ..money import money

Status = Membership.Status


class Trigger(models.TextChoices):
    """What moves a membership from one status to another."""

    PAID = "paid", gettext_lazy("payment in full")
    CREDITED = "credited", gettext_lazy("invoice fully credited")
    INVOICED = "invoiced", gettext_lazy("invoiced again")
    DUE_DATE_PASSED = "due_date_passed", gettext_lazy("due date passed unpaid")
    GRACE_ENDED = "grace_ended", gettext_lazy("end of the grace period")
    PERIOD_ENDED = "period_ended", gettext_lazy("end of the period, unpaid")
    RESIGNED = "resigned", gettext_lazy("resignation")
    REINSTATED = "reinstated", gettext_lazy("reinstatement by the staff")


TRANSITIONS: dict[tuple[str, str], str] = {
    (Trigger.PAID, Status.PENDING): Status.ACTIVE,
    (Trigger.PAID, Status.GRACE): Status.ACTIVE,
    (Trigger.PAID, Status.LAPSED): Status.ACTIVE,
    (Trigger.CREDITED, Status.PENDING): Status.CANCELLED,
    (Trigger.CREDITED, Status.GRACE): Status.CANCELLED,
    (Trigger.CREDITED, Status.LAPSED): Status.CANCELLED,
    (Trigger.CREDITED, Status.ACTIVE): Status.CANCELLED,
    (Trigger.INVOICED, Status.CANCELLED): Status.PENDING,
    (Trigger.DUE_DATE_PASSED, Status.PENDING): Status.GRACE,
    (Trigger.GRACE_ENDED, Status.GRACE): Status.LAPSED,
    (Trigger.PERIOD_ENDED, Status.PENDING): Status.LAPSED,
    (Trigger.PERIOD_ENDED, Status.GRACE): Status.LAPSED,
    (Trigger.RESIGNED, Status.PENDING): Status.RESIGNED,
    (Trigger.RESIGNED, Status.ACTIVE): Status.RESIGNED,
    (Trigger.RESIGNED, Status.GRACE): Status.RESIGNED,
    (Trigger.REINSTATED, Status.LAPSED): Status.ACTIVE,
    (Trigger.REINSTATED, Status.RESIGNED): Status.ACTIVE,
    (Trigger.REINSTATED, Status.CANCELLED): Status.ACTIVE,
}
REASON_REQUIRED = {Trigger.REINSTATED}
# What staff may do from the admin; the other triggers follow invoices and dates.
STAFF_TRIGGERS = (Trigger.RESIGNED, Trigger.REINSTATED)


def membership_year(day: date) -> tuple[date, date]:
    """Return ``(start, end)`` of the membership year containing ``day`` (end exclusive)."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    year = day.year if day.month >= month else day.year - 1
    return date(year, month, 1), date(year + 1, month, 1)


def first_year_fee(plan, start: date):
    """Return the fee (Decimal €) for a membership starting on ``start``: prorated by the
    months left in the membership year (the month of joining counts) when the setting says
    so."""
    year_start, year_end = membership_year(start)
    if not settings.CITE_PRORATE_FIRST_YEAR or start == year_start:
        return money(plan.annual_fee)
    months_left = (year_end.year - start.year) * 12 + year_end.month - start.month
    return money(plan.annual_fee * months_left / 12)


def membership_create(*, company, plan, start: date | None = None, prorate=True) -> Membership:
    """Create a pending membership from ``start`` (today) to the end of its year.

    Raise ValidationError when the company already has a membership for part of the
    period, including one created concurrently.
    """
    start = start or timezone.localdate()
    year_start, year_end = membership_year(start)
    fee = first_year_fee(plan, start) if prorate else money(plan.annual_fee)
    membership = Membership(company=company, plan=plan, start=start, end=year_end, fee=fee)
    with constraint_violations_as_errors(membership), transaction.atomic():
        membership.full_clean()
        membership.save()
    return membership


def transition_allowed(status: str, trigger: str) -> bool:
    """Say whether ``trigger`` moves a membership that is ``status``."""
    return (trigger, status) in TRANSITIONS


def allowed_triggers(status: str, triggers=tuple(Trigger)) -> list[str]:
    """Return the triggers, among ``triggers``, that apply to a membership that is
    ``status``."""
    return [trigger for trigger in triggers if transition_allowed(status, trigger)]


@transaction.atomic
def membership_transition(
    *, membership: Membership, trigger: str, by=None, reason: str = "", on: date | None = None
) -> Membership:
    """Move ``membership`` along ``trigger``; return it, locked and saved.

    ``by`` is the user who acts (None for the system), ``reason`` why (required for a
    reinstatement), ``on`` the day it takes effect (today). Raise ValidationError when the
    table allows no such move from the membership's status.
    """
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    trigger = Trigger(trigger)
    target = TRANSITIONS.get((trigger, membership.status))
    if target is None:
        raise ValidationError(
            _("A membership that is %(status)s cannot change on “%(trigger)s”.")
            % {"status": membership.get_status_display(), "trigger": trigger.label},
            code="transition",
        )
    reason = reason.strip()
    if trigger in REASON_REQUIRED and not reason:
        raise ValidationError(_("Say why: the reason is kept in the history."), code="reason")
    membership.status = target
    membership.status_since = on or timezone.localdate()
    membership._change_reason = f"{trigger.label}: {reason}" if reason else str(trigger.label)
    membership._history_user = by
    membership.save(update_fields=["status", "status_since"])
    return membership


def membership_resign(*, membership: Membership, by=None, reason: str = "") -> Membership:
    """Record that the company leaves: the membership is resigned from today."""
    return membership_transition(
        membership=membership, trigger=Trigger.RESIGNED, by=by, reason=reason
    )
