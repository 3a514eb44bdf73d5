from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import expect

from members import services
from members.models import Membership
from tests.members.factories import CompanyFactory, MembershipPlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_staff_open_the_dashboard_switch_the_year_and_download_a_csv(
    live_server, page, django_user_model
):
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")
    plan = MembershipPlanFactory()
    for year, count in ((2025, 2), (2026, 3)):
        for _ in range(count):
            member = services.membership_create(
                company=CompanyFactory(), plan=plan, start=date(year, 1, 1)
            )
            member.status = Membership.Status.ACTIVE
            member.save()

    page.goto(live_server.url + "/admin/")
    page.get_by_label("E-mail").fill("marie")
    page.get_by_label("Mot de passe").fill("s3cret-pass!")
    page.get_by_role("button", name="Connexion").click()
    page.get_by_role("link", name="Tableau de bord et rapport annuel").click()

    page.get_by_label("Année", exact=True).select_option("2025")
    page.get_by_role("button", name="Afficher").click()
    expect(page.locator(".key-figure").first).to_contain_text("Adhérents")
    members = page.locator("#figure-members")
    expect(members.locator("svg[role=img]")).to_be_visible()
    expect(members.locator("table tbody tr", has_text="Adhérents en 2025")).to_contain_text("2")
    assert page.locator("figure.chart-frame svg").count() >= 6  # figures with data

    with page.expect_download() as download_info:
        members.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "members-2025.csv"
    content = Path(download.path()).read_text(encoding="utf-8")
    assert "adhérents en 2025,2" in content.splitlines()

    # On a phone, the page does not scroll sideways: the grid folds, tables scroll inside.
    page.set_viewport_size({"width": 360, "height": 800})
    page.reload()
    widths = page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
