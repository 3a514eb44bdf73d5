"""Membership dues: what a membership's invoice bills, and issuing it.

Issuing follows the billing lock order (``members.services.invoicing``): the memberships
first, by primary key.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from ..models import Invoice, Membership
from ..money import money
from .invoicing import InvoiceDraft, drafts_issue
from .memberships import Trigger, membership_transition, transition_allowed


def lock_memberships(ids: Iterable[int]) -> list[Membership]:
    """Lock these memberships, in primary-key order (the first step of the lock order)."""
    return list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("plan", "company")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def dues_amounts(membership: Membership) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Return ``(VAT rate, amount before tax, VAT, amount after tax)`` of a membership's
    dues, each rounded half up to the cent."""
    draft = _draft(membership)
    _lines, excl, vat = draft.amounts()
    return draft.vat_rate, excl, vat, excl + vat


def _draft(membership):
    plan = membership.plan
    return InvoiceDraft(
        company=membership.company,
        lines=[(_("Membership dues, %(plan)s plan") % {"plan": plan.name}, membership.fee)],
        vat_rate=money(plan.vat_rate) if plan.vat_applies else Decimal("0.00"),
        period_start=membership.start,
        period_end=membership.end,
        membership=membership,
    )


def invoiced_memberships(memberships) -> set[int]:
    """Return the ids of the memberships that already have an invoice not fully credited
    (a 0 € one included)."""
    return set(
        Invoice.objects.invoices()
        .with_balance()
        .filter(membership__in=memberships)
        .exclude(credited__lt=0, amount_incl_tax__lte=-F("credited"))
        .values_list("membership_id", flat=True)
    )


@transaction.atomic
def invoices_issue(
    *,
    memberships: Iterable[Membership],
    issued_by: AbstractBaseUser | None = None,
    issue_date: date | None = None,
) -> list[Invoice]:
    """Issue the invoices of several memberships' dues, with consecutive numbers in the
    order of the buyers' legal names, each emailed to its company. Return them.

    A membership that already has an invoice that is not fully credited is refused, a
    0 € one included, and so is a buyer without a full postal address, or a cluster whose
    identity is incomplete. A membership whose invoice comes to 0 € is paid at once; one
    cancelled by a full credit is pending again.
    """
    memberships = sorted(
        lock_memberships([membership.pk for membership in memberships]),
        key=lambda membership: (membership.company.legal_name, membership.pk),
    )
    if invoiced_memberships(memberships):
        raise ValidationError(_("This membership is already invoiced."), code="invoiced")
    invoices = drafts_issue(
        drafts=[_draft(membership) for membership in memberships],
        issued_by=issued_by,
        issue_date=issue_date,
    )
    for membership, invoice in zip(memberships, invoices, strict=True):
        if transition_allowed(membership.status, Trigger.INVOICED):
            membership_transition(membership=membership, trigger=Trigger.INVOICED, by=issued_by)
        if invoice.amount_incl_tax == 0:
            membership_transition(membership=membership, trigger=Trigger.PAID, by=issued_by)
    return invoices


def invoice_issue(
    *,
    membership: Membership,
    issued_by: AbstractBaseUser | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """Issue the invoice of a membership's dues, with the next number of the year."""
    return invoices_issue(memberships=[membership], issued_by=issued_by, issue_date=issue_date)[0]
