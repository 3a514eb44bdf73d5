from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.shortcuts import render
from django.utils import timezone

from members.models import Company, localized_field

from . import occupancy
from .filters import AvailabilityFilter
from .models import Incubation, Office


def office_list(request):
    """Render the offices that are or will be free, or those free over the searched period.

    With no search, list every office that is or will be free for good, with the day it
    becomes free; once the visitor fills in the filters, list the offices free for the
    whole period they asked for. Invalid filters answer 400 with the form's messages.
    """
    today = timezone.localdate()
    filterset = AvailabilityFilter(
        request.GET, queryset=Office.objects.select_related("building"), today=today
    )
    figures = occupancy.occupancy_on(today)
    context = {
        "filterset": filterset,
        "today": today,
        "figures": figures,
        "rate_percent": None if figures["rate"] is None else figures["rate"] * 100,
        "deliveries": occupancy.upcoming_deliveries(today),
        "show_rents": getattr(settings, "CITE_SHOW_OFFICE_RENTS", False),
        "searched": any(request.GET.get(name, "").strip() for name in filterset.filters),
        "offices": None,
    }
    if not filterset.is_valid():
        return render(request, "startups/offices.html", context, status=400)
    if context["searched"]:
        context["offices"] = list(filterset.qs)
        context["period"] = filterset.period
    else:
        context["offices"] = list(occupancy.free_from(today))
    return render(request, "startups/offices.html", context)


def startup_showcase(request):
    """Show the start-ups hosted today, with their programme: the incubator's showcase."""
    current = Incubation.objects.filter(company=OuterRef("pk")).hosted_on()
    startups = (
        Incubation.companies_hosted(Company.objects.public())
        .annotate(
            programme_name=Subquery(current.values(name=localized_field("programme__name"))[:1]),
            cohort=Subquery(current.values("cohort")[:1]),
        )
        .with_listing_data()
        .order_by("trade_name")
    )
    return render(request, "startups/showcase.html", {"startups": startups})
