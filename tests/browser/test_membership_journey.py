import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from members import services
from tests.members.factories import MembershipPlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_applies_staff_approve_and_the_new_member_sees_the_unpaid_invoice(
    live_server, page, django_user_model
):
    plan = MembershipPlanFactory(name="Petite entreprise")
    first_fee = services.first_year_fee(plan, timezone.localdate())  # prorated by month
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")

    # 1. A visitor applies.
    page.goto(live_server.url + "/join/")
    page.get_by_label("Raison sociale").fill("Pixel Catalan SAS")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_label("Ville").fill("Perpignan")
    page.get_by_label("Prénom").fill("Núria")
    page.locator("[name=contact_last_name]").fill("Puig")
    page.get_by_label("E-mail").fill("nuria@pixel.example")
    page.get_by_label("Formule").select_option(label="Petite entreprise — 300 € par an")
    page.get_by_label("Motivation").fill("Rejoindre les studios de la Cité digitale.")
    page.get_by_label(re.compile("J’accepte|I agree")).check()
    page.get_by_role("button", name="Envoyer la candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci")

    # 2. Staff approve.
    page.goto(live_server.url + "/admin/members/application/")
    page.get_by_label("Nom d’utilisateur").fill("marie")
    page.get_by_label("Mot de passe").fill("s3cret-pass!")
    page.get_by_role("button", name="Connexion").click()
    page.locator("#result_list").get_by_role("link", name="Pixel Catalan").click()
    page.get_by_label(re.compile("Approuver")).check()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    page.get_by_role("button", name="Déconnexion").click()

    # 3. The new representative sets a password and sees the unpaid invoice.
    invitation = next(m for m in mail.outbox if "/invitations/" in m.body)
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", invitation.body).group(1)
    page.goto(live_server.url + link)
    page.get_by_label("Prénom").fill("Núria")
    page.locator("[name=last_name]").fill("Puig")
    page.locator("[name=password1]").fill("un-mot-de-passe-long")
    page.get_by_label("Mot de passe (confirmation)").fill("un-mot-de-passe-long")
    page.get_by_role("button", name="Accepter l’invitation").click()
    page.get_by_role("link", name="Adhésion et factures").click()
    row = page.locator("table").nth(1).locator("tbody tr").first
    expect(row).to_contain_text("non payée")
    expect(row).to_contain_text(f"{first_fee:.2f}".replace(".", ","))
