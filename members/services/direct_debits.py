"""SEPA direct debit (Core): building the pain.008 file, collecting and rejecting debits.

Building follows the billing lock order (``members.services.invoicing``): the memberships
billed, then the invoices, by primary key. An invoice with a debit under way is left out,
and a partial unique constraint backs this up: building twice, even at once, never
collects an invoice twice. Each debtor is told the amount and the date by email (the
pre-notification) once the file is saved.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from sepaxml import SepaDD

from ..models import (
    ClusterIdentity,
    DirectDebit,
    DirectDebitFile,
    Invoice,
    Mandate,
    Payment,
    PaymentStatus,
    SequenceType,
)
from ..money import money
from ..sepa_calendar import earliest_collection_date, is_business_day
from .email import email_send
from .invoices import lock_memberships
from .invoicing import billing_recipients
from .payments import payment_record

PAIN_SCHEMA = "pain.008.001.02"
OPEN = (PaymentStatus.UNPAID, PaymentStatus.OVERDUE)

REFUSALS = {
    "no_mandate": gettext_lazy("no active mandate"),
    "collecting": gettext_lazy("already being collected"),
    "closed": gettext_lazy("nothing left to pay"),
    "credit": gettext_lazy("a credit note"),
    "not_due": gettext_lazy("not due by the collection date"),
}


def collection_date_check(collection_date: date, *, today: date | None = None) -> None:
    """Raise ValidationError when the bank cannot collect on this day, saying why."""
    today = today or timezone.localdate()
    earliest = earliest_collection_date(today)
    if collection_date < earliest:
        raise ValidationError(
            _(
                "The earliest collection date is %(date)s: debtors are told %(days)s days "
                "ahead, and the bank needs the file in time."
            )
            % {
                "date": earliest.strftime("%d/%m/%Y"),
                "days": settings.CITE_SEPA_PRENOTIFICATION_DAYS,
            },
            code="too_early",
        )
    if not is_business_day(collection_date):
        raise ValidationError(
            _("The bank does not collect on %(date)s (weekend or bank holiday).")
            % {"date": collection_date.strftime("%d/%m/%Y")},
            code="holiday",
        )


def creditor_check(identity: ClusterIdentity) -> None:
    """Raise ValidationError when the cluster's identity cannot sign a pain.008 file."""
    missing = [
        str(ClusterIdentity._meta.get_field(name).verbose_name)
        for name in ("legal_name", "iban", "bic", "sepa_creditor_id")
        if not getattr(identity, name)
    ]
    if missing:
        raise ValidationError(
            _("Fill in the cluster's identity before collecting: %(fields)s.")
            % {"fields": ", ".join(missing)},
            code="identity",
        )


def collection_split(invoices, *, due_by: date | None = None):
    """Split invoices (annotated ``with_balance``) into what a file would collect, as
    ``(invoice, mandate)`` pairs, and what it leaves alone, as ``(invoice, why)`` pairs."""
    invoices = list(invoices)
    mandates = {
        mandate.company_id: mandate
        for mandate in Mandate.objects.active().filter(
            company__in={invoice.company_id for invoice in invoices}
        )
    }
    kept, refused = [], []
    for invoice in invoices:
        mandate = mandates.get(invoice.company_id)
        if invoice.kind != Invoice.Kind.INVOICE:
            refused.append((invoice, REFUSALS["credit"]))
        elif invoice.payment_status == PaymentStatus.COLLECTING:
            refused.append((invoice, REFUSALS["collecting"]))
        elif invoice.payment_status not in OPEN:
            refused.append((invoice, REFUSALS["closed"]))
        elif mandate is None:
            refused.append((invoice, REFUSALS["no_mandate"]))
        elif due_by and invoice.due_date > due_by:
            refused.append((invoice, REFUSALS["not_due"]))
        else:
            kept.append((invoice, mandate))
    return kept, refused


def due_for_collection(collection_date: date):
    """Return the open invoices due by ``collection_date`` of companies with an active
    mandate, as ``(invoice, mandate)`` pairs (the collect tool's preview)."""
    invoices = (
        Invoice.objects.invoices()
        .with_balance()
        .filter(
            payment_status__in=OPEN,
            due_date__lte=collection_date,
            company__mandates__status=Mandate.Status.ACTIVE,
        )
        .select_related("company")
        .order_by("buyer_name", "pk")
    )
    kept, _refused = collection_split(invoices, due_by=collection_date)
    return kept


def _lock_invoices(ids):
    memberships = Invoice.objects.filter(pk__in=ids).values_list("membership", flat=True)
    lock_memberships([pk for pk in memberships if pk])
    list(Invoice.objects.select_for_update().filter(pk__in=ids).order_by("pk").values("pk"))
    return (
        Invoice.objects.with_balance()
        .select_related("company")
        .filter(pk__in=ids)
        .order_by("buyer_name", "pk")
    )


def _end_to_end_id(invoice, previous):
    """Return the debit's end-to-end id: the invoice number, then its attempt."""
    return f"{invoice.number}-D{previous + 1}"[:35]


