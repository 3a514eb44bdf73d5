import pytest
from playwright.sync_api import expect

from tests.browser.images import expect_image_shown
from tests.members.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url, username, password):
    page.goto(url)
    page.get_by_label("E-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


def test_representative_edits_staff_approve_and_the_public_page_changes(
    live_server, page, django_user_model, tmp_path, png_bytes, settings
):
    settings.CITE_MODERATE_PROFILES = True
    representative = RepresentativeFactory(
        user__username="anna@vroom.example",
        company__trade_name="Vroom",
        company__slug="vroom",
        company__description_fr="Ancienne présentation.",
    )
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_bytes)

    # 1. The representative edits the French description, uploads a logo, sees "pending".
    log_in(
        page,
        live_server.url + "/accounts/login/?next=/my/vroom/",
        representative.user.username,
        "s3cret-pass!",
    )
    page.get_by_label("Description (français)").fill("Nouvelle présentation de Vroom.")
    page.get_by_label("Nouveau logo").set_input_files(str(logo))
    page.get_by_role("button", name="Soumettre pour relecture").click()
    expect(page.locator("div.status--pending")).to_contain_text("En attente de relecture")
    expect(page.get_by_text("Un nouveau logo est en attente de relecture.")).to_be_visible()
    page.goto(live_server.url + "/directory/vroom/")
    expect(page.locator(".company__description")).to_have_text("Ancienne présentation.")

    # 2. Staff approve in the admin.
    page.get_by_role("button", name="Déconnexion").click()
    log_in(page, live_server.url + "/admin/members/profilerevision/", "marie", "s3cret-pass!")
    page.locator("#result_list").get_by_role("link", name="Vroom").click()
    expect(page.locator(".revision-diff")).to_contain_text("Nouvelle présentation de Vroom.")
    page.get_by_label("Approuver : la modification est publiée").check()
    page.locator("input[name=_save]").click()

    # 3. The public page shows the new text and logo.
    page.goto(live_server.url + "/directory/vroom/")
    expect(page.locator(".company__description")).to_have_text("Nouvelle présentation de Vroom.")
    logo_image = page.get_by_role("img", name="Logo de Vroom")
    expect_image_shown(logo_image)


def test_a_representative_logs_in_with_the_address_a_phone_capitalised(live_server, page):
    RepresentativeFactory(
        user__username="lea@vroom.example",
        user__email="lea@vroom.example",
        company__trade_name="Vroom",
        company__slug="vroom",
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/my/")
    field = page.get_by_label("E-mail")
    # The keyboard asked for is an email one, which neither capitalises nor corrects.
    expect(field).to_have_attribute("inputmode", "email")
    expect(field).to_have_attribute("autocapitalize", "none")
    field.fill("Lea@Vroom.example")
    page.get_by_label("Mot de passe").fill("s3cret-pass!")
    page.get_by_role("button", name="Connexion").click()
    expect(page).to_have_url(live_server.url + "/my/")
    expect(page.get_by_role("link", name="Vroom").first).to_be_visible()
