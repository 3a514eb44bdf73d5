"""Two app servers behind a load balancer: two gunicorn instances on one PostgreSQL and one
Redis. What one server changes, the other shows at once; a session opened on one is valid on
the other; a lost database connection is replaced without restarting anything."""

import contextlib
import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from tests.members.factories import CompanyFactory, UserFactory

from .services import (
    closed_port,
    database_url,
    delete_own_keys,
    own_key_prefix,
    redis_url,
    requires_redis,
)

pytestmark = [
    requires_redis,
    pytest.mark.django_db(transaction=True),
]

GUNICORN = str(Path(sys.executable).with_name("gunicorn"))


# Behind one load balancer, every app server sees the site's own host name.
PUBLIC_HOST = "annuaire.example.org"


class Browser:
    """A visitor with cookies, talking to one server or another through the balancer."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), NoRedirect()
        )

    def request(self, base, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers={"Host": PUBLIC_HOST})
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, dict(response.headers), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read().decode()

    def csrf_token(self):
        return next(c.value for c in self.cookies if c.name == "csrftoken")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def wait_until_serving(base, process):
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn at {base} exited with {process.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except urllib.error.HTTPError:
            return  # serving, with its database down
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn at {base} did not start")


@contextlib.contextmanager
def gunicorns(tmp_path, database_urls):
    """Start one gunicorn instance (one worker) per database URL, sharing one Redis under
    a key prefix of their own, whose keys are deleted when they stop."""
    prefix = own_key_prefix("two-servers")
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("DJANGO_ALLOW")
    }
    environment.update(
        # The test settings, for their password hasher; caches and sessions as in production.
        DJANGO_SETTINGS_MODULE="cluster.settings.test",
        DJANGO_CONN_MAX_AGE="600",
        REDIS_URL=redis_url(),
        CITE_CACHE_KEY_PREFIX=prefix,
        GUNICORN_WORKERS="1",
        GUNICORN_ACCESS_LOG="",
    )
    processes, bases = [], []
    try:
        for url in database_urls:
            port = closed_port()
            processes.append(
                subprocess.Popen(
                    [GUNICORN, "-c", "gunicorn.conf.py", "cluster.wsgi:application"],
                    cwd=settings.BASE_DIR,
                    env={**environment, "DATABASE_URL": url, "GUNICORN_BIND": f"127.0.0.1:{port}"},
                    stdout=subprocess.DEVNULL,
                    stderr=open(tmp_path / f"gunicorn-{port}.log", "w"),  # noqa: SIM115
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            wait_until_serving(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        delete_own_keys(redis.Redis.from_url(redis_url()), prefix)


@pytest.fixture
def servers(tmp_path):
    with gunicorns(tmp_path, [database_url(), database_url()]) as bases:
        yield bases


def log_in(browser, base, user):
    browser.request(base, "/admin/login/")
    status, headers, _ = browser.request(
        base,
        "/admin/login/?next=/admin/",
        {
            "username": user.username,
            "password": "s3cret-pass!",
            "csrfmiddlewaretoken": browser.csrf_token(),
        },
    )
    assert status == 302, "the login failed"


def test_an_edit_on_one_server_shows_at_once_on_the_other(servers):
    one, two = servers
    company = CompanyFactory(trade_name="Stravvel", description_fr="Voyages interactifs.")
    staff = UserFactory(is_staff=True, is_superuser=True)
    visitor, editor = Browser(), Browser()
    page = company.get_absolute_url()

    # The cache is shared: a page that server two cached is a hit on server one.
    assert visitor.request(two, page)[1]["X-Cache"] == "miss"
    status, headers, body = visitor.request(one, page)
    assert (status, headers["X-Cache"]) == (200, "hit")
    assert "Stravvel" in visitor.request(two, "/directory/")[2]

    # A session opened on server one is valid on server two.
    log_in(editor, one, staff)
    status, _, body = editor.request(two, "/admin/")
    assert status == 200
    assert staff.get_short_name() in body  # "Bienvenue, <first name>"

    # Staff unpublish the company through server one, from server two's admin page.
    changelist = "/admin/members/company/"
    editor.request(two, changelist)
    status, _, _ = editor.request(
        one,
        changelist,
        {
            "action": "unpublish",
            "_selected_action": [company.pk],
            "apply": "1",
            "csrfmiddlewaretoken": editor.csrf_token(),
        },
    )
    assert status == 302
    # Server two stops showing it at once, although its pages were cached.
    assert visitor.request(two, page)[0] == 404
    assert "Stravvel" not in visitor.request(two, "/directory/")[2]
    assert visitor.request(one, page)[0] == 404


def test_a_server_replaces_its_lost_database_connections_without_a_restart(servers):
    one, _ = servers
    CompanyFactory(trade_name="Alaxione")
    visitor = Browser()
    assert visitor.request(one, "/directory/?q=alaxione")[0] == 200
    # What a PostgreSQL restart does to the server's open, persistent connections.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        assert cursor.fetchone()[0] >= 1
    status, _, body = visitor.request(one, "/directory/?q=alaxione&sort=name")
    assert status == 200
    assert re.search(r"Alaxione", body)


def test_with_the_database_down_cached_pages_still_show_and_the_rest_answers_503(tmp_path):
    company = CompanyFactory(trade_name="Vroom", description_fr="Réalité virtuelle.")
    page = company.get_absolute_url()
    # Server two's database is unreachable, as during a PostgreSQL restart.
    with gunicorns(tmp_path, [database_url(), database_url(port=closed_port())]) as (up, down):
        visitor = Browser()
        assert visitor.request(up, page)[1]["X-Cache"] == "miss"
        status, headers, body = visitor.request(down, page)
        assert (status, headers["X-Cache"]) == (200, "hit")
        assert "Réalité virtuelle" in body
        status, headers, body = visitor.request(down, "/directory/?q=vroom")
        assert (status, headers["Retry-After"]) == (503, "30")
        assert "Réessayez dans une minute" in body
        assert visitor.request(down, "/healthz")[0] == 503
