"""Tests never touch data they did not create: on a Redis server that others share, the
cache's clear() and the tests' clean-ups delete only their own keys."""

import re
import subprocess

import pytest
import redis
from django.conf import settings
from django.utils.module_loading import import_string

from cluster.settings.connections import cache_config

from .services import delete_own_keys, own_key_prefix, redis_url, requires_redis


@pytest.fixture
def foreign_key():
    """A key that another site or test run keeps in the same Redis database; this test
    wrote it, so this test deletes it."""
    server = redis.Redis.from_url(redis_url())
    key = own_key_prefix("someone-else") + ":1:their-page"
    server.set(key, b"theirs")
    yield server, key
    server.delete(key)


@pytest.fixture
def own_cache():
    """The cache backend the settings build for a REDIS_URL, under a prefix of our own."""
    prefix = own_key_prefix("clear")
    config = cache_config({"LOCATION": redis_url()}, key_prefix=prefix)["default"]
    params = {key: value for key, value in config.items() if key not in ("BACKEND", "LOCATION")}
    cache = import_string(config["BACKEND"])(config["LOCATION"], params)
    yield cache, prefix
    cache.close()


@requires_redis
def test_clearing_the_cache_leaves_other_keys_of_the_database_alone(foreign_key, own_cache):
    server, theirs = foreign_key
    cache, prefix = own_cache
    cache.set("page", "ours")
    cache.set("other", "ours", version=2)
    assert len(server.keys(prefix + "*")) == 2
    cache.clear()
    assert server.keys(prefix + "*") == []
    assert server.get(theirs) == b"theirs"


@requires_redis
def test_deleting_our_keys_stops_at_our_prefix(foreign_key):
    server, theirs = foreign_key
    prefix = own_key_prefix("helper")
    server.set(prefix + ":1:a", b"1")
    server.set(prefix + ":1:b", b"2")
    assert delete_own_keys(server, prefix) == 2
    assert server.get(theirs) == b"theirs"


FLUSH = re.compile(r"\.\s*flush(db|all)\s*\(", re.IGNORECASE)


def test_nothing_in_the_repository_flushes_a_redis_database():
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=settings.BASE_DIR, capture_output=True, text=True, check=True
    ).stdout.split()
    offenders = []
    for name in tracked:
        if not name.endswith((".py", ".sh", ".cfg", ".toml", ".ini", ".md")) and name not in (
            "Makefile",
            ".ci/run",
        ):
            continue
        text = (settings.BASE_DIR / name).read_text(errors="replace")
        offenders += [f"{name}: {match.group(0)}" for match in FLUSH.finditer(text)]
    assert offenders == []
