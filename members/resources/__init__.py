"""django-import-export resources: one description of each spreadsheet's columns, shared
by the admin's import and export and by ``manage.py import_companies``."""

from ..text import FORMULA_TRIGGERS, neutralise_formula, restore_formula_escape
from .base import SpreadsheetResource, SpreadsheetResult, SpreadsheetRowResult
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
