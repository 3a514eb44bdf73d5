"""django-import-export resources: one description of each spreadsheet's columns, shared
by the admin's import and export and by ``manage.py import_companies``."""

from .base import (
    FORMULA_TRIGGERS,
    SpreadsheetResource,
    SpreadsheetResult,
    SpreadsheetRowResult,
    neutralise_formula,
    restore_formula_escape,
)
from .register import CompanyResource, ContactResource, SectorResource, SectorsWidget

__all__ = [
    "FORMULA_TRIGGERS",
    "CompanyResource",
    "ContactResource",
    "SectorResource",
    "SectorsWidget",
    "SpreadsheetResource",
    "SpreadsheetResult",
    "SpreadsheetRowResult",
    "neutralise_formula",
    "restore_formula_escape",
]
