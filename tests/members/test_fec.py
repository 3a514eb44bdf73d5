"""The accountant's FEC: 18 columns, tab-separated, every entry balanced, entries numbered
without gaps, a credit note reversing its invoice, and only accounting and management may
download it."""

import csv
import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cluster import roles
from members import services
from members.models import Revenue
from members.services.fec import COLUMNS, fec_export, fiscal_year
from members.services.invoicing import InvoiceDraft, drafts_issue
from tests.cluster.staff import staff_member

from .factories import CompanyFactory, MembershipPlanFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db

YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def amount(text):
    return Decimal(text.replace(",", ".")) if text else Decimal("0.00")


def read(content):
    """Read the file back with Python's csv module, as an accountant's tool would."""
    reader = csv.DictReader(
        io.StringIO(content.decode("iso-8859-15"), newline=""),
        delimiter="\t",
        quoting=csv.QUOTE_NONE,
    )
    rows = list(reader)
    return reader.fieldnames, rows


@pytest.fixture
def books():
    """A year of billing: dues (exempt) paid in two instalments, a rent invoice with 20 %
    VAT on rent and service charges, paid, and a credit note cancelling a third one."""
    dues = services.invoice_issue(
        membership=services.membership_create(
            company=CompanyFactory(legal_name="Studio “Fanal” d’Elne SAS"),
            plan=MembershipPlanFactory(annual_fee=Decimal("300.00")),
            start=date(2026, 1, 1),
            prorate=False,
        ),
        issue_date=date(2026, 1, 5),
    )
    services.payment_record(
        invoice=dues, amount=Decimal("100.00"), date=date(2026, 2, 1), method="cheque"
    )
    services.payment_record(
        invoice=dues, amount=Decimal("200.00"), date=date(2026, 3, 1), method="transfer"
    )
    tenant = CompanyFactory()
    rent, cancelled = drafts_issue(
        drafts=[
            InvoiceDraft(
                company=tenant,
                lines=[
                    ("Loyer, bureau B12, mars 2026", Decimal("850.00"), Revenue.RENT),
                    ("Charges locatives, mars 2026", Decimal("120.35"), Revenue.CHARGES),
                ],
                vat_rate=Decimal("20.00"),
            )
            for _month in range(2)
        ],
        issue_date=date(2026, 3, 1),
    )
    services.payment_record(
        invoice=rent, amount=rent.amount_incl_tax, date=date(2026, 3, 10), method="debit"
    )
    credit = services.credit_note_issue(invoice=cancelled, reason="Facturé deux fois")
    return {"dues": dues, "rent": rent, "cancelled": cancelled, "credit": credit}


def entries(rows):
    grouped = defaultdict(list)
    for row in rows:
        grouped[row["EcritureNum"]].append(row)
    return grouped


def test_the_file_round_trips_through_csv_with_the_18_columns_and_balances(books):
    fieldnames, rows = read(fec_export(*YEAR))
    assert fieldnames == list(COLUMNS)
    assert len(COLUMNS) == 18
    assert all(len(row) == 18 and None not in row for row in rows)
    by_entry = entries(rows)
    # 4 sales entries (dues, rent, cancelled, credit note) and 3 payments.
    assert len(by_entry) == 7
    for number, lines in by_entry.items():
        debit = sum(amount(line["Debit"]) for line in lines)
        credit = sum(amount(line["Credit"]) for line in lines)
        assert debit == credit, number
    assert sum(amount(row["Debit"]) for row in rows) == sum(amount(row["Credit"]) for row in rows)
    # Dates YYYYMMDD, amounts with a decimal comma.
    assert {row["EcritureDate"] for row in rows} >= {"20260105", "20260301", "20260310"}
    assert all(row["Debit"].count(",") == 1 and "." not in row["Debit"] for row in rows)


def test_entries_are_numbered_without_gaps_in_date_order(books):
    _fieldnames, rows = read(fec_export(*YEAR))
    numbers = [int(row["EcritureNum"]) for row in rows]
    assert sorted(set(numbers)) == list(range(1, len(set(numbers)) + 1))
    assert numbers == sorted(numbers)
    firsts = [lines[0] for lines in entries(rows).values()]
    days = [line["EcritureDate"] for line in firsts]
    assert days == sorted(days)
    assert {line["JournalCode"] for line in firsts} == {"VE", "BQ"}


