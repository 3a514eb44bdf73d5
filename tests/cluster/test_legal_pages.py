"""The legal notice, the privacy policy and the contact page, linked from every footer."""

import pytest
from django.urls import reverse

from members.models import ClusterIdentity

pytestmark = pytest.mark.django_db

PAGES = ["legal-notice", "privacy", "contact"]
EN = {"accept-language": "en"}


@pytest.fixture
def identity():
    identity = ClusterIdentity.objects.current()
    identity.legal_name = "Association Pôle Action Média"
    identity.publication_director = "Marie Exemple"
    identity.host = "Hébergeur SAS, 1 rue de l’Exemple, 75000 Paris"
    identity.email = "contact@pam.example"
    identity.privacy_email = "rgpd@pam.example"
    identity.phone = "04 68 00 00 00"
    identity.save()
    return identity


def test_urls_are_the_short_ones_the_footer_links():
    assert [reverse(name) for name in PAGES] == ["/legal/", "/privacy/", "/contact/"]


@pytest.mark.parametrize(
    "path", ["/", "/directory/", "/offices/", "/join/", "/accounts/login/", "/no-such-page/"]
)
def test_every_public_page_links_the_three_pages_from_its_footer(client, path):
    page = client.get(path).text
    footer = page[page.index('<footer class="site-footer">') :]
    for url in ["/contact/", "/legal/", "/privacy/"]:
        assert f'href="{url}"' in footer


def test_legal_notice_names_publisher_director_and_host(client, identity):
    french = client.get("/legal/").text
    english = client.get("/legal/", headers=EN).text
    for text in ["Association Pôle Action Média", "Marie Exemple", "Hébergeur SAS", "SIREN"]:
        assert text in french and text in english
    assert "Directeur de la publication" in french
    assert "Director of publication" in english
    assert 'aria-current="page"' in french


def test_privacy_policy_gives_the_retention_settings_and_whom_to_write_to(
    client, identity, settings
):
    settings.CITE_APPLICATION_RETENTION_DAYS = 123
    settings.CITE_APPROVED_APPLICATION_RETENTION_DAYS = 456
    settings.CITE_STUDENT_RETENTION_YEARS = 7

    english = client.get("/privacy/", headers=EN).text
    french = client.get("/privacy/").text

    assert "anonymised 123 days after the decision" in english
    assert "anonymised 456 days after it" in english
    assert "Anonymised 7 years after the student leaves" in english
    assert 'href="mailto:rgpd@pam.example"' in english
    assert "copy of everything held about you" in english and "erasure" in english
    assert "123 jours" in french and "456 jours" in french and "7 ans" in french
    assert 'href="mailto:rgpd@pam.example"' in french


def test_privacy_policy_falls_back_to_the_contact_email(client, identity):
    identity.privacy_email = ""
    identity.save()
    assert 'href="mailto:contact@pam.example"' in client.get("/privacy/").text


def test_contact_page_gives_the_identitys_address_email_and_phone(client, identity):
    page = client.get("/contact/", headers=EN).text
    assert 'href="mailto:contact@pam.example"' in page
    assert 'href="tel:0468000000"' in page
    assert identity.address in page
    assert f"Contact {identity.display_name}" in page


def test_pages_of_a_cluster_that_has_not_filled_in_its_identity_still_answer(client):
    ClusterIdentity.objects.all().delete()
    for name in PAGES:
        assert client.get(reverse(name)).status_code == 200
    assert "Non renseigné" in client.get("/legal/").text
    contact = client.get("/contact/").text
    assert "pas encore renseigné ses coordonnées" in contact
    assert "<dl" not in contact
