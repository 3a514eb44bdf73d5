"""The accountant's money-in journey, in the browser: build the SEPA direct debit file
from its preview, upload the bank statement, confirm the matches on one screen, and the
invoice collected by direct debit says "acquittée"."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cluster import roles
from members.demo.bank import Entry, camt053
from members.models import DirectDebitFile
from tests.cluster.staff import staff_member
from tests.members.factories import CompanyFactory
from tests.members.sepa_factories import MandateFactory, due_invoice

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_accountant_collects_by_direct_debit_and_matches_the_statement(
    live_server, page, tmp_path
):
    staff_member(roles.ACCOUNTING, username="compta@pole.example")
    debtor = CompanyFactory(legal_name="Studio Canigou SAS")
    MandateFactory(company=debtor, reference="RUM-CANIGOU-1")
    collected = due_invoice(debtor)
    by_transfer = due_invoice(CompanyFactory(legal_name="Pixel Catalan SAS"))

    page.goto(live_server.url + "/admin/members/directdebitfile/")
    page.locator("#id_username").fill("compta@pole.example")
    page.locator("#id_password").fill("s3cret-pass!")
    page.locator("#login-form [type=submit]").click()

    # 1. The collect tool: the date (the earliest allowed, filled in), then the preview.
    page.get_by_role("link", name="Prélever les factures échues").click()
    page.get_by_role("button", name="Aperçu").click()
    preview = page.locator(".results table")
    expect(preview).to_contain_text(collected.number)
    expect(preview).to_contain_text("RUM-CANIGOU-1")
    expect(preview).not_to_contain_text(by_transfer.number)  # no mandate
    page.get_by_role("button", name=re.compile("Créer le fichier SEPA")).click()
    expect(page.locator(".messagelist")).to_contain_text("Fichier SEPA")
    file = DirectDebitFile.objects.get()

    # The file can be downloaded again.
    page.locator("#result_list").get_by_role("link", name=file.message_id).click()
    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le fichier pain.008").click()
    assert download.value.suggested_filename.endswith(".xml")

    # 2. The bank's statement: the file's credit and a transfer quoting an invoice.
    yesterday = timezone.localdate() - timedelta(days=1)
    statement = tmp_path / "releve.xml"
    statement.write_bytes(
        camt053(
            "FR7630006000011234567890189",
            [
                Entry(yesterday, file.total, "PRLV SEPA", batch_id=file.message_id),
                Entry(
                    yesterday,
                    by_transfer.amount_incl_tax,
                    "PIXEL CATALAN",
                    reference=f"VIR {by_transfer.number}",
                ),
                Entry(yesterday, file.total + 1, "INCONNU", reference="DON"),
            ],
        )
    )
    page.goto(live_server.url + "/admin/members/bankstatement/")
    page.get_by_role("link", name="Importer un relevé").click()
    page.get_by_label("Fichier du relevé").set_input_files(str(statement))
    page.get_by_role("button", name="Importer").click()
    expect(page.locator(".messagelist")).to_contain_text("3 lignes importées")

    # 3. One screen: two proposals, ticked; the unknown line stays listed.
    expect(page.locator("#proposed tbody tr")).to_have_count(2)
    expect(page.locator("#unmatched")).to_contain_text("INCONNU")
    page.get_by_role("button", name="Confirmer les rapprochements cochés").click()
    expect(page.locator(".messagelist")).to_contain_text("2 rapprochements confirmés")
    expect(page.locator("#unmatched")).to_contain_text("INCONNU")

    # 4. The invoice collected by direct debit is paid: "acquittée".
    page.goto(live_server.url + collected.get_absolute_url())
    expect(page.locator(".invoice__paid")).to_contain_text("Acquittée le")
