import io
import os

import pytest
from PIL import Image

from cluster.dev import DATA_DIR


def pytest_configure(config):
    """Say how to get a database, rather than failing every test on a missing socket."""
    if not os.environ.get("DATABASE_URL") and not (DATA_DIR / "postmaster.pid").exists():
        pytest.exit(
            "No database: run `make test` (it starts the private PostgreSQL server), run the "
            "tests while `make run` is serving, or set DATABASE_URL.",
            returncode=4,
        )


@pytest.fixture(scope="session", autouse=True)
def _delete_own_cache_keys():
    """At the end of the run, delete what the run left in the cache. On a Redis server that
    others share (CI's REDIS_URL), that is the keys under this run's prefix only
    (cluster.cache.RedisCache.clear), never the whole database."""
    yield
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _cluster_identity(request):
    """Give every test that uses the database a cluster that has filled in its identity
    (name, SIREN, address, bank), as a deployed Cité has; a test of the blank identity
    deletes it."""
    marker = request.node.get_closest_marker("django_db")
    transactional = {"transactional_db", "live_server"} & set(request.fixturenames) or (
        marker is not None and marker.kwargs.get("transaction")
    )
    if transactional:
        request.getfixturevalue("transactional_db")
    elif marker is not None or "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    from tests.members.factories import ClusterIdentityFactory

    ClusterIdentityFactory()


@pytest.fixture(autouse=True)
def _site_language(settings):
    """Start every test in the site's language: a request in English earlier in the same
    process leaves English active, and a test must not depend on the one before."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Give every test its own MEDIA_ROOT so that uploads never leak between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def png_bytes():
    """Return a small valid PNG image, made in memory with Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (163, 22, 26)).save(buffer, format="PNG")
    return buffer.getvalue()
