"""The public offers: the list of open offers and an offer's page."""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import towns
from ..caching import cache_public_response
from ..filters import OfferFilter
from ..models import Offer
from .emptied import filters_to_remove
from .pagination import BadPage, count_up_to, paginate


def offer_filterset(params):
    """Filter the open offers, the newest first."""
    offers = Offer.objects.open().select_related("company").order_by("-created_at", "-pk")
    return OfferFilter(params, queryset=offers)


def _offer_places():
    """Return the places of the open offers, suggested by the town field."""
    places = Offer.objects.open().order_by("place").values_list("place", flat=True).distinct()
    return [label for _value, label in towns.town_choices(places)]


def _offers(params):
    """Return the number of open offers for ``params``, or None when they are not valid."""
    filterset = offer_filterset(params)
    return count_up_to(filterset.qs, None) if filterset.is_valid() else None


@cache_public_response(params=[*OfferFilter.base_filters, "page"])
def offer_list(request):
    filterset = offer_filterset(request.GET)
    context = {"filterset": filterset, "places": _offer_places(), "page_obj": None}
    if not filterset.is_valid():
        return render(request, "members/offer_list.html", context, status=400)
    try:
        page = paginate(filterset.qs, request.GET)
    except BadPage as exc:
        raise Http404(str(exc)) from exc
    if not page.paginator.count:
        context["filters_to_remove"] = filters_to_remove(request.GET, filterset, results=_offers)
    context.update(page_obj=page, offers=page.object_list)
    return render(request, "members/offer_list.html", context)


@cache_public_response
def offer_detail(request, pk):
    offer = get_object_or_404(Offer.objects.open().select_related("company"), pk=pk)
    return render(request, "members/offer_detail.html", {"offer": offer})
