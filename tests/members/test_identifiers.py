"""SIREN, SIRET, VAT and NAF: what the register accepts, how it stores it, what it refuses."""

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from stdnum import luhn
from stdnum.eu import vat as stdnum_vat
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret
from stdnum.fr import tva as stdnum_tva

from members.fields import NafCodeField, SirenField, SiretField, VatNumberField
from members.identifiers import (
    normalise_naf,
    normalise_siren,
    normalise_siret,
    normalise_vat,
    siren_of_vat,
    validate_naf,
    validate_siren,
    validate_siret,
    validate_vat,
    vat_of_siren,
)
from members.models import Company

from .factories import CompanyFactory

VALID_SIREN = "732829320"
VALID_SIRET = "73282932000074"
# The SIREN inside FR40303265045 is 303265045, not 732829320.
OTHER_COMPANY_VAT = "FR40303265045"
LA_POSTE_HEAD_OFFICE = "35600000000048"
LA_POSTE_ESTABLISHMENT = "35600000049837"  # fails Luhn, digit sum 45
LA_POSTE_BAD = "35600000049838"  # digit sum 46


def messages_of(excinfo):
    return " ".join(excinfo.value.messages)


# --- python-stdnum is the reference: check the examples before relying on them. ---


@pytest.mark.parametrize(
    ("checker", "value", "expected"),
    [
        (stdnum_siren.is_valid, VALID_SIREN, True),
        (stdnum_siren.is_valid, "732829321", False),
        (stdnum_siret.is_valid, VALID_SIRET, True),
        (stdnum_siret.is_valid, "73282932000075", False),
        (stdnum_siret.is_valid, LA_POSTE_HEAD_OFFICE, True),
        (stdnum_siret.is_valid, LA_POSTE_ESTABLISHMENT, True),
        (stdnum_siret.is_valid, LA_POSTE_BAD, False),
        (stdnum_vat.is_valid, "FR40303265045", True),
        (stdnum_vat.is_valid, "FR00303265045", False),
        (stdnum_vat.is_valid, "ESB58378431", True),
        (stdnum_vat.is_valid, "DE136695976", True),
        (stdnum_vat.is_valid, "XX123", False),
    ],
)
def test_examples_agree_with_python_stdnum(checker, value, expected):
    assert checker(value) is expected


def test_la_poste_establishment_is_valid_although_it_fails_luhn():
    assert not luhn.is_valid(LA_POSTE_ESTABLISHMENT)
    assert sum(int(digit) for digit in LA_POSTE_ESTABLISHMENT) % 5 == 0
    validate_siret(LA_POSTE_ESTABLISHMENT)  # no error


# --- Validators ---


@pytest.mark.parametrize("value", [VALID_SIREN, "356000000", "552100554"])
def test_validate_siren_accepts_a_valid_siren(value):
    assert stdnum_siren.is_valid(value)
    validate_siren(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("732829321", "check digit"),
        ("12345", "wrong number of digits"),
        ("7328293201", "wrong number of digits"),
        ("73282932A", "characters that are not allowed"),
        ("ABCDEFGHI", "characters that are not allowed"),
    ],
)
def test_validate_siren_rejects_with_a_message_that_says_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_siren(value)
    assert excinfo.value.code == "invalid_siren"
    assert message in messages_of(excinfo)
    assert "SIREN" in messages_of(excinfo)


@pytest.mark.parametrize(
    "value",
    [VALID_SIRET, LA_POSTE_HEAD_OFFICE, LA_POSTE_ESTABLISHMENT],
    ids=["ordinary", "la-poste-head-office", "la-poste-establishment"],
)
def test_validate_siret_accepts_a_valid_siret(value):
    assert stdnum_siret.is_valid(value)
    validate_siret(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("73282932000075", "check digit"),
        (LA_POSTE_BAD, "check digit"),
        ("7328293200007", "wrong number of digits"),
        ("732829320000740", "wrong number of digits"),
        ("7328293200007A", "characters that are not allowed"),
    ],
    ids=["checksum", "la-poste-checksum", "too-short", "too-long", "letter"],
)
def test_validate_siret_rejects_with_a_message_that_says_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_siret(value)
    assert excinfo.value.code == "invalid_siret"
    assert message in messages_of(excinfo)
    assert "SIRET" in messages_of(excinfo)


