"""Production: no defaults for secrets; refuse to start when one is missing."""

from django.core.exceptions import ImproperlyConfigured

from . import connections, env
from .base import *  # noqa: F403


def require(name, why="See .env.example."):
    """Refuse to start without this variable, naming it."""
    if not env.str(name, default=""):
        raise ImproperlyConfigured(
            f"The environment variable {name} is required by the production settings but is "
            f"not set. {why}"
        )


require("DJANGO_SECRET_KEY")
require("DJANGO_ALLOWED_HOSTS")
require("DATABASE_URL")
# Several gunicorn workers each keep their own local-memory cache, so without Redis the
# rate limit of /join/ would count per process and allow workers × the limit.
require(
    "REDIS_URL",
    "The cache must be shared by every worker, or the rate limit of /join/ counts per "
    "process: see docs/deploy.md.",
)

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = [host for host in env.list("DJANGO_ALLOWED_HOSTS", cast=str.strip) if host]
# Links in scheduled emails: the first allowed host over HTTPS unless said otherwise.
_site_host = next((host.lstrip(".") for host in ALLOWED_HOSTS if host != "*"), "")
CITE_SITE_URL = env.str("CITE_SITE_URL", default=f"https://{_site_host}" if _site_host else "")
if not CITE_SITE_URL:
    raise ImproperlyConfigured(
        "Set CITE_SITE_URL (https://annuaire.example.org): the emails that scheduled jobs "
        "send link to the site, and DJANGO_ALLOWED_HOSTS names no host to take it from."
    )
DATABASES = {
    "default": connections.database_config(
        env.db_url("DATABASE_URL"), conn_max_age=env.int("DJANGO_CONN_MAX_AGE", default=60)
    )
}

# A mail server takes a password: never over a connection that is not encrypted.
if EMAIL_BACKEND == connections.SMTP and not (EMAIL_USE_TLS or EMAIL_USE_SSL):  # noqa: F405
    raise ImproperlyConfigured(
        "EMAIL_URL sends mail over SMTP without encryption, which the production settings "
        "refuse: write smtp+tls://user:password@host:587 (STARTTLS) or "
        "smtp+ssl://user:password@host:465 (implicit TLS)."
    )

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload directive only matters once the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# No script of the site reads the CSRF cookie: forms carry the token.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = True
LANGUAGE_COOKIE_HTTPONLY = True
