"""The cluster's services, one module per concern; the public names are re-exported here."""

from .personal_data import (
    personal_data_export,
    personal_data_subject,
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
    "TodoKind",
    "personal_data_export",
    "personal_data_subject",
    "placement_statistics",
    "placements_by_company",
    "placements_by_programme",
    "placements_by_school_year",
    "school_year_label",
    "staff_todo",
    "student_date_status",
    "students_purge",
    "students_to_purge",
    "students_without_status_date",
    "todo_count",
    "todo_kinds_for",
]
