"""Open redirects: no ``next`` parameter (log in, log out, the language switcher) sends a
visitor off the site, however the foreign address is disguised."""

import pytest
from django.urls import reverse

from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

OFF_SITE = [
    "https://evil.example.com/",
    "//evil.example.com/x",
    "http:evil.example.com",
    "/\\evil.example.com/",
    "\\\\evil.example.com",
    "https:/\\evil.example.com",
    " https://evil.example.com/",
    "javascript:alert(1)",
]


def assert_stays_on_site(response):
    assert response.status_code == 302
    location = response["Location"]
    assert "evil.example.com" not in location
    assert not location.lower().startswith("javascript:")
    assert location.startswith("/") and not location.startswith(("//", "/\\"))


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_next_never_redirects_off_site(client, target):
    user = UserFactory()
    response = client.post(
        reverse("login") + "?" + f"next={target}",
        {"username": user.username, "password": "s3cret-pass!", "next": target},
    )
    assert_stays_on_site(response)
    assert "_auth_user_id" in client.session


def test_login_follows_a_next_on_the_site(client):
    user = UserFactory()
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "s3cret-pass!", "next": "/directory/"},
    )
    assert response["Location"] == "/directory/"


@pytest.mark.parametrize("target", OFF_SITE)
def test_logout_next_never_redirects_off_site(client, target):
    client.force_login(UserFactory())
    response = client.post(reverse("logout"), {"next": target})
    assert_stays_on_site(response)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("target", OFF_SITE)
def test_language_switcher_never_redirects_off_site(client, target):
    response = client.get(reverse("switch-language", args=["en"]), {"next": target})
    assert_stays_on_site(response)
    assert response["Location"] == "/"
