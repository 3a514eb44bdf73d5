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

__all__ = [
    "personal_data_export",
    "personal_data_subject",
    "placement_statistics",
    "placements_by_company",
    "placements_by_programme",
    "placements_by_school_year",
    "school_year_label",
    "student_date_status",
    "students_purge",
    "students_to_purge",
    "students_without_status_date",
]
