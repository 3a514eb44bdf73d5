"""Rent in the browser: staff issue January's rent after its preview, and the tenant's
representative finds the invoice in their space."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from members.models import Invoice
from tests.members.factories import CompanyFactory, RepresentativeFactory
from tests.startups.factories import BuildingFactory, LeaseFactory, OfficeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url, email, password):
    """Log in by email (the admin's form and the site's both name the field username)."""
    page.goto(url)
    page.locator("#id_username").fill(email)
    page.locator("#id_password").fill(password)
    page.get_by_role("button", name="Connexion").click()


def test_staff_issue_januarys_rent_and_the_tenant_sees_it(live_server, page, django_user_model):
    tenant = CompanyFactory(trade_name="Vroom", legal_name="Vroom SAS", slug="vroom")
    LeaseFactory(
        office=OfficeFactory(building=BuildingFactory(name="Bâtiment A"), code="A101"),
        company=tenant,
        start=date(2026, 6, 1),
        monthly_rent=Decimal("800.00"),
    )
    representative = RepresentativeFactory(user__username="anna@vroom.example", company=tenant)
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")

    # 1. Staff choose the month and see what will be issued before anything is.
    log_in(page, live_server.url + "/admin/startups/lease/", "marie@example.org", "s3cret-pass!")
    page.get_by_role("link", name="Émettre les loyers d’un mois").click()
    page.get_by_label("Mois").fill("2027-01")
    page.get_by_role("button", name="Aperçu").click()
    preview = page.locator(".results table")
    expect(preview).to_contain_text("Vroom")
    expect(preview.locator("tfoot")).to_contain_text("960,00")
    assert Invoice.objects.count() == 0

    # 2. They confirm: one invoice, numbered with the rest; the month is then done.
    preview_url = page.url
    page.locator("input[name=apply]").click()
    expect(page.locator(".messagelist")).to_contain_text("1 factures de loyer émises")
    invoice = Invoice.objects.get()
    expect(page.locator("#result_list")).to_contain_text(invoice.number)
    page.goto(preview_url)
    expect(page.get_by_text("Rien à facturer pour 2027-01")).to_be_visible()
    expect(page.locator("input[name=apply]")).to_have_count(0)
    assert Invoice.objects.count() == 1
    page.get_by_role("button", name="Déconnexion").click()

    # 3. The tenant's representative sees the invoice and the balance in their space.
    log_in(
        page,
        live_server.url + "/accounts/login/?next=/my/vroom/",
        representative.user.email,
        "s3cret-pass!",
    )
    page.get_by_role("link", name="Loyers").click()
    row = page.locator("table").nth(1).locator("tbody tr").first
    expect(row).to_contain_text(invoice.number)
    expect(row).to_contain_text("960,00")
    row.get_by_role("link", name=invoice.number).click()
    expect(page.get_by_text("bureau A101")).to_be_visible()
