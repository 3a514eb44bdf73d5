"""Legal identifiers typed as a query: a SIREN, a SIRET or a VAT number finds its company
first, whatever the spaces, dots or dashes between the digits."""

import re

from django.db.models import Q
from stdnum.eu import vat as eu_vat

from ..identifiers import siren_of_vat

SEPARATORS = re.compile(r"[\s.\-/]+")
VAT = re.compile(r"^[A-Z]{2}[0-9A-Z]{2,13}$")


def identifier_in(raw):
    """Return the query compacted when it looks like an identifier, else ""."""
    compact = SEPARATORS.sub("", (raw or "").strip()).upper()
    if compact.isdigit() and len(compact) in {9, 14}:
        return compact
    # A valid number only (its country's check digits): "animation 3d" is words, not VAT.
    if VAT.match(compact) and eu_vat.is_valid(compact):
        return compact
    return ""


def identifier_condition(identifier):
    """Return the condition "this company has the identifier" (indexed columns only)."""
    if identifier.isdigit():
        if len(identifier) == 14:
            return Q(siret=identifier)
        return Q(siren=identifier)
    condition = Q(vat_number=identifier)
    siren = siren_of_vat(identifier)
    return condition | Q(siren=siren) if siren else condition
