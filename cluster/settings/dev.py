"""Development: zero setup (the private PostgreSQL server), console email, debug pages."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
STATIC_ROOT = None  # whitenoise serves from the finders; collectstatic is for production
