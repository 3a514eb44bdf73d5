"""Bank statements: CAMT.053 and OFX read safely, credits matched to invoices by number,
then by amount and IBAN or name, confirmed on one screen into payments; a statement
imported twice adds nothing, a bad file changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from members.bank_files import StatementError, read_statement
from members.demo.bank import Entry, camt053
from members.models import (
    BankStatement,
    Invoice,
    Membership,
    Payment,
    PaymentStatus,
    StatementLine,
)
from members.sepa_calendar import earliest_collection_date
from members.services import direct_debits, statements
from tests.cluster.staff import staff_member

from .factories import CompanyFactory
from .sepa_factories import MandateFactory, due_invoice

pytestmark = pytest.mark.django_db

ACCOUNT = "FR7630006000011234567890189"
YESTERDAY = timezone.localdate() - timedelta(days=1)

OFX = b"""OFXHEADER:100
DATA:OFXSGML
VERSION:102
SECURITY:NONE
ENCODING:USASCII
CHARSET:1252
COMPRESSION:NONE
OLDFILEUID:NONE
NEWFILEUID:NONE

<OFX><SIGNONMSGSRSV1><SONRS><STATUS><CODE>0<SEVERITY>INFO</STATUS><DTSERVER>20270131
<LANGUAGE>FRA</SONRS></SIGNONMSGSRSV1><BANKMSGSRSV1><STMTTRNRS><TRNUID>1<STATUS><CODE>0
<SEVERITY>INFO</STATUS><STMTRS><CURDEF>EUR<BANKACCTFROM><BANKID>30006<BRANCHID>00001
<ACCTID>12345678901<ACCTTYPE>CHECKING</BANKACCTFROM><BANKTRANLIST><DTSTART>20270101
<DTEND>20270131<STMTTRN><TRNTYPE>CREDIT<DTPOSTED>{date}<TRNAMT>{amount}<FITID>OFX-1
<NAME>VIR STUDIO<MEMO>FACTURE {number}</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>100.00
<DTASOF>20270131</LEDGERBAL></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>
"""


def status_of(invoice):
    return Invoice.objects.with_balance().get(pk=invoice.pk).payment_status


def import_entries(*entries):
    return statements.statement_import(data=camt053(ACCOUNT, list(entries)), filename="s.xml")


def test_a_credit_quoting_the_invoice_number_is_proposed_then_paid_on_confirmation():
    invoice = due_invoice()
    statement, added = import_entries(
        Entry(YESTERDAY, invoice.amount_incl_tax, "STUDIO", reference=f"Facture {invoice.number}")
    )
    line = statement.lines.get()
    assert (added, line.status, line.match) == (1, "proposed", "reference")
    assert line.invoice == invoice
    assert status_of(invoice) == PaymentStatus.OVERDUE  # nothing paid before confirmation
    done, problems = statements.statement_lines_confirm(lines=[line])
    assert (done, problems) == (1, [])
    assert status_of(invoice) == PaymentStatus.PAID
    assert Membership.objects.get(pk=invoice.membership_id).status == "active"


def test_without_a_number_the_amount_and_the_iban_or_the_name_match():
    by_iban = due_invoice(CompanyFactory(legal_name="Alpha Films SAS"), fee=Decimal("111.00"))
    mandate = MandateFactory(company=by_iban.company)
    by_name = due_invoice(CompanyFactory(legal_name="Éditions Bélvédère SARL"), fee=Decimal("222"))
    statement, _added = import_entries(
        Entry(YESTERDAY, Decimal("111.00"), "M DUPONT", iban=mandate.iban, bank_reference="A1"),
        Entry(YESTERDAY, Decimal("222.00"), "EDITIONS BELVEDERE", bank_reference="A2"),
        Entry(YESTERDAY, Decimal("333.00"), "INCONNU", bank_reference="A3"),
    )
    lines = {line.amount: line for line in statement.lines.all()}
    assert (lines[Decimal("111.00")].invoice, lines[Decimal("111.00")].match) == (by_iban, "iban")
    assert (lines[Decimal("222.00")].invoice, lines[Decimal("222.00")].match) == (by_name, "name")
    assert lines[Decimal("333.00")].status == StatementLine.Status.UNMATCHED


def test_a_statement_imported_twice_adds_nothing():
    invoice = due_invoice()
    entry = Entry(YESTERDAY, Decimal("10.00"), "X", reference=invoice.number)
    import_entries(entry, entry)  # two identical lines are two lines
    assert StatementLine.objects.count() == 2
    again, added = import_entries(entry, entry)
    assert (again, added) == (None, 0)
    assert StatementLine.objects.count() == 2 and BankStatement.objects.count() == 1


def test_an_ofx_statement_is_read_too():
    invoice = due_invoice()
    data = OFX.replace(b"{date}", YESTERDAY.strftime("%Y%m%d").encode())
    data = data.replace(b"{amount}", f"{invoice.amount_incl_tax}".encode())
    data = data.replace(b"{number}", invoice.number.encode())
    statement, added = statements.statement_import(data=data, filename="s.ofx")
    line = statement.lines.get()
    assert (statement.format, added, line.invoice) == ("ofx", 1, invoice)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 not a statement", "format"),
        (b"<Document><BkToCstmrStmt><Stmt>", "xml"),
        (b"<root/>", "not_camt"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Document>&a;</Document>',
            "xml",
        ),
        (camt053("FR7630006000011234567890188", [Entry(YESTERDAY, Decimal("1"))]), "iban"),
        (camt053(ACCOUNT, [Entry(YESTERDAY, Decimal("1"), iban="FR00BAD")]), "iban"),
        (camt053(ACCOUNT, [Entry(YESTERDAY, Decimal("1"))]).replace(b"1.00", b"1,0x"), "amount"),
        (b"OFXHEADER:100\n<OFX><garbage>", "ofx"),
        (b"OFXHEADER:100\n<!DOCTYPE x [<!ENTITY a 'b'>]><OFX>&a;</OFX>", "dtd"),
    ],
)
def test_a_bad_file_gets_one_clear_message_and_changes_nothing(data, code):
    with pytest.raises(StatementError) as error:
        statements.statement_import(data=data, filename="bad")
    assert error.value.code == code
    assert not BankStatement.objects.exists() and not StatementLine.objects.exists()


def test_a_sepa_file_is_settled_by_its_batch_credit_and_a_return_reopens_one_invoice():
    invoices = []
    for fee in ("100.00", "50.00"):
        company = CompanyFactory()
        MandateFactory(company=company)
        invoices.append(due_invoice(company, fee=Decimal(fee)))
    file = direct_debits.direct_debit_file_build(
        invoices=invoices, collection_date=earliest_collection_date(timezone.localdate())
    )
    returned = file.debits.get(invoice=invoices[1])
    statement, _added = import_entries(
        Entry(YESTERDAY, file.total, "PRLV SEPA", batch_id=file.message_id, bank_reference="B1"),
        Entry(
            YESTERDAY,
            -returned.amount,
            "RETOUR PRLV",
            end_to_end_id=returned.end_to_end_id,
            return_reason="AM04",
            bank_reference="B2",
        ),
    )
    settle, reject = statement.lines.order_by("-amount")
    assert (settle.match, settle.debit_file) == ("collection", file)
    assert (reject.match, reject.debit) == ("rejection", returned)
    done, problems = statements.statement_lines_confirm(lines=[settle, reject])
    assert (done, problems) == (2, [])
    assert status_of(invoices[0]) == PaymentStatus.PAID
    assert status_of(invoices[1]) == PaymentStatus.OVERDUE
    assert Payment.objects.get().method == Payment.Method.DIRECT_DEBIT
    returned.refresh_from_db()
    assert (returned.status, returned.reject_reason) == ("rejected", "AM04")


class TestTheScreens:
    def test_the_accountant_uploads_then_confirms_on_one_screen(self, client):
        invoice = due_invoice()
        client.force_login(staff_member("Comptabilité"))
        data = camt053(
            ACCOUNT,
            [
                Entry(YESTERDAY, invoice.amount_incl_tax, "STUDIO", reference=invoice.number),
                Entry(YESTERDAY, Decimal("9.99"), "INCONNU", reference="DON"),
            ],
        )
        response = client.post(
            reverse("admin:members_bankstatement_upload"),
            {"file": SimpleUploadedFile("releve.xml", data)},
        )
        statement = BankStatement.objects.get()
        assert response.url == reverse("admin:members_bankstatement_matches", args=[statement.pk])
        page = client.get(response.url).content.decode()
        assert invoice.number in page and "INCONNU" in page
        line = statement.lines.get(invoice=invoice)
        client.post(response.url, {"line": [line.pk]})
        assert status_of(invoice) == PaymentStatus.PAID
        assert statement.lines.get(name="INCONNU").status == StatementLine.Status.UNMATCHED

    def test_a_bad_upload_says_why_on_the_form(self, client):
        client.force_login(staff_member("Comptabilité"))
        response = client.post(
            reverse("admin:members_bankstatement_upload"),
            {"file": SimpleUploadedFile("releve.xml", b"<Document>")},
        )
        assert response.status_code == 200
        [error] = response.context["form"].errors.as_data()["file"]
        assert error.code == "xml"

    @pytest.mark.parametrize("role", ["École", "Incubateur"])
    def test_other_roles_cannot_upload_or_confirm(self, client, role):
        invoice = due_invoice()
        statement, _added = import_entries(
            Entry(YESTERDAY, invoice.amount_incl_tax, "S", reference=invoice.number)
        )
        client.force_login(staff_member(role))
        url = reverse("admin:members_bankstatement_matches", args=[statement.pk])
        assert client.post(url, {"line": [statement.lines.get().pk]}).status_code == 403
        upload = reverse("admin:members_bankstatement_upload")
        assert client.get(upload).status_code == 403
        assert status_of(invoice) == PaymentStatus.OVERDUE

    def test_the_matches_screen_pins_its_queries(self, client, django_assert_max_num_queries):
        entries = []
        for n in range(6):
            invoice = due_invoice()
            entries.append(Entry(YESTERDAY, Decimal(n + 1), "S", reference=invoice.number))
        statement, _added = import_entries(*entries)
        client.force_login(staff_member("Comptabilité"))
        url = reverse("admin:members_bankstatement_matches", args=[statement.pk])
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.content.decode().count('name="line"') == 6


@pytest.mark.parametrize(
    "list_name",
    ["admin:members_bankstatement_changelist", "admin:members_statementline_changelist"],
)
def test_the_statement_lists_pin_their_queries(client, django_assert_max_num_queries, list_name):
    for n in range(3):
        invoice = due_invoice()
        statements.statement_import(
            data=camt053(
                ACCOUNT, [Entry(YESTERDAY, Decimal(n + 1), "S", reference=invoice.number)]
            ),
            filename=f"s{n}.xml",
        )
    client.force_login(staff_member("Comptabilité"))
    with django_assert_max_num_queries(12):
        response = client.get(reverse(list_name))
    assert response.status_code == 200
    assert response.context["cl"].result_count == 3


def test_amounts_are_rounded_half_up_to_the_cent_not_half_even():
    # Half-even (banker's rounding) gives 0.12 and 2.66; half up, the rule here, 0.13 and 2.67.
    data = camt053(
        ACCOUNT,
        [Entry(YESTERDAY, Decimal("1.00"), "A"), Entry(YESTERDAY, Decimal("2.00"), "B")],
    )
    data = data.replace(b">1.00<", b">0.125<").replace(b">2.00<", b">2.665<")
    amounts = sorted(line.amount for line in read_statement(data).lines)
    assert amounts == [Decimal("0.13"), Decimal("2.67")]
