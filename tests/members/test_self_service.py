"""The representatives' space: permissions, profile edits, moderation, contacts, invitations."""

import re
import time

import pytest
from django.core import mail, signing
from django.core.files.base import ContentFile
from django.urls import reverse

from members import services
from members.models import Company, Contact, Invitation, ProfileRevision, Representative

from .factories import (
    CompanyFactory,
    ContactFactory,
    RepresentativeFactory,
    SectorFactory,
    profile_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def own():
    """A representative (admin role) of their own company, with a contact."""
    representative = RepresentativeFactory(
        role="admin", company__trade_name="Vroom", company__description_fr="Ancien texte."
    )
    ContactFactory(company=representative.company, first_name="Anna")
    return representative


@pytest.fixture
def other():
    """Another company, with its own contact and representative."""
    representative = RepresentativeFactory(
        role="admin", company__trade_name="Autre", company__description_fr="Texte d'origine."
    )
    ContactFactory(company=representative.company, first_name="Bruno")
    return representative


def test_an_editor_cannot_invite_colleagues(client, own):
    editor = RepresentativeFactory(company=own.company, role="editor")
    client.force_login(editor.user)
    url = reverse("members:my-team", args=[own.company.slug])
    assert client.post(url, {"email": "eve@example.org", "role": "admin"}).status_code == 404
    assert not Invitation.objects.exists()


def test_anonymous_visitors_are_sent_to_log_in(client, own):
    url = reverse("members:my-profile", args=[own.company.slug])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_my_space_lists_the_companies_one_represents(client, own, other):
    RepresentativeFactory(user=own.user, company=CompanyFactory(trade_name="Deuxième"))
    client.force_login(own.user)
    text = client.get(reverse("members:my-companies")).text
    assert "Vroom" in text and "Deuxième" in text
    assert "Autre" not in text


def test_with_moderation_an_edit_waits_for_approval_and_goes_live_when_approved(
    client, own, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.CITE_MODERATE_PROFILES = True
    company = own.company
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    response = client.post(url, profile_data(company, description_fr="Nouveau texte."), follow=True)
    assert "en attente" in response.text.lower() or "pending" in response.text.lower()
    company.refresh_from_db()
    assert company.description_fr == "Ancien texte."
    assert "Ancien texte." in client.get(company.get_absolute_url()).text

    revision = ProfileRevision.objects.get()
    assert revision.changes == {"description_fr": "Nouveau texte."}
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(revision=revision, reviewer=admin_user)
    company.refresh_from_db()
    assert company.description_fr == "Nouveau texte."
    assert "Nouveau texte." in client.get(company.get_absolute_url()).text
    assert mail.outbox[-1].to == [own.user.email]


def test_a_second_edit_updates_the_pending_revision(client, own, settings):
    settings.CITE_MODERATE_PROFILES = True
    company = own.company
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    client.post(url, profile_data(company, description_fr="Un."))
    client.post(url, profile_data(company, description_fr="Un.", city="Perpignan2"))
    revision = ProfileRevision.objects.get()
    assert revision.changes == {"description_fr": "Un.", "city": "Perpignan2"}
    # The form shows what was submitted, not the older public text.
    assert "Un." in client.get(url).text


def test_rejection_needs_a_reason_which_is_emailed_and_shown(
    client, own, admin_user, settings, django_capture_on_commit_callbacks
):
    settings.CITE_MODERATE_PROFILES = True
    company = own.company
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    client.post(url, profile_data(company, description_fr="Texte douteux."))
    revision = ProfileRevision.objects.get()
    with pytest.raises(services.ModerationError):
        services.revision_reject(revision=revision, reviewer=admin_user, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_reject(
            revision=revision, reviewer=admin_user, reason="Trop promotionnel."
        )
    assert "Trop promotionnel." in mail.outbox[-1].body
    text = client.get(url).text
    assert "Trop promotionnel." in text
    company.refresh_from_db()
    assert company.description_fr == "Ancien texte."


def test_without_moderation_an_edit_goes_live_at_once_and_is_in_the_history(client, own, settings):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    sector = SectorFactory(slug="jeu-video")
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    client.post(url, profile_data(company, description_fr="En ligne.", sectors=["jeu-video"]))
    company.refresh_from_db()
    assert company.description_fr == "En ligne."
    assert list(company.sectors.all()) == [sector]
    assert not ProfileRevision.objects.exists()
    latest = company.history.first()
    assert latest.history_user == own.user
    assert latest.description_fr == "En ligne."


def test_representatives_cannot_change_legal_identity(client, own, settings):
    settings.CITE_MODERATE_PROFILES = False
    company = own.company
    siret, legal_name = company.siret, company.legal_name
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    client.post(
        url,
        profile_data(company, legal_name="Pirate SA", siret="73282932000074", published=""),
    )
    company.refresh_from_db()
    assert (company.siret, company.legal_name, company.published) == (siret, legal_name, True)


def test_logo_upload_with_moderation_is_pending_then_replaces_the_old_one(
    client, own, admin_user, png_bytes, settings, django_capture_on_commit_callbacks
):
    settings.CITE_MODERATE_PROFILES = True
    company = own.company
    company.logo.save("old.png", ContentFile(png_bytes))
    old_name = company.logo.name
    client.force_login(own.user)
    url = reverse("members:my-profile", args=[company.slug])
    upload = ContentFile(png_bytes, name="nouveau.png")
    client.post(url, {**profile_data(company), "new_logo": upload})
    revision = ProfileRevision.objects.get()
    company.refresh_from_db()
    assert company.logo.name == old_name
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(revision=revision, reviewer=admin_user)
    company.refresh_from_db()
    assert company.logo.name == revision.changes["logo"]
    assert company.logo.storage.exists(company.logo.name)
    assert not company.logo.storage.exists(old_name)


def test_contacts_added_by_representatives_wait_for_approval_before_appearing(
    client, own, settings
):
    settings.CITE_MODERATE_PROFILES = True
    client.force_login(own.user)
    client.post(
        reverse("members:my-contact-add", args=[own.company.slug]),
        {"first_name": "Zoé", "last_name": "Martin", "public_consent": "on"},
    )
    contact = Contact.objects.get(first_name="Zoé")
    assert not contact.approved
    assert "Zoé" not in client.get(own.company.get_absolute_url()).text
    contact.approved = True
    contact.save()
    assert "Zoé" in client.get(own.company.get_absolute_url()).text


def test_deleting_a_contact_asks_for_confirmation_first(client, own):
    client.force_login(own.user)
    contact = own.company.contacts.get()
    url = reverse("members:my-contact-delete", args=[own.company.slug, contact.pk])
    assert "Anna" in client.get(url).text
    assert Contact.objects.filter(pk=contact.pk).exists()
    client.post(url)
    assert not Contact.objects.filter(pk=contact.pk).exists()


def accept_link():
    return re.search(r"http://testserver(/invitations/[^/\s]+/)", mail.outbox[-1].body).group(1)


def test_an_invitation_creates_the_account_once_and_logs_the_person_in(
    client, own, django_capture_on_commit_callbacks
):
    client.force_login(own.user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("members:my-team", args=[own.company.slug]),
            {"email": "colleague@example.org", "role": "editor"},
        )
    link = accept_link()
    client.logout()
    assert client.get(link).status_code == 200
    response = client.post(
        link,
        {
            "first_name": "Léa",
            "last_name": "Roig",
            "password1": "un-mot-de-passe-long",
            "password2": "un-mot-de-passe-long",
        },
    )
    assert response.status_code == 302
    rep = Representative.objects.get(user__email="colleague@example.org")
    assert (rep.company, rep.role) == (own.company, "editor")
    assert client.get(reverse("members:my-profile", args=[own.company.slug])).status_code == 200
    client.logout()
    assert client.get(link).status_code == 400  # single use


def test_an_expired_or_forged_invitation_is_refused(client, own, monkeypatch):
    invitation = Invitation.objects.create(company=own.company, email="late@example.org")
    forged = signing.dumps({"invitation": invitation.pk}, salt="another-salt")
    response = client.get(reverse("members:accept-invitation", args=[forged]))
    assert response.status_code == 400
    assert "pas valide" in response.text or "not valid" in response.text

    eight_days_ago = time.time() - 8 * 24 * 3600
    with monkeypatch.context() as patch:
        patch.setattr(time, "time", lambda: eight_days_ago)  # sign the link 8 days ago
        stale = services.invitation_token(invitation)
    response = client.get(reverse("members:accept-invitation", args=[stale]))
    assert response.status_code == 400
    assert "expiré" in response.text or "expired" in response.text
    assert not Representative.objects.filter(user__email="late@example.org").exists()


def test_staff_invite_a_representative_from_the_company_admin_page(
    admin_client, own, django_capture_on_commit_callbacks
):
    url = reverse("admin:members_company_invite", args=[own.company.pk])
    assert admin_client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(url, {"email": "new@example.org", "role": "admin"})
    assert response.status_code == 302
    assert Invitation.objects.get().email == "new@example.org"
    assert "/invitations/" in mail.outbox[-1].body


def test_staff_see_the_before_and_after_and_approve_in_the_admin(admin_client, own, settings):
    settings.CITE_MODERATE_PROFILES = True
    revision = ProfileRevision.objects.create(
        company=own.company, changes={"description_fr": "Proposé."}, submitted_by=own.user
    )
    url = reverse("admin:members_profilerevision_change", args=[revision.pk])
    page = admin_client.get(url).text
    assert "Ancien texte." in page and "Proposé." in page
    response = admin_client.post(url, {"decision": "reject", "reason_text": ""})
    assert response.status_code == 200  # the form asks for a reason
    admin_client.post(url, {"decision": "approve", "reason_text": ""})
    revision.refresh_from_db()
    assert revision.status == "approved"
    assert Company.objects.get(pk=own.company.pk).description_fr == "Proposé."


def test_password_reset_sends_a_link_by_email(client, own, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": own.user.email})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body


def test_staff_pages_need_is_staff_and_the_model_permission(client, own, django_user_model):
    from django.contrib.auth.models import Permission

    revision = ProfileRevision.objects.create(company=own.company, changes={"city": "Elne"})
    change_url = reverse("admin:members_profilerevision_change", args=[revision.pk])
    invite_url = reverse("admin:members_company_invite", args=[own.company.pk])
    client.force_login(own.user)  # a representative, not staff
    assert client.get(change_url).status_code == 302
    staff = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get(change_url).status_code == 403
    assert client.post(invite_url, {"email": "x@example.org", "role": "admin"}).status_code == 403
    staff.user_permissions.add(
        Permission.objects.get(codename="change_profilerevision"),
        Permission.objects.get(codename="view_profilerevision"),
    )
    assert client.get(change_url).status_code == 200
    assert not Invitation.objects.exists()
