"""EMAIL_URL, read with django-environ's schemes, and the mail server's timeout."""

import smtplib
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured

from cluster.settings.connections import email_config

CONSOLE = "django.core.mail.backends.console.EmailBackend"
MEMORY = "django.core.mail.backends.locmem.EmailBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"


def test_email_goes_to_the_console_by_default():
    assert email_config("consolemail://") == {
        "EMAIL_BACKEND": CONSOLE,
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": False,
    }


def test_memorymail_keeps_messages_in_memory():
    assert email_config("memorymail://")["EMAIL_BACKEND"] == MEMORY


def test_smtp_tls_url_gives_host_port_credentials_and_starttls():
    config = email_config("smtp+tls://cite%40example.org:p%40ss@smtp.example.org:2525")
    assert config["EMAIL_BACKEND"] == SMTP
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("smtp.example.org", 2525)
    assert (config["EMAIL_HOST_USER"], config["EMAIL_HOST_PASSWORD"]) == (
        "cite@example.org",
        "p@ss",
    )
    assert config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]


def test_smtp_tls_url_without_a_port_uses_the_submission_port():
    assert email_config("smtp+tls://u:p@mail.example.org")["EMAIL_PORT"] == 587


def test_smtp_ssl_url_uses_implicit_tls_on_port_465():
    config = email_config("smtp+ssl://u:p@mail.example.org")
    assert config["EMAIL_BACKEND"] == SMTP
    assert config["EMAIL_PORT"] == 465
    assert config["EMAIL_USE_SSL"] and not config["EMAIL_USE_TLS"]


def test_plain_smtp_is_read_as_unencrypted_for_a_local_relay():
    config = email_config("smtp://localhost:1025")
    assert (config["EMAIL_HOST"], config["EMAIL_PORT"]) == ("localhost", 1025)
    assert not config["EMAIL_USE_TLS"] and not config["EMAIL_USE_SSL"]


def test_a_tls_flag_in_the_query_is_read_as_a_boolean():
    assert email_config("smtp://mail.example.org:587?email_use_tls=true")["EMAIL_USE_TLS"]
    assert not email_config("smtp://mail.example.org:25?email_use_tls=false")["EMAIL_USE_TLS"]


@pytest.mark.parametrize(
    ("url", "instead"),
    [
        ("console://", "consolemail://"),
        ("locmem://", "memorymail://"),
        # smtps:// meant implicit TLS in Cité and means STARTTLS in django-environ.
        ("smtps://u:p@mail.example.org:465", "smtp+ssl://user:password@host:465"),
    ],
)
def test_the_spellings_of_earlier_versions_are_refused_with_the_new_one(url, instead):
    with pytest.raises(ImproperlyConfigured, match="no longer reads") as error:
        email_config(url)
    assert instead in str(error.value)


def test_an_unknown_email_scheme_is_refused_with_a_clear_message():
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL has an unknown scheme 'pigeon'"):
        email_config("pigeon://coop")


def test_an_option_that_nothing_reads_is_refused():
    with pytest.raises(ImproperlyConfigured, match="query parameters .* tls"):
        email_config("smtp://u:p@mail.example.org:587?tls=0")


def test_starttls_and_implicit_tls_together_are_refused():
    with pytest.raises(ImproperlyConfigured, match="both STARTTLS and implicit TLS"):
        email_config("smtp+ssl://u:p@mail.example.org?email_use_tls=1")


def test_the_mail_server_gets_ten_seconds_by_default(settings):
    assert settings.EMAIL_TIMEOUT == 10
    assert mail.get_connection(SMTP).timeout == 10


def test_a_mail_server_that_never_answers_fails_the_send_instead_of_holding_the_worker(
    settings,
):
    settings.EMAIL_TIMEOUT = 0.5
    with socket.create_server(("127.0.0.1", 0)) as server:
        accepted = []
        threading.Thread(target=lambda: accepted.append(server.accept()), daemon=True).start()
        connection = mail.get_connection(
            SMTP, host="127.0.0.1", port=server.getsockname()[1], fail_silently=False
        )
        started = time.perf_counter()
        with pytest.raises(smtplib.SMTPServerDisconnected, match="timed out"):
            mail.send_mail(
                "Subject", "Body", "a@example.org", ["b@example.org"], connection=connection
            )
        assert time.perf_counter() - started < 5
        for client, _address in accepted:
            client.close()
