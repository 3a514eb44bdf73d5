"""Members, counted by membership year, so that the year's figures add up.

A company is a member of a membership year when its membership of that year is active or
in its grace period (``Membership.Status.IN_GOOD_STANDING``), as the register says today.
Then, from one year to the next:

    members of the previous year − left − renewals awaiting payment + new + returning
        = members of the year

A company has at most one membership a year (their periods never overlap), so counting
memberships counts companies, with the indexes on (start, status) and (company, start).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, Count, Exists, OuterRef, Q, When
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext as _

from members.models import Membership

from .figures import Column, Figure, KeyFigure
from .periods import Period

GOOD = Membership.Status.IN_GOOD_STANDING
HISTORY_YEARS = 10


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def membership_year_of(field):
    """Return the membership year of a date (the year it starts in), computed in SQL."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    if month == 1:
        return ExtractYear(field)
    return Case(
        When(**{f"{field}__month__gte": month}, then=ExtractYear(field)),
        default=ExtractYear(field) - 1,
    )


def _in(period):
    return Q(start__gte=period.start, start__lt=period.end)


def flows(period):
    """Return how the members of ``period`` came from those of the year before (3 queries)."""
    previous = period.previous()
    counts = Membership.objects.filter(start__gte=previous.start, start__lt=period.end).aggregate(
        previous=Count("pk", filter=Q(start__lt=period.start, status__in=GOOD)),
        members=Count("pk", filter=Q(start__gte=period.start, status__in=GOOD)),
        pending=Count("pk", filter=Q(start__gte=period.start, status=Membership.Status.PENDING)),
    )
    of_year = Membership.objects.filter(_in(period))
    were_members = Membership.objects.filter(
        _in(previous), company=OuterRef("company"), status__in=GOOD
    )
    # What became of the previous year's members. Exists in WHERE, not in a FILTER, so
    # that PostgreSQL plans one semi-join rather than a subquery per membership.
    carried = of_year.filter(Exists(were_members)).aggregate(
        renewed=Count("pk", filter=Q(status__in=GOOD)),
        awaiting=Count("pk", filter=Q(status=Membership.Status.PENDING)),
        lapsed=Count("pk", filter=Q(status=Membership.Status.LAPSED)),
        resigned=Count("pk", filter=Q(status=Membership.Status.RESIGNED)),
    )
    member_before = Membership.objects.filter(
        company=OuterRef("company"), start__lt=previous.start, status__in=GOOD
    )
    returning = (
        of_year.filter(status__in=GOOD).filter(~Exists(were_members), Exists(member_before)).count()
    )
    joined = counts["members"] - carried["renewed"]
    not_renewed = counts["previous"] - sum(carried.values())
    return {
        "previous": counts["previous"],
        "renewed": carried["renewed"],
        "not_renewed": not_renewed,
        "lapsed": carried["lapsed"],
        "resigned": carried["resigned"],
        "left": not_renewed + carried["lapsed"] + carried["resigned"],
        "awaiting": carried["awaiting"],
        "new": joined - returning,
        "returning": returning,
        "members": counts["members"],
        "joining": counts["pending"] - carried["awaiting"],
        "renewal_rate": percent(carried["renewed"], counts["previous"]),
    }


def history(period):
    """Return ``[(label, members)]`` for the ten membership years up to ``period`` (1 query)."""
    first = Period.membership(period.year - HISTORY_YEARS + 1)
    counts = dict(
        Membership.objects.filter(start__gte=first.start, start__lt=period.end, status__in=GOOD)
        .annotate(membership_year=membership_year_of("start"))
        .values("membership_year")
        # COUNT(*) rather than COUNT(id): the index on (start, status) answers it alone.
        .annotate(n=Count("*"))
        .order_by("membership_year")
        .values_list("membership_year", "n")
    )
    years = [Period.membership(year) for year in range(first.year, period.year + 1)]
    return [(each.label, counts.get(each.year, 0)) for each in years]


def definitions():
    return [
        (
            _("Member"),
            _(
                "A company whose membership of the year is active (paid) or in its grace period, "
                "as the register says today. A membership awaiting payment, lapsed or resigned "
                "does not count."
            ),
        ),
        (_("Renewed"), _("A member of the previous year who is a member this year.")),
        (
            _("Left"),
            _(
                "A member of the previous year who is not a member this year: no membership this "
                "year (did not renew), this year's membership lapsed (unpaid) or was resigned."
            ),
        ),
        (
            _("Renewal awaiting payment"),
            _(
                "A member of the previous year whose membership of this year is not paid yet: "
                "renewed once paid, left if it lapses."
            ),
        ),
        (_("New member"), _("A member this year who was never a member before.")),
        (
            _("Returning member"),
            _("A member this year who was a member before the previous year, but not in it."),
        ),
        (_("Renewal rate"), _("Renewed ÷ members of the previous year.")),
        (
            _("How it adds up"),
            _(
                "Members of the previous year − left − renewals awaiting payment + new + "
                "returning = members of the year. A company that joined and left within the "
                "year counts in neither."
            ),
        ),
    ]


def figures(year):
    """Return the members' key figures and figures for the membership year starting in ``year``."""
    period = Period.membership(year)
    previous = period.previous()
    this, last = flows(period), flows(previous)
    rows = [
        (_("members in %(year)s") % {"year": previous.label}, this["previous"]),
        (_("left: did not renew"), -this["not_renewed"]),
        (_("left: membership lapsed (unpaid)"), -this["lapsed"]),
        (_("left: resigned"), -this["resigned"]),
        (_("renewals awaiting payment"), -this["awaiting"]),
        (_("new members"), this["new"]),
        (_("returning members"), this["returning"]),
        (_("members in %(year)s") % {"year": period.label}, this["members"]),
        (_("renewed"), this["renewed"]),
        (_("renewal rate"), this["renewal_rate"]),
        (_("joining, awaiting their first payment"), this["joining"]),
    ]
    kinds = ["count", "delta", "delta", "delta", "delta", "delta", "delta", "count"]
    kinds += ["count", "percent", "count"]
    series = [
        (rows[0][0], this["previous"], "total"),
        (_("members who left"), this["left"], "down"),
        (rows[4][0], this["awaiting"], "down"),
        (rows[5][0], this["new"], "up"),
        (rows[6][0], this["returning"], "up"),
        (rows[7][0], this["members"], "total"),
    ]
    by_year = history(period)
    first_label = by_year[0][0]
    tiles = [
        KeyFigure(
            "members",
            _("Members"),
            this["members"],
            last["members"],
            "count",
            period,
            figure="members",
        ),
        KeyFigure(
            "renewal-rate",
            _("Renewal rate"),
            this["renewal_rate"],
            last["renewal_rate"],
            "percent",
            period,
            figure="members",
        ),
    ]
    return tiles, [
        Figure(
            "members",
            _("Members, from %(previous)s to %(year)s")
            % {
                "previous": previous.label,
                "year": period.label,
            },
            period,
            [Column(_("figure")), Column(_("companies"), "count")],
            rows,
            chart="flow",
            series=series,
            row_kinds=kinds,
            description=_(
                "The previous year's members, those who left, renewals awaiting payment, "
                "new and returning members, and the members of the year."
            ),
            definitions=definitions(),
        ),
        Figure(
            "members-by-year",
            _("Members, year by year"),
            period,
            [Column(_("membership year")), Column(_("members"), "count")],
            by_year,
            chart="columns",
            series=by_year,
            period_text=_("Membership years %(first)s to %(last)s")
            % {
                "first": first_label,
                "last": period.label,
            },
            description=_("Members in each of the last ten membership years."),
        ),
    ]
