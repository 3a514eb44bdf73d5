"""Cache the public pages and API answers for anonymous visitors.

Each cached answer is keyed on ``PublicDataVersion``, which every change to what public
pages show increments (see ``members.signals``): a cached page costs one tiny query, and
an edit made in the admin or by a representative is visible at once, on every server.
The key also holds the date, so that offers leave the pages on the day after they expire.

When the database cannot be reached (a restart, a failover), cached pages are served under
the last version seen: no edit can happen while the database is down.
"""

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import DatabaseError
from django.db.models import F
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

from .models import PublicDataVersion

CACHE_SECONDS = 600
LAST_VERSION_KEY = "public-page:last-version"


def public_version(*, using="default"):
    return (
        PublicDataVersion.objects.using(using).filter(pk=1).values_list("value", flat=True).first()
        or 0
    )


def bump_public_version(*, using="default"):
    updated = PublicDataVersion.objects.using(using).filter(pk=1).update(value=F("value") + 1)
    if not updated:
        PublicDataVersion.objects.using(using).get_or_create(pk=1, defaults={"value": 1})


def cache_public_response(view):
    """Serve a GET from the cache for anonymous visitors; cache successful answers."""

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
        day = timezone.localdate()
        raw_key = f"{version}:{day}:{get_language()}:{request.get_full_path()}"
        key = "public-page:" + hashlib.sha256(raw_key.encode()).hexdigest()
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
