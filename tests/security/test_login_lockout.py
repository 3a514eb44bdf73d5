"""Password guessing: django-axes locks an account, from one address, after 5 failures,
on the site's login page and on the admin's; other accounts keep working."""

import pytest
from django.urls import reverse

from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "s3cret-pass!"  # tests.members.factories.UserFactory's


def fail_five_times(client, url, username):
    for _attempt in range(5):
        response = client.post(url, {"username": username, "password": "wrong"})
        assert "_auth_user_id" not in client.session
    return response


def assert_locked_out(response, client):
    """Check that the answer is the site's "too many attempts" page, and nobody logged in."""
    assert response.status_code == 429
    assert "registration/locked_out.html" in [template.name for template in response.templates]
    assert "_auth_user_id" not in client.session


def test_login_is_locked_after_repeated_failures(client):
    user = UserFactory()
    url = reverse("login")
    fail_five_times(client, url, user.username)
    response = client.post(url, {"username": user.username, "password": PASSWORD})
    assert_locked_out(response, client)


def test_the_admin_login_is_locked_too(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    fail_five_times(client, url, staff.username)
    response = client.post(url, {"username": staff.username, "password": PASSWORD})
    assert_locked_out(response, client)


def test_four_failures_do_not_lock_the_account(client):
    user = UserFactory()
    url = reverse("login")
    for _attempt in range(4):
        client.post(url, {"username": user.username, "password": "wrong"})
    assert client.post(url, {"username": user.username, "password": PASSWORD}).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_locked_account_does_not_lock_the_others(client):
    victim, colleague = UserFactory(), UserFactory()
    url = reverse("login")
    fail_five_times(client, url, victim.username)
    response = client.post(url, {"username": colleague.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(colleague.pk)
