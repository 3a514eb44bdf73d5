"""Membership dues: memberships, gapless invoices, credit notes, payments, reminders.

Kept apart from ``services.py`` (profiles and representatives) because it is a whole
domain of its own; the same rules apply: keyword-only functions, one transaction each,
``full_clean()`` before saving.
"""

import csv
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.db.models.functions import ExtractYear
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from .constraints import constraint_violations_as_errors
from .models import (
    EmailLog,
    Invoice,
    InvoiceSequence,
    Membership,
    Payment,
    Representative,
)

CENT = Decimal("0.01")


def money(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def membership_year(day):
    """Return ``(start, end)`` of the membership year containing ``day``."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    year = day.year if day.month >= month else day.year - 1
    return date(year, month, 1), date(year + 1, month, 1)


def first_year_fee(plan, start):
    """Return the fee for a membership starting on ``start``: prorated by the months left
    in the membership year (the month of joining counts) when the setting says so."""
    year_start, year_end = membership_year(start)
    if not settings.CITE_PRORATE_FIRST_YEAR or start == year_start:
        return money(plan.annual_fee)
    months_left = (year_end.year - start.year) * 12 + year_end.month - start.month
    return money(plan.annual_fee * months_left / 12)


def membership_create(*, company, plan, start=None, prorate=True):
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


@transaction.atomic
def membership_resign(*, membership):
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    membership.status = Membership.Status.RESIGNED
    membership.save(update_fields=["status"])
    return membership


def renewals_issue(*, year, issued_by=None):
    """Renew, for the membership year starting in ``year``, every company whose previous
    membership is in good standing, and invoice it. Return the invoices issued."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    start = date(year, month, 1)
    previous = (
        Membership.objects.filter(end=start, status__in=Membership.Status.IN_GOOD_STANDING)
        .exclude(company__memberships__start=start)
        .select_related("plan", "company")
    )
    with transaction.atomic():
        renewed = [
            membership_create(
                company=membership.company, plan=membership.plan, start=start, prorate=False
            )
            for membership in previous
        ]
        return invoices_issue(memberships=renewed, issued_by=issued_by) if renewed else []


# --- Reminders and lapses -------------------------------------------------------------------


def _recipients(company):
    emails = list(
        Representative.objects.filter(company=company, role=Representative.Role.ADMIN)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    return emails or ([company.email] if company.email else [])


def send_logged(*, key, kind, company, template, context, subject):
    """Send an email once per ``key`` and log it; return False if it was sent before."""
    recipients = _recipients(company)
    if not recipients:
        return False
    body = render_to_string(template, {**context, "company": company})
    try:
        with transaction.atomic():
            EmailLog.objects.create(
                key=key,
                kind=kind,
                to=", ".join(recipients),
                subject=subject,
                body=body,
                company=company,
            )
            # Inside the transaction: if sending fails, no log is kept and the next run
            # tries again.
            send_mail(subject, body, None, recipients)
    except IntegrityError:
        return False
    return True


def reminders_send(*, today=None):
    """Send renewal notices and overdue reminders, and move unpaid memberships to grace
    then lapsed. Idempotent: each email has a key, sent once. Return counts."""
    today = today or timezone.localdate()
    counts = {"renewal": 0, "overdue": 0, "grace": 0, "lapsed": 0}
    notice = timedelta(days=settings.CITE_RENEWAL_NOTICE_DAYS)
    ending = (
        Membership.objects.filter(
            status__in=Membership.Status.IN_GOOD_STANDING, end__gt=today, end__lte=today + notice
        )
        .exclude(
            Exists(
                Membership.objects.filter(company=OuterRef("company"), start__gte=OuterRef("end"))
            )
        )
        .select_related("company")
    )
    for membership in ending:
        sent = send_logged(
            key=f"renewal:{membership.pk}",
            kind="renewal",
            company=membership.company,
            template="members/email/renewal_notice.txt",
            context={"membership": membership},
            subject=_("Your membership ends on %(date)s") % {"date": membership.end},
        )
        counts["renewal"] += sent

    overdue = (
        Invoice.objects.invoices()
        .with_balance()
        .filter(balance__gt=0, due_date__lt=today)
        .select_related("company", "membership")
    )
    for invoice in overdue:
        days_late = (today - invoice.due_date).days
        steps = [step for step in settings.CITE_OVERDUE_REMINDER_DAYS if days_late >= step]
        if steps:
            sent = send_logged(
                key=f"overdue:{invoice.pk}:{max(steps)}",
                kind="overdue",
                company=invoice.company,
                template="members/email/overdue_reminder.txt",
                context={"invoice": invoice, "days_late": days_late},
                subject=_("Reminder: invoice %(number)s is overdue") % {"number": invoice.number},
            )
            counts["overdue"] += sent
        membership = invoice.membership
        if membership is None:
            continue
        grace_over = days_late > settings.CITE_GRACE_DAYS
        if membership.status == Membership.Status.PENDING and not grace_over:
            counts["grace"] += _move(membership, Membership.Status.GRACE)
        elif membership.status in (Membership.Status.PENDING, Membership.Status.GRACE) and (
            grace_over
        ):
            counts["lapsed"] += _move(membership, Membership.Status.LAPSED)
    return counts


def _move(membership, status):
    """Change a membership's status (kept in its history); return 1 if it changed."""
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.status == status:
            return 0
        membership.status = status
        membership.save(update_fields=["status"])
    return 1


# --- Reports --------------------------------------------------------------------------------


def yearly_summary(year=None):
    """Return, per year (or for ``year`` alone): expected dues (memberships' fees before
    tax), invoiced (net of credit notes, after tax), collected (payments received) and
    overdue (balances past their due date), each computed by the database."""
    memberships = Membership.objects.exclude(status=Membership.Status.RESIGNED)
    invoices, payments = Invoice.objects.all(), Payment.objects.all()
    if year is not None:
        # Ranges rather than "year of the date", so that the indexes on dates serve.
        memberships = memberships.filter(
            start__gte=date(year, 1, 1), start__lt=date(year + 1, 1, 1)
        )
        invoices = invoices.filter(year=year)
        payments = payments.filter(date__gte=date(year, 1, 1), date__lt=date(year + 1, 1, 1))
    expected = dict(
        memberships.annotate(y=ExtractYear("start"))
        .values("y")
        .annotate(total=Sum("fee"))
        .values_list("y", "total")
    )
    invoiced = dict(
        invoices.values("year").annotate(total=Sum("amount_incl_tax")).values_list("year", "total")
    )
    collected = dict(
        payments.annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(total=Sum("amount"))
        .values_list("y", "total")
    )
    overdue = dict(
        invoices.invoices()
        .with_balance()
        .filter(payment_status="overdue")
        .values("year")
        .annotate(total=Sum("balance"))
        .values_list("year", "total")
    )
    zero = Decimal("0.00")
    years = sorted(set(expected) | set(invoiced) | set(collected) | set(overdue), reverse=True)
    if year is not None:
        years = [year]
    return [
        {
            "year": each,
            "expected": money(expected.get(each, zero)),
            "invoiced": money(invoiced.get(each, zero)),
            "collected": money(collected.get(each, zero)),
            "overdue": money(overdue.get(each, zero)),
        }
        for each in years
    ]


def ledger_csv(output):
    """Write the dues ledger (invoices, credit notes and payments by date) as CSV."""
    from .resources import neutralise_formula

    writer = csv.writer(output)
    writer.writerow(
        [
            _("date"),
            _("entry"),
            _("invoice"),
            _("company"),
            "SIREN",
            _("debit"),
            _("credit"),
            _("method"),
            _("reference"),
        ]
    )
    entries = []
    for invoice in Invoice.objects.select_related("company").order_by("issue_date", "sequence"):
        amount = invoice.amount_incl_tax
        entries.append(
            (
                invoice.issue_date,
                invoice.get_kind_display(),
                invoice.number,
                invoice.buyer_name,
                invoice.buyer_siren,
                amount if amount > 0 else "",
                -amount if amount < 0 else "",
                "",
                "",
            )
        )
    for payment in Payment.objects.select_related("invoice").order_by("date", "pk"):
        entries.append(
            (
                payment.date,
                _("payment"),
                payment.invoice.number,
                payment.invoice.buyer_name,
                payment.invoice.buyer_siren,
                "",
                payment.amount,
                payment.get_method_display(),
                payment.reference,
            )
        )
    entries.sort(key=lambda entry: (entry[0], entry[2]))
    for entry in entries:
        writer.writerow([neutralise_formula(str(cell)) for cell in entry])
