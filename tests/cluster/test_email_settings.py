import pytest
from django.core.exceptions import ImproperlyConfigured

from cluster.settings.env import email_config


def test_email_goes_to_the_console_by_default():
    assert email_config("console://") == {
        "EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"
    }


def test_smtp_url_gives_host_port_credentials_and_starttls():
    config = email_config("smtp://cite%40example.org:p%40ss@smtp.example.org:2525")
    assert config["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == (
        "cite@example.org",
        "p@ss",
    )
    assert config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]


def test_smtps_url_uses_implicit_tls_on_port_465():
    config = email_config("smtps://u:p@mail.example.org")
    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] and not config["EMAIL_USE_TLS"]


def test_an_unknown_email_scheme_is_refused_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_config("pigeon://coop")
