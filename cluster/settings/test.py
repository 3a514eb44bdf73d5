"""Tests: fast hashing, in-memory email, media in a temporary folder.

The cache is local memory, or the Redis server at REDIS_URL (CI's PostgreSQL run), under a
key prefix of its own so that concurrent runs never read each other's pages.
"""

import os
import tempfile

from .base import *  # noqa: F403
from .env import cache_config, env

DEBUG = False
SECRET_KEY = "test-only-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CACHES = cache_config(
    env("REDIS_URL"), key_prefix=env("CITE_CACHE_KEY_PREFIX", f"cite-test-{os.getpid()}")
)
MEDIA_ROOT = tempfile.mkdtemp(prefix="cite-test-media-")
ALLOWED_HOSTS = ["*"]
STATIC_ROOT = None
