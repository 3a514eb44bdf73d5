"""One reader for the spreadsheets that staff import, shared by the admin's import (through
django-import-export's formats, ``IMPORT_FORMATS``) and ``manage.py import_companies``.

- CSV is UTF-8, with or without a BOM; any other encoding is refused with a message that
  says how to save the file as "CSV UTF-8". Cells are separated by ``,`` or ``;``,
  whichever the header row uses (TSV: tabs).
- XLSX: the workbook's active sheet. Numbers stay numbers here; ``cell_text`` turns them
  into the text they were typed as, digits only (a SIRET is never "7.3282932E13").
- The first row holds the column names, normalised (case, accents, surrounding spaces:
  " Name " is "name"). Empty rows, and columns without a name whose cells are all empty,
  are left out; every row keeps the number a spreadsheet shows it with (the header is
  row 1), so that a problem is reported at the same place by the admin and the command.
"""

import codecs
import csv
import io
import zipfile
from datetime import datetime
from decimal import Decimal
from typing import NamedTuple

import openpyxl
import tablib
from django.utils.translation import gettext as _
from import_export import widgets
from import_export.formats import base_formats
from openpyxl.utils import get_column_letter

from .text import fold

ZIP_SIGNATURE = b"PK\x03\x04"  # how an XLSX (a zip archive) begins


