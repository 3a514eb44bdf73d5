"""Pages of 20 results, from a ``page`` parameter that may be anything a visitor types."""

import sys

from django.core.paginator import EmptyPage, InvalidPage, Page, Paginator
from django.http import Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _

PAGE_SIZE = 20
# PostgreSQL's OFFSET is a bigint: a page number past it finds nothing.
MAX_OFFSET = 2**63 - 1


def count_up_to(queryset, cap):
    """Return the number of rows of ``queryset``, counted up to ``cap`` + 1 at most
    (``cap`` + 1 then means "more than ``cap``"), or all of them when ``cap`` is None. The
    ids alone, unordered: the rows' annotations (a search's rules) would be computed for
    each row only to be counted."""
    ids = queryset.order_by().values("pk")
    return ids.count() if cap is None else ids[: cap + 1].count()


def capped_count(count, cap):
    """Return ``{"count", "capped"}`` of a ``count_up_to`` result, as the pages show it:
    ``cap`` and ``capped`` past the cap ("more than ``cap``"), else the count itself."""
    capped = cap is not None and count > cap
    return {"count": cap if capped else count, "capped": capped}


class CappedPaginator(Paginator):
    """Count at most ``cap`` + 1 results: past the cap, the page says "more than", and the
    pages go on as long as there are results (the last one is not known: ``num_pages``
    is then unbounded, and ``CappedPage.has_next`` looks for a result after the page).
    Counting 30,000 search matches costs more than ranking them. With ``over_cap``, the
    caller knows there are more than ``cap`` (``Search.more_than``): nothing is counted."""

    def __init__(self, *args, cap, over_cap=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.cap = cap
        self.over_cap = over_cap

    @cached_property
    def count(self):
        if self.over_cap:
            return self.cap + 1
        return count_up_to(self.object_list, self.cap)

    @property
    def capped(self):
        return self.count > self.cap

    @cached_property
    def num_pages(self):
        return sys.maxsize if self.capped else super().num_pages

    def page(self, number):
        if not self.capped:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        if not self.holds(bottom):
            raise EmptyPage(_("That page contains no results"))
        # Django's page would end at the count, here the cap + 1 (a short page 51).
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def holds(self, offset):
        """Return whether there is a result at ``offset`` (from 0): known up to the cap,
        one query for the id there past it (none past PostgreSQL's largest offset)."""
        if offset <= self.cap:
            return True
        if offset >= MAX_OFFSET:
            return False
        return self.object_list.order_by().values("pk")[offset : offset + 1].exists()

    def _get_page(self, *args, **kwargs):
        return CappedPage(*args, **kwargs)


class CappedPage(Page):
    """A page of a ``CappedPaginator``: past the cap, another page follows when there is
    a result after this one."""

    def has_next(self):
        if not self.paginator.capped:
            return super().has_next()
        return self.paginator.holds(self.number * self.paginator.per_page)


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
