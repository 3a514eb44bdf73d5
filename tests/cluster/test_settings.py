import os
import subprocess
import sys

import pytest
from django.conf import settings

REQUIRED = {
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-for-the-test-only",
    "DJANGO_ALLOWED_HOSTS": "cite.example.org",
    "DATABASE_URL": "postgres://cite@db.example.org:5432/cite",
}


def load_production_settings(environment):
    env = {k: v for k, v in os.environ.items() if k not in REQUIRED}
    env.update(environment, DJANGO_SETTINGS_MODULE="cluster.settings.production")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


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


def test_the_production_settings_pass_the_deployment_checks_without_a_warning():
    # The browser tests' conftest allows async-unsafe calls in this process; a server
    # never has that variable.
    skipped = {*REQUIRED, "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in skipped}
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
