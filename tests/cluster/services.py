"""The local services some deployment tests need: Redis, and the suite's PostgreSQL."""

import os
import socket
import uuid
from urllib.parse import quote

import pytest
from django.db import connection

REDIS_HOST, REDIS_PORT = "127.0.0.1", 6379
# The Redis database the deployment tests write to. Other runs and other sites may use it
# too: each test writes under a key prefix of its own and deletes only those keys.
REDIS_TEST_DB = int(os.environ.get("CITE_TEST_REDIS_DB", "2"))


def _redis_is_up():
    try:
        socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=0.5).close()
    except OSError:
        return False
    return True


def redis_url(db=REDIS_TEST_DB):
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/{db}"


def own_key_prefix(purpose):
    """Return a key prefix that no other test, run or site uses."""
    return f"cite-test-{os.getpid()}-{purpose}-{uuid.uuid4().hex[:12]}"


def delete_own_keys(server, prefix):
    """Delete the keys under ``prefix`` (ours) from a redis.Redis, and no other; return how
    many went."""
    keys = list(server.scan_iter(match=prefix + "*", count=500))
    if keys:
        server.delete(*keys)
    return len(keys)


# CI sets CITE_REQUIRE_REDIS=1: there a missing Redis fails these tests instead of
# skipping them.
requires_redis = pytest.mark.skipif(
    not os.environ.get("CITE_REQUIRE_REDIS") and not _redis_is_up(),
    reason=f"no Redis server at {REDIS_HOST}:{REDIS_PORT}",
)


def database_url(*, name=None, user=None, password=None, port=None):
    """Return a DATABASE_URL for the suite's PostgreSQL server, as a child process needs it.

    The server is reached as the suite reaches it: over TCP, or through a Unix socket
    folder (the private server of ``make test``), which the URL carries percent-encoded.
    ``port`` may name a closed port, to play a server that is down.
    """
    config = connection.settings_dict
    credentials = quote(user or config["USER"], safe="")
    if password or (config["PASSWORD"] and not user):
        credentials += ":" + quote(password or config["PASSWORD"], safe="")
    host = quote(config["HOST"] or "127.0.0.1", safe="")
    port = port or config["PORT"]
    address = f"{host}:{port}" if port else host
    return f"postgres://{credentials}@{address}/{name or config['NAME']}"


def closed_port():
    """Return a port of 127.0.0.1 where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
