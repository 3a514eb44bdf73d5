"""Invoices, credit notes and payments: gapless numbers, immutable documents."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Invoice,
    InvoiceSequence,
    Membership,
    Payment,
)
from ..money import money


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
    seller = settings.CITE_SELLER
    return {
        "seller_name": seller["name"],
        "seller_address": seller["address"],
        "seller_siren": seller["siren"],
        "seller_vat_number": seller["vat_number"],
    }


def _next_numbers(year, count):
    """Take ``count`` consecutive invoice numbers of ``year``; the row lock serialises
    issuers, so numbers never repeat and never leave a gap."""
    InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year)], ignore_conflicts=True)
    sequence = InvoiceSequence.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [(n, f"{year}-{n:04d}") for n in range(first, first + count)]


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
        vat_mention="" if plan.vat_applies else settings.CITE_VAT_EXEMPTION_MENTION,
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
def invoices_issue(*, memberships, issued_by=None, issue_date=None):
    """Issue the invoices of several memberships' dues, with consecutive numbers.

    A membership that already has an invoice (not fully credited) is refused.
    """
    ids = [membership.pk for membership in memberships]
    memberships = list(
        Membership.objects.select_for_update()
        .select_related("plan", "company")
        .filter(pk__in=ids)
        .order_by("company__legal_name", "pk")
    )
    invoiced = set(
        Invoice.objects.invoices()
        .with_balance()
        .filter(membership__in=memberships, amount_incl_tax__gt=-F("credited"))
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
    return Invoice.objects.bulk_create(invoices)


def invoice_issue(*, membership, issued_by=None, issue_date=None):
    """Issue the invoice of a membership's dues, with the next number of the year."""
    return invoices_issue(memberships=[membership], issued_by=issued_by, issue_date=issue_date)[0]


@transaction.atomic
def credit_note_issue(*, invoice, reason, issued_by=None):
    """Cancel what remains of an invoice with a credit note (an invoice is never edited)."""
    if not reason.strip():
        raise ValidationError(_("Say why the invoice is credited."), code="reason")
    invoice = Invoice.objects.with_balance().get(pk=invoice.pk)
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
    return credit


@transaction.atomic
def payment_record(*, invoice, amount, date, method, reference="", recorded_by=None):
    """Record a payment (partial payments allowed); a fully paid membership is active."""
    invoice = Invoice.objects.select_for_update().get(pk=invoice.pk)
    invoice = Invoice.objects.with_balance().get(pk=invoice.pk)
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
    if invoice.balance - amount <= 0 and invoice.membership_id:
        membership = Membership.objects.select_for_update().get(pk=invoice.membership_id)
        if membership.status in Membership.Status.UNPAID:
            membership.status = Membership.Status.ACTIVE
            membership.save(update_fields=["status"])
    return payment