@pytest.mark.parametrize("value", ["FR40303265045", "ESB58378431", "DE136695976"])
def test_validate_vat_accepts_a_valid_eu_vat_number(value):
    assert stdnum_vat.is_valid(value)
    validate_vat(value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("FR00303265045", "check digit"),
        ("XX123", "unknown country"),
        ("FR4030326504", "wrong number of digits"),
    ],
)
def test_validate_vat_rejects_with_a_message_that_says_what_is_wrong(value, message):
    with pytest.raises(ValidationError) as excinfo:
        validate_vat(value)
    assert excinfo.value.code == "invalid_vat"
    assert message in messages_of(excinfo)


@pytest.mark.parametrize("value", ["62.01Z", "6201Z", "59.11A"])
def test_validate_naf_accepts_four_digits_and_a_letter(value):
    validate_naf(value)


@pytest.mark.parametrize("value", ["620Z", "ABCDE", "62.01", "62011", "", "62.01ZZ"])
def test_validate_naf_rejects_anything_else_with_an_example_in_the_message(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_naf(value)
    assert excinfo.value.code == "invalid_naf"
    assert "62.01Z" in messages_of(excinfo)


# --- Normalisers ---


@pytest.mark.parametrize(
    ("normalise", "value", "expected"),
    [
        (normalise_siren, "732 829 320", VALID_SIREN),
        (normalise_siren, "", ""),
        (normalise_siret, "732 829 320 00074", VALID_SIRET),
        (normalise_siret, "732.829.320.00074", VALID_SIRET),
        (normalise_siret, "", ""),
        (normalise_vat, "fr 40 303 265 045", "FR40303265045"),
        (normalise_vat, "ES B-58378431", "ESB58378431"),
        (normalise_vat, "", ""),
        (normalise_naf, "62.01Z", "62.01Z"),
        (normalise_naf, "6201Z", "62.01Z"),
        (normalise_naf, "6201z", "62.01Z"),
        (normalise_naf, " 62 01 z ", "62.01Z"),
        (normalise_naf, "620z", "620Z"),
        (normalise_naf, "", ""),
    ],
)
def test_normalisers_store_one_spelling(normalise, value, expected):
    assert normalise(value) == expected


@pytest.mark.parametrize("value", ["62.01Z", "6201Z", "6201z"])
def test_naf_spellings_normalise_to_the_dotted_form_and_are_valid(value):
    normalised = normalise_naf(value)
    assert normalised == "62.01Z"
    validate_naf(normalised)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("FR40303265045", "303265045"),
        ("ESB58378431", None),
        ("FR4030326504", None),
        ("", None),
        (None, None),
    ],
)
def test_siren_of_vat_reads_the_siren_inside_a_french_vat_number(value, expected):
    assert siren_of_vat(value) == expected


# --- Model fields: normalise, then validate ---


@pytest.mark.parametrize(
    ("field", "raw", "stored"),
    [
        (SirenField(), " 732 829 320 ", VALID_SIREN),
        (SiretField(), "732 829 320 00074", VALID_SIRET),
        (SiretField(), LA_POSTE_ESTABLISHMENT, LA_POSTE_ESTABLISHMENT),
        (VatNumberField(), "fr40 303 265 045", "FR40303265045"),
        (VatNumberField(), "ESB58378431", "ESB58378431"),
        (NafCodeField(), "6201z", "62.01Z"),
        (NafCodeField(), "62.01Z", "62.01Z"),
        (SiretField(blank=True), "", ""),
        (SiretField(blank=True), None, ""),
    ],
)
def test_model_field_clean_normalises_then_validates(field, raw, stored):
    assert field.clean(raw, None) == stored


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        (SirenField(), "732829321"),
        (SirenField(), "12345"),
        (SiretField(), "73282932000075"),
        (SiretField(), LA_POSTE_BAD),
        (VatNumberField(), "FR00303265045"),
        (NafCodeField(), "620Z"),
        (NafCodeField(), "ABCDE"),
    ],
)
def test_model_field_clean_rejects_invalid_identifiers(field, raw):
    with pytest.raises(ValidationError):
        field.clean(raw, None)


def test_form_field_lets_people_type_separators_beyond_the_stored_length():
    form_field = SiretField().formfield()
    assert form_field.clean("732 829 320 00074") == "732 829 320 00074"
    assert form_field.widget.attrs["maxlength"] == "32"


# --- Company.full_clean() ---


def build_company(**fields):
    fields.setdefault("siret", "")
    fields.setdefault("siren", "")
    return CompanyFactory.build(**fields)


