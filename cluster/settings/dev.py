"""Development: zero setup (the private PostgreSQL server), console email, debug pages."""

from . import env
from .base import *  # noqa: F403

DEBUG = env.bool("DJANGO_DEBUG", default=True)
STATIC_ROOT = None  # whitenoise serves from the finders; collectstatic is for production
