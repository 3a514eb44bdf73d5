"""Rent invoices, as the rent service issues them, in the accountant's formats: the FEC
posts rent and service charges to their own sales accounts and balances, and the
Factur-X XML validates against the schema and the EN 16931 rules; a tenant with a
mandate has its due rent collected by direct debit like dues."""

from datetime import date, timedelta
from decimal import Decimal

import facturx
import pytest

from members import services
from members.invoice_xml import invoice_xml
from members.models import Revenue
from members.services import direct_debits
from members.services.fec import fec_export
from startups.services.rent import rent_invoices_issue
from tests.members.factories import CompanyFactory
from tests.members.sepa_factories import MandateFactory
from tests.members.test_facturx import assert_totals_add_up, parsed, schematron, texts
from tests.members.test_fec import amount, entries, read

from .factories import BuildingFactory, LeaseFactory, OfficeFactory

pytestmark = pytest.mark.django_db

D = Decimal
JANUARY = date(2026, 1, 1)
YEAR = (date(2026, 1, 1), date(2026, 12, 31))

__all__ = ["schematron"]  # the fixture, shared with the members' Factur-X tests


@pytest.fixture
def rent():
    """January's rent of a tenant at 20 % VAT with service charges (issued by the rent
    service), and of a tenant whose lease starts on the 16th, without charges."""
    building = BuildingFactory(name="Pépinière", vat_rate=D("20.00"))
    LeaseFactory(
        office=OfficeFactory(building=building, code="P01"),
        company=CompanyFactory(legal_name="Alpha SAS", vat_number="FR40303265045"),
        start=date(2025, 1, 1),
        monthly_rent=D("850.00"),
        service_charges=D("120.35"),
    )
    LeaseFactory(
        office=OfficeFactory(building=building, code="P02"),
        company=CompanyFactory(legal_name="Bravo SAS"),
        start=date(2026, 1, 16),
        monthly_rent=D("310.00"),
    )
    invoices, refused = rent_invoices_issue(month=JANUARY, issue_date=date(2026, 1, 2))
    assert refused == []
    return invoices


def test_rent_lines_carry_their_revenue(rent):
    alpha, bravo = rent
    assert [line.revenue for line in alpha.lines.all()] == [Revenue.RENT, Revenue.CHARGES]
    assert [line.revenue for line in bravo.lines.all()] == [Revenue.RENT]


def test_the_fec_posts_rent_and_charges_to_their_accounts_and_balances(rent):
    alpha, bravo = rent
    services.payment_record(
        invoice=alpha, amount=alpha.amount_incl_tax, date=date(2026, 1, 10), method="debit"
    )
    services.credit_note_issue(invoice=bravo, reason="Bail résilié")

    _fieldnames, rows = read(fec_export(*YEAR))

    sales = [row for row in rows if row["PieceRef"] == alpha.number and row["JournalCode"] == "VE"]
    assert {(row["CompteNum"], row["Debit"], row["Credit"]) for row in sales} == {
        ("411000", "1164,42", "0,00"),
        ("752000", "0,00", "850,00"),
        ("708800", "0,00", "120,35"),
        ("445710", "0,00", "194,07"),
    }
    # Nothing of the rent lands on "other services".
    assert "706000" not in {row["CompteNum"] for row in rows}
    # Bravo's prorated rent (16 days of 31: 160.00) and its credit note: both on rent.
    bravo_rent = [
        (row["Debit"], row["Credit"])
        for row in rows
        if row["CompteNum"] == "752000" and row["PieceRef"] != alpha.number
    ]
    assert sorted(bravo_rent) == [("0,00", "160,00"), ("160,00", "0,00")]
    for number, lines in entries(rows).items():
        debit = sum(amount(line["Debit"]) for line in lines)
        credit = sum(amount(line["Credit"]) for line in lines)
        assert debit == credit, number
    assert sum(amount(row["Debit"]) for row in rows) == sum(amount(row["Credit"]) for row in rows)


def test_the_factur_x_xml_of_a_rent_invoice_validates(rent, schematron):
    alpha, bravo = rent
    for invoice in (alpha, bravo, services.credit_note_issue(invoice=bravo, reason="Bail")):
        xml = invoice_xml(invoice)
        assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931"), invoice.number
        assert schematron(xml) == [], invoice.number
        assert_totals_add_up(parsed(xml))
    tree = parsed(invoice_xml(alpha))
    assert texts(
        tree, "//ram:ApplicableHeaderTradeSettlement/ram:ApplicableTradeTax/ram:CalculatedAmount"
    ) == ["194.07"]
    assert len(texts(tree, "//ram:IncludedSupplyChainTradeLineItem//ram:LineTotalAmount")) == 2


def test_a_tenant_with_a_mandate_has_its_due_rent_in_the_collect_preview(rent):
    alpha, bravo = rent
    MandateFactory(company=alpha.company, reference="RUM-ALPHA-1")

    pairs = direct_debits.due_for_collection(alpha.due_date)

    assert [(invoice.number, mandate.reference) for invoice, mandate in pairs] == [
        (alpha.number, "RUM-ALPHA-1")
    ]
    assert pairs[0][0].balance == alpha.amount_incl_tax
    # Not yet due the day before: left for a later file.
    assert direct_debits.due_for_collection(alpha.due_date - timedelta(days=1)) == []
