"""The base of every spreadsheet resource: formulas neutralised on export and restored on
import, numbers read as text, header checks, rows about the same object refused, and every
problem numbered as a spreadsheet numbers its rows (``result.problems``).

Files are read by ``members.spreadsheet``; here each cell becomes a value and each row an
object.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from import_export import resources, results

from ..models.register import Country
from ..spreadsheet import (
    Problem,
    SpreadsheetError,
    TextWidget,
    cell_text,
    french_phone,
    french_postcode,
    is_blank,
)
from ..text import neutralise_formula, restore_formula_escape


class SpreadsheetResult(results.Result):
    """An import's result, with every problem listed by row and column (``problems``)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = []


class SpreadsheetRowResult(results.RowResult):
    """A row's result, with the row's number in the file (the header is row 1)."""

    def __init__(self):
        super().__init__()
        self.number = None


class SpreadsheetResource(resources.ModelResource):
    """A resource whose files go through spreadsheets.

    - Cells that a spreadsheet would run as formulas are neutralised on export and
      restored on import; values are trimmed; numbers in text columns are read as their
      digits. With ``keep_on_blank``, an empty cell never erases a value.
    - The header must name known columns only, and ``required_columns``.
    - Two rows of one file about the same object are refused, with both rows' numbers.
    - With the country France, ``postcode_fields`` and ``phone_fields`` get back the
      leading 0 that a spreadsheet drops from a number, or are refused.
    - ``import_data`` returns a result whose ``problems`` are numbered as in the file.
    """

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "CharField": TextWidget,
        "TextField": TextWidget,
    }

    keep_on_blank = False
    required_columns = ()
    #: The model field that says which object a row is about, where two rows of one
    #: file about the same object are reported.
    identity_field = NON_FIELD_ERRORS
    postcode_fields = ()
    phone_fields = ()

    def get_result_class(self):
        return SpreadsheetResult

    def get_row_result_class(self):
        return SpreadsheetRowResult

    def column_for(self, key):
        """Return the column that a model's error key (a field name) is about."""
        if key == NON_FIELD_ERRORS:
            return None
        for field in self.get_import_fields():
            if field.attribute == key:
                return field.column_name
        return key

    def column_names(self):
        return [field.column_name for field in self.get_import_fields()]

    def file_row(self, number):
        """Return the row of the file that the dataset's row ``number`` (from 1) was read
        from; the header is row 1."""
        return self._row_numbers[number - 1]

    def import_data(self, dataset, *args, **kwargs):
        result = super().import_data(dataset, *args, **kwargs)
        result.problems = self.problems_in(result)
        return result

    def before_import(self, dataset, **kwargs):
        # A Sheet knows its rows' numbers; any other dataset has no blank row to skip.
        self._row_numbers = list(
            getattr(dataset, "row_numbers", None) or range(2, len(dataset) + 2)
        )
        self._headers = list(dataset.headers or [])
        self._current_row = None
        self._claimed = {}  # object pk -> the first row of the file about it
        problems = list(getattr(dataset, "problems", []))
        problems += self.header_problems(self._headers)
        if problems:
            del dataset[:]  # nothing to import: the file's shape is wrong
            raise SpreadsheetError(problems)

    def header_problems(self, headers):
        """Return the problems of the header row: unknown or missing columns."""
        problems = []
        known = self.column_names()
        unknown = [header for header in headers if header not in known]
        if unknown:
            problems.append(
                Problem(
                    1,
                    None,
                    _("unknown column(s) %(unknown)s; the columns are %(columns)s.")
                    % {"unknown": ", ".join(unknown), "columns": ",".join(known)},
                )
            )
        for column in self.required_columns:
            if column not in headers:
                problems.append(
                    Problem(1, None, _("the column “%(column)s” is required.") % {"column": column})
                )
        return problems

    def before_import_row(self, row, **kwargs):
        self._current_row = self.file_row(kwargs["row_number"])
        for key, value in row.items():
            value = restore_formula_escape(value)
            row[key] = value.strip() if isinstance(value, str) else value

    def get_or_init_instance(self, instance_loader, row):
        instance, new = super().get_or_init_instance(instance_loader, row)
        if not new:
            self.claim(instance)
        return instance, new

    def claim(self, instance):
        """Note that the current row is about ``instance``; refuse a second row about it."""
        first = self._claimed.setdefault(instance.pk, self._current_row)
        if first != self._current_row:
            raise ValidationError(
                {
                    self.identity_field: _(
                        "Row %(row)d of the file is about this %(model)s too (“%(object)s”); "
                        "give each one row."
                    )
                    % {
                        "row": first,
                        "model": self._meta.model._meta.verbose_name,
                        "object": instance,
                    }
                }
            )

    def after_save_instance(self, instance, row, **kwargs):
        super().after_save_instance(instance, row, **kwargs)
        self._claimed.setdefault(instance.pk, self._current_row)

    def after_import_row(self, row, row_result, **kwargs):
        super().after_import_row(row, row_result, **kwargs)
        row_result.number = self._current_row

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        if self.keep_on_blank and is_blank(row.get(field.column_name)):
            return  # An empty cell never erases a value: the default or the register's.
        super().import_field(field, instance, row, is_m2m=is_m2m, **kwargs)

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if self.country_of(instance) == Country.FRANCE:
            rules = [(name, french_postcode) for name in self.postcode_fields]
            rules += [(name, french_phone) for name in self.phone_fields]
            for name, rule in rules:
                field = self.fields[name]
                if is_blank(row.get(field.column_name)) or field.attribute in errors:
                    continue
                try:
                    setattr(instance, field.attribute, rule(getattr(instance, field.attribute)))
                except ValueError as exc:
                    errors[field.attribute] = [ValidationError(str(exc), code="invalid")]
        if errors:
            raise ValidationError(errors)

    def country_of(self, instance):
        """Return the country whose rules apply to the row's postcode and phone number."""
        return getattr(instance, "country", None) or Country.FRANCE

    def export_field(self, field, instance, **kwargs):
        return neutralise_formula(super().export_field(field, instance, **kwargs))

    def problems_in(self, result):
        """Return every problem of an import's result, in file order."""
        problems = []
        for error in result.base_errors:
            if isinstance(error.error, SpreadsheetError):
                problems += error.error.problems
            elif isinstance(error.error, ValidationError):
                problems += [Problem(None, None, message) for message in error.error.messages]
            else:
                problems.append(Problem(None, None, str(error.error)))
        for number, errors in result.row_errors():
            problems += [Problem(self.file_row(number), None, str(e.error)) for e in errors]
        for invalid in result.invalid_rows:
            # The values are in the order of the resource's columns ("---" where the file
            # has none).
            values = dict(zip(result.diff_headers, invalid.values, strict=False))
            for key, messages in invalid.error_dict.items():
                column = self.column_for(key)
                value = cell_text(values.get(column)) if column in self._headers else ""
                for message in messages:
                    if isinstance(message, ValidationError):
                        message = message.messages[0]
                    problems.append(Problem(self.file_row(invalid.number), column, message, value))
        problems.sort(key=lambda problem: (problem.row or 0, problem.column or ""))
        return problems
