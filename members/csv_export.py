"""Every CSV the site offers, in two variants: plain, and for French Excel.

- Plain: cells separated by ``,``, a decimal point, ISO dates, UTF-8: what other software
  and scripts read.
- French Excel (``?variant=excel-fr``): Excel opens a CSV with its locale's list separator
  and decimal mark, so a French Excel wants ``;`` and a decimal comma, dates as
  31/12/2026, and it takes the file for UTF-8 only when it starts with a byte order mark.

Both keep the formula protection: a text cell that a spreadsheet would run as a formula
(``=``, ``+``, ``-``, ``@``…) gets a leading ``'``; numbers are numbers, never prefixed.
The admin's exports (django-import-export), the dues ledger, the rent roll and the
dashboard's figures all write through this module.
"""

import csv
import io
import re
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from import_export.formats import base_formats

from .text import neutralise_formula

PLAIN = "plain"
EXCEL_FR = "excel-fr"
PARAMETER = "variant"
# A number as Python and the export widgets write it: "1234", "-12.50".
_NUMBER = re.compile(r"-?\d+(\.\d+)?")


def variant_of(request) -> str:
    """Return the variant a download asks for (``?variant=excel-fr``), plain otherwise."""
    return EXCEL_FR if request.GET.get(PARAMETER) == EXCEL_FR else PLAIN


def cell(value, variant: str = PLAIN) -> str:
    """Return ``value`` as a CSV cell of ``variant``: numbers and dates in its format,
    text protected against formulas."""
    excel = variant == EXCEL_FR
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Decimal | int | float):
        value = str(value)
    elif isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%d/%m/%Y %H:%M") if excel else value.isoformat()
    elif isinstance(value, date):
        return value.strftime("%d/%m/%Y") if excel else value.isoformat()
    text = str(value)
    if _NUMBER.fullmatch(text):
        return text.replace(".", ",") if excel else text
    return neutralise_formula(text)


def write_rows(output, rows: Iterable[Iterable], variant: str = PLAIN) -> None:
    """Write ``rows`` to the text stream ``output`` as CSV of ``variant``."""
    writer = csv.writer(output, delimiter=";" if variant == EXCEL_FR else ",")
    for row in rows:
        writer.writerow([cell(value, variant) for value in row])


def csv_bytes(rows: Iterable[Iterable], variant: str = PLAIN) -> bytes:
    """Return ``rows`` as the bytes of a CSV file of ``variant`` (with a BOM for Excel)."""
    buffer = io.StringIO(newline="")
    write_rows(buffer, rows, variant)
    return buffer.getvalue().encode("utf-8-sig" if variant == EXCEL_FR else "utf-8")


def csv_response(filename: str, rows: Iterable[Iterable], variant: str = PLAIN) -> HttpResponse:
    """Return a download of ``rows`` as ``filename``; the French Excel file is named
    ``…-excel-fr.csv`` so that both can sit side by side."""
    if variant == EXCEL_FR:
        path = PurePosixPath(filename)
        filename = f"{path.stem}-excel-fr{path.suffix}"
    response = HttpResponse(csv_bytes(rows, variant), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class PlainCSV(base_formats.CSV):
    """The admin's plain CSV export, written as every other CSV of the site."""

    def is_binary(self):
        return True

    def export_data(self, dataset, **kwargs):
        return csv_bytes([dataset.headers or [], *dataset], PLAIN)


class ExcelFrenchCSV(PlainCSV):
    """The admin's export format for French Excel, offered beside plain CSV."""

    def get_title(self):
        return str(_("csv for French Excel (;)"))

    def can_import(self):
        return False  # the import reads either separator as CSV already

    def export_data(self, dataset, **kwargs):
        return csv_bytes([dataset.headers or [], *dataset], EXCEL_FR)


# The admin's export formats: django-import-export's, with both CSVs first.
EXPORT_FORMATS = [
    PlainCSV,
    ExcelFrenchCSV,
    *(f for f in base_formats.DEFAULT_FORMATS if f is not base_formats.CSV),
]
