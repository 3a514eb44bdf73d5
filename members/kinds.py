"""What kind of organisation a company is (member, start-up, alumnus), as queries.

The directory's ``kind`` filter offers every kind; each kind's query is registered by the
app that owns the relation it derives from. ``members`` registers "member"; the incubator
app registers "startup" and "alumni" from its incubations, so this module never imports
it. A kind whose app has not registered it yet matches no company.
"""

from django.utils.translation import gettext_lazy as _

MEMBER = "member"
STARTUP = "startup"
ALUMNI = "alumni"
CHOICES = [
    (MEMBER, _("Members")),
    (STARTUP, _("Start-ups")),
    (ALUMNI, _("Alumni")),
]

_filters = {}


def register(kind, queryset_filter):
    """Register ``queryset_filter(queryset) -> queryset`` for ``kind``."""
    if kind not in dict(CHOICES):
        raise ValueError(f"Unknown company kind {kind!r}")
    _filters[kind] = queryset_filter


def filter_kind(queryset, kind):
    queryset_filter = _filters.get(kind)
    return queryset_filter(queryset) if queryset_filter else queryset.none()
