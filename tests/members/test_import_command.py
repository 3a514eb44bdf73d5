"""``manage.py import_companies``: the register's spreadsheet, all or nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from members.models import Company

from .factories import CompanyFactory, SectorFactory

pytestmark = pytest.mark.django_db

HEADER = "name,siret,city,postcode,website,email,phone,sectors,description_fr,description_en"
ACME_SIRET = "73282932000074"
BETA_SIRET = "55210055400013"
BAD_SIRET = "73282932000075"


@pytest.fixture
def sectors():
    return {
        "jeu-video": SectorFactory(name="Jeu vidéo", name_en="Video games", slug="jeu-video"),
        "e-sante": SectorFactory(name="E-santé", name_en="E-health", slug="e-sante"),
        "logiciels": SectorFactory(
            name="Logiciels et développement", name_en="Software", slug="logiciels"
        ),
    }


@pytest.fixture
def csv_file(tmp_path):
    """Write a CSV file (text or bytes) and return its path."""

    def write(content, name="companies.csv"):
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


def csv_text(*rows, header=HEADER):
    return "\n".join([header, *rows]) + "\n"


def run_import(path, *options):
    """Run the command successfully; return its standard output."""
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("import_companies", str(path), *options, stdout=stdout, stderr=stderr)
    assert stderr.getvalue() == ""
    return stdout.getvalue()


def failed_import(path, *options):
    """Run the command, expect it to fail; return (exception message, stderr lines)."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_companies", str(path), *options, stdout=stdout, stderr=stderr)
    return str(excinfo.value), stderr.getvalue().splitlines()


# --- Happy path ---


def test_import_creates_published_companies_with_all_their_columns(csv_file, sectors):
    path = csv_file(
        csv_text(
            f"Acme Studio,{ACME_SIRET},Perpignan,66000,https://acme.example.org,"
            "hello@acme.example.org,04 68 00 00 00,jeu-video;E-santé,Studio 3D,3D studio",
            "Beta Lab,,Le Soler,66270,,,,,,",
        )
    )

    output = run_import(path)

    assert "2 companies created, 0 updated." in output
    acme = Company.objects.get(trade_name="Acme Studio")
    assert acme.published is True
    assert acme.legal_name == "Acme Studio"
    assert acme.slug == "acme-studio"
    assert acme.siret == ACME_SIRET
    assert acme.siren == ACME_SIRET[:9]
    assert (acme.city, acme.postcode) == ("Perpignan", "66000")
    assert acme.website == "https://acme.example.org"
    assert acme.email == "hello@acme.example.org"
    assert acme.phone == "04 68 00 00 00"
    assert (acme.description_fr, acme.description_en) == ("Studio 3D", "3D studio")
    assert set(acme.sectors.values_list("slug", flat=True)) == {"jeu-video", "e-sante"}
    beta = Company.objects.get(trade_name="Beta Lab")
    assert (beta.published, beta.slug, beta.siret) == (True, "beta-lab", "")
    assert beta.sectors.count() == 0


@pytest.mark.parametrize(
    "cell",
    [
        "jeu-video;logiciels",
        "Jeu vidéo;Logiciels et développement",
        "JEU vidéo ; LOGICIELS ET développement",
        "Video games;Software",
        "Jeu vidéo;logiciels;",
    ],
    ids=["slugs", "names", "names-any-case-and-spaces", "english-names", "trailing-separator"],
)
def test_sectors_are_found_by_name_or_slug(csv_file, sectors, cell):
    run_import(csv_file(csv_text(f'Acme,,,,,,,"{cell}",,')))

    company = Company.objects.get(trade_name="Acme")
    assert set(company.sectors.values_list("slug", flat=True)) == {"jeu-video", "logiciels"}


def test_siret_typed_with_spaces_is_stored_compact(csv_file):
    run_import(csv_file(csv_text("Acme,732 829 320 00074,,,,,,,,")))

    assert Company.objects.get().siret == ACME_SIRET


