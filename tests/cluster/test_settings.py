"""The settings modules as a server loads them, each in a process of its own."""

import os
import re
import subprocess
import sys

import pytest
from django.conf import settings

REQUIRED = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-test-only",
    "DJANGO_ALLOWED_HOSTS": "cite.example.org",
    "DATABASE_URL": "postgres://cite@db.example.org:5432/cite",
    "REDIS_URL": "redis://cache.example.org:6379/0",
}
# Variables of the developer's or CI's shell that would change what is loaded.
READ_BY_SETTINGS = {
    *REQUIRED,
    "EMAIL_URL",
    "DJANGO_EMAIL_TIMEOUT",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
}


def load_settings(environment, module="cluster.settings.production", show="''"):
    """Set Django up with these variables; print ``show``, a Python expression of ``s``."""
    env = {k: v for k, v in os.environ.items() if k not in READ_BY_SETTINGS}
    env.update(environment, DJANGO_SETTINGS_MODULE=module)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            f"print('started'); print({show})",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def load_production_settings(environment):
    return load_settings(environment)


@pytest.mark.parametrize("missing", sorted(REQUIRED))
def test_production_settings_refuse_to_start_without_each_required_variable(missing):
    environment = {k: v for k, v in REQUIRED.items() if k != missing}
    result = load_production_settings(environment)
    assert result.returncode != 0
    assert f"The environment variable {missing} is required" in result.stderr


def test_production_settings_start_when_every_variable_is_set():
    result = load_production_settings(REQUIRED)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_refuses_a_cache_per_process_because_the_join_rate_limit_needs_it():
    result = load_production_settings({**REQUIRED, "REDIS_URL": ""})
    assert result.returncode != 0
    assert "the rate limit of /join/ counts per process" in result.stderr


@pytest.mark.parametrize(
    "url",
    ["smtp://cite:password@smtp.example.org:587", "smtp://smtp.example.org:25"],
)
def test_production_refuses_smtp_that_is_neither_starttls_nor_implicit_tls(url):
    result = load_production_settings({**REQUIRED, "EMAIL_URL": url})
    assert result.returncode != 0
    assert "EMAIL_URL sends mail over SMTP without encryption" in result.stderr
    assert "smtp+tls://" in result.stderr  # and says what to write instead


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp+tls://cite:p%40ss@smtp.example.org:587", "(True, False, 587, 'p@ss')"),
        ("smtp+ssl://cite:p%40ss@smtp.example.org", "(False, True, 465, 'p@ss')"),
    ],
)
def test_production_sends_mail_over_starttls_or_implicit_tls(url, expected):
    result = load_settings(
        {**REQUIRED, "EMAIL_URL": url},
        show="(s.EMAIL_USE_TLS, s.EMAIL_USE_SSL, s.EMAIL_PORT, s.EMAIL_HOST_PASSWORD)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected


def test_the_mail_server_timeout_comes_from_the_environment():
    result = load_settings({**REQUIRED, "DJANGO_EMAIL_TIMEOUT": "3"}, show="s.EMAIL_TIMEOUT")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "3"


@pytest.mark.parametrize(
    ("variable", "instead"),
    [
        ("DJANGO_EMAIL_HOST", "put the mail server in EMAIL_URL"),
        ("CITE_SELLER_SIREN", "the cluster identity that staff edit in the admin"),
    ],
)
def test_a_variable_that_is_no_longer_read_is_refused_rather_than_ignored(variable, instead):
    result = load_settings({variable: "smtp.example.org"}, module="cluster.settings.dev")
    assert result.returncode != 0
    assert f"{variable} is no longer read: " in result.stderr
    assert instead in result.stderr


def test_the_private_server_is_the_database_without_database_url():
    result = load_settings({}, module="cluster.settings.dev", show="s.DATABASES['default']['HOST']")
    assert result.returncode == 0, result.stderr
    # The socket folder, decoded from the URL that cluster.dev builds.
    assert result.stdout.splitlines()[-1].startswith(str(settings.BASE_DIR / "var"))


def test_a_database_other_than_postgresql_is_refused():
    result = load_settings({"DATABASE_URL": "sqlite:///cite.db"}, module="cluster.settings.dev")
    assert result.returncode != 0
    assert "Cité runs on PostgreSQL 15 or newer only" in result.stderr


def example_environment():
    """Return the variables that .env.example sets, as a shell or systemd reads them."""
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {name: value.strip('"') for name, value in pairs}


def test_env_example_names_every_variable_the_settings_read():
    sources = "".join(
        path.read_text() for path in (settings.BASE_DIR / "cluster" / "settings").glob("*.py")
    )
    read = set(re.findall(r'(?:env\.\w+|require)\(\s*"([A-Z][A-Z0-9_]+)"', sources))
    assert {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "DJANGO_EMAIL_TIMEOUT"} <= read
    example = (settings.BASE_DIR / ".env.example").read_text()
    assert sorted(name for name in read if name not in example) == []


def test_the_example_environment_starts_the_production_settings():
    result = load_settings(example_environment(), show="s.DEFAULT_FROM_EMAIL")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Cité <contact@example.org>"


def test_the_production_settings_pass_the_deployment_checks_without_a_warning():
    env = {k: v for k, v in os.environ.items() if k not in READ_BY_SETTINGS}
    env.update(REQUIRED, DJANGO_SETTINGS_MODULE="cluster.settings.production")
    env["DJANGO_SECRET_KEY"] = "x7Gq2" * 12  # long and varied enough for the check
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
