"""Logging in by email address, case ignored, on the site's login page and the admin's; the
lock-out counts "Lea@…" and "lea@…" as one account."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import translation

from tests.members.factories import RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Ask for the English pages, so that assertions never depend on the French catalog."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


PASSWORD = "s3cret-pass!"  # tests.members.factories.UserFactory's


@pytest.fixture
def lea():
    return RepresentativeFactory(
        user__username="lea@vroom.example", user__email="lea@vroom.example"
    ).user


def test_a_capitalised_address_logs_in_to_my_space(client, lea):
    response = client.post(
        reverse("login") + "?next=/my/",
        {"username": "Lea@Vroom.example", "password": PASSWORD, "next": "/my/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/my/"
    assert client.session["_auth_user_id"] == str(lea.pk)
    assert client.get("/my/").status_code == 200


def test_spaces_around_the_address_are_ignored(client, lea):
    client.post(reverse("login"), {"username": "  LEA@vroom.EXAMPLE ", "password": PASSWORD})
    assert client.session["_auth_user_id"] == str(lea.pk)


def test_staff_log_in_to_the_admin_by_email_whatever_its_case(client):
    staff = UserFactory(
        username="marie", email="marie.dupont@cluster.example", is_staff=True, is_superuser=True
    )
    response = client.post(
        reverse("admin:login"), {"username": "Marie.Dupont@Cluster.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_a_wrong_password_is_still_refused(client, lea):
    response = client.post(reverse("login"), {"username": "Lea@Vroom.example", "password": "x"})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Enter a correct email address and password." in response.text


def test_an_address_shared_by_two_accounts_logs_in_to_neither(client):
    UserFactory(username="first", email="shared@vroom.example")
    UserFactory(username="second", email="shared@vroom.example")
    client.post(reverse("login"), {"username": "Shared@vroom.example", "password": PASSWORD})
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("url", "language", "label"),
    [
        ("/accounts/login/", "fr", "E-mail"),
        ("/accounts/login/", "en", "Email"),
        ("/admin/login/", "fr", "E-mail"),
    ],
)
def test_the_login_forms_ask_for_the_email_address(client, url, language, label):
    with translation.override(language):
        response = client.get(url, headers={"accept-language": language})
        assert str(response.context["form"].fields["username"].label) == label
    assert f">{label}" in response.text
    assert "Nom d’utilisateur" not in response.text and "Username" not in response.text
    # A phone keyboard neither capitalises nor corrects the address.
    assert 'autocapitalize="none"' in response.text
    assert 'inputmode="email"' in response.text


def test_a_failure_in_another_case_counts_once_under_the_account(client, lea):
    client.post(reverse("login"), {"username": "Lea@Vroom.example", "password": "wrong"})
    client.post(reverse("login"), {"username": "LEA@VROOM.EXAMPLE", "password": "wrong"})
    attempts = AccessAttempt.objects.all()
    assert [(attempt.username, attempt.failures_since_start) for attempt in attempts] == [
        ("lea@vroom.example", 2)
    ]


def test_five_failures_in_mixed_case_lock_the_account(client, lea):
    url = reverse("login")
    statuses = [
        client.post(url, {"username": username, "password": "wrong"}).status_code
        for username in ["lea@vroom.example", "Lea@Vroom.example", "LEA@vroom.example"] * 2
    ]
    assert statuses[:5] == [200, 200, 200, 200, 429]
    response = client.post(url, {"username": "lea@vroom.example", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_four_failures_in_mixed_case_do_not_lock(client, lea):
    url = reverse("login")
    for username in ["Lea@Vroom.example", "LEA@vroom.example"] * 2:
        client.post(url, {"username": username, "password": "wrong"})
    response = client.post(url, {"username": "Lea@vroom.example", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(lea.pk)


def test_the_username_and_the_address_of_one_account_count_together(client):
    UserFactory(username="marie", email="marie@cluster.example", is_staff=True)
    client.post(reverse("admin:login"), {"username": "MARIE", "password": "wrong"})
    client.post(reverse("admin:login"), {"username": "Marie@Cluster.example", "password": "w"})
    assert AccessAttempt.objects.get().username == "marie"
    assert AccessAttempt.objects.get().failures_since_start == 2


def test_an_unknown_address_is_counted_normalised(client):
    client.post(reverse("login"), {"username": "Nobody@Example.org", "password": "wrong"})
    assert AccessAttempt.objects.get().username == "nobody@example.org"


def test_a_nul_byte_in_the_identifier_is_a_refusal_not_an_error(client, lea):
    response = client.post(reverse("login"), {"username": "lea\x00@x", "password": "wrong"})
    assert response.status_code in (200, 400)
    assert "_auth_user_id" not in client.session
