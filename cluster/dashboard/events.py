"""The events, counted by calendar year: actions held, registrations, participants."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from ..models import Event, Registration
from .figures import Column, Figure, KeyFigure
from .members import percent
from .periods import Period


def _moment(day):
    return datetime.combine(day, time.min, ZoneInfo(settings.TIME_ZONE))


def held_in(period, prefix=""):
    """Events held in the year: published (not cancelled) and over, starting in it."""
    return Q(
        **{
            f"{prefix}status": Event.Status.PUBLISHED,
            f"{prefix}starts_at__gte": _moment(period.start),
            f"{prefix}starts_at__lt": _moment(period.end),
            f"{prefix}ends_at__lte": datetime.now(ZoneInfo(settings.TIME_ZONE)),
        }
    )


def definitions():
    return [
        (_("Event held"), _("A published event, not cancelled, over, that started in the year.")),
        (
            _("Registration"),
            _("A confirmed seat at an event held (the waiting list and cancellations aside)."),
        ),
        (_("Participant"), _("A registrant checked in at the door, walk-ins included.")),
    ]


def figures(year):
    """Return the events' key figures and figures for the calendar year (5 queries)."""
    period = Period.calendar(year)
    previous = period.previous()
    kinds = dict(Event.Kind.choices)
    held = Event.objects.filter(held_in(period) | held_in(previous))
    by_kind_rows = {
        row["kind"]: row
        for row in held.order_by()
        .values("kind")
        .annotate(
            this=Count("pk", filter=held_in(period)), last=Count("pk", filter=held_in(previous))
        )
    }
    by_kind = [
        (str(label), by_kind_rows.get(value, {}).get("this", 0)) for value, label in kinds.items()
    ]
    confirmed = Registration.objects.confirmed()
    present = Q(checked_in_at__isnull=False)
    totals = confirmed.aggregate(
        registered=Count("pk", filter=held_in(period, "event__")),
        present=Count("pk", filter=held_in(period, "event__") & present),
        registered_last=Count("pk", filter=held_in(previous, "event__")),
        present_last=Count("pk", filter=held_in(previous, "event__") & present),
    )
    attendees = confirmed.filter(held_in(period, "event__"), present)
    categories = dict(Registration.Category.choices)
    counts = dict(attendees.order_by().values_list("category").annotate(n=Count("pk")))
    by_category = [(str(label), counts.get(value, 0)) for value, label in categories.items()]
    by_region = [
        (city or _("no member company"), n)
        for city, n in attendees.order_by()
        .values_list("company__city")
        .annotate(n=Count("pk"))
        .order_by("-n", "company__city")
    ]
    rate = percent(totals["present"], totals["registered"])
    rate_last = percent(totals["present_last"], totals["registered_last"])
    held_this = sum(n for _label, n in by_kind)
    held_last = sum(row["last"] for row in by_kind_rows.values())
    tiles = [
        KeyFigure(
            "events", _("Events held"), held_this, held_last, "count", period, "events-by-kind"
        ),
    ]
    return tiles, [
        Figure(
            "events-by-kind",
            _("Events held, by kind"),
            period,
            [Column(_("kind")), Column(_("events"), "count")],
            by_kind,
            series=by_kind,
            description=_("The cluster's actions held in the year, by kind."),
            definitions=definitions()[:1],
        ),
        Figure(
            "attendance",
            _("Registrations and attendance"),
            period,
            [Column(_("figure")), Column(str(year), "count"), Column(str(year - 1), "count")],
            [
                (_("registrations"), totals["registered"], totals["registered_last"]),
                (_("participants"), totals["present"], totals["present_last"]),
                (_("attendance rate"), rate, rate_last),
            ],
            row_kinds=["count", "count", "percent"],
            series=[
                (_("registrations"), totals["registered"]),
                (_("participants"), totals["present"]),
            ],
            description=_(
                "Confirmed registrations and participants, this year and the one before."
            ),
            definitions=definitions()[1:],
        ),
        Figure(
            "participants-by-category",
            _("Participants, by category"),
            period,
            [Column(_("category")), Column(_("participants"), "count")],
            by_category,
            series=by_category,
            description=_("Participants of the events held, by who they are."),
            definitions=definitions()[2:],
        ),
        Figure(
            "participants-by-region",
            _("Participants, by their company's town"),
            period,
            [Column(_("town")), Column(_("participants"), "count")],
            by_region,
            series=by_region,
            description=_(
                "Where the participants' companies are: the partner regions (Toulouse, "
                "Montpellier, Barcelona) beside the home one."
            ),
            definitions=definitions()[2:],
        ),
    ]
