"""Invoices, credit notes and payments: gapless numbers, immutable documents.

Lock order. Every billing write takes its row locks in one order: first the memberships
concerned, by primary key; then the invoices, by primary key; last the year's numbering
row (``InvoiceSequence``). Issuing, renewing, crediting and recording a payment all follow
it, so two of them running at once wait for each other in turn, never in a circle
(PostgreSQL's "deadlock detected").
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..invoice_pdf import invoice_pdf
from ..models import (
    ClusterIdentity,
    Invoice,
    InvoiceSequence,
    Membership,
    Payment,
    Representative,
)
from ..money import money
from .email import email_send, site_url
from .memberships import Trigger, membership_transition, transition_allowed

# A French invoice names both parties with their full postal address.
ADDRESS_FIELDS = ("street", "postcode", "city")
SELLER_REQUIRED = ("legal_name", "siren", *ADDRESS_FIELDS, "iban", "bic")
# The fixed indemnity for recovery costs owed by a business customer paying late
# (Code de commerce, art. D. 441-5).
RECOVERY_INDEMNITY = Decimal("40.00")


def _missing(instance, names):
    return [
        str(type(instance)._meta.get_field(name).verbose_name)
        for name in names
        if not getattr(instance, name)
    ]


def _buyer(company):
    """Return what an invoice states of the buyer; refuse an incomplete address."""
    missing = _missing(company, ADDRESS_FIELDS)
    if missing:
        raise ValidationError(
            _(
                "Invoices need the buyer's full postal address. Fill in, on the company "
                "%(company)s: %(fields)s."
            )
            % {"company": company, "fields": ", ".join(missing)},
            code="buyer_address",
        )
    return {
        "buyer_name": company.legal_name,
        "buyer_address": company.address,
        "buyer_siren": company.siren,
        "buyer_vat_number": company.vat_number,
    }


def _seller():
    """Return what invoices state of the seller, the cluster, and how to pay it; refuse
    when part of it is missing, saying what to fill in."""
    identity = ClusterIdentity.objects.current()
    missing = _missing(identity, SELLER_REQUIRED)
    if missing:
        raise ValidationError(
            _(
                "Invoices need the cluster's full identity. Fill in, in the admin's "
                "“Cluster identity”: %(fields)s."
            )
            % {"fields": ", ".join(missing)},
            code="seller_identity",
        )
    return {
        "seller_name": identity.legal_name,
        "seller_address": identity.address,
        "seller_siren": identity.siren,
        "seller_vat_number": identity.vat_number,
        "seller_bank": identity.bank_name,
        "seller_iban": identity.iban,
        "seller_bic": identity.bic,
    }


def _payment_terms():
    """Return the terms of payment an invoice copies (Code de commerce, L. 441-9)."""
    return {
        "payment_terms": _(
            "Payable within %(days)d days of the issue date; no discount for early payment."
        )
        % {"days": settings.CITE_PAYMENT_DAYS},
        "late_penalty_rate": Decimal(settings.CITE_LATE_PENALTY_RATE),
        "recovery_indemnity": RECOVERY_INDEMNITY,
    }


def lock_memberships(ids: Iterable[int]) -> list[Membership]:
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


SELLER_FIELDS = (
    "seller_name",
    "seller_address",
    "seller_siren",
    "seller_vat_number",
    "seller_bank",
    "seller_iban",
    "seller_bic",
)
BUYER_FIELDS = ("buyer_name", "buyer_address", "buyer_siren", "buyer_vat_number")


def dues_amounts(membership: Membership) -> tuple[Decimal, Decimal, Decimal, Decimal]:
    """Return ``(VAT rate, amount before tax, VAT, amount after tax)`` of a membership's
    dues, each rounded half up to the cent."""
    plan = membership.plan
    rate = money(plan.vat_rate) if plan.vat_applies else Decimal("0.00")
    excl = money(membership.fee)
    vat = money(excl * rate / 100)
    return rate, excl, vat, excl + vat


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


def _invoice_for(membership, *, seller, terms, vat_mention, issue_date, issued_by):
    """Return the unsaved, checked invoice of a membership's dues, not yet numbered."""
    plan = membership.plan
    rate, excl, vat, incl = dues_amounts(membership)
    invoice = Invoice(
        year=issue_date.year,
        sequence=0,
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
        amount_incl_tax=incl,
        vat_mention="" if plan.vat_applies else vat_mention,
        created_by=issued_by,
        **seller,
        **terms,
        **_buyer(membership.company),
    )
    # The number comes later from the locked sequence, and the database enforces its
    # uniqueness: checking it here would only cost queries.
    invoice.full_clean(
        exclude=["company", "membership", "created_by", "number"],
        validate_unique=False,
        validate_constraints=False,
    )
    return invoice


