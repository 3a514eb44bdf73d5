"""The cluster's numbers for one year, for the staff dashboard and the annual report.

Every figure is an aggregate computed by the database; the number of queries is the same
whatever the amount of data. Each figure is a ``Figure``: a title, a table (columns and
rows) that is also downloadable as CSV, and the data of its chart.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Case, Count, Exists, Min, OuterRef, Q, Sum, When
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import dues
from members.models import Membership
from startups import occupancy
from startups.models import Incubation, KpiSnapshot
from startups.models import Programme as IncubationProgramme

from .models import Placement, Programme, Student, school_year

ZERO = Decimal("0.00")


@dataclass
class Figure:
    key: str
    title: str
    columns: list
    rows: list
    chart: str = "bars"  # bars | line
    description: str = ""
    unit: str = ""
    series: list = field(default_factory=list)  # (label, value) pairs to draw

    def as_csv_rows(self):
        yield [str(column) for column in self.columns]
        for row in self.rows:
            yield ["" if cell is None else str(cell) for cell in row]


def percent(part, whole):
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def year_bounds(year):
    """Return the membership year starting in ``year`` (see CITE_MEMBERSHIP_YEAR_START_MONTH)."""
    return dues.membership_year(date(year, settings.CITE_MEMBERSHIP_YEAR_START_MONTH, 1))


def school_year_bounds(year):
    """Return the school year starting in September of ``year``."""
    return school_year(date(year, 9, 1))


def available_years():
    """Return the years that have memberships, and the current one, newest first."""
    first = Membership.objects.aggregate(first=Min("start"))["first"]
    today = timezone.localdate()
    start = first.year if first else today.year
    return list(range(today.year + 1, start - 1, -1))


def membership_year_of(field):
    """Return the membership year of a date (the year it starts in), computed in SQL."""
    month = settings.CITE_MEMBERSHIP_YEAR_START_MONTH
    if month == 1:
        return ExtractYear(field)
    return Case(
        When(**{f"{field}__month__gte": month}, then=ExtractYear(field)),
        default=ExtractYear(field) - 1,
    )


def members_figures(year):
    """Members of the membership year starting in ``year``, and of the ten years before.

    A company has at most one membership a year (their periods never overlap), so
    counting memberships counts companies, which lets the database use the index on
    (company, start) instead of sorting for DISTINCT.
    """
    start, end = year_bounds(year)
    previous_start, _previous_end = year_bounds(year - 1)
    good = Membership.Status.IN_GOOD_STANDING
    of_year = Membership.objects.filter(start__gte=start, start__lt=end)
    last_year = Membership.objects.filter(
        company=OuterRef("company"), start__gte=previous_start, start__lt=start
    )
    counts = of_year.aggregate(
        total=Count("pk"),
        active=Count("pk", filter=Q(status__in=good)),
        lapsed=Count("pk", filter=Q(status=Membership.Status.LAPSED)),
        resigned=Count("pk", filter=Q(status=Membership.Status.RESIGNED)),
    )
    # The memberships that continue one of the year before, in WHERE rather than in a
    # FILTER, so that PostgreSQL plans a semi-join instead of a subquery per membership.
    continuing = of_year.filter(Exists(last_year)).aggregate(
        all=Count("pk"), good=Count("pk", filter=Q(status__in=good))
    )
    counts["new"] = counts["total"] - continuing["all"]  # not a member the year before
    counts["renewed"] = continuing["good"]
    base = Membership.objects.filter(start__gte=previous_start, start__lt=start).count()
    renewal = percent(counts["renewed"], base)
    attrition = None if renewal is None else Decimal(100) - renewal
    rows = [
        (_("active members"), counts["active"]),
        (_("new members"), counts["new"]),
        (_("lapsed"), counts["lapsed"]),
        (_("resigned"), counts["resigned"]),
        (_("renewal rate (%)"), renewal),
        (_("attrition (%)"), attrition),
    ]
    first_year_start = year_bounds(year - 9)[0]
    history = (
        Membership.objects.filter(status__in=good, start__gte=first_year_start, start__lt=end)
        .annotate(membership_year=membership_year_of("start"))
        .values("membership_year")
        .annotate(n=Count("pk"))
        .order_by("membership_year")
        .values_list("membership_year", "n")
    )
    by_year = [(str(label), count) for label, count in history]
    return [
        Figure(
            "members",
            _("Members"),
            [_("figure"), _("value")],
            rows,
            series=[(label, value) for label, value in rows[:4]],
            description=_("Members in the year: active, new, lapsed and resigned."),
        ),
        Figure(
            "members-by-year",
            _("Members in good standing, year by year"),
            [_("year"), _("members")],
            by_year,
            series=by_year,
            description=_("Members in good standing in each of the last ten years."),
        ),
    ]


def dues_figure(year):
    [row] = dues.yearly_summary(year)
    rows = [
        (_("expected (before tax)"), row["expected"]),
        (_("invoiced"), row["invoiced"]),
        (_("collected"), row["collected"]),
        (_("overdue"), row["overdue"]),
    ]
    return Figure(
        "dues",
        _("Dues (€)"),
        [_("figure"), _("€")],
        rows,
        series=rows,
        unit="€",
        description=_("Dues of the year: expected, invoiced, collected and overdue."),
    )


def incubator_figures(year):
    start, end = date(year, 1, 1), date(year + 1, 1, 1)
    today = timezone.localdate()
    day = min(today, end - timedelta(days=1))
    stages = dict(
        Incubation.objects.active_on(day)
        .values("programme__stage")
        .annotate(n=Count("pk"))
        .values_list("programme__stage", "n")
    )
    by_stage = [(label, stages.get(value, 0)) for value, label in IncubationProgramme.Stage.choices]
    flows = Incubation.objects.aggregate(
        entries=Count("pk", filter=Q(start__gte=start, start__lt=end)),
        graduations=Count(
            "pk",
            filter=Q(end__gte=start, end__lt=end, outcome=Incubation.Outcome.GRADUATED),
        ),
    )
    # Each incubation's latest snapshot before the year's end: no later one exists.
    later = KpiSnapshot.objects.filter(
        incubation=OuterRef("incubation"), date__gt=OuterRef("date"), date__lt=end
    )
    totals = (
        KpiSnapshot.objects.filter(date__lt=end, incubation__start__lt=end)
        .filter(Q(incubation__end__isnull=True) | Q(incubation__end__gte=start))
        .exclude(Exists(later))
        .aggregate(funds=Coalesce(Sum("funds_raised"), ZERO), jobs=Coalesce(Sum("jobs_created"), 0))
    )
    rows = [
        (_("entries"), flows["entries"]),
        (_("graduations"), flows["graduations"]),
        (_("funds raised (€, to date)"), totals["funds"]),
        (_("jobs created (to date)"), totals["jobs"]),
    ]
    return [
        Figure(
            "startups-by-stage",
            _("Start-ups hosted, by programme stage"),
            [_("stage"), _("start-ups")],
            by_stage,
            series=by_stage,
            description=_("Start-ups hosted at the end of the year (today for this year)."),
        ),
        Figure(
            "incubator",
            _("Incubator"),
            [_("figure"), _("value")],
            rows,
            series=rows[:2],
            description=_("Entries, graduations, and the latest funds raised and jobs created."),
        ),
    ]


def offices_figure(year):
    today = timezone.localdate()
    first = date(today.year - 1, today.month, 1)
    last = date(today.year + 1, today.month, 1)
    months = occupancy.occupancy_by_month(first, last)
    rows = [
        (
            month["month"].strftime("%Y-%m"),
            month["let_m2"],
            month["delivered_m2"],
            None if month["rate"] is None else (month["rate"] * 100).quantize(Decimal("0.1")),
        )
        for month in months
    ]
    return Figure(
        "occupancy",
        _("Office occupancy by month"),
        [_("month"), _("m² let"), _("m² delivered"), _("occupancy (%)")],
        rows,
        chart="line",
        unit="%",
        series=[(row[0], row[3] or 0) for row in rows],
        description=_(
            "Occupancy on the first day of each month, the past 12 months and the next 12, "
            "with the extension's delivery."
        ),
    )


def school_figures(year):
    start, end = school_year_bounds(year)
    by_type = dict(
        Student.objects.filter(status=Student.Status.ENROLLED)
        .values("programme__training_type")
        .annotate(n=Count("pk"))
        .values_list("programme__training_type", "n")
    )
    types = [(label, by_type.get(value, 0)) for value, label in Programme.TrainingType.choices]
    placements = Placement.objects.overlapping(start, end)
    by_company = list(
        placements.values("company__trade_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "company__trade_name")
        .values_list("company__trade_name", "n")[:10]
    )
    by_programme = list(
        placements.values("student__programme__title")
        .annotate(n=Count("pk"))
        .order_by("-n", "student__programme__title")
        .values_list("student__programme__title", "n")
    )
    label = f"{year}–{year + 1}"
    return [
        Figure(
            "students",
            _("Students enrolled, by training type"),
            [_("training type"), _("students")],
            types,
            series=types,
        ),
        Figure(
            "placements-by-company",
            _("Placements by company, school year %(year)s") % {"year": label},
            [_("company"), _("placements")],
            by_company,
            series=by_company,
            description=_("The ten companies that hosted the most students."),
        ),
        Figure(
            "placements-by-programme",
            _("Placements by programme, school year %(year)s") % {"year": label},
            [_("programme"), _("placements")],
            by_programme,
            series=by_programme,
        ),
    ]


def dashboard(year):
    """Return every figure of ``year``, in the dashboard's order."""
    return [
        *members_figures(year),
        dues_figure(year),
        *incubator_figures(year),
        offices_figure(year),
        *school_figures(year),
    ]
