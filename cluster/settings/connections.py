"""What Cité connects to: PostgreSQL (``DATABASE_URL``), Redis (``REDIS_URL``) and the mail
server (``EMAIL_URL``).

django-environ parses each URL; these functions add what Cité needs on top of it (the
trigram threshold, health checks, Redis's short timeouts, the usual SMTP ports) and refuse
what Cité cannot run on, with a message that says what to write instead.
"""

from urllib.parse import unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured

POSTGRESQL = "django.db.backends.postgresql"
LOCAL_MEMORY = "django.core.cache.backends.locmem.LocMemCache"
REDIS = "cluster.cache.RedisCache"  # django-redis, clearing its own keys only
SMTP = "django.core.mail.backends.smtp.EmailBackend"

# Spellings of EMAIL_URL that Cité read before it used django-environ, and what to write now.
# smtps:// is refused rather than read: Cité took it for implicit TLS, django-environ takes it
# for STARTTLS, so an old setting would silently change meaning.
OLD_EMAIL_SCHEMES = {
    "console": "consolemail://",
    "locmem": "memorymail://",
    "smtps": (
        "smtp+ssl://user:password@host:465 for implicit TLS, or "
        "smtp+tls://user:password@host:587 for STARTTLS"
    ),
}
SMTP_PORTS = {"smtp+tls": 587, "smtp+ssl": 465}


def database_config(config, *, conn_max_age):
    """Complete the database settings that ``env.db_url()`` parsed; PostgreSQL only."""
    if config.get("ENGINE") != POSTGRESQL:
        raise ImproperlyConfigured(
            "Cité runs on PostgreSQL 15 or newer only; DATABASE_URL must read "
            "postgres://user:password@host:5432/name (it names "
            f"{config.get('ENGINE') or 'no database engine'}). SQLite is not supported."
        )
    return {
        **config,
        # A Unix socket folder comes as the host, percent-encoded (cluster.dev.database_url);
        # django-environ leaves it encoded, and libpq needs the path.
        "HOST": unquote(config.get("HOST") or ""),
        "CONN_MAX_AGE": conn_max_age,
        # Replace a persistent connection that a PostgreSQL restart broke before using it.
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {
            **config.get("OPTIONS", {}),
            # Set per connection, so they cost no query: the trigram threshold for a
            # company name with one or two wrong letters (members.search); and the cost of
            # a random page read as on SSDs, not spinning disks (the default, 4), so that
            # a broad word's search reads its matches through the text index: 54 ms
            # rather than a 150 ms scan of 100,000 companies (docs/performance.md).
            "options": "-c pg_trgm.word_similarity_threshold=0.5 -c random_page_cost=1.1",
        },
    }


def cache_config(redis, *, key_prefix="cite"):
    """Return CACHES for ``REDIS_URL`` as ``env.cache_url()`` parsed it, or local memory
    when it is unset (an empty ``redis``).

    Redis holds only what can be rebuilt (cached pages, thumbnails' existence, sessions
    that the database also keeps, rate-limit counters), so a Redis outage must not take
    the site down: errors are logged and ignored, and short timeouts bound the wait.
    Options in the URL's query (``?socket_timeout=1``) override these.
    """
    if not redis:
        return {"default": {"BACKEND": LOCAL_MEMORY}}
    location = redis["LOCATION"]
    locations = location if isinstance(location, list) else [location]
    if not all(str(url).startswith(("redis://", "rediss://", "unix://")) for url in locations):
        raise ImproperlyConfigured(
            "REDIS_URL must be a redis:// or rediss:// URL, for example redis://127.0.0.1:6379/0."
        )
    return {
        "default": {
            **redis,
            # django-environ names django-redis for redis:// only when it is installed (it
            # is a dependency); say it here, so that the options below reach the backend
            # they are written for.
            "BACKEND": REDIS,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
                **redis.get("OPTIONS", {}),
            },
        }
    }


def email_config(url):
    """Return Django's ``EMAIL_*`` settings for an ``EMAIL_URL``, parsed by django-environ.

    - ``consolemail://`` (the default): messages are printed, nothing is sent;
    - ``memorymail://``: kept in memory (``django.core.mail.outbox``);
    - ``smtp+tls://user:password@host:587``: SMTP with STARTTLS (port 587 by default);
    - ``smtp+ssl://user:password@host:465``: SMTP over implicit TLS (port 465 by default);
    - ``smtp://host:25``: SMTP without encryption, for a relay on this machine or a test
      server; the production settings refuse it.

    A user or password with ``@``, ``:`` or ``/`` in it is percent-encoded (``%40``…).
    """
    scheme = urlsplit(url).scheme
    if scheme in OLD_EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL starts with {scheme}://, which Cité no longer reads: write "
            f"{OLD_EMAIL_SCHEMES[scheme]} (see .env.example)."
        )
    if scheme not in environ.Env.EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL has an unknown scheme {scheme!r}; use consolemail://, memorymail://, "
            "smtp+tls://, smtp+ssl:// or smtp:// (see .env.example)."
        )
    parsed = environ.Env.email_url_config(url)
    if parsed.get("OPTIONS"):
        raise ImproperlyConfigured(
            "EMAIL_URL has query parameters that Cité does not read: "
            f"{', '.join(sorted(parsed['OPTIONS'])).lower()}."
        )
    config = {
        key: value
        for key, value in parsed.items()
        if key.startswith("EMAIL_") and value not in (None, "")
    }
    # ?email_use_tls=false must mean false: read both flags as django-environ reads a boolean.
    for flag in ("EMAIL_USE_TLS", "EMAIL_USE_SSL"):
        config[flag] = environ.Env.parse_value(str(config.get(flag, False)), bool)
    if config["EMAIL_USE_TLS"] and config["EMAIL_USE_SSL"]:
        raise ImproperlyConfigured(
            "EMAIL_URL asks for both STARTTLS and implicit TLS; write smtp+tls:// or "
            "smtp+ssl://, not both."
        )
    if scheme in SMTP_PORTS and "EMAIL_PORT" not in config:
        config["EMAIL_PORT"] = SMTP_PORTS[scheme]
    return config