def test_two_new_companies_with_the_same_name_get_distinct_slugs(csv_file):
    CompanyFactory(trade_name="Other", slug="acme")

    run_import(csv_file(csv_text(f"Acme,{ACME_SIRET},,,,,,,,", f"Acme,{BETA_SIRET},,,,,,,,")))

    slugs = set(Company.objects.filter(trade_name="Acme").values_list("slug", flat=True))
    assert slugs == {"acme-2", "acme-3"}


def test_a_cell_quoted_against_formulas_is_imported_without_the_quote(csv_file):
    run_import(csv_file(csv_text("Acme,,,,,,'+33 4 68 00 00 00,,'=1+1,")))

    company = Company.objects.get()
    assert company.phone == "+33 4 68 00 00 00"
    assert company.description_fr == "=1+1"


def test_file_with_only_some_columns_is_accepted(csv_file):
    run_import(csv_file("name,city\nAcme,Perpignan\n"))

    assert Company.objects.get().city == "Perpignan"


def test_header_names_are_read_case_insensitively(csv_file):
    run_import(csv_file("Name, City \nAcme,Perpignan\n"))

    assert Company.objects.get().city == "Perpignan"


# --- Importing again ---


def test_importing_the_same_file_twice_creates_no_duplicates(csv_file, sectors):
    path = csv_file(
        csv_text(
            f"Acme,{ACME_SIRET},Perpignan,,,,,jeu-video,,",
            "Beta Lab,,Le Soler,,,,,e-sante,,",
        )
    )
    run_import(path)

    output = run_import(path)

    assert "0 companies created, 2 updated." in output
    assert Company.objects.count() == 2
    assert Company.sectors.through.objects.count() == 2


def test_reimport_matched_by_siret_updates_changed_values(csv_file):
    run_import(csv_file(csv_text(f"Acme,{ACME_SIRET},Perpignan,66000,,,,,,")))

    output = run_import(csv_file(csv_text(f"Acme Studio,{ACME_SIRET},Thuir,66300,,,,,,")))

    assert "0 companies created, 1 updated." in output
    company = Company.objects.get()
    assert (company.trade_name, company.city, company.postcode) == (
        "Acme Studio",
        "Thuir",
        "66300",
    )
    assert company.slug == "acme"


@pytest.mark.parametrize("name", ["BETA LAB", "beta lab sas"], ids=["trade-name", "legal-name"])
def test_reimport_without_siret_is_matched_by_name_in_any_case(csv_file, name):
    existing = CompanyFactory(
        trade_name="Beta Lab", legal_name="Beta Lab SAS", siret="", siren="", city="Elne"
    )

    run_import(csv_file(csv_text(f"{name},,Thuir,66300,,,,,,")))

    assert Company.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.city, existing.postcode) == ("Thuir", "66300")


def test_a_row_with_a_known_siret_updates_that_company_rather_than_adding_one(csv_file):
    existing = CompanyFactory(trade_name="Acme", siret=ACME_SIRET, siren=ACME_SIRET[:9])

    output = run_import(csv_file(csv_text(f"Acme Renamed,{ACME_SIRET},Céret,,,,,,,")))

    assert "0 companies created, 1 updated." in output
    assert Company.objects.count() == 1
    existing.refresh_from_db()
    assert (existing.trade_name, existing.city) == ("Acme Renamed", "Céret")


def test_an_existing_unpublished_company_stays_unpublished(csv_file):
    existing = CompanyFactory(trade_name="Acme", siret=ACME_SIRET, published=False)

    run_import(csv_file(csv_text(f"Acme,{ACME_SIRET},Céret,,,,,,,")))

    existing.refresh_from_db()
    assert existing.published is False


