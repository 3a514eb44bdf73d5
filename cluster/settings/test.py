"""Tests: fast hashing, in-memory email, media in a temporary folder.

The cache is local memory, or the Redis server at REDIS_URL (CI's PostgreSQL run), under a
key prefix of its own so that concurrent runs never read each other's pages.
"""

import os
import tempfile

from . import env
from .base import *  # noqa: F403
from .connections import cache_config

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the test's own thread: no worker needed. The worker's own tests
# (tests/members/test_worker.py) start real ones on the database backend.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = cache_config(
    env.cache_url("REDIS_URL", default=None),
    key_prefix=env.str("CITE_CACHE_KEY_PREFIX", default=f"cite-test-{os.getpid()}"),
)
MEDIA_ROOT = tempfile.mkdtemp(prefix="cite-test-media-")
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = None
