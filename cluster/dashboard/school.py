"""The school, counted by school year (September to August)."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from members.models import localized_field

from ..models import Placement, Programme, Student
from .figures import Column, Figure, KeyFigure
from .periods import Period

TOP_COMPANIES = 10


def enrolled_in(period):
    """Students enrolled at some time in the school year: in a cohort that had started, and
    neither graduated nor left before the year began. A student who graduated or left with
    no date cannot be placed in time and is not counted."""
    return Q(cohort_year__lte=period.year) & (
        Q(status=Student.Status.ENROLLED) | Q(status_changed_on__gte=period.start)
    )


def under_way_in(period):
    """Placements that cover at least one day of the school year."""
    return Q(start__lt=period.end, end__gt=period.start)


def definitions():
    return [
        (
            _("Student"),
            _(
                "A student of a cohort that started by September of the school year, who had "
                "not graduated or left before it began."
            ),
        ),
        (
            _("Placement"),
            _(
                "An internship, work-study contract or job that covers at least one day of "
                "the school year: one across two school years counts in both."
            ),
        ),
    ]


def figures(year):
    """Return the school's key figures and figures for the school year ``year``–``year + 1``
    (4 queries)."""
    period = Period.school(year)
    previous = period.previous()
    by_type = {
        row["programme__training_type"]: row
        for row in Student.objects.order_by()
        .values("programme__training_type")
        .annotate(
            this=Count("pk", filter=enrolled_in(period)),
            last=Count("pk", filter=enrolled_in(previous)),
        )
    }
    types = [
        (label, by_type.get(value, {}).get("this", 0))
        for value, label in Programme.TrainingType.choices
    ]
    students_last = sum(row["last"] for row in by_type.values())
    placements = Placement.objects.filter(under_way_in(period))
    totals = Placement.objects.aggregate(
        this=Count("pk", filter=under_way_in(period)),
        last=Count("pk", filter=under_way_in(previous)),
    )
    by_company = list(
        placements.values("company__trade_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "company__trade_name")
        .values_list("company__trade_name", "n")[:TOP_COMPANIES]
    )
    others = totals["this"] - sum(n for _name, n in by_company)
    company_rows = by_company + ([(_("other companies"), others)] if others else [])
    by_programme = list(
        placements.values(programme=localized_field("student__programme__title"))
        .annotate(n=Count("pk"))
        .order_by("-n", "programme")
        .values_list("programme", "n")
    )
    tiles = [
        KeyFigure(
            "students",
            _("Students"),
            sum(n for _label, n in types),
            students_last,
            "count",
            period,
            figure="students",
        ),
        KeyFigure(
            "placements",
            _("Placements"),
            totals["this"],
            totals["last"],
            "count",
            period,
            figure="placements-by-company",
        ),
    ]
    return tiles, [
        Figure(
            "students",
            _("Students, by training type"),
            period,
            [Column(_("training type")), Column(_("students"), "count")],
            types,
            series=types,
            description=_("Students enrolled during the school year, by training type."),
            definitions=definitions()[:1],
        ),
        Figure(
            "placements-by-company",
            _("Placements, by host company"),
            period,
            [Column(_("company")), Column(_("placements"), "count")],
            company_rows,
            series=by_company,
            description=_(
                "The ten companies that hosted the most placements; the table adds the others."
            ),
            definitions=definitions()[1:],
        ),
        Figure(
            "placements-by-programme",
            _("Placements, by school programme"),
            period,
            [Column(_("school programme")), Column(_("placements"), "count")],
            by_programme,
            series=by_programme,
            description=_("Placements of the school year, by the student's programme."),
            definitions=definitions()[1:],
        ),
    ]
