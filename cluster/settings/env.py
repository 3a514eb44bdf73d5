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
