"""The accountant's year end: the FEC of the year from the invoices' admin page, then an
invoice's PDF, which carries its Factur-X XML."""

import csv
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import facturx
import pytest
from playwright.sync_api import expect

from cluster import roles
from members import services
from members.models import Revenue
from members.services.fec import COLUMNS
from members.services.invoicing import InvoiceDraft, drafts_issue
from tests.cluster.staff import staff_member
from tests.members.factories import CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_accountant_downloads_the_years_fec_and_a_factur_x_invoice(live_server, page):
    staff_member(roles.ACCOUNTING, username="compta@pole.example")
    [invoice] = drafts_issue(
        drafts=[
            InvoiceDraft(
                company=CompanyFactory(legal_name="Pixel Catalan SAS"),
                lines=[("Loyer, bureau B12, mars 2026", Decimal("850.00"), Revenue.RENT)],
                vat_rate=Decimal("20.00"),
            )
        ],
        issue_date=date(2026, 3, 1),
    )
    services.payment_record(
        invoice=invoice, amount=Decimal("1020.00"), date=date(2026, 3, 15), method="transfer"
    )

    page.goto(live_server.url + "/admin/")
    page.locator("#id_username").fill("compta@pole.example")
    page.locator("#id_password").fill("s3cret-pass!")
    page.locator("#login-form [type=submit]").click()
    page.goto(live_server.url + "/admin/members/invoice/")
    page.get_by_role("link", name="Écritures comptables (FEC)").click()
    page.get_by_label("Exercice commençant en").fill("2026")
    with page.expect_download() as fec:
        page.get_by_role("button", name="Confirmer").click()
    assert fec.value.suggested_filename == "732829320FEC20261231.txt"
    content = Path(fec.value.path()).read_text(encoding="iso-8859-15")
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter="\t")
    rows = list(reader)
    assert reader.fieldnames == list(COLUMNS)
    debit = sum(Decimal(row["Debit"].replace(",", ".")) for row in rows)
    credit = sum(Decimal(row["Credit"].replace(",", ".")) for row in rows)
    assert debit == credit == Decimal("2040.00")
    assert {row["JournalCode"] for row in rows} == {"VE", "BQ"}

    page.goto(live_server.url + "/admin/members/invoice/")
    page.get_by_role("link", name=invoice.number).click()
    page.get_by_role("link", name="Facture imprimable").click()
    expect(page.locator("h1")).to_contain_text(invoice.number)
    with page.expect_download() as pdf:
        page.get_by_role("link", name="Télécharger le PDF").click()
    assert pdf.value.suggested_filename == f"{invoice.number}.pdf"
    filename, xml = facturx.get_facturx_xml_from_pdf(Path(pdf.value.path()).read_bytes())
    assert filename == "factur-x.xml"
    assert invoice.number.encode() in xml
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
