"""The base of every spreadsheet resource: formulas neutralised on export and restored on
import, values trimmed, errors reported by row and column (``row_errors``)."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export import resources

# A cell beginning with one of these is run as a formula by spreadsheet programs.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Prefix a quote to a text cell that a spreadsheet would run as a formula (OWASP)."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def restore_formula_escape(value):
    """Undo ``neutralise_formula`` so that an exported file imports back unchanged."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def is_blank(value):
    return value is None or (isinstance(value, str) and value.strip() == "")


class SpreadsheetResource(resources.ModelResource):
    """A resource whose files go through spreadsheets: cells that a spreadsheet would run
    as formulas are neutralised on export and restored on import, values are trimmed, and
    errors name the column. With ``keep_on_blank``, an empty cell never erases a value."""

    keep_on_blank = False

    def column_for(self, key):
        """Return the column that a model's error key (a field name) is about."""
        if key == NON_FIELD_ERRORS:
            return "-"
        for field in self.get_import_fields():
            if field.attribute == key:
                return field.column_name
        return key

    def before_import_row(self, row, **kwargs):
        for key, value in row.items():
            value = restore_formula_escape(value)
            row[key] = value.strip() if isinstance(value, str) else value

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if self.keep_on_blank and is_blank(row.get(field.column_name)):
            return  # An empty cell never erases a value: the default or the register's.
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))


def row_errors(resource, result, row_numbers=None):
    """Return ``(row, column, message)`` for every problem in an import result.

    Rows are numbered as a spreadsheet shows them: the header is row 1, so the first
    company is row 2. ``row_numbers`` gives each dataset row's number in the file when
    the caller left some lines out.
    """

    def file_row(number):
        return row_numbers[number - 1] if row_numbers else number + 1

    problems = []
    for error in result.base_errors:
        problems.append((None, "-", str(error.error)))
    for line_number, errors in result.row_errors():
        for error in errors:
            problems.append((file_row(line_number), "-", str(error.error)))
    for invalid in result.invalid_rows:
        for key, messages in invalid.error_dict.items():
            for message in messages:
                text = message.messages[0] if isinstance(message, ValidationError) else message
                problems.append((file_row(invalid.number), resource.column_for(key), str(text)))
    problems.sort(key=lambda item: (item[0] or 0, item[1]))
    return problems
