"""Read settings from the environment, failing loudly where a value is required."""

import os

from django.core.exceptions import ImproperlyConfigured


def env(name, default=None):
    """Return the variable's value, or the default when it is unset or empty."""
    value = os.environ.get(name, "")
    return value if value != "" else default


def env_bool(name, default=False):
    value = env(name)
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
