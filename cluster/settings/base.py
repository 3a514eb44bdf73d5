"""Settings shared by every environment. Machine-specific values come from the environment."""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from cluster.dev import default_database_url

from .env import (
    cache_config,
    email_config,
    env,
    env_bool,
    env_list,
    media_sources,
    media_storage_config,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env("DJANGO_SECRET_KEY", "django-insecure-development-only-key")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Django's own widget templates, for the form renderer below (TemplatesSetting).
    "django.forms",
    "django.contrib.postgres",
    "django_filters",
    "import_export",
    "simple_history",
    "axes",
    "csp",
    "cluster",
    "members",
    "startups",
]

MIDDLEWARE = [
    "cluster.middleware.ReverseProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # django-axes must come last so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "cluster.urls"
WSGI_APPLICATION = "cluster.wsgi.application"
# Every form draws its errors the same way: one summary, errors tied to their inputs.
FORM_RENDERER = "cluster.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "cluster.context_processors.identity",
            ],
        },
    },
]


def database_config(url, *, conn_max_age):
    """Return Django's settings for the PostgreSQL database at ``url``."""
    config = dj_database_url.parse(url, conn_max_age=conn_max_age, conn_health_checks=True)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            "Cité runs on PostgreSQL 15 or newer only; DATABASE_URL names another engine "
            f"({config['ENGINE']}). SQLite is not supported."
        )
    # Trigram threshold for a company name with one or two wrong letters
    # (members.search); set per connection, so it costs no query.
    config.setdefault("OPTIONS", {})["options"] = "-c pg_trgm.word_similarity_threshold=0.5"
    return config


# Without DATABASE_URL: the private server that `make run` and `make test` start.
DATABASES = {
    "default": database_config(
        env("DATABASE_URL", default_database_url()),
        conn_max_age=int(env("DJANGO_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# French first, English second; no language prefix in URLs (cookie or Accept-Language).
LANGUAGE_CODE = "fr"
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# English dates day first, as in the UK (cluster/formats/en/formats.py).
FORMAT_MODULE_PATH = ["cluster.formats"]
USE_I18N = True
TIME_ZONE = "Europe/Paris"
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
# Media on the local disk, or on S3-compatible storage when CITE_S3_BUCKET is set.
STORAGES = {
    "default": media_storage_config(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Local memory, or Redis shared by every app server when REDIS_URL is set.
CACHES = cache_config(env("REDIS_URL"), key_prefix=env("CITE_CACHE_KEY_PREFIX", "cite"))
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions are read from the cache and written through to the database, so that they
# survive a cache restart or outage.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# EMAIL_URL (smtp://user:password@host:587), or the DJANGO_EMAIL_* variables; console
# by default. See cluster.settings.env.email_config.
globals().update(email_config(env("EMAIL_URL", "console://")))
if env("DJANGO_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("DJANGO_EMAIL_HOST")
    EMAIL_PORT = int(env("DJANGO_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("DJANGO_EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env("DJANGO_EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", "Cité <noreply@localhost>")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "members:my-companies"
LOGOUT_REDIRECT_URL = "home"

# django-import-export: every import runs in a transaction; a file with any bad row
# imports nothing (the admin only offers to confirm a clean dry run).
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = False
# Importing needs the model's "add" permission and exporting its "view" permission.
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
if STORAGES["default"]["BACKEND"] != "cluster.storage.FileSystemStorage":
    # Several app servers: the import's confirm step may reach another server than the
    # preview, so the uploaded file waits in the shared media storage, not in /tmp.
    IMPORT_EXPORT_TMP_STORAGE_CLASS = "import_export.tmp_storages.MediaStorage"

# django-axes: lock an account+address pair after repeated failures.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

# django-csp 4: no inline scripts anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", *media_sources(STORAGES["default"])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", "WARNING")},
}

# Cité's own settings.
# Addresses of the reverse proxies in front (nginx: 127.0.0.1), whose X-Forwarded-For
# gives the visitor's address (cluster.middleware.ReverseProxyMiddleware).
CITE_TRUSTED_PROXIES = env_list("CITE_TRUSTED_PROXIES")
CITE_CLUSTER_NAME = env("CITE_CLUSTER_NAME", "Pôle Action Média")
# Representatives' changes to public profiles wait for staff approval.
CITE_MODERATE_PROFILES = env_bool("CITE_MODERATE_PROFILES", True)
CITE_INVITATION_DAYS = 7

# Membership dues. The membership year starts on the first day of this month (1: the
# calendar year; 9: September to August).
CITE_MEMBERSHIP_YEAR_START_MONTH = int(env("CITE_MEMBERSHIP_YEAR_START_MONTH", "1"))
# Charge a first year joined mid-year by the months left, counting the month of joining.
CITE_PRORATE_FIRST_YEAR = env_bool("CITE_PRORATE_FIRST_YEAR", True)
CITE_PAYMENT_DAYS = int(env("CITE_PAYMENT_DAYS", "30"))  # invoice due date after issue
CITE_RENEWAL_NOTICE_DAYS = int(env("CITE_RENEWAL_NOTICE_DAYS", "30"))  # before a period ends
# Days after the due date when an overdue reminder goes out.
CITE_OVERDUE_REMINDER_DAYS = [int(d) for d in env_list("CITE_OVERDUE_REMINDER_DAYS", ["7", "21"])]
# Days after the due date before an unpaid membership in grace lapses.
CITE_GRACE_DAYS = int(env("CITE_GRACE_DAYS", "60"))
# Who issues the invoices (the association), as printed on them.
CITE_SELLER = {
    "name": env("CITE_SELLER_NAME", "Association Pôle Action Média"),
    "address": env("CITE_SELLER_ADDRESS", "Cité digitale, 66270 Le Soler, France"),
    "siren": env("CITE_SELLER_SIREN", ""),
    "vat_number": env("CITE_SELLER_VAT_NUMBER", ""),
}
CITE_VAT_EXEMPTION_MENTION = env(
    "CITE_VAT_EXEMPTION_MENTION", "TVA non applicable, article 293 B du CGI"
)
# The incubator: a stay longer than this needs an explicit reason.
CITE_INCUBATION_MAX_MONTHS = int(env("CITE_INCUBATION_MAX_MONTHS", "48"))
# Show list rents on the public /offices/ page.
CITE_SHOW_OFFICE_RENTS = env_bool("CITE_SHOW_OFFICE_RENTS", False)
# Internships (French rules): a stipend is due beyond 308 hours (two months at 7 hours a
# day), at no less than this hourly amount; at most 924 hours (six months) a school year.
CITE_MIN_HOURLY_STIPEND = env("CITE_MIN_HOURLY_STIPEND", "4.35")
CITE_INTERNSHIP_STIPEND_HOURS = 308
CITE_INTERNSHIP_MAX_HOURS_PER_YEAR = 924
# Students who left or graduated this many years ago are anonymised by purge_students.
CITE_STUDENT_RETENTION_YEARS = int(env("CITE_STUDENT_RETENTION_YEARS", "3"))
# Applications to join: at most this many from one address per hour.
CITE_APPLICATIONS_PER_HOUR = int(env("CITE_APPLICATIONS_PER_HOUR", "5"))
