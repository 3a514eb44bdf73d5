"""The events' figures: per event for staff, per year for the dashboard and the report.

Each figure is one aggregate query, whatever the number of registrations.
"""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q

from ...models import Event, Registration

CONFIRMED = Registration.Status.CONFIRMED


def event_figures(event: Event) -> dict:
    """Return registered (confirmed), waiting, present, the no-show rate (percent, of the
    confirmed, once the event is over) and the confirmed by category."""
    rows = event.registrations.aggregate(
        confirmed=Count("pk", filter=Q(status=CONFIRMED)),
        waiting=Count("pk", filter=Q(status=Registration.Status.WAITING)),
        present=Count("pk", filter=Q(status=CONFIRMED, checked_in_at__isnull=False)),
    )
    labels = dict(Registration.Category.choices)
    by_category = [
        (labels.get(row["category"], row["category"]), row["n"])
        for row in event.registrations.confirmed()
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("category")
    ]
    confirmed = rows["confirmed"]
    no_show = round(100 * (confirmed - rows["present"]) / confirmed) if confirmed else 0
    return {**rows, "no_show_rate": f"{no_show} %", "by_category": by_category}


def _year_bounds(year: int):
    zone = ZoneInfo(settings.TIME_ZONE)
    start = datetime.combine(datetime(year, 1, 1).date(), time.min, zone)
    end = datetime.combine(datetime(year + 1, 1, 1).date(), time.min, zone)
    return start, end


def year_figures(year: int, *, now=None) -> dict:
    """Return a year's figures: events held by kind, registrations, attendees, the
    attendance rate, attendees by category and by partner region (the organiser's or a
    co-organiser's town)."""
    start, end = _year_bounds(year)
    held = Event.objects.held().filter(starts_at__gte=start, starts_at__lt=end)
    kinds = dict(Event.Kind.choices)
    by_kind = [
        (kinds.get(row["kind"], row["kind"]), row["n"])
        for row in held.values("kind").annotate(n=Count("pk")).order_by("kind")
    ]
    registrations = Registration.objects.confirmed().filter(event__in=held)
    totals = registrations.aggregate(
        registered=Count("pk"), present=Count("pk", filter=Q(checked_in_at__isnull=False))
    )
    categories = dict(Registration.Category.choices)
    by_category = [
        (categories.get(row["category"], row["category"]), row["n"])
        for row in registrations.checked_in()
        .values("category")
        .annotate(n=Count("pk"))
        .order_by("category")
    ]
    by_region = [
        (row["event__organiser__city"] or settings.CITE_EVENT_HOME_REGION, row["n"])
        for row in registrations.checked_in()
        .values("event__organiser__city")
        .annotate(n=Count("pk"))
        .order_by("event__organiser__city")
    ]
    registered = totals["registered"]
    return {
        "year": year,
        "held": sum(n for _label, n in by_kind),
        "by_kind": by_kind,
        "registered": registered,
        "present": totals["present"],
        "attendance_rate": round(100 * totals["present"] / registered) if registered else 0,
        "by_category": by_category,
        "by_region": by_region,
    }


def events_key_figure(year: int) -> int:
    """Return the number of events held this year (the dashboard's tile)."""
    start, end = _year_bounds(year)
    return Event.objects.held().filter(starts_at__gte=start, starts_at__lt=end).count()
