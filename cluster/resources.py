"""The school's students as a spreadsheet, for the admin's import (all or nothing) and export."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, widgets

from members.resources import SpreadsheetResource
from members.spreadsheet import Problem, cell_text, is_blank

from . import services
from .models import Programme, Student

COLUMNS = (
    "first_name",
    "last_name",
    "email",
    "programme",
    "cohort_year",
    "status",
    "consent_share_with_companies",
    "consent_news",
)


class ProgrammeWidget(widgets.ForeignKeyWidget):
    """A school programme given by its title (any case) or its id. An unknown one is an error."""

    def __init__(self):
        super().__init__(Programme, field="title")
        self.known = None  # filled once an import, by StudentResource.before_import

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if self.known is None:
            self.known = list(Programme.objects.all())
        text = cell_text(value).strip()
        for programme in self.known:
            if programme.title.casefold() == text.casefold() or str(programme.pk) == text:
                return programme
        raise ValueError(
            _("Unknown programme “%(programme)s”. Known programmes: %(known)s.")
            % {
                "programme": text,
                "known": ", ".join(programme.title for programme in self.known) or "—",
            }
        )

    def render(self, value, obj=None, **kwargs):
        return value.title if value else ""


class YesNoWidget(widgets.BooleanWidget):
    """A yes/no cell: 1/0, true/false, yes/no or oui/non. Anything else is an error."""

    TRUE_TEXTS = {"1", "true", "yes", "oui", "y", "o"}
    FALSE_TEXTS = {"0", "false", "no", "non", "n"}

    def clean(self, value, row=None, **kwargs):
        if is_blank(value):
            return None
        if isinstance(value, bool):
            return value
        text = cell_text(value).strip().casefold()
        if text in self.TRUE_TEXTS:
            return True
        if text in self.FALSE_TEXTS:
            return False
        raise ValueError(_("“%(value)s” is not yes or no (1 or 0).") % {"value": value})


class StudentResource(SpreadsheetResource):
    """The students as a spreadsheet: one row a student.

    Rows are matched to existing students by email (in any case), so that importing the
    same file again updates them instead of adding them twice; a row without an email is
    always a new student. An empty cell never erases what the register holds.
    """

    keep_on_blank = True
    identity_field = "email"

    programme = fields.Field(
        attribute="programme", column_name="programme", widget=ProgrammeWidget()
    )
    consent_share_with_companies = fields.Field(
        attribute="consent_share_with_companies",
        column_name="consent_share_with_companies",
        widget=YesNoWidget(),
    )
    consent_news = fields.Field(
        attribute="consent_news", column_name="consent_news", widget=YesNoWidget()
    )

    class Meta:
        model = Student
        fields = COLUMNS
        import_order = COLUMNS
        export_order = COLUMNS
        clean_model_instances = True
        skip_unchanged = False
        use_transactions = True

    def before_import(self, dataset, **kwargs):
        self._emails_seen = {}  # email -> (the first row that has it, the student's name)
        self.fields["programme"].widget.known = list(Programme.objects.all())
        super().before_import(dataset, **kwargs)

    def header_problems(self, headers):
        problems = super().header_problems(headers)
        if "email" not in headers and not {"first_name", "last_name"} <= set(headers):
            problems.append(
                Problem(
                    1,
                    None,
                    _("The file needs an “email” column, or “first_name” and “last_name”."),
                )
            )
        return problems

    def get_instance(self, instance_loader, row):
        """Find the student by email; refuse an email that an earlier row already had."""
        email = cell_text(row.get("email")).strip()
        if not email:
            return None
        key = email.casefold()
        if key in self._emails_seen:
            first, name = self._emails_seen[key]
            raise ValidationError(
                {
                    "email": _("Row %(row)d of the file has this email too (“%(name)s”).")
                    % {"row": first, "name": name}
                }
            )
        self._emails_seen[key] = (
            self._current_row,
            " ".join(cell_text(row.get(part)) for part in ("first_name", "last_name")).strip()
            or email,
        )
        return Student.objects.filter(email__iexact=email).first()

    def before_save_instance(self, instance, row, **kwargs):
        services.student_date_status(instance)
