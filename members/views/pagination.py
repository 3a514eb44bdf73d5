"""Pages of 20 results, from a ``page`` parameter that may be anything a visitor types."""

import sys

from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

PAGE_SIZE = 20


class CappedPaginator(Paginator):
    """Count at most ``cap`` + 1 results: past the cap, the page says "more than" and offers
    the first pages only. Counting 30,000 search matches costs more than ranking them.
    With ``over_cap``, the caller knows there are more than ``cap`` (``Search.more_than``):
    nothing is counted."""

    def __init__(self, *args, cap, over_cap=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.over_cap = over_cap

    @cached_property
    def count(self):
        if self.over_cap:
            return self.cap + 1
        # The ids alone: the rows' annotations (the search's rules) would be computed for
        # each of the cap's rows only to be counted.
        return self.object_list.order_by().values("pk")[: self.cap + 1].count()

    @property
    def capped(self):
        return self.count > self.cap


class BadPage(Exception):
    """The ``page`` parameter is not a page number."""


def paginate(queryset, params, *, cap=None, over_cap=False):
    """Return the requested page of ``queryset`` (BadPage or Http404 if there is none),
    counting at most ``cap`` + 1 results when a cap is given (none when ``over_cap`` says
    there are more)."""
    raw = params.get("page", "1")
    try:
        # ASCII digits only: isdigit() also accepts "²", which int() refuses.
        number = int(raw) if raw.isascii() and raw.isdigit() else 0
    except ValueError:  # over 4,300 digits, more than int() converts: past the last page
        number = sys.maxsize
    if number < 1:
        raise BadPage(_("The page must be a whole number from 1."))
    if cap:
        paginator = CappedPaginator(queryset, PAGE_SIZE, cap=cap, over_cap=over_cap)
    else:
        paginator = Paginator(queryset, PAGE_SIZE)
    try:
        return paginator.page(number)
    except InvalidPage as exc:
        raise Http404(_("There is no page %(page)s.") % {"page": raw}) from exc
