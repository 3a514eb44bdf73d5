"""Invoices a French business customer can accept: every mention, in the page and in the
PDF alike, the "acquittée" mark, and the invoice emailed as a PDF to the billing contact."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from members import services
from members.invoice_document import invoice_document
from members.invoice_pdf import invoice_pdf
from members.models import Contact, EmailLog

from .factories import CompanyFactory, MembershipPlanFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


def pdf_text(content):
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeezed(text):
    """The text without white space: a PDF wraps long lines where the page does not."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def long_company():
    return CompanyFactory(
        legal_name=(
            "Société Coopérative d’Intérêt Collectif des Studios d’Animation, de Jeu Vidéo "
            "et de Réalité Virtuelle du Roussillon et de la Catalogne Nord SCIC SA"
        ),
        street=(
            "Pépinière de la Cité digitale, bâtiment B, deuxième étage, bureau 214, "
            "ancienne cave coopérative, chemin de la Fontaine Sainte-Marie"
        ),
        postcode="66270",
        city="Le Soler",
    )


def issue(company, fee="300.00", start=date(2026, 1, 1)):
    plan = MembershipPlanFactory(annual_fee=Decimal(fee))
    membership = services.membership_create(company=company, plan=plan, start=start, prorate=False)
    return services.invoice_issue(membership=membership, issue_date=date(2026, 1, 2))


def every_string(document):
    return [
        f"{document.title} {document.number}",
        *document.seller,
        *document.buyer,
        *(part for pair in document.facts for part in pair),
        *(part for pair in document.lines for part in pair),
        *(part for pair in document.totals for part in pair),
        *document.mentions,
        document.paid_mark,
    ]


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pdf_says_every_word_of_a_long_invoice_and_of_its_credit_note(long_company, language):
    invoice = issue(long_company)
    # The longest reason the credit note form takes (200 characters); the old PDF cut at 110.
    reason = ("Erreur sur la formule choisie à l’adhésion ; " * 5)[:200]
    credit = services.credit_note_issue(invoice=invoice, reason=reason)
    with translation.override(language):
        for document, content in (
            (invoice_document(invoice), invoice_pdf(invoice)),
            (invoice_document(credit), invoice_pdf(credit)),
        ):
            text = squeezed(pdf_text(content))
            missing = [s for s in every_string(document) if s and squeezed(s) not in text]
            assert missing == []
    assert reason.strip() in credit.description


def test_an_invoice_carries_what_a_french_business_customer_needs():
    invoice = issue(CompanyFactory())
    with translation.override("fr"):
        mentions = " ".join(invoice_document(invoice).mentions)
    assert "TVA non applicable, article 293 B du CGI" in mentions
    assert "Payable sous 30 jours" in mentions
    assert "taux annuel de 12,00 %" in mentions
    assert "indemnité forfaitaire de 40,00 €" in mentions
    assert "IBAN FR76 3000 6000 0112 3456 7890 189, BIC AGRIFRPP" in mentions
    assert f"référence {invoice.number}" in mentions


def test_a_paid_invoice_says_acquittee_with_the_day_it_was_paid(client):
    representative = RepresentativeFactory(role="admin")
    invoice = issue(representative.company)
    services.payment_record(
        invoice=invoice, amount=Decimal("100.00"), date=date(2026, 1, 20), method="cheque"
    )
    client.force_login(representative.user)
    page = client.get(reverse("members:invoice-detail", args=[invoice.number])).text
    assert "Acquittée" not in page  # partly paid
    services.payment_record(
        invoice=invoice, amount=Decimal("200.00"), date=date(2026, 2, 3), method="transfer"
    )
    page = client.get(reverse("members:invoice-detail", args=[invoice.number])).text
    assert "Acquittée le 3 février 2026" in page
    pdf = client.get(reverse("members:invoice-pdf", args=[invoice.number])).content
    assert "Acquittée le 3 février 2026" in pdf_text(pdf)


def test_an_issued_invoice_is_emailed_as_a_pdf_to_the_billing_contact(
    django_capture_on_commit_callbacks,
):
    company = CompanyFactory(email="contact@studio.example")
    RepresentativeFactory(company=company, role="admin", user__email="boss@studio.example")
    Contact.objects.create(
        company=company,
        first_name="Anna",
        last_name="Compta",
        email="compta@studio.example",
        billing=True,
    )
    with django_capture_on_commit_callbacks(execute=True):
        invoice = issue(company)
    (message,) = mail.outbox
    assert message.to == ["compta@studio.example"]
    assert invoice.number in message.subject
    assert f"/invoices/{invoice.number}/" in message.body
    name, content, mimetype = message.attachments[0]
    assert (name, mimetype) == (f"{invoice.number}.pdf", "application/pdf")
    assert invoice.number in pdf_text(content)
    assert EmailLog.objects.get(kind="invoice").attachments.count() == 1


