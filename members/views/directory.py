"""The public directory: the company list with its filters and facets, and company pages."""

from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import towns
from ..caching import cache_public_response
from ..filters import CompanyFilter
from ..models import Company, Sector
from .pagination import BadPage, paginate


def company_filterset(params):
    return CompanyFilter(params, queryset=Company.objects.public().with_listing_data())


def _sector_facets(params):
    """Count the companies of each sector among the results of every filter but sector."""
    without_sector = params.copy()
    without_sector.pop("sector", None)
    filterset = company_filterset(without_sector)
    if not filterset.is_valid():
        return []
    matching = filterset.qs.order_by().values("pk")
    return list(
        Sector.objects.filter(companies__in=matching)
        .annotate(count=Count("companies"))
        .order_by("-count", "name")
    )


def _cities(chosen):
    """Return the towns of the public companies as options of the town filter."""
    stored = (
        Company.objects.public()
        .exclude(city="")
        .order_by("city")
        .values_list("city", flat=True)
        .distinct()
    )
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
        page = paginate(filterset.qs, request.GET)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    context.update(page_obj=page, companies=page.object_list, facets=_sector_facets(request.GET))
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
