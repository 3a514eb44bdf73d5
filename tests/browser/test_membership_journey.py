"""The membership journey of a French business customer, in the browser: an application
with a full address, the approval that says what it created, the invoice PDF emailed and
readable, the payment, and "acquittée" on the invoice the new member sees."""

import io
import re

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from members import services
from tests.members.factories import MembershipPlanFactory

pytestmark = pytest.mark.django_db(transaction=True)


def pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_an_applicant_becomes_a_member_pays_and_sees_the_invoice_acquitted(
    live_server, page, django_user_model
):
    plan = MembershipPlanFactory(name="Petite entreprise")
    first_fee = services.first_year_fee(plan, timezone.localdate())  # prorated by month
    django_user_model.objects.create_superuser("marie", "marie@example.org", "s3cret-pass!")

    # 1. A visitor applies, with the company's full address.
    page.goto(live_server.url + "/join/")
    page.get_by_label("Raison sociale").fill("Pixel Catalan SAS")
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_label("Rue et numéro").fill("3 rue de la Fusterie")
    page.get_by_label("Code postal").fill("66000")
    page.get_by_label("Ville").fill("Perpignan")
    page.get_by_label("Prénom").fill("Núria")
    page.locator("[name=contact_last_name]").fill("Puig")
    page.locator("[name=contact_email]").fill("nuria@pixel.example")
    page.get_by_label("Formule").select_option(label="Petite entreprise — 300 € par an")
    page.get_by_label("Motivation").fill("Rejoindre les studios de la Cité digitale.")
    page.get_by_label(re.compile("J’accepte|I agree")).check()
    page.get_by_role("button", name="Envoyer la candidature").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci")

    # 2. Staff approve and are told what was created, with links.
    page.goto(live_server.url + "/admin/members/application/")
    page.locator("[name=username]").fill("marie")
    page.locator("[name=password]").fill("s3cret-pass!")
    page.locator("[type=submit]").click()
    page.locator("#result_list").get_by_role("link", name="Pixel Catalan").click()
    expect(page.get_by_text("Aucune : l’approbation crée une nouvelle entreprise.")).to_be_visible()
    page.get_by_label(re.compile("Approuver")).check()
    page.locator("input[name=_save]").click()
    message = page.locator(".messagelist")
    expect(message).to_contain_text("Candidature approuvée")
    expect(message).not_to_contain_text("modifié avec succès")
    number = re.search(r"\d{4}-\d{4}", message.inner_text()).group()
    message.get_by_role("link", name=number).click()

    # 3. The invoice went by email, as a PDF that says everything the page says.
    email = next(m for m in mail.outbox if number in m.subject)
    assert email.to == ["nuria@pixel.example"]
    filename, content, mimetype = email.attachments[0]
    assert (filename, mimetype) == (f"{number}.pdf", "application/pdf")
    text = pdf_text(content)
    for expected in (number, "Pixel Catalan SAS", "3 rue de la Fusterie, 66000 Perpignan", "IBAN"):
        assert expected in text, expected

    # 4. Staff record the payment.
    page.get_by_role("link", name="Enregistrer un paiement").click()
    page.get_by_label("Moyen de paiement").select_option(label="virement bancaire")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.locator(".messagelist")).to_contain_text("Paiement enregistré")
    page.get_by_role("button", name="Déconnexion").click()

    # 5. The new representative joins and sees the invoice acquitted.
    invitation = next(m for m in mail.outbox if "/invitations/" in m.body)
    link = re.search(r"https?://[^/\s]+(/invitations/\S+/)", invitation.body).group(1)
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + link)
    page.get_by_label("Prénom").fill("Núria")
    page.locator("[name=last_name]").fill("Puig")
    page.locator("[name=password1]").fill("un-mot-de-passe-long")
    page.get_by_label("Mot de passe (confirmation)").fill("un-mot-de-passe-long")
    page.get_by_role("button", name="Accepter l’invitation").click()
    page.get_by_role("link", name="Adhésion et factures").click()
    row = page.locator("table").nth(1).locator("tbody tr").first
    expect(row).to_contain_text("payée")
    expect(row).to_contain_text(f"{first_fee:.2f}".replace(".", ","))
    row.get_by_role("link", name=number).click()
    expect(page.locator(".invoice__paid")).to_contain_text("Acquittée le")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
