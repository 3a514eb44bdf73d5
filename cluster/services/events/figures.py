"""One event's figures for staff (the year's are in ``cluster.dashboard.events``).

Two aggregate queries, whatever the number of registrations.
"""

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
