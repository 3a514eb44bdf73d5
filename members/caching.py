"""Cache the public pages and API answers for anonymous visitors, and the one event that
says what visitors see has changed.

Each cached answer is keyed on ``PublicDataVersion``. ``bump_public_version`` is the "public
data changed" event: it increments the version in the caller's transaction, so the change
and its announcement commit or roll back together. ``watch`` connects it to every save and
delete of the models public pages show (each app watches its own in ``ready()``), so no
write path can forget it; only bulk writes that send no signal call it themselves. A cached
page costs one tiny query, and an edit is visible at once, on every server.

The key holds the version, the date (offers leave the pages the day after they expire),
the language, the host, the path, and only the query parameters the view understands, in
a canonical order: an unknown parameter neither changes the answer nor fills the cache.

When the database cannot be reached (a restart, a failover), cached pages are served under
the last version seen: no edit can happen while the database is down.
"""

import hashlib
from functools import partial, wraps
from urllib.parse import urlencode

from django.core.cache import cache
from django.db import DatabaseError, connections
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .models import PublicDataVersion

CACHE_SECONDS = 600
LAST_VERSION_KEY = "public-page:last-version"


# Read before every public answer, cached or not: one statement, without the ORM's
# building of a query (about 1 ms of the 3 that a cached page costs).
PUBLIC_VERSION_SQL = f"SELECT value FROM {PublicDataVersion._meta.db_table} WHERE id = 1"  # noqa: S608 - constant SQL


def public_version(*, using="default"):
    """Return the current public data version (0 before the first change)."""
    with connections[using].cursor() as cursor:
        cursor.execute(PUBLIC_VERSION_SQL)
        row = cursor.fetchone()
    return row[0] if row else 0


def bump_public_version(*, using="default"):
    """Say that what visitors see has changed: every cached public page becomes stale."""
    updated = PublicDataVersion.objects.using(using).filter(pk=1).update(value=F("value") + 1)
    if not updated:
        PublicDataVersion.objects.using(using).get_or_create(pk=1, defaults={"value": 1})


def _changed(sender, using, raw=False, **kwargs):
    if not raw:  # loading fixtures
        bump_public_version(using=using)


def _relations_changed(sender, action, using, **kwargs):
    if action in {"post_add", "post_remove", "post_clear"}:
        bump_public_version(using=using)


def watch(*models):
    """Make every save and delete of these models (and every change of their many-to-many
    relations) bump the public version, in the same transaction."""
    for model in models:
        post_save.connect(_changed, sender=model, dispatch_uid=f"public:{model._meta.label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"public:{model._meta.label}")
        for field in model._meta.local_many_to_many:
            m2m_changed.connect(
                _relations_changed,
                sender=field.remote_field.through,
                dispatch_uid=f"public:{model._meta.label}.{field.name}",
            )


def cache_key(request, understood, version):
    """Return the cache key of a public answer (see the module's docstring)."""
    query = urlencode(
        [(name, value) for name in sorted(understood) for value in request.GET.getlist(name)]
    )
    raw_key = ":".join(
        [str(timezone.localdate()), get_language(), request.get_host(), request.path, query]
    )
    return "public-page:" + hashlib.sha256(f"{version}:{raw_key}".encode()).hexdigest()


def cache_public_response(view=None, *, params=()):
    """Serve a GET from the cache for anonymous visitors; cache successful answers.

    ``params`` names the query parameters the view understands; the others are ignored.
    """
    if view is None:
        return partial(cache_public_response, params=params)
    understood = frozenset(params)

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in {"GET", "HEAD"} or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        try:
            version = public_version()
        except DatabaseError:
            version = cache.get(LAST_VERSION_KEY)
            if version is None:
                raise
        key = cache_key(request, understood, version)
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        if response.status_code == 200 and not response.cookies:
            cache.set(key, (response.content, response["Content-Type"]), CACHE_SECONDS)
            cache.set(LAST_VERSION_KEY, version, None)
            response["X-Cache"] = "miss"
        return response

    return wrapper
