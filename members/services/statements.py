"""Bank statements: import the lines, propose what each one pays, record what staff confirm.

Matching a credit, in order: a SEPA file or debit it settles (its message or end-to-end
id); an open invoice whose number its reference quotes; else an open invoice of the same
balance whose company's mandate has the payer's IBAN, or whose buyer has the payer's
name. A debit (money out) that returns one of our direct debits is a rejection. Nothing
is paid until staff confirm; a confirmed match goes through the payment services, so the
invoice's status and balance and the membership's transition follow.

Matching runs on the whole statement at once: a few queries, then dictionaries, so that
thousands of lines take seconds (``bench/statement.py``).
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ..bank_files import read_statement
from ..models import (
    BankStatement,
    DirectDebit,
    DirectDebitFile,
    Invoice,
    Mandate,
    Payment,
    PaymentStatus,
    StatementLine,
)
from .direct_debits import direct_debit_reject, direct_debits_collect
from .payments import payment_record

NUMBER = re.compile(r"[A-Z]*\d{4}-\d{3,}")
# Words that say what a company is, not which one.
LEGAL_WORDS = {"sas", "sasu", "sarl", "eurl", "sa", "sci", "scop", "association", "ste", "societe"}


def normalised_name(name: str) -> str:
    """Return a name without accents, case, punctuation or legal form, for comparing."""
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode().lower()
    words = [word for word in re.split(r"[^a-z0-9]+", text) if word and word not in LEGAL_WORDS]
    return " ".join(words)


@transaction.atomic
def statement_import(
    *, data: bytes, filename: str, imported_by: AbstractBaseUser | None = None
) -> tuple[BankStatement | None, int]:
    """Import a statement's new lines and propose their matches; return the statement
    and how many lines it added. A statement imported again adds nothing (None, 0).

    Raise ``StatementError`` (a ValidationError) on a file that cannot be read; nothing
    is saved then.
    """
    parsed = read_statement(data)
    known = set(
        StatementLine.objects.filter(key__in=[line.key for line in parsed.lines]).values_list(
            "key", flat=True
        )
    )
    new = [line for line in parsed.lines if line.key not in known]
    if not new:
        return None, 0
    statement = BankStatement.objects.create(
        filename=filename[:200],
        format=parsed.format,
        account=parsed.account,
        imported_by=imported_by,
    )
    lines = [
        StatementLine(
            statement=statement,
            key=line.key,
            booking_date=line.booking_date,
            amount=line.amount,
            name=line.name,
            iban=line.iban,
            reference=line.reference,
            end_to_end_id=line.end_to_end_id,
            batch_id=line.batch_id,
            return_reason=line.return_reason,
        )
        for line in new
    ]
    lines_match(lines)
    StatementLine.objects.bulk_create(lines, batch_size=1000)
    return statement, len(lines)


class _OpenInvoices:
    """The open invoices, looked up by number, by balance and by company."""

    def __init__(self):
        rows = (
            Invoice.objects.invoices()
            .with_balance()
            .filter(payment_status__in=(PaymentStatus.UNPAID, PaymentStatus.OVERDUE))
            .values_list("pk", "number", "balance", "company_id", "buyer_name")
        )
        self.by_number, self.by_balance = {}, defaultdict(list)
        for pk, number, balance, company_id, buyer in rows:
            row = (pk, company_id, normalised_name(buyer))
            self.by_number[number] = row
            self.by_balance[balance].append(row)
        self.companies_by_iban = defaultdict(set)
        for iban, company_id in Mandate.objects.values_list("iban", "company_id"):
            self.companies_by_iban[iban].add(company_id)
        self.taken = set()

    def by_reference(self, reference):
        for number in NUMBER.findall((reference or "").upper()):
            row = self.by_number.get(number)
            if row and row[0] not in self.taken:
                return row[0]
        return None

    def by_amount(self, amount, iban, name):
        candidates = [row for row in self.by_balance.get(amount, ()) if row[0] not in self.taken]
        companies = self.companies_by_iban.get(iban, set()) if iban else set()
        for pk, company_id, _buyer in candidates:
            if company_id in companies:
                return pk, StatementLine.Match.IBAN
        payer = normalised_name(name)
        if payer:
            for pk, _company, buyer in candidates:
                if buyer and (buyer == payer or buyer in payer or payer in buyer):
                    return pk, StatementLine.Match.NAME
        return None, ""


def lines_match(lines: Iterable[StatementLine]) -> None:
    """Propose a match for each line that has none (not saved): a handful of queries,
    whatever the number of lines."""
    lines = list(lines)
    debits = {
        debit.end_to_end_id: debit
        for debit in DirectDebit.objects.filter(
            end_to_end_id__in={line.end_to_end_id for line in lines if line.end_to_end_id}
        )
    }
    pending_files = {
        file.message_id: file
        for file in DirectDebitFile.objects.filter(debits__status=DirectDebit.Status.PENDING)
        .distinct()
        .only("pk", "message_id", "total")
    }
    invoices = _OpenInvoices()
    for line in lines:
        if line.status != StatementLine.Status.UNMATCHED:
            continue
        if line.amount < 0:
            debit = debits.get(line.end_to_end_id)
            if debit and debit.status != DirectDebit.Status.REJECTED:
                _propose(line, StatementLine.Match.REJECTION, debit=debit)
            continue
        debit = debits.get(line.end_to_end_id)
        file = pending_files.get(line.batch_id) or next(
            (f for mid, f in pending_files.items() if mid in line.reference), None
        )
        if debit and debit.status == DirectDebit.Status.PENDING:
            _propose(line, StatementLine.Match.COLLECTION, debit=debit)
        elif file:
            _propose(line, StatementLine.Match.COLLECTION, debit_file=file)
        elif invoice_id := invoices.by_reference(line.reference):
            invoices.taken.add(invoice_id)
            _propose(line, StatementLine.Match.REFERENCE, invoice_id=invoice_id)
        else:
            invoice_id, how = invoices.by_amount(line.amount, line.iban, line.name)
            if invoice_id:
                invoices.taken.add(invoice_id)
                _propose(line, how, invoice_id=invoice_id)


def _propose(line, match, **target):
    line.status = StatementLine.Status.PROPOSED
    line.match = match
    for name, value in target.items():
        setattr(line, name, value)


def statement_lines_confirm(
    *, lines: Iterable[StatementLine], confirmed_by: AbstractBaseUser | None = None
) -> tuple[int, list[str]]:
    """Record what the proposed lines pay (or return); return how many were confirmed
    and, for each line that could not be, why. Each line is confirmed on its own."""
    done, problems = 0, []
    for line in lines:
        try:
            with transaction.atomic():
                _confirm(line.pk, confirmed_by)
        except ValidationError as error:
            problems.append(f"{line}: {' '.join(error.messages)}")
        else:
            done += 1
    return done, problems


def _confirm(pk, user):
    line = StatementLine.objects.select_for_update().filter(pk=pk).first()
    if line is None or line.status != StatementLine.Status.PROPOSED:
        return
    day = min(line.booking_date, timezone.localdate())
    if line.match == StatementLine.Match.REJECTION:
        direct_debit_reject(debit=line.debit, date=day, reason=line.return_reason, recorded_by=user)
    elif line.match == StatementLine.Match.COLLECTION:
        debits = [line.debit] if line.debit_id else list(line.debit_file.debits.pending())
        direct_debits_collect(debits=debits, date=day, recorded_by=user)
    else:
        invoice = Invoice.objects.with_balance().get(pk=line.invoice_id)
        payment_record(
            invoice=invoice,
            amount=min(line.amount, invoice.balance) if invoice.balance > 0 else line.amount,
            date=day,
            method=Payment.Method.TRANSFER,
            reference=line.reference[:100],
            recorded_by=user,
        )
    line.status = StatementLine.Status.CONFIRMED
    line.confirmed_at = timezone.now()
    line.confirmed_by = user
    line.save(update_fields=["status", "confirmed_at", "confirmed_by"])