class Problem(NamedTuple):
    """Something wrong in a file: its row (the header is row 1), its column, what is wrong,
    and the cell's value when there is one. Row and column are None when the problem is
    about the file as a whole, or about a whole row."""

    row: int | None
    column: str | None
    message: str
    value: str = ""

    def __str__(self):
        if self.row is None:
            return self.message
        if self.column is None:
            return _("row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return _("row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


class SpreadsheetError(ValueError):
    """A file that cannot be imported as it is, with its problems."""

    def __init__(self, problems):
        if isinstance(problems, str):
            problems = [Problem(None, None, problems)]
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


class Sheet(tablib.Dataset):
    """A dataset read from a file, which knows each of its rows' number in the file and the
    problems found in the file's shape (they are reported with the values' problems)."""

    def __init__(self, *, headers, rows, row_numbers, problems):
        super().__init__(*rows, headers=headers)
        self.row_numbers = row_numbers
        self.problems = problems


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


def cell_text(value):
    """Return a cell as the text it was typed as: a number a spreadsheet stored (9000,
    561020304.0, 7.3282932000074E13) as its digits, never "9000.0" or "7.3e+13"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    return str(value)


def normalise_header(value):
    """Return a column name as the resources spell it: " Description FR " is
    "description_fr", "Société" is "societe"."""
    return "_".join(fold(cell_text(value)).split())


def read_spreadsheet(content, *, file_format="csv"):
    """Return the ``Sheet`` in ``content`` (bytes): "csv" (``,`` or ``;``), "tsv" or "xlsx".

    Raise ``SpreadsheetError`` when the file cannot be read at all.
    """
    if file_format == "xlsx":
        rows = _xlsx_rows(content)
    else:
        rows = _text_rows(content, delimiters=("\t",) if file_format == "tsv" else (",", ";"))
    return _sheet(rows)


def _text_rows(content, *, delimiters):
    if content.startswith(ZIP_SIGNATURE):
        raise SpreadsheetError(
            _("This file is an Excel workbook, not CSV text: import it as XLSX.")
        )
    if b"\x00" in content:
        raise SpreadsheetError(_("The file contains NUL bytes: it is not CSV text."))
    content = content.removeprefix(codecs.BOM_UTF8)
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SpreadsheetError(not_utf8_message(content[: exc.start])) from exc
    if not text.strip():
        raise SpreadsheetError(_("The file is empty."))
    first_line = text.split("\n", 1)[0]
    delimiter = max(delimiters, key=first_line.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise SpreadsheetError(_("The file is not valid CSV: %(error)s.") % {"error": exc}) from exc


def not_utf8_message(before):
    """Say that the file is not UTF-8, on which row, and how to save it as CSV UTF-8.

    ``before`` is the file's text up to its first byte that is not UTF-8.
    """
    before = before.decode("utf-8")
    try:  # a row, rather than a line: a quoted cell may hold line breaks
        complete = len(list(csv.reader(io.StringIO(before, newline=""))))
        row = complete + (1 if not before or before.endswith(("\n", "\r")) else 0)
    except csv.Error:
        row = before.count("\n") + 1
    return _(
        "The file is not UTF-8 text: its first character in another encoding is on row "
        "%(row)d, and its accents would be garbled. Save it as CSV UTF-8 and import it "
        "again: in Excel, File › Save As › “CSV UTF-8 (comma delimited)”; in LibreOffice, "
        "File › Save As › “Text CSV”, then the character set “Unicode (UTF-8)”."
    ) % {"row": row}


# An XLSX is a zip archive: a small upload may unpack into gigabytes (a "zip bomb"), or
# declare a sheet a million rows long. Both are refused before openpyxl reads that far.
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 200


def _xlsx_rows(content):
    not_a_workbook = _(
        "This file is not an Excel workbook (XLSX). A CSV file must be imported as CSV."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise SpreadsheetError(not_a_workbook) from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _("This workbook unpacks into more than %(limit)d MB: save only the sheet to import.")
            % {"limit": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise SpreadsheetError(not_a_workbook) from exc
    try:
        rows = []
        for row in workbook.active.iter_rows(values_only=True, max_col=MAX_COLUMNS):
            if len(rows) > MAX_ROWS:
                raise SpreadsheetError(
                    _("The sheet has more than %(limit)d rows: import it in parts.")
                    % {"limit": MAX_ROWS}
                )
            rows.append(list(row))
        return rows
    finally:
        workbook.close()


def _sheet(rows):
    """Build the Sheet: named columns only, blank rows left out, rows keeping their numbers."""
    if not rows or all(is_blank(cell) for cell in rows[0]):
        raise SpreadsheetError(
            _("The file is empty.")
            if not rows
            else _("Row 1 is empty: it must hold the column names.")
        )
    header = [normalise_header(cell) for cell in rows[0]]
    named = [index for index, name in enumerate(header) if name]
    width_needed = named[-1] + 1
    problems, data, row_numbers = [], [], []
    unnamed_values = {}  # column index -> the first row that has a value there
    for number, cells in enumerate(rows[1:], start=2):
        if all(is_blank(cell) for cell in cells):
            continue
        for index, cell in enumerate(cells):
            if not is_blank(cell) and (index >= len(header) or not header[index]):
                unnamed_values.setdefault(index, number)
        if len(cells) < width_needed:
            problems.append(
                Problem(
                    number,
                    None,
                    _("%(cells)d cells where the header has %(headers)d.")
                    % {"cells": len(cells), "headers": width_needed},
                )
            )
        data.append([cells[index] if index < len(cells) else None for index in named])
        row_numbers.append(number)
    for index, first_row in sorted(unnamed_values.items()):
        problems.append(
            Problem(
                1,
                get_column_letter(index + 1),
                _("This column has values (the first on row %(row)d) but no name in row 1.")
                % {"row": first_row},
            )
        )
    names = [header[index] for index in named]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        problems.append(
            Problem(
                1,
                None,
                _("column(s) %(columns)s appear twice.") % {"columns": ", ".join(duplicated)},
            )
        )
    problems.sort(key=lambda problem: problem.row)
    return Sheet(headers=names, rows=data, row_numbers=row_numbers, problems=problems)


# --- Cells: what a spreadsheet did to numbers ------------------------------------------


def french_postcode(text):
    """Return a French postcode of five digits, with the leading 0 that a spreadsheet drops
    from a number (9000 is 09000); refuse any other number of digits."""
    digits = "".join(text.split())
    if not digits.isdigit():
        return text  # "66000 CEDEX" and other spellings are left as typed
    if len(digits) == 4 and not digits.startswith("0"):
        return "0" + digits
    if len(digits) != 5:
        raise ValueError(
            _("A French postcode has 5 digits; “%(value)s” has %(count)d.")
            % {"value": text, "count": len(digits)}
        )
    return digits


def french_phone(text):
    """Return a French phone number with the leading 0 that a spreadsheet drops from a
    number (561020304 is 0561020304); refuse any other number of digits. A number written
    with spaces, dots or a + is left as typed."""
    if not text.isdigit():
        return text
    if len(text) == 9 and not text.startswith("0"):
        return "0" + text
    if len(text) != 10 or not text.startswith("0"):
        raise ValueError(
            _(
                "“%(value)s” is not a French phone number: the spreadsheet probably read it "
                "as a number. Format the column as text and write the number in full, such "
                "as 04 68 00 00 00 or +33 4 68 00 00 00."
            )
            % {"value": text}
        )
    return text


class TextWidget(widgets.CharWidget):
    """Text from a cell of any type: a number that a spreadsheet stored (a SIRET, a
    postcode) is read as its digits, never as "9000.0" or "7.3282932000074e+13"."""

    def clean(self, value, row=None, **kwargs):
        if value is None:
            return "" if self.allow_blank else None
        return cell_text(value)


# --- django-import-export formats -----------------------------------------------------
# The admin's import reads files through these, so that it reads them as the command does.
# Each takes the file's bytes (is_binary), whatever it is: the reader decodes the text.


class CSV(base_formats.CSV):
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_spreadsheet(_bytes(in_stream), file_format="csv")


class TSV(base_formats.TSV):
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_spreadsheet(_bytes(in_stream), file_format="tsv")


class XLSX(base_formats.XLSX):
    def create_dataset(self, in_stream, **kwargs):
        return read_spreadsheet(_bytes(in_stream), file_format="xlsx")


IMPORT_FORMATS = [CSV, XLSX, TSV]


def _bytes(in_stream):
    return in_stream.encode("utf-8") if isinstance(in_stream, str) else bytes(in_stream)


def format_for(path):
    """Return the import format for a file, from its name's extension (CSV by default)."""
    suffix = path.suffix.lower()
    return {".xlsx": XLSX, ".tsv": TSV}.get(suffix, CSV)()