@transaction.atomic
def invoices_issue(
    *,
    memberships: Iterable[Membership],
    issued_by: AbstractBaseUser | None = None,
    issue_date: date | None = None,
) -> list[Invoice]:
    """Issue the invoices of several memberships' dues, with consecutive numbers in the
    order of the buyers' legal names. Return them.

    A membership that already has an invoice that is not fully credited is refused, a
    0 € one included, and so is a buyer without a full postal address, or a cluster whose
    identity is incomplete. A membership whose invoice comes to 0 € is paid at once; one
    cancelled by a full credit is pending again. The texts an invoice copies are written
    in the site's language (a French invoice), and each invoice is emailed as a PDF to
    its company's billing contacts.
    """
    memberships = sorted(
        lock_memberships([membership.pk for membership in memberships]),
        key=lambda membership: (membership.company.legal_name, membership.pk),
    )
    if invoiced_memberships(memberships):
        raise ValidationError(_("This membership is already invoiced."), code="invoiced")
    seller = _seller()
    vat_mention = ClusterIdentity.objects.current().vat_exemption_mention
    issue_date = issue_date or timezone.localdate()
    with translation.override(settings.LANGUAGE_CODE):
        terms = _payment_terms()
        drafts = [
            _invoice_for(
                membership,
                seller=seller,
                terms=terms,
                vat_mention=vat_mention,
                issue_date=issue_date,
                issued_by=issued_by,
            )
            for membership in memberships
        ]
    # Numbers last: every check above passed, so a number taken is a number used.
    numbers = _next_numbers(issue_date.year, len(drafts))
    for draft, (sequence, number) in zip(drafts, numbers, strict=True):
        draft.sequence, draft.number = sequence, number
    invoices = Invoice.objects.bulk_create(drafts)
    for membership, invoice in zip(memberships, invoices, strict=True):
        if transition_allowed(membership.status, Trigger.INVOICED):
            membership_transition(membership=membership, trigger=Trigger.INVOICED, by=issued_by)
        if invoice.amount_incl_tax == 0:
            membership_transition(membership=membership, trigger=Trigger.PAID, by=issued_by)
        invoice_email(invoice)
    return invoices


def billing_recipients(company) -> list[str]:
    """Return who receives a company's invoices and dues reminders: its billing contacts,
    or else its admin representatives, or else the company's own address."""
    contacts = list(
        company.contacts.filter(billing=True).exclude(email="").values_list("email", flat=True)
    )
    if contacts:
        return contacts
    representatives = list(
        Representative.objects.filter(company=company, role=Representative.Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return representatives or ([company.email] if company.email else [])


def invoice_email(invoice: Invoice) -> None:
    """Email an issued invoice, its PDF attached, to the company's billing recipients."""
    email_send(
        to=billing_recipients(invoice.company),
        subject=_("Invoice %(number)s from %(seller)s")
        % {"number": invoice.number, "seller": invoice.seller_name},
        template="members/email/invoice.txt",
        context={"invoice": invoice, "url": site_url(invoice.get_absolute_url())},
        kind="invoice",
        key=f"invoice:{invoice.number}",
        company=invoice.company,
        attachments=[(f"{invoice.number}.pdf", invoice_pdf(invoice), "application/pdf")],
    )


def invoice_issue(
    *,
    membership: Membership,
    issued_by: AbstractBaseUser | None = None,
    issue_date: date | None = None,
) -> Invoice:
    """Issue the invoice of a membership's dues, with the next number of the year."""
    return invoices_issue(memberships=[membership], issued_by=issued_by, issue_date=issue_date)[0]


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
        **{field: getattr(invoice, field) for field in SELLER_FIELDS + BUYER_FIELDS},
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
