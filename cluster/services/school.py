"""The school's figures: placements by company, programme and school year, and each
student's dates."""

from django.db import models
from django.db.models import Case, Count, Q, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from members.models import localized_field

from ..models import Placement, Programme, Student

_KIND_COUNTS = {
    "internships": Count("pk", filter=Q(kind=Placement.Kind.INTERNSHIP)),
    "work_studies": Count("pk", filter=Q(kind=Placement.Kind.WORK_STUDY)),
    "jobs": Count("pk", filter=Q(kind=Placement.Kind.JOB)),
}


# The year (September to August) a placement starts in, computed by the database:
# September 2025 to August 2026 is the school year 2025.
SCHOOL_YEAR = Case(
    When(start__month__gte=9, then=ExtractYear("start")),
    default=ExtractYear("start") - 1,
    output_field=models.IntegerField(),
)


def school_year_label(year):
    """Return how a school year starting in September of ``year`` is written: 2025–2026."""
    return f"{year}–{year + 1}"


def placements_by_company(placements=None):
    """Return each host company with its number of placements, the busiest first."""
    placements = Placement.objects.all() if placements is None else placements
    return list(
        placements.values("company_id", "company__trade_name")
        .annotate(total=Count("pk"), **_KIND_COUNTS)
        .order_by("-total", "company__trade_name")
    )


def placements_by_programme(placements=None):
    """Return each school programme with the number of its students' placements."""
    placements = Placement.objects.all() if placements is None else placements
    rows = list(
        placements.values(
            "student__programme_id",
            "student__programme__training_type",
            programme=localized_field("student__programme__title"),
        )
        .annotate(total=Count("pk"), **_KIND_COUNTS)
        .order_by("programme")
    )
    labels = dict(Programme.TrainingType.choices)
    for row in rows:
        row["training_type_label"] = labels.get(row["student__programme__training_type"], "")
    return rows


def placements_by_school_year(placements=None):
    """Return each school year (from the placement's start) with its placements, oldest first."""
    placements = Placement.objects.all() if placements is None else placements
    rows = list(
        placements.annotate(school_year=SCHOOL_YEAR)
        .values("school_year")
        .annotate(total=Count("pk"), **_KIND_COUNTS)
        .order_by("school_year")
    )
    for row in rows:
        row["label"] = school_year_label(row["school_year"])
    return rows


def placement_statistics():
    """Return the three tables of the statistics page (three queries)."""
    return {
        "by_company": placements_by_company(),
        "by_programme": placements_by_programme(),
        "by_school_year": placements_by_school_year(),
    }


def student_date_status(student, *, today=None):
    """Date a student's leaving or graduation when nobody did; clear it for the enrolled.

    ``purge_students`` counts the retention period from this date, so a student who left
    must never be without one.
    """
    if student.status == Student.Status.ENROLLED:
        student.status_changed_on = None
    elif student.status_changed_on is None:
        student.status_changed_on = today or timezone.localdate()
