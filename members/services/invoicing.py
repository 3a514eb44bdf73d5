"""Issuing invoices, whatever they bill: membership dues here, rent and event fees from
the other apps, all through ``drafts_issue``.

One numbering for everything the association bills: the year's gapless sequence
(``2026-0001``); the French rules (CGI, art. 242 nonies A) ask for one continuous,
chronological series, which one sequence gives without having to justify separate ones.

Lock order. Every billing write takes its row locks in one order: first the rows of what
is billed (memberships, leases, registrations), by primary key; then the invoices, by
primary key; last the year's numbering row (``InvoiceSequence``). Issuing, renewing,
crediting and recording a payment all follow it, so two of them running at once wait for
each other in turn, never in a circle (PostgreSQL's "deadlock detected").

Money is Decimal euros, rounded half up to the cent at each line: a line's VAT is
rounded, and an invoice's totals are the sums of its rounded lines.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..invoice_pdf import invoice_pdf
from ..models import (
    ClusterIdentity,
    Company,
    Invoice,
    InvoiceLine,
    InvoiceSequence,
    Membership,
    Representative,
    Revenue,
)
from ..money import money
from .einvoicing import einvoice_after_commit
from .email import email_send, site_url

# A French invoice names both parties with their full postal address.
ADDRESS_FIELDS = ("street", "postcode", "city")
SELLER_REQUIRED = ("legal_name", "siren", *ADDRESS_FIELDS, "iban", "bic")
# The fixed indemnity for recovery costs owed by a business customer paying late
# (Code de commerce, art. D. 441-5).
RECOVERY_INDEMNITY = Decimal("40.00")
SELLER_FIELDS = (
    "seller_name",
    "seller_address",
    "seller_siren",
    "seller_siret",
    "seller_vat_number",
    "seller_bank",
    "seller_iban",
    "seller_bic",
)
BUYER_FIELDS = ("buyer_name", "buyer_address", "buyer_siren", "buyer_siret", "buyer_vat_number")


@dataclass
class InvoiceDraft:
    """What one invoice will bill, before it is numbered.

    ``lines`` are ``(description, amount before tax)`` pairs in euros, or triples with
    the line's ``Revenue`` last (rent, service charges: the account it goes to; dues
    by default on a membership's invoice, else other services); ``vat_rate`` is a
    percentage, 0 for an invoice without VAT (it then carries the cluster's exemption
    mention); the period is ``[start, end)`` (printed with its last day).
    """

    company: Company
    lines: list[tuple[str, Decimal]]
    vat_rate: Decimal = Decimal("0.00")
    period_start: date | None = None
    period_end: date | None = None
    membership: Membership | None = None
    summary: str = ""
    extra: dict = field(default_factory=dict)

    def revenues(self) -> list[str]:
        """Return each line's ``Revenue``."""
        default = Revenue.DUES if self.membership else Revenue.OTHER
        return [line[2] if len(line) > 2 else default for line in self.lines]

    def amounts(self) -> tuple[list[tuple[str, Decimal, Decimal]], Decimal, Decimal]:
        """Return the lines with their rounded VAT, and the totals before tax and of VAT."""
        rate = money(self.vat_rate)
        lines = [
            (text, money(amount), money(money(amount) * rate / 100))
            for text, amount, *_revenue in self.lines
        ]
        return (
            lines,
            sum((line[1] for line in lines), Decimal("0.00")),
            sum((line[2] for line in lines), Decimal("0.00")),
        )


def _missing(instance, names):
    meta = type(instance)._meta
    return [str(meta.get_field(name).verbose_name) for name in names if not getattr(instance, name)]


def buyer_fields(company: Company) -> dict:
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
        "buyer_siret": company.siret,
        "buyer_vat_number": company.vat_number,
    }


def seller_fields() -> dict:
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
        "seller_siret": identity.siret,
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


def next_numbers(year: int, count: int) -> list[tuple[int, str]]:
    """Take ``count`` consecutive invoice numbers of ``year``; the row lock serialises
    issuers, so numbers never repeat and never leave a gap. The last lock taken."""
    InvoiceSequence.objects.bulk_create([InvoiceSequence(year=year)], ignore_conflicts=True)
    sequence = InvoiceSequence.objects.select_for_update().get(year=year)
    first = sequence.last + 1
    sequence.last += count
    sequence.save(update_fields=["last"])
    return [(n, f"{year}-{n:04d}") for n in range(first, first + count)]


def _invoice_of(draft, *, seller, terms, vat_mention, issue_date, issued_by):
    lines, excl, vat = draft.amounts()
    invoice = Invoice(
        year=issue_date.year,
        sequence=0,
        company=draft.company,
        membership=draft.membership,
        issue_date=issue_date,
        due_date=issue_date + timedelta(days=settings.CITE_PAYMENT_DAYS),
        period_start=draft.period_start,
        period_end=draft.period_end - timedelta(days=1) if draft.period_end else None,
        description=draft.summary or lines[0][0],
        amount_excl_tax=excl,
        vat_rate=money(draft.vat_rate),
        vat_amount=vat,
        amount_incl_tax=excl + vat,
        vat_mention="" if draft.vat_rate else vat_mention,
        created_by=issued_by,
        **seller,
        **terms,
        **buyer_fields(draft.company),
        **draft.extra,
    )
    # The number comes later from the locked sequence, and the database enforces its
    # uniqueness: checking it here would only cost queries.
    invoice.full_clean(
        exclude=["company", "membership", "created_by", "number"],
        validate_unique=False,
        validate_constraints=False,
    )
    return invoice, lines


@transaction.atomic
def drafts_issue(
    *,
    drafts: Iterable[InvoiceDraft],
    issued_by: AbstractBaseUser | None = None,
    issue_date: date | None = None,
) -> list[Invoice]:
    """Issue invoices from drafts, numbered consecutively in the drafts' order; return
    them. Each is emailed as a PDF to its company's billing contacts.

    The caller has locked the rows of what it bills (the first step of the lock order).
    Raise ValidationError, issuing nothing, when a buyer's address or the cluster's
    identity is incomplete. The texts an invoice copies are in the site's language.
    """
    drafts = list(drafts)
    issue_date = issue_date or timezone.localdate()
    identity = ClusterIdentity.objects.current()
    with translation.override(settings.LANGUAGE_CODE):
        seller, terms = seller_fields(), _payment_terms()
        built = [
            _invoice_of(
                draft,
                seller=seller,
                terms=terms,
                vat_mention=identity.vat_exemption_mention,
                issue_date=issue_date,
                issued_by=issued_by,
            )
            for draft in drafts
        ]
    # Numbers last: every check above passed, so a number taken is a number used.
    for (invoice, _lines), (sequence, number) in zip(
        built, next_numbers(issue_date.year, len(built)), strict=True
    ):
        invoice.sequence, invoice.number = sequence, number
    invoices = Invoice.objects.bulk_create([invoice for invoice, _lines in built])
    InvoiceLine.objects.bulk_create(
        InvoiceLine(
            invoice=invoice,
            position=position,
            description=text,
            amount_excl_tax=excl,
            revenue=revenue,
        )
        for draft, invoice, (_unsaved, lines) in zip(drafts, invoices, built, strict=True)
        for position, ((text, excl, _vat), revenue) in enumerate(
            zip(lines, draft.revenues(), strict=True), start=1
        )
    )
    for invoice in invoices:
        invoice_email(invoice)
        einvoice_after_commit(invoice)
    return invoices


def billing_recipients(company: Company) -> list[str]:
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
