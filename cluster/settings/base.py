"""Settings shared by every environment. Machine-specific values come from the environment."""

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from cluster.dev import default_database_url

from . import env, refuse_removed_variables
from .connections import cache_config, database_config, email_config
from .storage import media_sources, media_storage_config

refuse_removed_variables()

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="django-insecure-development-only-key")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", cast=str.strip, default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", cast=str.strip, default=[])

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
    "django_tasks",
    "django_tasks_db",
    "cluster",
    "members",
    "startups",
]

MIDDLEWARE = [
    "cluster.middleware.ReverseProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # An admin query string with a NUL character: 400 (PostgreSQL cannot hold one).
    "cluster.middleware.refuse_nul_bytes",
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
    # Django's backend, finding the account by username or email address, case ignored.
    "members.auth.EmailBackend",
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


# Without DATABASE_URL: the private server that `make run` and `make test` start.
DATABASES = {
    "default": database_config(
        env.db_url("DATABASE_URL", default=default_database_url()),
        conn_max_age=env.int("DJANGO_CONN_MAX_AGE", default=0),
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
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
# Media on the local disk, or on S3-compatible storage when CITE_S3_BUCKET is set.
STORAGES = {
    "default": media_storage_config(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Local memory, or Redis shared by every app server when REDIS_URL is set (required by
# the production settings).
CACHES = cache_config(
    env.cache_url("REDIS_URL", default=None),
    key_prefix=env.str("CITE_CACHE_KEY_PREFIX", default="cite"),
)
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
# Sessions are read from the cache and written through to the database, so that they
# survive a cache restart or outage.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# EMAIL_BACKEND, EMAIL_USE_TLS and EMAIL_USE_SSL, and for SMTP EMAIL_HOST, EMAIL_PORT,
# EMAIL_HOST_USER and EMAIL_HOST_PASSWORD, from EMAIL_URL: consolemail:// by default,
# smtp+tls://user:password@host:587 for a mail server (cluster.settings.connections).
globals().update(email_config(env.str("EMAIL_URL", default="consolemail://")))
# Seconds before a silent mail server gives up, so that it cannot hold a worker.
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="Cité <noreply@localhost>")

# Background work (every outgoing email): Django's Tasks API through the django-tasks
# backport. The database backend needs nothing more than PostgreSQL; its worker is
# `manage.py run_worker` (docs/deploy.md). DJANGO_TASKS_BACKEND names another backend
# class (django_tasks_rq.RQBackend, say) when one worker is no longer enough.
TASKS = {
    "default": {
        "BACKEND": env.str("DJANGO_TASKS_BACKEND", default="django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# An email the mail server refuses for a while is tried this many times in all, waiting
# CITE_EMAIL_RETRY_SECONDS, then twice as long each time, before staff see it failed.
CITE_EMAIL_MAX_ATTEMPTS = env.int("CITE_EMAIL_MAX_ATTEMPTS", default=5)
CITE_EMAIL_RETRY_SECONDS = env.int("CITE_EMAIL_RETRY_SECONDS", default=60)
# Messages a second one worker sends at most (0: as fast as the mail server takes them).
CITE_EMAIL_RATE = env.float("CITE_EMAIL_RATE", default=0)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "members:my-companies"
LOGOUT_REDIRECT_URL = "home"

# django-simple-history: a change's reason (a membership reinstated, an invoice credited)
# is kept whole, not cut at 100 characters.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

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
# Failures count under the account's username, in lower case, whichever way it was typed
# ("Lea@Vroom.example", "lea@vroom.example"): a case-only difference is the same account.
AXES_USERNAME_CALLABLE = "members.auth.axes_username"

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
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}

# Cité's own settings.
# Addresses of the reverse proxies in front (nginx: 127.0.0.1), whose X-Forwarded-For
# gives the visitor's address (cluster.middleware.ReverseProxyMiddleware).
CITE_TRUSTED_PROXIES = env.list("CITE_TRUSTED_PROXIES", cast=str.strip, default=[])
# Representatives' changes to public profiles wait for staff approval.
CITE_MODERATE_PROFILES = env.bool("CITE_MODERATE_PROFILES", default=True)
CITE_INVITATION_DAYS = 7

# Membership dues. The membership year starts on the first day of this month (1: the
# calendar year; 9: September to August).
CITE_MEMBERSHIP_YEAR_START_MONTH = env.int("CITE_MEMBERSHIP_YEAR_START_MONTH", default=1)
# Charge a first year joined mid-year by the months left, counting the month of joining.
CITE_PRORATE_FIRST_YEAR = env.bool("CITE_PRORATE_FIRST_YEAR", default=True)
CITE_PAYMENT_DAYS = env.int("CITE_PAYMENT_DAYS", default=30)  # invoice due date after issue
# Late-payment penalties printed on invoices, % a year: at least three times the legal
# interest rate (Code de commerce, L. 441-10); the law's default is the ECB rate + 10 points.
CITE_LATE_PENALTY_RATE = env.str("CITE_LATE_PENALTY_RATE", default="12.00")
# The site's own address, for links in emails sent without a request (reminders, digests);
# production defaults to https:// and the first of DJANGO_ALLOWED_HOSTS.
CITE_SITE_URL = env.str("CITE_SITE_URL", default="http://127.0.0.1:8000")
CITE_RENEWAL_NOTICE_DAYS = env.int("CITE_RENEWAL_NOTICE_DAYS", default=30)  # before period end
# Days after the due date when an overdue reminder goes out.
CITE_OVERDUE_REMINDER_DAYS = env.list("CITE_OVERDUE_REMINDER_DAYS", cast=int, default=[7, 21])
# Days after the due date before an unpaid membership in grace lapses.
# SEPA direct debit: calendar days between the pre-notification email and the debit, and
# business days the bank needs the file before the collection date (members/sepa_calendar.py).
CITE_SEPA_PRENOTIFICATION_DAYS = env.int("CITE_SEPA_PRENOTIFICATION_DAYS", default=14)
CITE_SEPA_LEAD_BUSINESS_DAYS = env.int("CITE_SEPA_LEAD_BUSINESS_DAYS", default=2)
CITE_GRACE_DAYS = env.int("CITE_GRACE_DAYS", default=60)
# The accountant's export (FEC): the chart of accounts invoices and payments are posted to,
# and the first month of the fiscal year (1: the calendar year). Settings rather than a
# record staff edit: the chart is the accountant's, set once with the deployment, and an
# export of a closed year must give the same file again.
CITE_ACCOUNTS = {
    "dues": env.str("CITE_ACCOUNT_DUES", default="756000"),
    "rent": env.str("CITE_ACCOUNT_RENT", default="752000"),
    "charges": env.str("CITE_ACCOUNT_CHARGES", default="708800"),
    "other": env.str("CITE_ACCOUNT_OTHER", default="706000"),
    "event": env.str("CITE_ACCOUNT_EVENT", default="706300"),
    "vat": env.str("CITE_ACCOUNT_VAT", default="445710"),
    "customers": env.str("CITE_ACCOUNT_CUSTOMERS", default="411000"),
    "bank": env.str("CITE_ACCOUNT_BANK", default="512000"),
}
CITE_FISCAL_YEAR_START_MONTH = env.int("CITE_FISCAL_YEAR_START_MONTH", default=1)
# Who issues the invoices (name, address, SIREN, VAT mention) is the cluster identity
# record that staff edit in the admin (members.models.ClusterIdentity), not a setting.

# The incubator: a stay longer than this needs an explicit reason.
CITE_INCUBATION_MAX_MONTHS = env.int("CITE_INCUBATION_MAX_MONTHS", default=48)
# Show list rents on the public /offices/ page.
CITE_SHOW_OFFICE_RENTS = env.bool("CITE_SHOW_OFFICE_RENTS", default=False)
# Internships (French rules): a stipend is due beyond 308 hours (two months at 7 hours a
# day), at no less than this hourly amount; at most 924 hours (six months) a school year.
CITE_MIN_HOURLY_STIPEND = env.str("CITE_MIN_HOURLY_STIPEND", default="4.35")
CITE_INTERNSHIP_STIPEND_HOURS = 308
CITE_INTERNSHIP_MAX_HOURS_PER_YEAR = 924
# Students who left or graduated this many years ago are anonymised by purge_students.
CITE_STUDENT_RETENTION_YEARS = env.int("CITE_STUDENT_RETENTION_YEARS", default=3)
# Applications to join: at most this many from one address per hour.
CITE_APPLICATIONS_PER_HOUR = env.int("CITE_APPLICATIONS_PER_HOUR", default=5)
# Password resets: at most this many emails an hour to one address, and this many
# requests an hour from one visitor's address; beyond, the same "check your email" page
# and no email (members.throttle, like /join/).
CITE_PASSWORD_RESETS_PER_ADDRESS = env.int("CITE_PASSWORD_RESETS_PER_ADDRESS", default=3)
CITE_PASSWORD_RESETS_PER_IP = env.int("CITE_PASSWORD_RESETS_PER_IP", default=10)
# Invitations to a company's space: at most this many an hour per company.
CITE_INVITATIONS_PER_HOUR = env.int("CITE_INVITATIONS_PER_HOUR", default=20)
# Event registrations: at most this many from one address per hour.
CITE_EVENT_REGISTRATIONS_PER_HOUR = env.int("CITE_EVENT_REGISTRATIONS_PER_HOUR", default=10)
# Days after an event ends before its registrations are anonymised (counts are kept).
CITE_EVENT_RETENTION_DAYS = env.int("CITE_EVENT_RETENTION_DAYS", default=365)
# Days after staff's decision before purge_applications anonymises an application: a
# rejected one (the company and the person), an approved one (the person: the company is
# in the register and the person a representative). Pending ones wait for a decision.
CITE_APPLICATION_RETENTION_DAYS = env.int("CITE_APPLICATION_RETENTION_DAYS", default=365)
CITE_APPROVED_APPLICATION_RETENTION_DAYS = env.int(
    "CITE_APPROVED_APPLICATION_RETENTION_DAYS", default=3 * 365
)
