"""Personal data: what is held about a person, exported as JSON, and the anonymisation of
former students past the retention period."""

from datetime import date

from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from members.models import Contact

from ..models import Placement, Student

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


_HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_type",
    "history_user",
    "history_change_reason",
}


def _values(instance, *, exclude=()):
    """Return the stored fields of ``instance``; a relation as its id and its name."""
    values = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.name in _HISTORY_FIELDS:
            continue
        if field.is_relation:
            related_id = getattr(instance, field.attname)
            try:
                related = getattr(instance, field.name) if related_id is not None else None
            except ObjectDoesNotExist:  # deleted since: a historical row keeps only the id
                related = None
            values[field.name] = (
                None
                if related_id is None
                else {"id": related_id, "label": str(related) if related else None}
            )
        else:
            values[field.name] = getattr(instance, field.attname)
    return values


def _history(instance):
    return [
        {
            "date": record.history_date,
            "type": HISTORY_TYPES.get(record.history_type, record.history_type),
            "user_id": record.history_user_id,
            "change_reason": record.history_change_reason,
            "fields": _values(record),
        }
        for record in instance.history.order_by("history_date", "history_id")
    ]


def personal_data_export(*, student=None, contact=None):
    """Return everything held about one student or one contact, ready for JSON.

    The record's fields, its history (every past version, with who changed it and when)
    and, for a student, their placements with the placements' history.
    """
    if (student is None) == (contact is None):
        raise ValueError("Give exactly one of student and contact.")
    if student is not None:
        placements = student.placements.select_related("company", "offer").order_by("start")
        return {
            "kind": "student",
            "id": student.pk,
            "exported_at": timezone.now(),
            "record": _values(student),
            "history": _history(student),
            "placements": [
                {
                    "record": _values(placement, exclude={"student"}),
                    "history": _history(placement),
                }
                for placement in placements
            ],
        }
    return {
        "kind": "contact",
        "id": contact.pk,
        "exported_at": timezone.now(),
        "record": _values(contact),
        "history": _history(contact),
    }


def personal_data_subject(*, student_id=None, contact_id=None):
    """Return the student or contact with this id (DoesNotExist when there is none)."""
    if student_id is not None:
        return Student.objects.select_related("programme").get(pk=student_id)
    return Contact.objects.select_related("company").get(pk=contact_id)


ANONYMISED_FIRST_NAME = "Anonymised"  # stored data, not a message: the same in every language


ANONYMISED_LAST_NAME_PREFIX = "Student-"


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
    """Anonymise the students past the retention period; return how many.

    Names, email and consents go; the programme, cohort, status and placements stay, so
    that the statistics do not change. The history rows, which hold the names, are
    replaced by one row recording the anonymisation, and the admin's log stops naming
    them. Idempotent: an anonymised student is never picked again.
    """
    today = today or timezone.localdate()
    ids = list(students_to_purge(today=today).select_for_update().values_list("pk", flat=True))
    if not ids:
        return 0
    Student.objects.filter(pk__in=ids).update(
        first_name=ANONYMISED_FIRST_NAME,
        last_name=Concat(
            Value(ANONYMISED_LAST_NAME_PREFIX), Cast("pk", CharField()), output_field=CharField()
        ),
        email="",
        consent_share_with_companies=False,
        consent_news=False,
        anonymised_on=today,
    )
    Student.history.filter(id__in=ids).delete()
    students = list(Student.objects.filter(pk__in=ids))
    Student.history.bulk_history_create(
        students, update=True, default_change_reason="anonymised: retention period over"
    )
    _rename_in_admin_log(students)
    return len(ids)


def _rename_in_admin_log(students):
    """Replace the names that the admin's log copied into its entries on these students."""
    student_type = ContentType.objects.get_for_model(Student)
    placement_type = ContentType.objects.get_for_model(Placement)
    for student in students:
        LogEntry.objects.filter(content_type=student_type, object_id=str(student.pk)).update(
            object_repr=str(student)
        )
    placements = Placement.objects.filter(student__in=students).select_related("student", "company")
    for placement in placements:
        LogEntry.objects.filter(content_type=placement_type, object_id=str(placement.pk)).update(
            object_repr=str(placement)[:200]
        )
