"""The demo's SEPA direct debits and bank statement: a few members pay by direct debit,
one debit comes back rejected, and one statement is partly matched."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import BankStatement, ClusterIdentity, Invoice, Mandate, PaymentStatus
from ..sepa_calendar import earliest_collection_date
from ..services import direct_debits, statements
from .bank import Entry, camt053

DEMO_CREDITOR_ID = "FR72ZZZ123456"
DEBTOR_IBANS = (
    "FR1420041010050500013M02606",
    "FR7610107001011234567890129",
    "DE89370400440532013000",
)
COLLECTED = 5  # invoices collected by direct debit, the last one rejected


@transaction.atomic
def seed_direct_debits():
    """Give a few members with an open invoice a mandate and collect them a month ago
    (one rejected by the bank), then import a statement: one transfer quoting its
    invoice (confirmed), one found by amount and name (left to confirm), one unknown.

    Idempotent: nothing is done once a statement exists. Return the number of debits.
    """
    if BankStatement.objects.exists():
        return 0
    identity = ClusterIdentity.objects.current()
    if identity.pk and not identity.sepa_creditor_id:
        ClusterIdentity.objects.filter(pk=identity.pk).update(sepa_creditor_id=DEMO_CREDITOR_ID)
    today = timezone.localdate()
    open_invoices = list(
        Invoice.objects.invoices()
        .with_balance()
        .filter(payment_status__in=(PaymentStatus.UNPAID, PaymentStatus.OVERDUE))
        .filter(amount_incl_tax__gt=0, issue_date__lte=today - timedelta(days=30))
        .select_related("company")
        .order_by("number")
    )
    to_collect, to_transfer = open_invoices[:COLLECTED], open_invoices[COLLECTED:]
    count = 0
    if to_collect:
        for n, invoice in enumerate(to_collect):
            Mandate.objects.create(
                company=invoice.company,
                reference=f"RUM-DEMO-{n + 1:03d}",
                signed_on=invoice.issue_date,
                debtor_name=invoice.company.legal_name[:70],
                iban=DEBTOR_IBANS[n % len(DEBTOR_IBANS)],
                bic="AGRIFRPP",
            )
        built_on = today - timedelta(days=30)
        file = direct_debits.direct_debit_file_build(
            invoices=to_collect,
            collection_date=earliest_collection_date(built_on),
            today=built_on,
        )
        debits = list(file.debits.order_by("pk"))
        direct_debits.direct_debits_collect(debits=debits, date=file.collection_date)
        direct_debits.direct_debit_reject(
            debit=debits[-1],
            date=file.collection_date + timedelta(days=3),
            reason="AM04",  # insufficient funds
        )
        count = len(debits)
    _seed_statement(to_transfer, today)
    return count


def _seed_statement(invoices, today):
    entries = [
        Entry(today - timedelta(days=2), Decimal("48.00"), "M. JEAN INCONNU", reference="DON")
    ]
    if invoices:
        first = invoices[0]
        entries.append(
            Entry(
                today - timedelta(days=3),
                first.balance,
                first.buyer_name.upper(),
                reference=f"VIR FACTURE {first.number}",
                bank_reference="DEMO-1",
            )
        )
    if len(invoices) > 1:
        second = invoices[1]
        entries.append(
            Entry(
                today - timedelta(days=1),
                second.balance,
                second.buyer_name.upper(),
                reference="COTISATION",
                bank_reference="DEMO-2",
            )
        )
    statement, _added = statements.statement_import(
        data=camt053(ClusterIdentity.objects.current().iban or DEBTOR_IBANS[0], entries),
        filename="releve-demo.xml",
    )
    by_reference = statement.lines.proposed().filter(match="reference")
    statements.statement_lines_confirm(lines=list(by_reference))
