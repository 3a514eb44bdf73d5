"""Pages of 20 results, from a ``page`` parameter that may be anything a visitor types."""

import sys

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.translation import gettext as _

PAGE_SIZE = 20


class BadPage(Exception):
    """The ``page`` parameter is not a page number."""


def paginate(queryset, params):
    """Return the requested page of ``queryset`` (BadPage or Http404 if there is none)."""
    raw = params.get("page", "1")
    try:
        # ASCII digits only: isdigit() also accepts "²", which int() refuses.
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
    except ValueError:  # over 4,300 digits, more than int() converts: past the last page
        number = sys.maxsize
    if number < 1:
        raise BadPage(_("The page must be a whole number from 1."))
    paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(number)
    except InvalidPage as exc:
        raise Http404(_("There is no page %(page)s.") % {"page": raw}) from exc
