"""Invoices, credit notes and payments: gapless numbers, immutable documents.

Lock order. Every billing write takes its row locks in one order: first the memberships
concerned, by primary key; then the invoices, by primary key; last the year's numbering
row (``InvoiceSequence``). Issuing, renewing, crediting and recording a payment all follow
it, so two of them running at once wait for each other in turn, never in a circle
(PostgreSQL's "deadlock detected").
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    ClusterIdentity,
    Invoice,
    InvoiceSequence,
    Membership,
    Payment,
)
from ..money import money
from .memberships import Trigger, membership_transition, transition_allowed


def _buyer(company):
    address = ", ".join(
        part for part in (company.street, f"{company.postcode} {company.city}".strip()) if part
    )
    return {
        "buyer_name": company.legal_name,
        "buyer_address": address,
        "buyer_siren": company.siren,
        "buyer_vat_number": company.vat_number,
    }


def _seller():
    identity = ClusterIdentity.objects.current()
    return {
        "seller_name": identity.legal_name or identity.display_name,
        "seller_address": identity.address,
        "seller_siren": identity.siren,
        "seller_vat_number": identity.vat_number,
    }


def lock_memberships(ids) -> list[Membership]:
    """Lock these memberships, in primary-key order (the first step of the lock order)."""
    return list(
        Membership.objects.select_for_update(of=("self",))
        .select_related("plan", "company")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _lock_invoice(invoice) -> Invoice:
    """Lock an invoice after its membership, and return it with its balance."""
    membership_id = Invoice.objects.filter(pk=invoice.pk).values_list("membership", flat=True)
    lock_memberships([pk for pk in membership_id if pk])
    Invoice.objects.select_for_update().filter(pk=invoice.pk).first()
    return Invoice.objects.with_balance().select_related("company").get(pk=invoice.pk)


def _next_numbers(year, count):
    """Take ``count`` consecutive invoice numbers of ``year``; the row lock serialises
    issuers, so numbers never repeat and never leave a gap. The last lock taken."""
    InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year)], ignore_conflicts=True)
    sequence = InvoiceSequence.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [(n, f"{year}-{n:04d}") for n in range(first, first + count)]


def _seller_vat_mention():
    return ClusterIdentity.objects.current().vat_exemption_mention


def _invoice_for(membership, *, sequence, number, issue_date, issued_by):
    plan = membership.plan
    rate = money(plan.vat_rate) if plan.vat_applies else Decimal("0.00")
    excl = money(membership.fee)
    vat = money(excl * rate / 100)
    invoice = Invoice(
        number=number,
        year=issue_date.year,
        sequence=sequence,
        company=membership.company,
        membership=membership,
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=settings.CITE_PAYMENT_DAYS),
        period_start=membership.start,
        period_end=membership.end - timedelta(days=1),
        description=_("Membership dues, %(plan)s plan") % {"plan": plan.name},
        amount_excl_tax=excl,
        vat_rate=rate,
        vat_amount=vat,
        amount_incl_tax=excl + vat,
        vat_mention="" if plan.vat_applies else _seller_vat_mention(),
        created_by=issued_by,
        **_seller(),
        **_buyer(membership.company),
    )
    # The number comes from the locked sequence and the database enforces its uniqueness:
    # checking it again here would only cost queries.
    invoice.full_clean(
        exclude=["company", "membership", "created_by"],
        validate_unique=False,
        validate_constraints=False,
    )
    return invoice


@transaction.atomic
def invoices_issue(*, memberships, issued_by=None, issue_date=None) -> list[Invoice]:
    """Issue the invoices of several memberships' dues, with consecutive numbers in the
    order of the buyers' legal names. Return them.

    A membership that already has an invoice that is not fully credited is refused, a
    0 € one included. A membership whose invoice comes to 0 € is paid at once; one
    cancelled by a full credit is pending again.
    """
    memberships = sorted(
        lock_memberships([membership.pk for membership in memberships]),
        key=lambda membership: (membership.company.legal_name, membership.pk),
    )
    invoiced = set(
        Invoice.objects.invoices()
        .with_balance()
        .filter(membership__in=memberships)
        .exclude(credited__lt=0, amount_incl_tax__lte=-F("credited"))
        .values_list("membership_id", flat=True)
    )
    if invoiced:
        raise ValidationError(_("This membership is already invoiced."), code="invoiced")
    issue_date = issue_date or timezone.localdate()
    numbers = _next_numbers(issue_date.year, len(memberships))
    invoices = [
        _invoice_for(
            membership,
            sequence=sequence,
            number=number,
            issue_date=issue_date,
            issued_by=issued_by,
        )
        for membership, (sequence, number) in zip(memberships, numbers, strict=True)
    ]
    invoices = Invoice.objects.bulk_create(invoices)
    for membership, invoice in zip(memberships, invoices, strict=True):
        if transition_allowed(membership.status, Trigger.INVOICED):
            membership_transition(membership=membership, trigger=Trigger.INVOICED, by=issued_by)
        if invoice.amount_incl_tax == 0:
            membership_transition(membership=membership, trigger=Trigger.PAID, by=issued_by)
    return invoices


def invoice_issue(*, membership, issued_by=None, issue_date=None) -> Invoice:
    """Issue the invoice of a membership's dues, with the next number of the year."""
    return invoices_issue(memberships=[membership], issued_by=issued_by, issue_date=issue_date)[0]


@transaction.atomic
def credit_note_issue(*, invoice, reason, issued_by=None) -> Invoice:
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
    [(sequence, number)] = _next_numbers(issue_date.year, 1)
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
        **{f: getattr(invoice, f) for f in _seller()},
        **{f: getattr(invoice, f) for f in _buyer(invoice.company)},
    )
    credit.full_clean(validate_unique=False, validate_constraints=False)
    credit.save()
    membership = invoice.membership
    if membership and transition_allowed(membership.status, Trigger.CREDITED):
        membership_transition(
            membership=membership, trigger=Trigger.CREDITED, by=issued_by, reason=reason
        )
    return credit


@transaction.atomic
def payment_record(*, invoice, amount, date, method, reference="", recorded_by=None) -> Payment:
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
