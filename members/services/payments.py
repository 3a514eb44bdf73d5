"""Payments and credit notes on issued invoices (an invoice is never edited).

Both follow the billing lock order (``members.services.invoicing``): the membership
billed, then the invoice, then (for a credit note) the year's numbering row.
"""

from datetime import date
from decimal import Decimal

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Invoice, InvoiceLine, Payment
from ..money import money
from .einvoicing import einvoice_after_commit
from .invoices import lock_memberships
from .invoicing import BUYER_FIELDS, SELLER_FIELDS, next_numbers
from .memberships import Trigger, membership_transition, transition_allowed


def _lock_invoice(invoice) -> Invoice:
    """Lock an invoice after its membership, and return it with its balance."""
    membership_id = Invoice.objects.filter(pk=invoice.pk).values_list("membership", flat=True)
    lock_memberships([pk for pk in membership_id if pk])
    Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    return Invoice.objects.with_balance().select_related("company").get(pk=invoice.pk)


@transaction.atomic
def credit_note_issue(
    *, invoice: Invoice, reason: str, issued_by: AbstractBaseUser | None = None
) -> Invoice:
    """Cancel what remains of an invoice with a credit note (an invoice is never edited).

    A membership whose invoice is then fully credited is cancelled.
    """
    if not reason.strip():
        raise ValidationError(_("Say why the invoice is credited."), code="reason")
    invoice = _lock_invoice(invoice)
    if invoice.kind != Invoice.Kind.INVOICE:
        raise ValidationError(_("A credit note cannot itself be credited."), code="credit")
    remaining = invoice.amount_incl_tax + invoice.credited
    if remaining <= 0:
        raise ValidationError(_("This invoice is already fully credited."), code="credited")
    share = remaining / invoice.amount_incl_tax if invoice.amount_incl_tax else Decimal(1)
    issue_date = timezone.localdate()
    [(sequence, number)] = next_numbers(issue_date.year, 1)
    excl = -money(invoice.amount_excl_tax * share)
    credit = Invoice(
        number=number,
        year=issue_date.year,
        sequence=sequence,
        kind=Invoice.Kind.CREDIT_NOTE,
        company=invoice.company,
        membership=invoice.membership,
        credited_invoice=invoice,
        issue_date=issue_date,
        due_date=issue_date,
        period_start=invoice.period_start,
        period_end=invoice.period_end,
        description=_("Credit note for invoice %(number)s: %(reason)s")
        % {"number": invoice.number, "reason": reason.strip()},
        amount_excl_tax=excl,
        vat_rate=invoice.vat_rate,
        vat_amount=-remaining - excl,
        amount_incl_tax=-remaining,
        vat_mention=invoice.vat_mention,
        created_by=issued_by,
        **{field: getattr(invoice, field) for field in SELLER_FIELDS + BUYER_FIELDS},
    )
    credit.full_clean(validate_unique=False, validate_constraints=False)
    credit.save()
    InvoiceLine.objects.create(
        invoice=credit, position=1, description=credit.description, amount_excl_tax=excl
    )
    membership = invoice.membership
    if membership and transition_allowed(membership.status, Trigger.CREDITED):
        membership_transition(
            membership=membership, trigger=Trigger.CREDITED, by=issued_by, reason=reason
        )
    einvoice_after_commit(credit)
    return credit


@transaction.atomic
def payment_record(
    *,
    invoice: Invoice,
    amount: Decimal,
    date: date,
    method: str,
    reference: str = "",
    recorded_by: AbstractBaseUser | None = None,
) -> Payment:
    """Record a payment (Decimal €; partial payments allowed). The membership of an
    invoice paid in full becomes active."""
    invoice = _lock_invoice(invoice)
    errors = {}
    if invoice.kind != Invoice.Kind.INVOICE:
        errors["amount"] = _("Payments go on invoices, not on credit notes.")
    elif amount is not None and amount > invoice.balance:
        errors["amount"] = _("This is more than the %(balance)s € still due.") % {
            "balance": invoice.balance
        }
    if date and date > timezone.localdate():
        errors["date"] = _("A payment cannot be dated in the future.")
    if date and date < invoice.issue_date:
        errors["date"] = _("A payment cannot be dated before the invoice (%(date)s).") % {
            "date": invoice.issue_date
        }
    if errors:
        raise ValidationError(errors)
    payment = Payment(
        invoice=invoice,
        amount=amount,
        date=date,
        method=method,
        reference=reference,
        recorded_by=recorded_by,
    )
    payment.full_clean()
    payment.save()
    membership = invoice.membership
    paid_in_full = invoice.balance - amount <= 0
    if paid_in_full and membership and transition_allowed(membership.status, Trigger.PAID):
        membership_transition(membership=membership, trigger=Trigger.PAID, by=recorded_by)
    return payment
