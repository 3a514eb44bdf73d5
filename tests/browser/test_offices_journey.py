from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from startups.models import Building, Lease, Office
from tests.members.factories import CompanyFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_let_an_office_and_cannot_let_it_twice(live_server, page, django_user_model):
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")
    building = Building.objects.create(name="Bâtiment A")
    for code in ("A101", "A102"):
        Office.objects.create(
            building=building,
            code=code,
            area=Decimal("40"),
            desks=4,
            list_rent=Decimal("460"),
            delivery_date=date(2020, 1, 1),
        )
    CompanyFactory(trade_name="Vroom")
    CompanyFactory(trade_name="Stravvel")

    def fill_lease(company, start, end):
        page.goto(live_server.url + "/admin/startups/lease/add/")
        page.locator("#id_office").select_option(label="Bâtiment A · A101")
        # The company field is the admin's autocomplete (select2): type, then pick.
        page.locator("#id_company + .select2").click()
        page.locator(".select2-search__field").fill(company)
        page.locator(".select2-results__option", has_text=company).click()
        page.locator("#id_start").fill(start)
        page.locator("#id_end").fill(end)
        page.locator("#id_monthly_rent").fill("460")
        page.locator("input[name=_save]").click()

    # 1. Staff create a lease.
    page.goto(live_server.url + "/admin/")
    page.get_by_label("E-mail").fill("marie")
    page.get_by_label("Mot de passe").fill("s3cret-pass!")
    page.get_by_role("button", name="Connexion").click()
    fill_lease("Vroom", "01/03/2030", "01/09/2030")
    expect(page.locator(".messagelist")).to_be_visible()
    assert Lease.objects.get().company.trade_name == "Vroom"

    # 2. Availability for an overlapping period no longer offers that office.
    page.goto(live_server.url + "/offices/?start=2030-06-01&end=2030-07-01")
    results = page.locator("main table")
    expect(results).to_contain_text("A102")
    expect(results).not_to_contain_text("A101")

    # 3. An overlapping lease is refused with a clear error.
    fill_lease("Stravvel", "01/08/2030", "")
    expect(page.locator(".errorlist")).to_contain_text(
        "Ce bureau est déjà loué pendant une partie de cette période"
    )
    expect(page.locator(".errorlist")).to_contain_text("Vroom, du 1er mars 2030 au 31 août 2030")
    assert Lease.objects.count() == 1
