"""The cluster's services, one module per concern; the public names are re-exported here."""

from .erasure import (
    ErasureRefused,
    ErasureReport,
    application_erase,
    contact_erase,
    personal_data_erase,
    personal_data_erase_email,
    student_erase,
    user_erase,
)
from .personal_data import (
    describe_person,
    emails_to,
    ids_by_email,
    personal_data_by_email,
    personal_data_export,
)
from .retention import (
    applications_purge,
    applications_to_purge,
    students_purge,
    students_to_purge,
    students_without_status_date,
)
from .school import (
    placement_statistics,
    placements_by_company,
    placements_by_programme,
    placements_by_school_year,
    school_year_label,
    student_date_status,
)
from .todo import TODO, TodoItem, TodoKind, staff_todo, todo_count, todo_kinds_for

__all__ = [
    "TODO",
    "TodoItem",
    "ErasureRefused",
    "ErasureReport",
    "TodoKind",
    "application_erase",
    "applications_purge",
    "applications_to_purge",
    "contact_erase",
    "describe_person",
    "emails_to",
    "ids_by_email",
    "personal_data_by_email",
    "personal_data_erase",
    "personal_data_erase_email",
    "personal_data_export",
    "placement_statistics",
    "placements_by_company",
    "placements_by_programme",
    "placements_by_school_year",
    "school_year_label",
    "staff_todo",
    "student_date_status",
    "student_erase",
    "students_purge",
    "students_to_purge",
    "students_without_status_date",
    "todo_count",
    "todo_kinds_for",
    "user_erase",
]
