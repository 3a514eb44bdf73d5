import re

import pytest
from playwright.sync_api import expect

from members.models import Company
from tests.members.factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_reads_the_home_page_switches_to_english_and_opens_a_company(live_server, page):
    sector = SectorFactory(name="Réalité virtuelle et métavers", name_en="VR and metaverse")
    CompanyFactory(
        trade_name="Vroom",
        slug="vroom",
        sectors=[sector],
        description_fr="Métavers et réalité virtuelle.",
        description_en="Metaverse and virtual reality.",
    )
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".key-figure").nth(2)).to_contain_text("1")  # trades represented

    page.get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Directory").click()
    page.get_by_role("link", name="Vroom").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vroom")
    expect(page.locator(".prose")).to_contain_text("Metaverse and virtual reality.")
    expect(page.locator(".chips")).to_contain_text("VR and metaverse")


def test_staff_imports_the_register_spreadsheet_in_the_admin(
    live_server, page, django_user_model, tmp_path
):
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")
    SectorFactory(name="Jeu vidéo", slug="jeu-video")
    csv_file = tmp_path / "register.csv"
    csv_file.write_text(
        "name,siret,city,sectors\n"
        "Atelier Canigou,73282932000074,Perpignan,Jeu vidéo\n"
        "Studio Tramontane,,Le Soler,jeu-video\n",
        encoding="utf-8",
    )

    page.goto(live_server.url + "/admin/")
    page.get_by_label(re.compile("E-mail|Email")).fill("marie")
    page.get_by_label(re.compile("Mot de passe|Password")).fill("s3cret-pass!")
    page.locator("input[type=submit]").click()
    page.goto(live_server.url + "/admin/members/company/import/")
    page.locator("input[type=file]").set_input_files(str(csv_file))
    page.locator("select[name=format]").select_option(label="csv")
    page.locator("input[type=submit]").click()

    # The dry run shows a preview and saves nothing until staff confirm.
    expect(page.locator("table.import-preview")).to_contain_text("Atelier Canigou")
    assert Company.objects.count() == 0
    page.locator("form input[type=submit][name=confirm], form input[type=submit]").last.click()
    expect(page.locator(".messagelist")).to_be_visible()
    assert set(Company.objects.values_list("trade_name", flat=True)) == {
        "Atelier Canigou",
        "Studio Tramontane",
    }
    page.goto(live_server.url + "/admin/members/company/?q=Canigou")
    expect(page.locator("#result_list")).to_contain_text("Atelier Canigou")