def test_an_empty_cell_never_erases_an_existing_value(csv_file, sectors):
    existing = CompanyFactory(
        trade_name="Acme",
        siret=ACME_SIRET,
        siren=ACME_SIRET[:9],
        city="Perpignan",
        postcode="66000",
        website="https://acme.example.org",
        email="hello@acme.example.org",
        phone="04 68 00 00 00",
        description_fr="Studio 3D",
        description_en="3D studio",
        sectors=[sectors["jeu-video"]],
    )

    run_import(csv_file(csv_text(f"Acme,{ACME_SIRET},  ,,,,,,,")))

    existing.refresh_from_db()
    assert existing.city == "Perpignan"
    assert existing.postcode == "66000"
    assert existing.website == "https://acme.example.org"
    assert existing.email == "hello@acme.example.org"
    assert existing.phone == "04 68 00 00 00"
    assert (existing.description_fr, existing.description_en) == ("Studio 3D", "3D studio")
    assert list(existing.sectors.values_list("slug", flat=True)) == ["jeu-video"]


def test_a_sectors_cell_replaces_the_company_sectors(csv_file, sectors):
    existing = CompanyFactory(siret=ACME_SIRET, sectors=[sectors["jeu-video"]])

    run_import(csv_file(csv_text(f"Acme,{ACME_SIRET},,,,,,e-sante,,")))

    assert list(existing.sectors.values_list("slug", flat=True)) == ["e-sante"]


def test_a_name_shared_by_several_companies_asks_for_the_siret(csv_file):
    CompanyFactory(trade_name="Studio", siret="")
    CompanyFactory(trade_name="Studio", siret="")

    _message, errors = failed_import(csv_file(csv_text("Studio,,Thuir,,,,,,,")))

    assert len(errors) == 1
    assert errors[0].startswith("row 2, column name: Several companies are called “Studio”")
    assert not Company.objects.filter(city="Thuir").exists()


# --- Bad rows: all or nothing ---


def test_one_bad_siret_imports_nothing_not_even_the_good_rows(csv_file):
    path = csv_file(
        csv_text(
            "Good One,,Perpignan,,,,,,,",
            f"Bad Siret,{BAD_SIRET},Perpignan,,,,,,,",
            "Good Two,,Perpignan,,,,,,,",
        )
    )

    message, errors = failed_import(path)

    assert errors == [
        "row 3, column siret: The SIRET number fails its check digit: there is probably a "
        "typing error."
    ]
    assert message == f"Nothing was imported: 1 error(s) in {path}."
    assert Company.objects.count() == 0


def test_a_bad_row_leaves_existing_companies_unchanged(csv_file):
    existing = CompanyFactory(trade_name="Acme", siret=ACME_SIRET, city="Perpignan")

    failed_import(csv_file(csv_text(f"Acme,{ACME_SIRET},Thuir,,,,,,,", "Bad,,,,,,,nope,,")))

    existing.refresh_from_db()
    assert existing.city == "Perpignan"
    assert Company.objects.count() == 1


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            f"Acme,{BAD_SIRET},,,,,,,,",
            "row 2, column siret: The SIRET number fails its check digit",
        ),
        ("Acme,1234,,,,,,,,", "row 2, column siret: The SIRET number has the wrong number"),
        ("Acme,7328293200007A,,,,,,,,", "row 2, column siret: The SIRET number contains"),
        (
            "Acme,,,,,,,jeu-video;Cinéma muet,,",
            "row 2, column sectors: Unknown sector “Cinéma muet”. Known sectors: ",
        ),
        ("Acme,,,,,not-an-email,,,,", "row 2, column email: Enter a valid email address."),
        ("Acme,,,,acme dot org,,,,,", "row 2, column website: Enter a valid URL."),
        ("Acme,,,,javascript:alert(1),,,,,", "row 2, column website: Enter a valid URL."),
        (",,Perpignan,,,,,,,", "row 2, column name: This field cannot be blank."),
        ("A" * 201 + ",,,,,,,,,", "row 2, column name: Ensure this value has at most 200"),
    ],
    ids=[
        "siret-checksum",
        "siret-length",
        "siret-letter",
        "unknown-sector",
        "email",
        "website",
        "website-scheme",
        "missing-name",
        "name-too-long",
    ],
)
def test_each_kind_of_bad_row_is_reported_by_row_and_column(csv_file, sectors, row, expected):
    _message, errors = failed_import(csv_file(csv_text(row)))

    assert any(error.startswith(expected) for error in errors), errors
    assert Company.objects.count() == 0