def test_without_billing_contact_the_invoice_goes_to_the_admin_representatives(
    django_capture_on_commit_callbacks,
):
    representative = RepresentativeFactory(role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        issue(representative.company)
    assert mail.outbox[0].to == [representative.user.email]


def test_a_buyer_without_a_full_address_is_not_invoiced_and_staff_are_told_what_to_fill():
    company = CompanyFactory(street="", postcode="")
    with pytest.raises(ValidationError) as error, translation.override("fr"):
        issue(company)
    message = error.value.messages[0]
    assert str(company) in message and "voie" in message and "code postal" in message
    assert not company.invoices.exists()


def test_reminders_carry_the_link_and_how_to_pay_to_the_billing_contact(
    settings, django_capture_on_commit_callbacks
):
    settings.CITE_SITE_URL = "https://annuaire.example.org"
    company = CompanyFactory()
    Contact.objects.create(
        company=company, first_name="A", last_name="B", email="compta@studio.example", billing=True
    )
    invoice = issue(company)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_send(today=date(2026, 3, 1))
    (reminder,) = mail.outbox
    assert reminder.to == ["compta@studio.example"]
    assert f"https://annuaire.example.org/invoices/{invoice.number}/" in reminder.body
    assert "FR7630006000011234567890189" in reminder.body
    assert invoice.number in reminder.body


class TestBulkIssuing:
    """Renewals and invoices in bulk: a preview with the total, then once only."""

    @pytest.fixture
    def paid_members(self):
        plan = MembershipPlanFactory(name="Studio", annual_fee=Decimal("250.00"))
        members = []
        for _ in range(3):
            membership = services.membership_create(
                company=CompanyFactory(), plan=plan, start=date(2026, 1, 1), prorate=False
            )
            invoice = services.invoice_issue(membership=membership, issue_date=date(2026, 1, 2))
            services.payment_record(
                invoice=invoice,
                amount=invoice.amount_incl_tax,
                date=date(2026, 1, 5),
                method="transfer",
            )
            members.append(membership)
        return members

    def test_renewals_show_the_list_and_the_total_before_anything_is_issued(
        self, admin_client, paid_members
    ):
        url = reverse("admin:members_invoice_renew")
        preview = admin_client.post(url, {"year": 2027})
        assert preview.status_code == 200
        for membership in paid_members:
            assert str(membership.company) in preview.text
        assert "750,00 €" in preview.text
        assert not paid_members[0].company.memberships.filter(start__year=2027).exists()

        done = admin_client.post(url, {"year": 2027, "apply": "1"}, follow=True)
        assert "3 factures de renouvellement émises et envoyées" in done.text
        again = admin_client.post(url, {"year": 2027, "apply": "1"}, follow=True)
        assert "ont déjà été émis" in again.text
        for membership in paid_members:
            assert membership.company.memberships.filter(start__year=2027).count() == 1

    def test_issuing_selected_invoices_previews_then_issues_once(self, admin_client):
        plan = MembershipPlanFactory(annual_fee=Decimal("120.00"))
        memberships = [
            services.membership_create(company=CompanyFactory(), plan=plan, prorate=False)
            for _ in range(2)
        ]
        url = reverse("admin:members_membership_changelist")
        selection = {"action": "issue_invoices", "_selected_action": [m.pk for m in memberships]}
        preview = admin_client.post(url, selection)
        assert "240,00 €" in preview.text
        assert not any(m.invoices.exists() for m in memberships)
        admin_client.post(url, {**selection, "apply": "1"})
        second = admin_client.post(url, {**selection, "apply": "1"}, follow=True)
        assert "déjà facturées" in second.text
        assert [m.invoices.count() for m in memberships] == [1, 1]


def test_the_invoice_list_filters_by_payment_status_and_ignores_a_bad_value(admin_client):
    overdue = issue(CompanyFactory(), start=date(2025, 1, 1))
    paid = issue(CompanyFactory())
    services.payment_record(
        invoice=paid, amount=paid.amount_incl_tax, date=date(2026, 1, 5), method="transfer"
    )
    url = reverse("admin:members_invoice_changelist")

    listed = admin_client.get(url, {"payment_status": "overdue"})
    every = admin_client.get(url, {"payment_status": "nonsense"})

    assert listed.status_code == 200
    assert [row.number for row in listed.context["cl"].result_list] == [overdue.number]
    assert "?payment_status=paid" in listed.content.decode()  # offered in the sidebar
    assert every.status_code == 200
    assert {row.number for row in every.context["cl"].result_list} == {
        overdue.number,
        paid.number,
    }
