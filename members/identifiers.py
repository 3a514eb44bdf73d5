"""French and EU company identifiers and bank account numbers, checked with python-stdnum.

Each identifier has a normaliser (to store one spelling) and a Django validator (with a
message that says what is wrong). The model fields in ``members.fields`` combine the two.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import exceptions as stdnum_exceptions
from stdnum import iban as stdnum_iban
from stdnum.eu import at_02 as eu_creditor_id
from stdnum.eu import vat as eu_vat
from stdnum.fr import siren as fr_siren
from stdnum.fr import siret as fr_siret

NAF_PATTERN = re.compile(r"^(\d{2})\.?(\d{2})([A-Z])$")


def _explain(exc, label):
    """Turn a python-stdnum exception into a message a member of staff understands."""
    if isinstance(exc, stdnum_exceptions.InvalidLength):
        return _("%(label)s has the wrong number of digits.") % {"label": label}
    if isinstance(exc, stdnum_exceptions.InvalidFormat):
        return _("%(label)s contains characters that are not allowed.") % {"label": label}
    if isinstance(exc, stdnum_exceptions.InvalidChecksum):
        return _("%(label)s fails its check digit: there is probably a typing error.") % {
            "label": label
        }
    if isinstance(exc, stdnum_exceptions.InvalidComponent):
        return _("%(label)s has an unknown country or component.") % {"label": label}
    return _("%(label)s is not valid.") % {"label": label}


def _compact(module, value):
    """Return python-stdnum's compact form, or the value as typed if it cannot tell.

    Normalising must never raise: the validator reports what is wrong with the value.
    """
    if not value:
        return value
    try:
        return module.compact(value)
    except stdnum_exceptions.ValidationError:
        return value.strip().upper()


def normalise_siren(value):
    return _compact(fr_siren, value)


def normalise_siret(value):
    return _compact(fr_siret, value)


def normalise_vat(value):
    return _compact(eu_vat, value)


def normalise_iban(value):
    return _compact(stdnum_iban, value)


def normalise_bic(value):
    return _compact(stdnum_bic, value)


def normalise_creditor_id(value):
    return _compact(eu_creditor_id, value)


def normalise_naf(value):
    """Store NAF codes as ``62.01Z``; leave anything unrecognised for the validator."""
    if not value:
        return value
    compact = re.sub(r"[\s.]", "", value).upper()
    match = NAF_PATTERN.match(compact)
    if not match:
        return value.strip().upper()
    return f"{match.group(1)}.{match.group(2)}{match.group(3)}"


def _stdnum_validator(module, label, code):
    """Return a Django validator that checks a value with python-stdnum's ``module``."""

    def validate(value):
        try:
            module.validate(value)
        except stdnum_exceptions.ValidationError as exc:
            raise ValidationError(_explain(exc, label), code=code, params={"value": value}) from exc

    return validate


validate_siren = _stdnum_validator(fr_siren, _("The SIREN number"), "invalid_siren")
# Luhn, except La Poste's establishments (digit sum multiple of 5).
validate_siret = _stdnum_validator(fr_siret, _("The SIRET number"), "invalid_siret")
validate_vat = _stdnum_validator(eu_vat, _("The VAT number"), "invalid_vat")
validate_iban = _stdnum_validator(stdnum_iban, _("The IBAN"), "invalid_iban")
validate_bic = _stdnum_validator(stdnum_bic, _("The BIC"), "invalid_bic")
# The SEPA creditor identifier (AT-02; "ICS" in France, such as FR72ZZZ123456).
validate_creditor_id = _stdnum_validator(
    eu_creditor_id, _("The SEPA creditor identifier"), "invalid_creditor_id"
)


def validate_naf(value):
    if not NAF_PATTERN.match(value or ""):
        raise ValidationError(
            _("A NAF/APE code is four digits and a letter, such as 62.01Z."),
            code="invalid_naf",
            params={"value": value},
        )


def vat_of_siren(siren):
    """Return the French intra-EU VAT number of a 9-digit SIREN: "FR", a two-digit key,
    the SIREN. The key is (12 + 3 × (SIREN mod 97)) mod 97, the checksum that
    python-stdnum's ``fr.tva`` verifies (it has no function that computes it)."""
    key = (12 + 3 * (int(siren) % 97)) % 97
    return f"FR{key:02d}{siren}"


def siren_of_vat(value):
    """Return the SIREN inside a French VAT number, or None for other countries."""
    if value and value.startswith("FR") and len(value) == 13:
        return value[4:]
    return None