def test_unknown_sector_message_names_it_and_lists_the_known_ones(csv_file, sectors):
    _message, errors = failed_import(csv_file(csv_text("Acme,,,,,,,Jeu vidéo;Robotique;Cuisine,,")))

    assert errors == [
        "row 2, column sectors: Unknown sector “Robotique”, “Cuisine”. "
        "Known sectors: e-sante, jeu-video, logiciels."
    ]


def test_a_row_without_a_name_is_reported_once_on_the_name_column(csv_file):
    message, errors = failed_import(csv_file(csv_text(",,Perpignan,,,,,,,")))

    assert errors == ["row 2, column name: This field cannot be blank."]
    assert "1 error(s)" in message


def test_two_rows_with_the_same_siret_are_reported_and_nothing_is_imported(csv_file):
    path = csv_file(csv_text(f"Acme,{ACME_SIRET},,,,,,,,", f"Beta,{ACME_SIRET},,,,,,,,"))

    _message, errors = failed_import(path)

    assert any(error.startswith("row 3, column siret:") for error in errors)
    assert Company.objects.count() == 0


def test_several_errors_in_several_rows_are_all_listed_in_file_order(csv_file, sectors):
    path = csv_file(
        csv_text(
            f"Bad Siret,{BAD_SIRET},,,,,,,,",
            "Fine,,,,,,,,,",
            "Bad Row,,,,not a url,bad@,,nope,,",
        )
    )

    message, errors = failed_import(path)

    assert [error.split(":")[0] for error in errors] == [
        "row 2, column siret",
        "row 4, column email",
        "row 4, column sectors",
        "row 4, column website",
    ]
    assert message.startswith("Nothing was imported: 4 error(s)")
    assert Company.objects.count() == 0


def test_dry_run_with_errors_still_lists_them(csv_file):
    _message, errors = failed_import(csv_file(csv_text(f"Acme,{BAD_SIRET},,,,,,,,")), "--dry-run")

    assert errors[0].startswith("row 2, column siret:")


# --- Problems with the file itself ---


def test_file_that_is_not_utf8_is_refused_with_the_row_of_the_first_bad_byte(csv_file):
    path = csv_file("name,city\nAcme,Perpignan\nCafé,Céret\n".encode("latin-1"))

    message, _errors = failed_import(path)

    assert "is not UTF-8 text" in message
    assert "row 3" in message
    assert "CSV UTF-8" in message
    assert Company.objects.count() == 0


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf"], ids=["empty", "bom-only"])
def test_empty_file_is_refused(csv_file, content):
    path = csv_file(content)

    message, _errors = failed_import(path)

    assert message == f"{path}: The file is empty."


def test_unknown_column_is_refused_and_the_known_columns_are_listed(csv_file):
    message, errors = failed_import(csv_file("name,city,turnover\nAcme,Perpignan,12\n"))

    assert errors == [
        "row 1: unknown column(s) turnover; the columns are name,legal_name,siren,siret,"
        "vat_number,naf_code,legal_form,street,postcode,city,country,website,email,phone,"
        "headcount_band,year_founded,sectors,description_fr,description_en,published."
    ]
    assert message.startswith("Nothing was imported: 1 error(s)")
    assert Company.objects.count() == 0


def test_column_given_twice_is_refused(csv_file):
    _message, errors = failed_import(csv_file("name,city,city\nAcme,Perpignan,Thuir\n"))

    assert errors == ["row 1: column(s) city appear twice."]
    assert Company.objects.count() == 0


def test_file_without_a_name_column_is_refused(csv_file):
    _message, errors = failed_import(csv_file(f"city,siret\nPerpignan,{ACME_SIRET}\n"))

    assert errors == ["row 1: the column “name” is required."]
    assert Company.objects.count() == 0


def test_row_with_the_wrong_number_of_cells_is_refused_with_its_row_number(csv_file):
    path = csv_file("name,city\nAcme,Perpignan\nBeta\nGamma,Elne,extra\n")

    message, errors = failed_import(path)

    assert errors == [
        "row 1, column C: This column has values (the first on row 4) but no name in row 1.",
        "row 3: 1 cells where the header has 2.",
    ]
    assert message.startswith("Nothing was imported: 2 error(s)")
    assert Company.objects.count() == 0