@transaction.atomic
def direct_debit_file_build(
    *,
    invoices: Iterable[Invoice],
    collection_date: date,
    built_by: AbstractBaseUser | None = None,
    today: date | None = None,
) -> DirectDebitFile | None:
    """Build the pain.008 file that collects these invoices' balances on
    ``collection_date``; email each debtor the amount and the date. Return the file, or
    None when none of the invoices can be collected (paid, already in a file, no mandate).
    """
    collection_date_check(collection_date, today=today)
    identity = ClusterIdentity.objects.current()
    creditor_check(identity)
    kept, _refused = collection_split(_lock_invoices([invoice.pk for invoice in invoices]))
    if not kept:
        return None
    # Lock the mandates too: their sequence type changes with this file.
    list(
        Mandate.objects.select_for_update()
        .filter(pk__in=[m.pk for _i, m in kept])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    attempts = defaultdict(int)
    for invoice_id in DirectDebit.objects.filter(invoice__in=[i for i, _m in kept]).values_list(
        "invoice_id", flat=True
    ):
        attempts[invoice_id] += 1
    sepa = SepaDD(
        {
            "name": identity.legal_name,
            "IBAN": identity.iban,
            "BIC": identity.bic,
            "batch": True,
            "creditor_id": identity.sepa_creditor_id,
            "currency": "EUR",
        },
        schema=PAIN_SCHEMA,
    )
    debits = []
    for invoice, mandate in kept:
        debit = DirectDebit(
            invoice=invoice,
            mandate=mandate,
            sequence_type=mandate.sequence_type,
            amount=money(invoice.balance),
            end_to_end_id=_end_to_end_id(invoice, attempts[invoice.pk]),
        )
        sepa.add_payment(
            {
                "name": mandate.debtor_name,
                "IBAN": mandate.iban,
                "BIC": mandate.bic,
                "amount": int(debit.amount * 100),
                "type": debit.sequence_type,
                "collection_date": collection_date,
                "mandate_id": mandate.reference,
                "mandate_date": mandate.signed_on,
                "description": _("Invoice %(number)s") % {"number": invoice.number},
                "endtoend_id": debit.end_to_end_id,
            }
        )
        debits.append(debit)
    xml = sepa.export(validate=True)
    file = DirectDebitFile.objects.create(
        message_id=sepa.msg_id[:35],
        collection_date=collection_date,
        total=sum((debit.amount for debit in debits), Decimal("0.00")),
        count=len(debits),
        xml=xml,
        created_by=built_by,
    )
    for debit in debits:
        debit.file = file
        debit.full_clean(validate_constraints=False)
        debit.save()
    # A first debit is sent once; the next ones under the mandate are recurrent.
    Mandate.objects.filter(
        pk__in=[debit.mandate_id for debit in debits], sequence_type=SequenceType.FIRST
    ).update(sequence_type=SequenceType.RECURRENT)
    _prenotify(file, debits)
    return file


def _prenotify(file, debits):
    with translation.override(settings.LANGUAGE_CODE):
        _prenotify_companies(file, debits)


def _prenotify_companies(file, debits):
    by_company = defaultdict(list)
    for debit in debits:
        by_company[debit.invoice.company].append(debit)
    for company, company_debits in by_company.items():
        total = sum((debit.amount for debit in company_debits), Decimal("0.00"))
        email_send(
            to=billing_recipients(company),
            subject=_("Direct debit of %(amount)s € on %(date)s")
            % {"amount": total, "date": file.collection_date.strftime("%d/%m/%Y")},
            template="members/email/sepa_prenotification.txt",
            context={
                "company": company,
                "debits": company_debits,
                "total": total,
                "file": file,
                "mandate": company_debits[0].mandate,
            },
            kind="sepa_prenotification",
            key=f"sepa:{file.message_id}:{company.pk}",
            company=company,
        )


@transaction.atomic
def direct_debits_collect(
    *, debits: Iterable[DirectDebit], date: date, recorded_by: AbstractBaseUser | None = None
) -> list[Payment]:
    """Record the payments of debits the bank settled on ``date``; return them.

    Debits already collected or rejected are left alone.
    """
    payments = []
    pending = DirectDebit.objects.select_for_update().filter(
        pk__in=[debit.pk for debit in debits], status=DirectDebit.Status.PENDING
    )
    for debit in pending.select_related("invoice").order_by("invoice_id"):
        balance = Invoice.objects.with_balance().get(pk=debit.invoice_id).balance
        amount = min(debit.amount, balance)
        if amount > 0:
            debit.payment = payment_record(
                invoice=debit.invoice,
                amount=amount,
                date=max(date, debit.invoice.issue_date),
                method=Payment.Method.DIRECT_DEBIT,
                reference=debit.end_to_end_id,
                recorded_by=recorded_by,
            )
            payments.append(debit.payment)
        debit.status = DirectDebit.Status.COLLECTED
        debit.save(update_fields=["status", "payment"])
    return payments


@transaction.atomic
def direct_debit_reject(
    *,
    debit: DirectDebit,
    date: date,
    reason: str = "",
    recorded_by: AbstractBaseUser | None = None,
) -> DirectDebit:
    """Record that the bank returned a debit: the invoice is open again (its payment, if
    one was recorded, is removed) and the rejection waits in the staff's to-do."""
    debit = DirectDebit.objects.select_for_update().select_related("mandate").get(pk=debit.pk)
    if debit.status == DirectDebit.Status.REJECTED:
        raise ValidationError(_("This debit is already recorded as rejected."), code="rejected")
    if debit.payment_id:
        payment = debit.payment
        payment._change_reason = _("Direct debit %(id)s rejected") % {"id": debit.end_to_end_id}
        debit.payment = None
        debit.save(update_fields=["payment"])
        payment.delete()
    debit.status = DirectDebit.Status.REJECTED
    debit.rejected_on = date
    debit.reject_reason = reason.strip()[:200]
    debit.full_clean(validate_constraints=False)
    debit.save()
    # The mandate's first debit failed: the next one is a first debit again.
    if debit.sequence_type == SequenceType.FIRST:
        Mandate.objects.filter(pk=debit.mandate_id).update(sequence_type=SequenceType.FIRST)
    return debit
