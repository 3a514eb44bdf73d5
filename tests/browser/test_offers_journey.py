import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cluster.models import Placement, Programme, Student
from tests.members.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(page, url, username, password):
    page.goto(url)
    page.get_by_label("E-mail").fill(username)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Connexion").click()


def pick(page, field, text):
    """Choose ``text`` in one of the admin's autocomplete (select2) fields."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_an_offer_is_posted_approved_published_and_gets_a_placement(
    live_server, page, django_user_model, settings
):
    settings.CITE_MODERATE_PROFILES = True
    representative = RepresentativeFactory(
        user__username="anna@vroom.example", company__trade_name="Vroom", company__slug="vroom"
    )
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")
    programme = Programme.objects.create(
        title="Bachelor Animation 3D", level="Bac+3", training_type="initial", duration_months=36
    )
    Student.objects.create(
        first_name="Léa", last_name="Roig", programme=programme, cohort_year=2025
    )
    start = timezone.localdate() + timedelta(days=30)

    # 1. A representative posts an internship offer.
    log_in(
        page,
        live_server.url + "/accounts/login/?next=/my/vroom/offers/add/",
        representative.user.username,
        "s3cret-pass!",
    )
    page.locator("[name=title]").fill("Stage animation 3D")
    page.locator("[name=description_fr]").fill(
        "Animation de personnages pour la réalité virtuelle."
    )
    page.locator("[name=kind]").select_option("internship")
    page.locator("[name=start_date]").fill(start.isoformat())
    page.locator("[name=duration_months]").fill("4")
    page.locator("[name=place]").fill("Le Soler")
    page.locator("[name=monthly_stipend]").fill("650")
    page.locator("[name=expires_on]").fill(start.isoformat())
    page.locator("[name=apply_email]").fill("stages@vroom.example")
    page.locator("form.stack-form button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Stage animation 3D")
    page.get_by_role("button", name="Déconnexion").click()

    # 2. Staff approve it.
    log_in(page, live_server.url + "/admin/members/offer/", "marie", "s3cret-pass!")
    page.locator("#result_list").get_by_role("link", name=re.compile("Stage animation 3D")).click()
    page.get_by_label(re.compile("Approuver")).check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()

    # 3. It appears on /offers/ and on the company page.
    page.goto(live_server.url + "/offers/")
    expect(page.locator("main")).to_contain_text("Stage animation 3D")
    page.goto(live_server.url + "/directory/vroom/")
    expect(page.locator("main")).to_contain_text("Stage animation 3D")

    # 4. Staff record a placement against it.
    page.goto(live_server.url + "/admin/cluster/placement/add/")
    pick(page, "student", "Roig")
    pick(page, "company", "Vroom")
    pick(page, "offer", "Stage animation 3D")
    page.locator("#id_kind").select_option("internship")
    page.locator("#id_start").fill(start.strftime("%d/%m/%Y"))
    page.locator("#id_end").fill((start + timedelta(days=120)).strftime("%d/%m/%Y"))
    page.locator("#id_tutor").fill("Jordi Puig")
    page.locator("#id_hourly_stipend").fill("4.35")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    placement = Placement.objects.get()
    assert placement.offer.title == "Stage animation 3D"
    assert placement.student.last_name == "Roig"
