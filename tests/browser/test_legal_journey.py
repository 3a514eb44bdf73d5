"""A visitor on a phone finds the contact page, the legal notice and the privacy policy
from the footer of any page."""

import pytest
from playwright.sync_api import expect

from members.models import ClusterIdentity

pytestmark = pytest.mark.django_db(transaction=True)


def test_visitor_on_a_phone_follows_the_footer_to_the_three_pages(live_server, page):
    identity = ClusterIdentity.objects.current()
    identity.publication_director = "Marie Exemple"
    identity.privacy_email = "rgpd@pam.example"
    identity.save()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server.url + "/directory/")

    footer = page.get_by_role("navigation", name="À propos du site")
    footer.get_by_role("link", name="Contact").click()
    expect(page).to_have_url(live_server.url + "/contact/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contacter")

    footer.get_by_role("link", name="Mentions légales").click()
    expect(page).to_have_url(live_server.url + "/legal/")
    expect(page.locator("main")).to_contain_text("Marie Exemple")

    footer.get_by_role("link", name="Politique de confidentialité").click()
    expect(page).to_have_url(live_server.url + "/privacy/")
    expect(page.get_by_role("link", name="rgpd@pam.example")).to_be_visible()
    expect(footer.get_by_role("link", name="Politique de confidentialité")).to_have_attribute(
        "aria-current", "page"
    )
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
