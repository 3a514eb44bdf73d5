"""CSV downloads for French Excel: ``;``, decimal comma, UTF-8 with a BOM, beside the plain
CSV; both keep the formula protection. (Every export is checked for formulas in both
variants in tests/security/test_formula_injection.py.)"""

import codecs
import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from members import services
from members.csv_export import EXCEL_FR, PLAIN, cell, csv_bytes
from members.models import Payment
from startups.models import Building, Office
from tests.startups.factories import LeaseFactory

from .factories import CompanyFactory, MembershipPlanFactory

pytestmark = pytest.mark.django_db

ROWS = [
    ["company", "amount", "balance", "day", "note"],
    ["Vroom", Decimal("1234.50"), Decimal("-12.00"), date(2026, 12, 31), "=1+1"],
]


def read_excel_fr(content):
    """Read a French Excel CSV as Excel does: it starts with a BOM, cells split on ``;``."""
    assert content.startswith(codecs.BOM_UTF8)
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_french_excel_variant_has_semicolons_decimal_commas_a_bom_and_no_formula():
    header, row = read_excel_fr(csv_bytes(ROWS, EXCEL_FR))
    assert header == ["company", "amount", "balance", "day", "note"]
    assert row == ["Vroom", "1234,50", "-12,00", "31/12/2026", "'=1+1"]


def test_plain_variant_stays_comma_separated_with_decimal_points_and_no_formula():
    content = csv_bytes(ROWS, PLAIN)
    assert not content.startswith(codecs.BOM_UTF8)
    header, row = csv.reader(io.StringIO(content.decode()))
    assert row == ["Vroom", "1234.50", "-12.00", "2026-12-31", "'=1+1"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [("-5", "-5"), ("-5+1", "'-5+1"), ("12.5", "12,5"), ("1.2.3", "1.2.3"), (None, "")],
)
def test_only_numbers_get_a_decimal_comma_and_only_text_gets_a_quote(value, expected):
    assert cell(value, EXCEL_FR) == expected


@pytest.fixture
def ledger():
    company = CompanyFactory(legal_name="Vroom SAS")
    start, _end = services.membership_year(timezone.localdate())
    plan = MembershipPlanFactory(annual_fee=Decimal("1234.50"))
    membership = services.membership_create(company=company, plan=plan, start=start, prorate=False)
    invoice = services.invoice_issue(membership=membership, issue_date=start)
    Payment.objects.create(
        invoice=invoice, date=start, amount=Decimal("234.50"), method="transfer", reference="=X"
    )
    return invoice


def test_dues_ledger_for_french_excel(admin_client, ledger):
    url = reverse("admin:members_invoice_ledger")
    response = admin_client.get(url, {"variant": "excel-fr"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="dues-ledger-excel-fr.csv"' in response["Content-Disposition"]
    header, invoice_row, payment_row = read_excel_fr(response.content)
    assert len(header) == 9
    assert invoice_row[2] == ledger.number and invoice_row[5] == "1234,50"
    assert payment_row[6] == "234,50" and payment_row[8] == "'=X"
    plain = admin_client.get(url).content.decode()
    assert "1234.50" in plain and ";" not in plain.splitlines()[0]
    changelist = admin_client.get(reverse("admin:members_invoice_changelist")).text
    assert f"{url}?variant=excel-fr" in changelist


def test_rent_roll_for_french_excel(admin_client):
    office = Office.objects.create(
        building=Building.objects.create(name="Bâtiment A"),
        code="A101",
        area=Decimal("40.50"),
        list_rent=Decimal("460.25"),
        delivery_date=date(2020, 1, 1),
    )
    LeaseFactory(office=office, company=CompanyFactory(legal_name="Vroom SAS"))

    response = admin_client.get(reverse("admin:startups_lease_rent_roll"), {"variant": "excel-fr"})

    _header, row = read_excel_fr(response.content)
    assert row[:4] == ["Bâtiment A", "A101", "40,50", "Vroom SAS"]
    assert row[6] == "460,25"


def test_admin_export_offers_french_excel_beside_plain_csv(admin_client):
    CompanyFactory(trade_name="=Vroom", city="Perpignan")
    url = reverse("admin:members_company_export")
    form = admin_client.get(url).context["form"]
    labels = [str(label) for _value, label in form.fields["format"].choices]
    assert labels[1:3] == ["csv", "csv pour Excel en français (;)"]
    index = next(v for v, label in form.fields["format"].choices if "Excel" in str(label))
    data = {"format": index, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if field.initial is True})

    response = admin_client.post(url, data)

    header, row = read_excel_fr(response.content)
    assert dict(zip(header, row, strict=True))["name"] == "'=Vroom"
    assert dict(zip(header, row, strict=True))["city"] == "Perpignan"


def test_dashboard_offers_each_figure_for_french_excel(admin_client):
    page = admin_client.get(reverse("staff-dashboard"), {"year": 2025}).text
    assert "&amp;variant=excel-fr" in page
    response = admin_client.get(
        reverse("staff-dashboard-csv"), {"year": 2025, "figure": "members", "variant": "excel-fr"}
    )
    assert read_excel_fr(response.content)[0]
