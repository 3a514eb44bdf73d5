"""Read settings from the environment, failing loudly where a value is required."""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name, default=None, *, environ=None):
    """Return the variable's value, or the default when it is unset or empty."""
    value = (os.environ if environ is None else environ).get(name, "")
    return value if value != "" else default


def env_bool(name, default=False, *, environ=None):
    value = env(name, environ=environ)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=()):
    value = env(name)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_required(name):
    """Return the variable's value or refuse to start, naming the missing variable."""
    value = env(name)
    if value is None:
        raise ImproperlyConfigured(
            f"The environment variable {name} is required by the production settings "
            f"but is not set. See .env.example."
        )
    return value


def email_config(url):
    """Return Django's email settings for an ``EMAIL_URL``.

    ``console://`` (the default), ``locmem://``, ``smtp://user:password@host:587`` (STARTTLS
    unless ``?tls=0``) or ``smtps://user:password@host:465`` (implicit TLS).
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    parts = urlsplit(url)
    backends = {
        "console": "django.core.mail.backends.console.EmailBackend",
        "locmem": "django.core.mail.backends.locmem.EmailBackend",
        "smtp": "django.core.mail.backends.smtp.EmailBackend",
        "smtps": "django.core.mail.backends.smtp.EmailBackend",
    }
    if parts.scheme not in backends:
        raise ImproperlyConfigured(
            f"EMAIL_URL has an unknown scheme {parts.scheme!r}; use one of {sorted(backends)}."
        )
    config = {"EMAIL_BACKEND": backends[parts.scheme]}
    if parts.scheme in {"smtp", "smtps"}:
        query = parse_qs(parts.query)
        implicit_tls = parts.scheme == "smtps"
        config.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=parts.port or (465 if implicit_tls else 587),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_SSL=implicit_tls,
            EMAIL_USE_TLS=not implicit_tls and query.get("tls", ["1"])[0] != "0",
        )
    return config


def cache_config(redis_url, *, key_prefix="cite"):
    """Return Django's CACHES for a ``REDIS_URL``, or local memory when it is empty.

    Redis holds only what can be rebuilt (cached pages, thumbnails' existence, sessions
    that the database also keeps, rate-limit counters), so a Redis outage must not take
    the site down: errors are logged and ignored, and short timeouts bound the wait.
    """
    if not redis_url:
        return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    return {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": key_prefix,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 0.25,
                "SOCKET_TIMEOUT": 0.5,
            },
        }
    }


def media_storage_config(environ=None):
    """Return the STORAGES entry for media: the local disk, or S3 when a bucket is named.

    ``CITE_S3_BUCKET`` switches to S3-compatible storage (django-storages); the other
    ``CITE_S3_*`` variables give the endpoint (for a provider other than AWS), region,
    credentials (or the machine's IAM role when unset), a public domain for the URLs and
    whether URLs are signed.
    """

    def get(name, default=None):
        return env(name, default, environ=environ)

    bucket = get("CITE_S3_BUCKET")
    if not bucket:
        return {"BACKEND": "cluster.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        "endpoint_url": get("CITE_S3_ENDPOINT_URL"),
        "region_name": get("CITE_S3_REGION"),
        "access_key": get("CITE_S3_ACCESS_KEY_ID"),
        "secret_key": get("CITE_S3_SECRET_ACCESS_KEY"),
        "custom_domain": get("CITE_S3_CUSTOM_DOMAIN"),
        "location": get("CITE_S3_PREFIX", ""),
        # Public logos are served from plain URLs unless the bucket is private.
        "querystring_auth": env_bool("CITE_S3_SIGNED_URLS", environ=environ),
        # Never overwrite: a new upload under an existing name gets a new name, as on disk.
        "file_overwrite": False,
        "default_acl": None,
    }
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {key: value for key, value in options.items() if value is not None},
    }


def media_sources(storage):
    """Return the CSP sources that media URLs point to when they are not this site."""
    from urllib.parse import urlsplit

    options = storage.get("OPTIONS", {})
    if "bucket_name" not in options:
        return []
    if options.get("custom_domain"):
        return [f"https://{options['custom_domain']}"]
    if not options.get("endpoint_url"):
        return ["https://*.amazonaws.com"]
    endpoint = urlsplit(options["endpoint_url"])
    # Path-style (endpoint/bucket/key) or virtual-hosted (bucket.endpoint/key) URLs.
    return [f"{endpoint.scheme}://{endpoint.netloc}", f"{endpoint.scheme}://*.{endpoint.netloc}"]
