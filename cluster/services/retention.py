"""Retention periods: what is anonymised once it is no longer needed, by the scheduled
commands ``purge_students`` and ``purge_applications``.

- Former students, ``CITE_STUDENT_RETENTION_YEARS`` after they left or graduated.
- Applications, once decided: ``CITE_APPLICATION_RETENTION_DAYS`` after a rejection,
  ``CITE_APPROVED_APPLICATION_RETENTION_DAYS`` after an approval. Pending ones wait.

Anonymised, not deleted, so that the figures (placements, applications by status) stay.
"""

from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import Application

from ..models import Erasure, Student
from .erasure import application_erase, students_anonymise


def _days_before(today, days):
    return today - timedelta(days=days)


def applications_to_purge(*, today: date | None = None):
    """Return the applications decided longer ago than their retention period, not
    anonymised yet: rejected ones after CITE_APPLICATION_RETENTION_DAYS, approved ones
    after CITE_APPROVED_APPLICATION_RETENTION_DAYS. Pending ones wait for a decision."""
    today = today or timezone.localdate()
    erased = Erasure.objects.filter(kind=Erasure.Kind.APPLICATION).values("object_id")
    return (
        Application.objects.annotate(decided=Coalesce("reviewed_at", "created_at"))
        .filter(
            Q(
                status=Application.Status.REJECTED,
                decided__date__lt=_days_before(today, settings.CITE_APPLICATION_RETENTION_DAYS),
            )
            | Q(
                status=Application.Status.APPROVED,
                decided__date__lt=_days_before(
                    today, settings.CITE_APPROVED_APPLICATION_RETENTION_DAYS
                ),
            )
        )
        .exclude(pk__in=erased)
        .order_by("pk")
    )


def applications_purge(*, today: date | None = None) -> int:
    """Anonymise the applications past their retention period; return how many."""
    ids = list(applications_to_purge(today=today).values_list("pk", flat=True))
    for pk in ids:
        application_erase(pk=pk, reason=Erasure.Reason.RETENTION)
    return len(ids)


def _years_before(day, years):
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return date(day.year - years, 2, 28)


def students_to_purge(*, today=None):
    """Return the students who left or graduated more than the retention period ago."""
    today = today or timezone.localdate()
    cutoff = _years_before(today, settings.CITE_STUDENT_RETENTION_YEARS)
    return Student.objects.filter(
        status__in=[Student.Status.LEFT, Student.Status.GRADUATED],
        status_changed_on__lt=cutoff,
        anonymised_on__isnull=True,
    )


def students_without_status_date():
    """Return the students who left or graduated with no date: the purge cannot age them."""
    return Student.objects.filter(
        status__in=[Student.Status.LEFT, Student.Status.GRADUATED],
        status_changed_on__isnull=True,
        anonymised_on__isnull=True,
    )


@transaction.atomic
def students_purge(*, today=None):
    """Anonymise the students past the retention period; return how many. Idempotent:
    an anonymised student is never picked again."""
    today = today or timezone.localdate()
    ids = list(students_to_purge(today=today).select_for_update().values_list("pk", flat=True))
    if ids:
        students_anonymise(ids, today=today, reason="retention period over")
        Erasure.objects.bulk_create(
            [
                Erasure(kind=Erasure.Kind.STUDENT, object_id=pk, reason=Erasure.Reason.RETENTION)
                for pk in ids
            ],
            ignore_conflicts=True,
        )
    return len(ids)
