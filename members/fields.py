"""Model fields: one-line texts, identifiers normalised before validation, and dates
within years people mean."""

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import identifiers
from .text import validate_single_line


class SingleLineField(models.CharField):
    """A CharField that refuses line breaks, checked by ``full_clean()`` and model forms.

    Every short text of the models is one: names and titles end up in email subjects and
    headers, where a line break is refused (BadHeaderError) or, worse, obeyed.
    """

    default_validators = [validate_single_line]


class NormalisedCharField(SingleLineField):
    """A CharField that stores one spelling of its value (no spaces, capitals...).

    ``to_python`` runs first in ``Model.full_clean()``, so validators and the unique
    check see the normalised value, and typing "123 456 789" in a form is accepted.
    """

    normalise = staticmethod(lambda value: value)
    input_max_length = 32

    def to_python(self, value):
        value = super().to_python(value)
        return self.normalise(value.strip()) if value else ""

    def formfield(self, **kwargs):
        field = super().formfield(**kwargs)
        # Let people type spaces, dots and dashes; the model check counts the digits.
        field.max_length = self.input_max_length
        for validator in list(field.validators):
            if validator.__class__.__name__ == "MaxLengthValidator":
                field.validators.remove(validator)
        field.widget.attrs["maxlength"] = str(self.input_max_length)
        return field


class SirenField(NormalisedCharField):
    normalise = staticmethod(identifiers.normalise_siren)
    default_validators = [identifiers.validate_siren]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 9)
        super().__init__(*args, **kwargs)


class SiretField(NormalisedCharField):
    normalise = staticmethod(identifiers.normalise_siret)
    default_validators = [identifiers.validate_siret]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 14)
        super().__init__(*args, **kwargs)


class VatNumberField(NormalisedCharField):
    normalise = staticmethod(identifiers.normalise_vat)
    default_validators = [identifiers.validate_vat]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 16)
        super().__init__(*args, **kwargs)


class IbanField(NormalisedCharField):
    normalise = staticmethod(identifiers.normalise_iban)
    default_validators = [identifiers.validate_iban]
    input_max_length = 48

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 34)
        super().__init__(*args, **kwargs)


class BicField(NormalisedCharField):
    normalise = staticmethod(identifiers.normalise_bic)
    default_validators = [identifiers.validate_bic]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 11)
        super().__init__(*args, **kwargs)


class CreditorIdField(NormalisedCharField):
    """A SEPA creditor identifier (AT-02), such as FR72ZZZ123456."""

    normalise = staticmethod(identifiers.normalise_creditor_id)
    default_validators = [identifiers.validate_creditor_id]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 35)
        super().__init__(*args, **kwargs)


class NafCodeField(NormalisedCharField):
    normalise = staticmethod(identifiers.normalise_naf)
    default_validators = [identifiers.validate_naf]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 6)
        super().__init__(*args, **kwargs)


# Years a date typed in Cité may have. Beyond 9999 Python's date cannot go, and a date near
# it overflows as soon as a period or a due date is counted from it (9999-12-31 + 1 day):
# every date of a form, the admin, a filter or an import is held between these years.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def validate_date_range(value):
    """Refuse a date (or datetime) outside the years FIRST_YEAR to LAST_YEAR."""
    if value is not None and not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            _("Enter a date between the years %(first)s and %(last)s."),
            code="date_range",
            params={"first": FIRST_YEAR, "last": LAST_YEAR},
        )


class BoundedDateFormField(forms.DateField):
    """A form's date between FIRST_YEAR and LAST_YEAR, checked with the field, before the
    form's clean() counts anything from it."""

    default_validators = [validate_date_range]


class DateField(models.DateField):
    """Every date field of Cité's models: years FIRST_YEAR to LAST_YEAR, in model forms,
    the admin and ``full_clean()`` (imports, services)."""

    default_validators = [validate_date_range]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": BoundedDateFormField, **kwargs})
