"""The local services some deployment tests need: Redis, and PostgreSQL for the suite."""

import os
import socket

import pytest
from django.db import connection

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379


def _redis_is_up():
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5).close()
    except OSError:
        return False
    return True


def redis_url(db):
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}"


# CI sets CITE_REQUIRE_REDIS=1: there a missing Redis fails these tests instead of
# skipping them.
requires_redis = pytest.mark.skipif(
    not os.environ.get("CITE_REQUIRE_REDIS") and not _redis_is_up(),
    reason=f"no Redis server at {REDIS_HOST}:{REDIS_PORT}",
)

requires_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several app servers share a PostgreSQL server; SQLite is one machine's file",
)


def closed_port():
    """Return a port of 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
