"""Model fields that normalise an identifier before validating and storing it."""

from django.db import models

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