def test_file_with_a_nul_byte_is_refused(csv_file):
    message, _errors = failed_import(csv_file(b"name,city\nAcme\x00,Perpignan\n"))

    assert "contains NUL bytes" in message
    assert Company.objects.count() == 0


def test_nonexistent_path_is_refused_with_the_reason(tmp_path):
    path = tmp_path / "missing.csv"

    message, _errors = failed_import(path)

    assert message == f"Cannot read {path}: No such file or directory"


def test_a_directory_is_refused_with_the_reason(tmp_path):
    message, _errors = failed_import(tmp_path)

    assert message.startswith(f"Cannot read {tmp_path}:")


def test_utf8_bom_is_accepted(csv_file):
    run_import(csv_file("\ufeffname,city\nÉcole Idem,Le Soler\n"))

    company = Company.objects.get()
    assert (company.trade_name, company.city) == ("École Idem", "Le Soler")


def test_semicolon_delimited_file_is_accepted(csv_file, sectors):
    path = csv_file(
        "\ufeffname;siret;city;sectors;description_fr\n"
        f"Acme;{ACME_SIRET};Perpignan;jeu-video;Studio, animation et 3D\n"
    )

    run_import(path)

    company = Company.objects.get()
    assert (company.siret, company.city) == (ACME_SIRET, "Perpignan")
    assert company.description_fr == "Studio, animation et 3D"
    assert list(company.sectors.values_list("slug", flat=True)) == ["jeu-video"]


def test_windows_line_endings_are_accepted(csv_file):
    run_import(csv_file("name,city\r\nAcme,Perpignan\r\nBeta,Elne\r\n"))

    assert set(Company.objects.values_list("city", flat=True)) == {"Perpignan", "Elne"}


def test_blank_lines_are_skipped_without_shifting_row_numbers(csv_file):
    path = csv_file(f"name,siret\n\nAcme,{ACME_SIRET}\n,\n\nBad,{BAD_SIRET}\n\n")

    _message, errors = failed_import(path)

    assert len(errors) == 1
    assert errors[0].startswith("row 6, column siret:")


def test_blank_lines_are_skipped_in_a_good_file(csv_file):
    output = run_import(csv_file("name,city\n\nAcme,Perpignan\n , \n\nBeta,Elne\n"))

    assert "2 companies created" in output
    assert Company.objects.count() == 2


def test_header_only_file_imports_nothing_without_error(csv_file):
    output = run_import(csv_file("name,city\n"))

    assert "0 companies created, 0 updated." in output


# --- Dry run ---


def test_dry_run_saves_nothing_and_reports_what_would_change(csv_file):
    existing = CompanyFactory(trade_name="Acme", siret=ACME_SIRET, city="Perpignan")
    path = csv_file(csv_text(f"Acme,{ACME_SIRET},Thuir,,,,,,,", "Beta,,Elne,,,,,,,"))

    output = run_import(path, "--dry-run")

    assert "Dry run, nothing saved: 1 companies created, 1 updated." in output
    assert Company.objects.count() == 1
    existing.refresh_from_db()
    assert existing.city == "Perpignan"
    assert existing.history.count() == 1


def test_adding_a_siret_to_a_company_imported_without_one_updates_it(csv_file):
    run_import(csv_file(csv_text("Acme,,Perpignan,,,,,,,")))
    run_import(csv_file(csv_text(f"Acme,{ACME_SIRET},Perpignan,,,,,,,")))
    company = Company.objects.get()
    assert company.siret == ACME_SIRET


def test_sector_names_match_whatever_their_accents_and_case(csv_file, sectors):
    run_import(csv_file(csv_text("Acme,,Perpignan,,,,,JEU VIDEO;e-santé,,")))
    assert set(Company.objects.get().sectors.values_list("slug", flat=True)) == {
        "jeu-video",
        "e-sante",
    }
