"""Cité's settings: base (shared), dev, test and production.

Every value that differs between machines is read from the environment through ``env``,
one django-environ reader shared by the settings modules (``.env.example`` lists them).
"""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()

# Variables that earlier versions read and this one does not, and what replaced them.
REMOVED_VARIABLES = {
    **dict.fromkeys(
        [
            "DJANGO_EMAIL_HOST",
            "DJANGO_EMAIL_PORT",
            "DJANGO_EMAIL_HOST_USER",
            "DJANGO_EMAIL_HOST_PASSWORD",
            "DJANGO_EMAIL_USE_TLS",
        ],
        "put the mail server in EMAIL_URL, for example smtp+tls://user:password@host:587",
    ),
    **dict.fromkeys(
        [
            "CITE_CLUSTER_NAME",
            "CITE_SELLER_NAME",
            "CITE_SELLER_ADDRESS",
            "CITE_SELLER_SIREN",
            "CITE_SELLER_VAT_NUMBER",
            "CITE_VAT_EXEMPTION_MENTION",
        ],
        "the cluster's name, address, SIREN and VAT mention are the cluster identity that "
        "staff edit in the admin",
    ),
}


def refuse_removed_variables(env=env):
    """Refuse to start while a variable that is no longer read is set.

    Ignoring it would let a server set up for an older version quietly print its mail to
    the console instead of sending it.
    """
    for name, instead in REMOVED_VARIABLES.items():
        if env.str(name, default=""):
            raise ImproperlyConfigured(f"{name} is no longer read: {instead} (see .env.example).")