def test_each_line_goes_to_its_account_and_the_customer_to_its_auxiliary_account(books):
    rent = books["rent"]
    _fieldnames, rows = read(fec_export(*YEAR))
    lines = [row for row in rows if row["PieceRef"] == rent.number and row["JournalCode"] == "VE"]
    posted = {(row["CompteNum"], row["Debit"], row["Credit"]) for row in lines}
    assert posted == {
        ("411000", "1164,42", "0,00"),
        ("752000", "0,00", "850,00"),
        ("708800", "0,00", "120,35"),
        ("445710", "0,00", "194,07"),
    }
    [customer] = [row for row in lines if row["CompteNum"] == "411000"]
    assert customer["CompAuxNum"] == f"C{rent.company_id:05d}"
    assert customer["CompAuxLib"] == rent.buyer_name
    dues = [row for row in rows if row["PieceRef"] == books["dues"].number]
    assert {row["CompteNum"] for row in dues if row["JournalCode"] == "VE"} == {
        "411000",
        "756000",
    }
    bank = [row for row in dues if row["JournalCode"] == "BQ"]
    assert [(row["CompteNum"], row["Debit"]) for row in bank if row["CompteNum"] == "512000"] == [
        ("512000", "100,00"),
        ("512000", "200,00"),
    ]
    # ISO 8859-15 has no typographic quotes: they become straight ones.
    assert {row["CompAuxLib"] for row in dues} == {"", 'Studio "Fanal" d\'Elne SAS'}


def test_a_credit_note_reverses_the_invoice_it_cancels(books):
    _fieldnames, rows = read(fec_export(*YEAR))

    def posted(number):
        return sorted(
            (row["CompteNum"], row["Debit"], row["Credit"])
            for row in rows
            if row["PieceRef"] == number
        )

    invoice = posted(books["cancelled"].number)
    credit = posted(books["credit"].number)
    assert credit == sorted((account, cr, dr) for account, dr, cr in invoice)
    assert [row["EcritureLib"] for row in rows if row["PieceRef"] == books["credit"].number][
        0
    ].startswith("Avoir ")


def test_the_period_keeps_what_falls_in_it(books):
    _fieldnames, rows = read(fec_export(date(2026, 2, 1), date(2026, 2, 28)))
    assert {(row["JournalCode"], row["PieceRef"]) for row in rows} == {("BQ", books["dues"].number)}


def test_the_export_reads_a_bounded_number_of_queries(books, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        fec_export(*YEAR)


def test_the_fiscal_year_follows_its_first_month(settings):
    settings.CITE_FISCAL_YEAR_START_MONTH = 9
    assert fiscal_year(2026) == (date(2026, 9, 1), date(2027, 8, 31))
    settings.CITE_FISCAL_YEAR_START_MONTH = 1
    assert fiscal_year(2026) == YEAR


def test_the_chart_of_accounts_comes_from_the_settings(books, settings):
    settings.CITE_ACCOUNTS = {**settings.CITE_ACCOUNTS, "rent": "706300"}
    _fieldnames, rows = read(fec_export(*YEAR))
    assert "706300" in {row["CompteNum"] for row in rows}
    assert "752000" not in {row["CompteNum"] for row in rows}


@pytest.mark.parametrize("role", [roles.ACCOUNTING, roles.MANAGEMENT])
def test_accounting_and_management_download_the_year_named_by_the_rule(client, books, role):
    client.force_login(staff_member(role))
    response = client.post(reverse("admin:members_invoice_fec"), {"year": "2026"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="732829320FEC20261231.txt"'
    fieldnames, rows = read(response.content)
    assert fieldnames == list(COLUMNS) and rows


@pytest.mark.parametrize("role", [roles.INCUBATOR, roles.COMMUNICATION, roles.SCHOOL])
def test_another_staff_role_cannot_download_the_fec(client, books, role):
    client.force_login(staff_member(role))
    response = client.post(reverse("admin:members_invoice_fec"), {"year": "2026"})
    assert response.status_code == 403
    assert b"JournalCode" not in response.content


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"year": "2026", "start": "2026-01-01", "end": "2026-06-30"}, "pas les deux"),
        ({"start": "2026-01-01"}, "premier et le dernier jour"),
        ({"start": "2026-06-30", "end": "2026-01-01"}, "se termine avant de commencer"),
        ({"start": "2026-01-01", "end": "2026-13-01"}, "Saisissez une date valide"),
    ],
)
def test_a_bad_period_says_what_is_wrong_and_downloads_nothing(client, data, message):
    client.force_login(staff_member(roles.ACCOUNTING))
    response = client.post(reverse("admin:members_invoice_fec"), data)
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert message in response.text


def test_the_command_writes_the_file_of_a_year(books, tmp_path):
    out = io.StringIO()
    call_command("export_fec", "--year", "2026", "--output", str(tmp_path), stdout=out)
    path = tmp_path / "732829320FEC20261231.txt"
    assert out.getvalue().strip() == str(path)
    fieldnames, rows = read(path.read_bytes())
    assert fieldnames == list(COLUMNS) and len(entries(rows)) == 7


def test_the_command_refuses_a_period_that_ends_before_it_starts(tmp_path):
    with pytest.raises(CommandError, match="before it starts|avant de commencer"):
        call_command(
            "export_fec", "--start", "2026-06-30", "--end", "2026-01-01", "--output", str(tmp_path)
        )
    assert list(tmp_path.iterdir()) == []


def test_a_representative_is_sent_to_the_admin_login_not_the_file(client, books):
    representative = RepresentativeFactory(role="admin", company=books["dues"].company)
    client.force_login(representative.user)
    response = client.post(reverse("admin:members_invoice_fec"), {"year": "2026"})
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
