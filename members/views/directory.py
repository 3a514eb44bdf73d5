"""The public directory: the company list with its filters and facets, and company pages."""

import functools

from django.db.models import Count, F
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import towns
from ..caching import cache_public_response
from ..filters import CompanyFilter
from ..models import Company, Sector
from ..search import ranking
from ..search.correction import corrected
from ..search.highlight import decorate
from .emptied import filters_to_remove
from .pagination import BadPage, capped_count, count_up_to, paginate

# The page counts its results up to this many, then says "more than".
COUNT_CAP = 1000


@functools.lru_cache(maxsize=2)
def _listed(day):
    """Return the public companies with what a card shows, hiring on ``day``: built once a
    day, and cloned by each request. Building its two subqueries takes 1 ms; a clone, 4 µs."""
    return Company.objects.public().with_listing_data(day)


def company_filterset(params, *, search_run=None):
    listed = _listed(timezone.localdate()).all()
    return CompanyFilter(params, queryset=listed, search_run=search_run)


def search_query(filterset):
    """Return the parsed query of this filterset's search, or None without a search."""
    return filterset.search.query if filterset.search else None


def _known_over_cap(filterset):
    """Return whether the index's counts show more than ``COUNT_CAP`` results for this
    valid filterset, whose ``qs`` was built: a search that nothing else narrows."""
    run = filterset.search
    return bool(run) and filterset.searches_only() and run.more_than(COUNT_CAP)


def _widened(params, filterset):
    """Return the filterset of ``params`` whose search, which found nothing, settles for
    the companies with the most of its words (``Search.widen``)."""
    run = filterset.search
    run.widen()
    filterset = company_filterset(params, search_run=run)
    filterset.is_valid()
    return filterset


def _results(params):
    """Return the number of results the directory shows for ``params``, found as
    ``search_page`` finds them and counted up to ``COUNT_CAP`` + 1; None when the
    parameters are not valid."""
    filterset = company_filterset(params)
    if not filterset.is_valid():
        return None
    found = count_up_to(filterset.qs, COUNT_CAP)
    if not found and filterset.search and filterset.search.can_widen():
        found = count_up_to(_widened(params, filterset).qs, COUNT_CAP)
    return found


def search_page(request, filterset):
    """Return (filterset, page) of the results, counted up to ``COUNT_CAP``; when a search
    of several words finds nothing, look again for the companies with the most of them
    (the page says so). A search that nothing else narrows is not counted when the
    index's counts show more than ``COUNT_CAP`` matches (``Search.more_than``)."""
    queryset = filterset.qs
    run = filterset.search
    page = paginate(queryset, request.GET, cap=COUNT_CAP, over_cap=_known_over_cap(filterset))
    if run and run.can_widen() and not page.paginator.count:
        filterset = _widened(request.GET, filterset)
        page = paginate(filterset.qs, request.GET, cap=COUNT_CAP)
    # The last row of the pages the count covers.
    covered = page.paginator.cap + page.paginator.per_page
    if run and page.paginator.count > ranking.STAGED_FROM and page.end_index() <= covered:
        # Many matches: read only the rows up to this page's (the same rows, in the same
        # order, as ranking every match). Past the pages the count covers, PostgreSQL
        # ranks every match instead: it costs less than reading every row before the page.
        rows = run.first_rows(filterset.qs, page.end_index())
        if rows is not None:
            page.object_list = rows[page.start_index() - 1 :]
    return filterset, page


def _sector_facets(params, filterset, page):
    """Return ``_counted_sectors``, with each chosen sector among them, at 0 when none of
    the results is in it: a chosen sector is always there to untick."""
    facets = _counted_sectors(params, filterset, page)
    if facets:
        listed = {sector.pk for sector in facets}
        for sector in filterset.form.cleaned_data.get("sector") or []:
            if sector.pk not in listed:
                sector.count = 0
                facets.append(sector)
    return facets


def _counted_sectors(params, filterset, page):
    """Count the companies of each sector among the results of every filter but sector.

    Return None past ``COUNT_CAP`` results: counting the sectors of 30,000 matches would
    cost a scan of them all (the page then lists the sectors, and says why no count).
    Without a sector chosen, the results are the page's (``filterset``), already counted.
    """
    found = None
    if "sector" in params:
        without_sector = params.copy()
        without_sector.pop("sector")
        filterset = company_filterset(without_sector, search_run=filterset.search)
        if not filterset.is_valid():
            return []
    else:
        found = page.paginator.count
    if not filterset.narrows():
        # The whole public register: the counts PostgreSQL keeps (SectorCount).
        return list(
            Sector.objects.filter(public_count__companies__gt=0)
            .annotate(count=F("public_count__companies"))
            .order_by("-count", "name")
        )
    if found is None:
        if _known_over_cap(filterset):
            return None
        found = count_up_to(filterset.qs, COUNT_CAP)
    if found > COUNT_CAP:
        return None
    if not found:
        return []  # no result: every sector listed, without a count
    matching = filterset.qs.order_by().values("pk")
    return list(
        Sector.objects.filter(companies__in=matching)
        .annotate(count=Count("companies"))
        .order_by("-count", "name")
    )


def _did_you_mean(params, filterset, page):
    """Return ``{"text", "query", "count", "capped"}``: the search spelt with the nearest
    indexed words (``correction.corrected``), its query string with the other filters,
    and its results, counted up to ``COUNT_CAP``; or None. Only for a search that found
    nothing, or only some of its words, and only when the spelling finds results."""
    run = filterset.search
    if not run or (page.paginator.count and not run.partial):
        return None
    text = corrected(run.query, using=filterset.qs.db)
    if not text:
        return None
    others = params.copy()
    others["q"] = text
    others.pop("page", None)
    spelt = company_filterset(others)
    if not spelt.is_valid():
        return None
    count = count_up_to(spelt.qs, COUNT_CAP)
    if not count:
        return None
    return {"text": text, "query": others.urlencode(), **capped_count(count, COUNT_CAP)}


def _cities(chosen):
    """Return the towns of the public companies as options of the town filter."""
    stored = Company.objects.public_towns()
    chosen = towns.local_name(chosen or "").casefold()
    return [
        {"value": value, "label": label, "selected": towns.local_name(value).casefold() == chosen}
        for value, label in towns.town_choices(stored)
    ]


@cache_public_response(params=[*CompanyFilter.base_filters, "page"])
def company_list(request):
    filterset = company_filterset(request.GET)
    cities = _cities(request.GET.get("city"))
    context = {"filterset": filterset, "cities": cities, "page_obj": None, "facets": []}
    if not filterset.is_valid():
        return render(request, "members/company_list.html", context, status=400)
    try:
        filterset, page = search_page(request, filterset)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    decorate(page.object_list, search_query(filterset))
    context["did_you_mean"] = _did_you_mean(request.GET, filterset, page)
    if not page.paginator.count:
        context["filters_to_remove"] = filters_to_remove(
            request.GET, filterset, results=_results, cap=COUNT_CAP
        )
    context.update(
        page_obj=page,
        companies=page.object_list,
        facets=_sector_facets(request.GET, filterset, page),
        search_partial=bool(filterset.search and filterset.search.partial),
    )
    return render(request, "members/company_list.html", context)


@cache_public_response
def company_detail(request, slug):
    company = get_object_or_404(Company.objects.public().prefetch_related("sectors"), slug=slug)
    contacts = company.contacts.public()
    offers = company.offers.open().order_by("start_date", "pk")
    return render(
        request,
        "members/company_detail.html",
        {"company": company, "contacts": contacts, "offers": offers},
    )
