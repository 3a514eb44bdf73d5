"""Money in, end to end (issue 20's "Done when"), in the browser: staff issue January's
rent after its preview, collect it by SEPA direct debit, upload the bank's statement and
confirm the matches; the tenant's representative then finds the rent invoice "acquittée"
in their space."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from members.demo.bank import Entry, camt053
from members.models import DirectDebitFile, Invoice, Payment, PaymentStatus
from members.sepa_calendar import earliest_collection_date, next_business_day
from tests.browser.test_rent_journey import log_in
from tests.members.factories import CompanyFactory, RepresentativeFactory
from tests.members.sepa_factories import MandateFactory
from tests.startups.factories import BuildingFactory, LeaseFactory, OfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_rent_is_issued_collected_matched_and_the_tenant_sees_it_paid(
    live_server, page, django_user_model, tmp_path
):
    tenant = CompanyFactory(trade_name="Vroom", legal_name="Vroom SAS", slug="vroom")
    LeaseFactory(
        office=OfficeFactory(
            building=BuildingFactory(name="Bâtiment A", vat_rate=Decimal("20.00")), code="A101"
        ),
        company=tenant,
        start=date(2026, 6, 1),
        monthly_rent=Decimal("800.00"),
        service_charges=Decimal("100.00"),
    )
    MandateFactory(company=tenant, reference="RUM-VROOM-1")
    representative = RepresentativeFactory(user__username="anna@vroom.example", company=tenant)
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")

    # 1. January's rent: the preview first, then the invoice.
    log_in(page, live_server.url + "/admin/startups/lease/", "marie@example.org", "s3cret-pass!")
    page.get_by_role("link", name="Émettre les loyers d’un mois").click()
    page.get_by_label("Mois").fill("2027-01")
    page.get_by_role("button", name="Aperçu").click()
    expect(page.locator(".results table")).to_contain_text("Vroom")
    expect(page.locator(".results table tfoot")).to_contain_text(re.compile(r"1\s?080,00"))
    assert Invoice.objects.count() == 0
    page.locator("input[name=apply]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 factures de loyer émises")
    rent = Invoice.objects.get()
    assert rent.amount_incl_tax == Decimal("1080.00")

    # 2. The collect tool, on a day the rent is due: the rent is in the SEPA file.
    collection_date = next_business_day(
        max(earliest_collection_date(timezone.localdate()), rent.due_date)
    )
    page.goto(live_server.url + "/admin/members/directdebitfile/")
    page.get_by_role("link", name="Prélever les factures échues").click()
    page.locator("#id_collection_date").fill(collection_date.isoformat())
    page.get_by_role("button", name="Aperçu").click()
    preview = page.locator(".results table")
    expect(preview).to_contain_text(rent.number)
    expect(preview).to_contain_text("RUM-VROOM-1")
    page.get_by_role("button", name=re.compile("Créer le fichier SEPA")).click()
    expect(page.locator(".messagelist")).to_contain_text("Fichier SEPA")
    file = DirectDebitFile.objects.get()
    assert file.total == Decimal("1080.00")
    rent = Invoice.objects.with_balance().get(pk=rent.pk)
    assert rent.payment_status == PaymentStatus.COLLECTING

    # 3. The bank's statement, made here: the file's credit, and an unknown transfer.
    yesterday = timezone.localdate() - timedelta(days=1)
    statement = tmp_path / "releve.xml"
    statement.write_bytes(
        camt053(
            "FR7630006000011234567890189",
            [
                Entry(yesterday, file.total, "PRLV SEPA", batch_id=file.message_id),
                Entry(yesterday, Decimal("12.00"), "INCONNU", reference="DON"),
            ],
        )
    )
    page.goto(live_server.url + "/admin/members/bankstatement/")
    page.get_by_role("link", name="Importer un relevé").click()
    page.get_by_label("Fichier du relevé").set_input_files(str(statement))
    page.get_by_role("button", name="Importer").click()
    expect(page.locator(".messagelist")).to_contain_text("2 lignes importées")

    # 4. One screen: the debit's credit proposed, ticked; confirmed.
    expect(page.locator("#proposed tbody tr")).to_have_count(1)
    expect(page.locator("#unmatched")).to_contain_text("INCONNU")
    page.get_by_role("button", name="Confirmer les rapprochements cochés").click()
    expect(page.locator(".messagelist")).to_contain_text("1 rapprochements confirmés")
    payment = Payment.objects.get()
    assert (payment.invoice_id, payment.method) == (rent.pk, Payment.Method.DIRECT_DEBIT)
    page.get_by_role("button", name="Déconnexion").click()

    # 5. The tenant's representative: the rent invoice, paid, in their space.
    log_in(
        page,
        live_server.url + "/accounts/login/?next=/my/vroom/",
        representative.user.email,
        "s3cret-pass!",
    )
    page.get_by_role("link", name="Loyers").click()
    row = page.locator("table").nth(1).locator("tbody tr").first
    expect(row).to_contain_text(rent.number)
    row.get_by_role("link", name=rent.number).click()
    expect(page.locator(".invoice__paid")).to_contain_text("Acquittée le")
    expect(page.get_by_text("bureau A101").first).to_be_visible()
