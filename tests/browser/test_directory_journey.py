import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from tests.browser.images import expect_image_shown
from tests.members.factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_searches_without_accents_narrows_by_sector_and_opens_a_company(
    live_server, page, png_bytes
):
    vr = SectorFactory(slug="realite-virtuelle", name="Réalité virtuelle et métavers")
    games = SectorFactory(slug="jeu-video", name="Jeu vidéo")
    vroom = CompanyFactory(
        trade_name="Vroom",
        sectors=[vr],
        description_fr="Expériences immersives en réalité virtuelle et métavers.",
    )
    vroom.logo.save("vroom.png", ContentFile(png_bytes))
    CompanyFactory(
        trade_name="Pixel Arcade",
        sectors=[games],
        description_fr="Jeux en réalité virtuelle pour les salles d'arcade.",
    )
    CompanyFactory(trade_name="Compta Plus", description_fr="Expertise comptable.")

    page.goto(live_server.url + "/directory/")
    page.get_by_label("Nom, métier, commune…").fill("realite virtuelle")
    page.get_by_role("button", name="Rechercher").click()
    results = page.locator(".company-card__name")
    expect(results).to_have_text(["Vroom", "Pixel Arcade"])

    page.get_by_role("checkbox", name="Réalité virtuelle et métavers").check()
    page.get_by_role("button", name="Rechercher").click()
    expect(results).to_have_text(["Vroom"])
    assert "sector=realite-virtuelle" in page.url and "q=realite+virtuelle" in page.url

    page.get_by_role("link", name="Vroom").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vroom")
    logo = page.get_by_role("img", name="Logo de Vroom")
    expect_image_shown(logo)
    expect(page.locator(".company__description")).to_contain_text("réalité virtuelle")


def test_visitor_mistypes_two_words_picks_a_suggestion_with_the_keyboard(live_server, page):
    vr = SectorFactory(slug="realite-virtuelle", name="Réalité virtuelle et métavers")
    vroom = CompanyFactory(
        trade_name="Vroom",
        city="Le Soler",
        sectors=[vr],
        description_fr="Casques et mondes immersifs.",
    )
    CompanyFactory(trade_name="Compta Plus", description_fr="Expertise comptable.")

    page.goto(live_server.url + "/directory/")
    box = page.get_by_role("combobox", name="Nom, métier, commune…")
    box.press_sequentially("realité virtulle", delay=20)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options).to_have_count(2)
    expect(options.first).to_contain_text("Réalité virtuelle et métavers · secteur")
    expect(options.nth(1)).to_contain_text("Vroom · Le Soler")  # the town tells names apart
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".search-combo [role=status]")).to_have_text("2 suggestions")

    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("ArrowDown")  # opens the same suggestions again, the first one chosen
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(options.first).to_have_attribute("aria-selected", "true")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id"))
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vroom")
    assert page.url == live_server.url + vroom.get_absolute_url()


def test_an_answer_for_text_already_erased_opens_no_suggestions(live_server, page):
    CompanyFactory(trade_name="Vroom", description_fr="Casques et mondes immersifs.")
    held = []
    page.route("**/api/companies/suggest*", lambda route: held.append(route))  # answered later

    page.goto(live_server.url + "/directory/")
    box = page.get_by_role("combobox", name="Nom, métier, commune…")
    with page.expect_request("**/api/companies/suggest*"):
        box.press_sequentially("vr")
    box.press("Backspace")  # one letter: too short to suggest
    with page.expect_response("**/api/companies/suggest*"):
        held[0].continue_()
    page.wait_for_timeout(200)  # the answer's handler runs after the response
    expect(page.get_by_role("listbox", name="Suggestions")).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")


def test_visitor_who_finds_nothing_follows_did_you_mean_then_removes_a_filter(live_server, page):
    CompanyFactory(trade_name="Vroom", city="Le Soler", description_fr="Casques immersifs.")
    CompanyFactory(trade_name="Alaxione", city="Perpignan", description_fr="Santé connectée.")
    nothing = page.get_by_role("heading", name="Aucune entreprise ne correspond à cette recherche")
    cards = page.locator(".company-card__name")

    page.goto(live_server.url + "/directory/")
    box = page.get_by_role("combobox", name="Nom, métier, commune…")
    box.fill("vrom")  # four letters: too short for the search to correct by itself
    box.press("Enter")
    expect(nothing).to_be_visible()
    page.get_by_role("link", name="Vroom").click()  # Vouliez-vous dire Vroom ? (1)
    expect(cards).to_have_text(["Vroom"])

    page.goto(live_server.url + "/directory/?q=vroom&city=Perpignan")
    expect(nothing).to_be_visible()
    page.get_by_role("link", name="Sans « Commune : Perpignan »").click()
    expect(cards).to_have_text(["Vroom"])
    assert "city=" not in page.url and "q=vroom" in page.url