def clean_errors(company):
    with pytest.raises(ValidationError) as excinfo:
        company.full_clean()
    return excinfo.value.message_dict


@pytest.mark.django_db
def test_company_siret_typed_with_spaces_is_accepted_and_stored_compact():
    company = build_company(siret="732 829 320 00074", siren=VALID_SIREN)
    company.full_clean()
    company.save()
    company.refresh_from_db()
    assert company.siret == VALID_SIRET


@pytest.mark.django_db
def test_company_siren_is_derived_from_the_siret_when_empty():
    company = build_company(siret="732 829 320 00074", siren="")
    company.full_clean()
    assert company.siren == VALID_SIREN


@pytest.mark.django_db
def test_company_identifiers_are_stored_in_one_spelling():
    company = build_company(
        siret=VALID_SIRET, vat_number="fr 44 732 829 320", naf_code="6201z", siren=""
    )
    assert stdnum_vat.is_valid("FR44732829320")
    company.full_clean()
    assert company.vat_number == "FR44732829320"
    assert company.naf_code == "62.01Z"
    assert company.siren == VALID_SIREN


@pytest.mark.django_db
def test_company_la_poste_establishment_siret_is_accepted():
    company = build_company(siret=LA_POSTE_ESTABLISHMENT, siren="")
    company.full_clean()
    assert company.siren == "356000000"


@pytest.mark.django_db
def test_company_siret_that_does_not_begin_with_the_siren_is_an_error_on_siret():
    company = build_company(siret=VALID_SIRET, siren="552100554")
    errors = clean_errors(company)
    assert list(errors) == ["siret"]
    assert "552100554" in errors["siret"][0]


@pytest.mark.django_db
def test_company_invalid_siret_is_an_error_on_siret():
    errors = clean_errors(build_company(siret="73282932000075"))
    assert "siret" in errors
    assert "check digit" in errors["siret"][0]


@pytest.mark.django_db
def test_company_french_vat_of_another_siren_is_an_error_on_vat_number():
    company = build_company(siret=VALID_SIRET, vat_number=OTHER_COMPANY_VAT)
    errors = clean_errors(company)
    assert list(errors) == ["vat_number"]
    assert "303265045" in errors["vat_number"][0]
    assert VALID_SIREN in errors["vat_number"][0]


@pytest.mark.django_db
def test_company_spanish_vat_is_not_compared_with_the_siren():
    company = build_company(siret=VALID_SIRET, vat_number="ESB58378431")
    company.full_clean()


@pytest.mark.django_db
def test_company_vat_with_unknown_country_is_an_error_on_vat_number():
    errors = clean_errors(build_company(vat_number="XX123"))
    assert "vat_number" in errors


@pytest.mark.django_db
def test_second_company_with_the_same_siret_is_an_error_on_the_siret_field():
    CompanyFactory(siret=VALID_SIRET, siren=VALID_SIREN)
    duplicate = build_company(siret="732 829 320 00074", siren=VALID_SIREN)
    errors = clean_errors(duplicate)
    assert NON_FIELD_ERRORS not in errors
    assert errors["siret"] == ["Another company already has this SIRET."]


@pytest.mark.django_db
def test_the_same_company_saved_again_is_not_its_own_duplicate():
    company = CompanyFactory(siret=VALID_SIRET, siren=VALID_SIREN)
    company.full_clean()


@pytest.mark.django_db
def test_two_companies_without_siret_are_allowed():
    CompanyFactory(siret="", siren="")
    second = build_company(siret="", siren="")
    second.full_clean()
    second.save()
    assert Company.objects.filter(siret="").count() == 2


@pytest.mark.django_db
def test_company_year_founded_in_the_future_is_rejected():
    next_year = timezone.localdate().year + 1
    errors = clean_errors(build_company(year_founded=next_year))
    assert list(errors) == ["year_founded"]
    assert str(next_year) in errors["year_founded"][0]


@pytest.mark.django_db
def test_company_year_founded_this_year_is_accepted():
    build_company(year_founded=timezone.localdate().year).full_clean()


@pytest.mark.parametrize("siren", ["732829320", "404833048", "000000001"])
def test_the_vat_number_of_a_siren_is_the_one_stdnum_checks(siren):
    assert stdnum_tva.is_valid(vat_of_siren(siren))
    assert siren_of_vat(vat_of_siren(siren)) == siren
