"""The register's spreadsheet, read the same way by the admin's import and by
``manage.py import_companies``: encodings, separators, numbers in cells, empty columns and
rows, duplicates, and problems numbered alike. Each case goes through both doors."""

import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import translation

from members.models import Company, Contact, Sector
from members.spreadsheet import SpreadsheetError, cell_text, normalise_header, read_spreadsheet

from .factories import CompanyFactory, ContactFactory, SectorFactory
from .spreadsheets import admin_confirm, admin_import, problem_lines, xlsx_file

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"
ACME_SIRET = "73282932000074"
BETA_SIRET = "55210055400013"


@dataclass
class Outcome:
    """What staff are told: a refused file, or the problems listed row by row."""

    refused: str = ""
    problems: list[str] = field(default_factory=list)

    @property
    def imported(self):
        return not self.refused and not self.problems


class ThroughAdmin:
    """Upload the file on the admin's import page; confirm the preview when it is clean."""

    def __init__(self, client):
        self.client = client

    def __call__(self, path):
        preview = admin_import(self.client, "admin:members_company_import", path)
        assert preview.status_code == 200
        page = preview.content.decode()
        assert "Traceback" not in page
        assert "validation-error-container" not in page  # no error hidden in a tooltip
        errors = preview.context["form"].errors.get("import_file")
        if errors:
            return Outcome(refused=" ".join(errors))
        problems = problem_lines(page)
        if problems:
            assert "confirm_form" not in preview.context
            return Outcome(problems=problems)
        response = admin_confirm(self.client, "admin:members_company_process_import", preview)
        assert response.status_code == 302
        assert response.url == reverse("admin:members_company_changelist")
        return Outcome()


class ThroughCommand:
    """Run ``manage.py import_companies`` on the file."""

    def __call__(self, path):
        stdout, stderr = io.StringIO(), io.StringIO()
        try:
            call_command("import_companies", str(path), stdout=stdout, stderr=stderr)
        except CommandError as exc:
            problems = stderr.getvalue().splitlines()
            if problems:
                assert str(exc).endswith(f"{path}.")  # "Nothing was imported: … in <path>."
                return Outcome(problems=problems)
            return Outcome(refused=str(exc).removeprefix(f"{path}: "))
        assert stderr.getvalue() == ""
        return Outcome()


@pytest.fixture
def staff_client(client, django_user_model):
    staff = django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="unused-password"
    )
    client.force_login(staff)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(params=["admin", "command"])
def import_file(request):
    """Import a file through the admin, then (second run) through the command."""
    if request.param == "admin":
        return ThroughAdmin(request.getfixturevalue("staff_client"))
    return ThroughCommand()


@pytest.fixture
def games():
    return SectorFactory(name="Jeu vidéo", name_en="Video games", slug="jeu-video")


# --- Numbers in XLSX cells --------------------------------------------------------------


def test_xlsx_numbers_keep_their_leading_zeros_and_every_digit(import_file, tmp_path):
    path = xlsx_file(
        tmp_path / "register.xlsx",
        ("name", "siret", "siren", "postcode", "phone", "year_founded"),
        ("Ariège Jeux", 73282932000074, None, 9000, 561020304, 2015),
        ("Beta Lab", 55210055400013.0, None, 66270.0, 468000000.0, 2019.0),
        ("Gamma", None, 732829320, "09100", "05 61 00 00 00", None),
    )

    assert import_file(path).imported

    ariege = Company.objects.get(trade_name="Ariège Jeux")
    assert (ariege.postcode, ariege.phone) == ("09000", "0561020304")
    assert (ariege.siret, ariege.siren, ariege.year_founded) == (ACME_SIRET, "732829320", 2015)
    beta = Company.objects.get(trade_name="Beta Lab")
    assert (beta.siret, beta.postcode, beta.phone) == (BETA_SIRET, "66270", "0468000000")
    gamma = Company.objects.get(trade_name="Gamma")
    assert (gamma.siren, gamma.postcode, gamma.phone) == ("732829320", "09100", "05 61 00 00 00")


def test_xlsx_numbers_that_cannot_be_a_french_postcode_or_phone_are_refused(import_file, tmp_path):
    path = xlsx_file(
        tmp_path / "register.xlsx",
        ("name", "postcode", "phone"),
        ("Acme", 123, 4680000),
        ("Beta", 660000, 33468000000),
    )

    outcome = import_file(path)

    assert outcome.problems == [
        "row 2, column phone: “4680000” is not a French phone number: the spreadsheet "
        "probably read it as a number. Format the column as text and write the number in "
        "full, such as 04 68 00 00 00 or +33 4 68 00 00 00.",
        "row 2, column postcode: A French postcode has 5 digits; “123” has 3.",
        "row 3, column phone: “33468000000” is not a French phone number: the spreadsheet "
        "probably read it as a number. Format the column as text and write the number in "
        "full, such as 04 68 00 00 00 or +33 4 68 00 00 00.",
        "row 3, column postcode: A French postcode has 5 digits; “660000” has 6.",
    ]
    assert not Company.objects.exists()


def test_a_postcode_and_phone_abroad_are_kept_as_written(import_file, tmp_path):
    CompanyFactory(trade_name="Brussels Lab", siret="", country="BE")
    path = xlsx_file(
        tmp_path / "register.xlsx",
        ("name", "country", "postcode", "phone"),
        ("Girona Studio", "ES", 17001, 972123456),
        ("Brussels Lab", None, 1000, 22345678),
    )

    assert import_file(path).imported

    girona = Company.objects.get(trade_name="Girona Studio")
    assert (girona.postcode, girona.phone) == ("17001", "972123456")
    brussels = Company.objects.get(trade_name="Brussels Lab")
    assert (brussels.postcode, brussels.phone) == ("1000", "22345678")


def test_a_csv_resaved_by_a_spreadsheet_gets_the_same_leading_zeros_back(import_file, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("name,postcode,phone\nAriège Jeux,9000,561020304\n")

    assert import_file(path).imported

    company = Company.objects.get()
    assert (company.postcode, company.phone) == ("09000", "0561020304")


# --- Encoding, separator, empty columns and rows -----------------------------------------


def test_a_windows_1252_csv_is_refused_with_how_to_save_it_as_utf8(import_file):
    outcome = import_file(FIXTURES / "register-windows-1252.csv")

    assert outcome.refused.startswith(
        "The file is not UTF-8 text: its first character in another encoding is on row 3"
    )
    assert "Save it as CSV UTF-8" in outcome.refused
    assert "Excel" in outcome.refused
    assert "LibreOffice" in outcome.refused
    assert "UnicodeDecodeError" not in outcome.refused
    assert not Company.objects.exists()


def test_a_semicolon_separated_csv_from_excel_is_imported(import_file, games):
    assert import_file(FIXTURES / "register-semicolons.csv").imported

    acme = Company.objects.get(trade_name="Acme Studio")
    assert (acme.siret, acme.city, acme.postcode) == (ACME_SIRET, "Perpignan", "66000")
    assert acme.description_fr == "Studio, animation et 3D"
    assert list(acme.sectors.values_list("slug", flat=True)) == ["jeu-video"]
    cafe = Company.objects.get(trade_name="Café Numérique")
    assert (cafe.city, cafe.description_fr) == ("Céret", "Réalité virtuelle; formations")


def test_empty_columns_and_rows_are_left_out(import_file):
    assert import_file(FIXTURES / "register-empty-columns-and-rows.csv").imported

    assert sorted(Company.objects.values_list("trade_name", "city", "postcode")) == [
        ("Acme Studio", "Perpignan", "66000"),
        ("Beta Lab", "Le Soler", "66270"),
    ]


def test_empty_columns_and_rows_of_an_xlsx_are_left_out(import_file, tmp_path):
    path = xlsx_file(
        tmp_path / "register.xlsx",
        ("name", "city", None, None),
        ("Acme Studio", "Perpignan", None, None),
        (None, None, None, None),
        ("Beta Lab", "Le Soler", None, "  "),
        (None, None, None, None),
    )

    assert import_file(path).imported

    assert set(Company.objects.values_list("trade_name", flat=True)) == {"Acme Studio", "Beta Lab"}


def test_a_value_in_a_column_without_a_name_is_refused(import_file, tmp_path):
    path = xlsx_file(
        tmp_path / "register.xlsx",
        ("name", "city", None),
        ("Acme Studio", "Perpignan", None),
        ("Beta Lab", "Le Soler", "a note"),
    )

    outcome = import_file(path)

    assert outcome.problems == [
        "row 1, column C: This column has values (the first on row 3) but no name in row 1."
    ]
    assert not Company.objects.exists()


def test_column_names_are_read_whatever_their_case_accents_and_spaces(import_file, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(" NAME ;Cíty;Description FR\nAcme Studio;Perpignan;Studio 3D\n")

    assert import_file(path).imported

    company = Company.objects.get()
    assert (company.city, company.description_fr) == ("Perpignan", "Studio 3D")


def test_an_xlsx_given_as_csv_is_refused_with_the_format_to_choose(import_file, tmp_path):
    workbook = xlsx_file(tmp_path / "register.xlsx", ("name",), ("Acme",))
    path = tmp_path / "register.csv"
    path.write_bytes(workbook.read_bytes())

    outcome = import_file(path)

    assert outcome.refused == "This file is an Excel workbook, not CSV text: import it as XLSX."


# --- Duplicates ------------------------------------------------------------------------


def test_a_name_given_on_two_rows_is_refused_with_both_row_numbers(import_file):
    outcome = import_file(FIXTURES / "register-duplicate-names.csv")

    assert outcome.problems == [
        "row 4, column name: Row 2 of the file has this name too. Give each company one "
        "row, or give both rows their SIRET if they are two establishments."
    ]
    assert not Company.objects.exists()


@pytest.mark.parametrize(
    "rows",
    [(f"Acme,{ACME_SIRET}", "Acme,"), ("Acme,", f"Acme,{ACME_SIRET}")],
    ids=["siret-then-none", "none-then-siret"],
)
def test_a_name_given_on_two_rows_is_refused_unless_both_have_a_siret(import_file, tmp_path, rows):
    path = tmp_path / "register.csv"
    path.write_text("name,siret\n" + "\n".join(rows) + "\n")

    outcome = import_file(path)

    assert [line.split(":")[0] for line in outcome.problems] == ["row 3, column name"]
    assert not Company.objects.exists()


def test_two_establishments_with_one_name_and_two_sirets_are_both_imported(import_file, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(f"name,siret\nAcme,{ACME_SIRET}\nAcme,{BETA_SIRET}\n")

    assert import_file(path).imported

    assert Company.objects.filter(trade_name="Acme").count() == 2


def test_a_siret_given_on_two_rows_is_refused_with_both_row_numbers(import_file, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(f"name,siret\nAcme,{ACME_SIRET}\nBeta,\nGamma,{ACME_SIRET}\n")

    outcome = import_file(path)

    assert outcome.problems == [
        "row 4, column siret: Row 2 of the file has this SIRET too (“Acme”)."
    ]


def test_two_names_of_one_registered_company_on_two_rows_are_refused(import_file, tmp_path):
    CompanyFactory(trade_name="Beta Lab", legal_name="Beta Lab SAS", siret="", siren="")
    path = tmp_path / "register.csv"
    path.write_text("name,city\nBeta Lab,Thuir\nBeta Lab SAS,Elne\n")

    outcome = import_file(path)

    assert outcome.problems == [
        "row 3, column name: Row 2 of the file is about this company too (“Beta Lab”); give "
        "each one row."
    ]
    assert Company.objects.get().city != "Thuir"


# --- Numbering ---------------------------------------------------------------------------


def test_the_admin_and_the_command_number_the_same_bad_rows_alike(staff_client, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text(
        f"name,siret,email\n\nAcme,{ACME_SIRET},\n,,\nBad,73282932000075,not-an-email\n"
    )

    through_admin = ThroughAdmin(staff_client)(path)
    through_command = ThroughCommand()(path)

    assert (
        through_admin.problems
        == through_command.problems
        == [
            "row 5, column email: Enter a valid email address.",
            "row 5, column siret: The SIRET number fails its check digit: there is probably a "
            "typing error.",
        ]
    )


def test_the_problems_are_told_in_french_the_same_way_by_both(staff_client):
    path = FIXTURES / "register-duplicate-names.csv"
    staff_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "fr"
    message = (
        "La ligne 2 du fichier a aussi ce nom. Donnez une seule ligne à chaque entreprise, ou "
        "le SIRET sur les deux lignes s’il s’agit de deux établissements."
    )

    with translation.override("fr"):
        through_command = ThroughCommand()(path)
    page = admin_import(staff_client, "admin:members_company_import", path).content.decode()

    assert through_command.problems == [f"ligne 4, colonne name : {message}"]
    assert "Le fichier ne peut pas être importé : 1 problème." in page
    assert re.search(rf"<td>4</td>\s*<td>name</td>\s*<td>ACME studio</td>\s*<td>{message}", page)


def test_the_admin_lists_problems_above_the_file_with_the_cell_values(staff_client, tmp_path):
    path = xlsx_file(tmp_path / "register.xlsx", ("name", "postcode"), ("Acme", 123))
    url = reverse("admin:members_company_import")
    index = next(
        value
        for value, text in staff_client.get(url).context["form"].fields["format"].choices
        if text == "xlsx"
    )

    response = staff_client.post(
        url,
        {"import_file": SimpleUploadedFile(path.name, path.read_bytes()), "format": index},
    )

    page = response.content.decode()
    assert "The file cannot be imported: 1 problem." in page
    assert re.search(r"<td>2</td>\s*<td>postcode</td>\s*<td>123</td>\s*<td>A French postcode", page)


def test_the_admin_preview_numbers_its_rows_and_scrolls_in_its_own_box(staff_client, tmp_path):
    path = tmp_path / "register.csv"
    path.write_text("name,city\nAcme,Perpignan\n\nBeta,Elne\n")
    url = reverse("admin:members_company_import")
    upload = SimpleUploadedFile(path.name, path.read_bytes())

    response = staff_client.post(url, {"import_file": upload, "format": "0"})

    page = response.content.decode()
    assert '<div class="import-scroll"' in page
    assert re.findall(r'<th scope="row">(\d+)</th>', page) == ["2", "4"]
    assert "2 to create and 0 to update." in page


def test_the_admin_preview_of_many_rows_runs_a_bounded_number_of_queries(
    staff_client, tmp_path, games, django_assert_max_num_queries
):
    rows = [f"Company {number},Perpignan,jeu-video,0468{number:06d}" for number in range(40)]
    path = tmp_path / "register.csv"
    path.write_text("name,city,sectors,phone\n" + "\n".join(rows) + "\n")
    url = reverse("admin:members_company_import")
    staff_client.get(url)

    # The preview is a dry run: each row costs what saving one company costs (28 queries:
    # the lookups, the unique checks, the company and its history, the search index and its
    # vocabulary, its sectors), the sectors are read once, and the page adds no query per row.
    with django_assert_max_num_queries(11 + 28 * 40):
        response = staff_client.post(
            url, {"import_file": SimpleUploadedFile(path.name, path.read_bytes()), "format": "0"}
        )

    assert response.context["result"].totals["new"] == 40


# --- The same kinds in the other imports of the register --------------------------------


def test_a_sector_slug_given_on_two_rows_is_refused(staff_client, tmp_path):
    path = tmp_path / "sectors.csv"
    path.write_text("slug;name\njeu-video;Jeu vidéo\ne-sante;E-santé\njeu-video;Jeux\n")

    preview = admin_import(staff_client, "admin:members_sector_import", path)

    assert problem_lines(preview.content.decode()) == [
        "row 4, column slug: Row 2 of the file is about this sector too (“Jeu vidéo”); give "
        "each one row."
    ]
    assert not Sector.objects.exists()


def test_a_contact_given_on_two_rows_is_refused(staff_client, tmp_path):
    contact = ContactFactory(first_name="Marie")
    path = tmp_path / "contacts.csv"
    path.write_text(f"id,first_name\n{contact.pk},Maria\n{contact.pk},Mary\n")

    preview = admin_import(staff_client, "admin:members_contact_import", path)

    assert problem_lines(preview.content.decode()) == [
        "row 3, column id: Row 2 of the file is about this contact too "
        f"(“Maria {contact.last_name}”); give each one row."
    ]
    contact.refresh_from_db()
    assert contact.first_name == "Marie"


def test_a_contact_phone_read_as_a_number_gets_its_zero_back(staff_client, tmp_path):
    company = CompanyFactory(slug="acme")
    path = xlsx_file(
        tmp_path / "contacts.xlsx",
        ("company", "first_name", "last_name", "phone"),
        ("acme", "Marie", "Curie", 468000000),
    )

    preview = admin_import(staff_client, "admin:members_contact_import", path)
    admin_confirm(staff_client, "admin:members_contact_process_import", preview)

    assert Contact.objects.get(company=company).phone == "0468000000"


def test_an_xlsx_export_imports_back_with_its_formulas_and_zeros(staff_client, tmp_path):
    CompanyFactory(
        trade_name="Ariège Jeux",
        siret=ACME_SIRET,
        siren=ACME_SIRET[:9],
        postcode="09000",
        phone="0561020304",
        description_fr="=HYPERLINK(1)",
    )
    url = reverse("admin:members_company_export")
    form = staff_client.get(url).context["form"]
    index = next(value for value, text in form.fields["format"].choices if text == "xlsx")
    data = {"format": index, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if field.initial is True})
    path = tmp_path / "register.xlsx"
    path.write_bytes(staff_client.post(url, data).content)
    Company.objects.update(description_fr="changed", postcode="", phone="")

    preview = admin_import(staff_client, "admin:members_company_import", path)
    admin_confirm(staff_client, "admin:members_company_process_import", preview)

    company = Company.objects.get()
    assert company.description_fr == "=HYPERLINK(1)"
    assert (company.postcode, company.phone) == ("09000", "0561020304")


def test_the_confirm_step_numbers_a_row_that_became_invalid_as_the_preview_does(
    staff_client, tmp_path
):
    path = tmp_path / "register.csv"
    path.write_text("name,city\n\nDelta,Thuir\nEpsilon,Elne\n")
    preview = admin_import(staff_client, "admin:members_company_import", path)
    CompanyFactory(trade_name="Epsilon", siret="")
    CompanyFactory(trade_name="Epsilon", siret="")

    response = admin_confirm(staff_client, "admin:members_company_process_import", preview)

    response = staff_client.get(response.url)
    assert [str(message) for message in response.context["messages"]] == [
        "Nothing was imported. row 4, column name: Several companies are called “Epsilon”; "
        "add their SIRET to tell them apart."
    ]
    assert not Company.objects.filter(trade_name="Delta").exists()


# --- The reader's pieces -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (9000, "9000"),
        (9000.0, "9000"),
        (73282932000074.0, "73282932000074"),
        (2.5, "2.5"),
        ("09000", "09000"),
        (None, ""),
    ],
)
def test_a_cell_is_read_as_the_text_it_was_typed_as(value, text):
    assert cell_text(value) == text


@pytest.mark.parametrize(
    ("header", "name"),
    [(" Name ", "name"), ("CITY", "city"), ("Déscription  FR", "description_fr"), (None, "")],
)
def test_column_names_are_normalised(header, name):
    assert normalise_header(header) == name


def test_a_sheet_knows_the_file_row_of_each_of_its_rows():
    sheet = read_spreadsheet(b"name;city\r\n\r\nAcme;Perpignan\r\n;\r\nBeta;Elne\r\n")

    assert sheet.headers == ["name", "city"]
    assert sheet.row_numbers == [3, 5]
    assert list(sheet) == [("Acme", "Perpignan"), ("Beta", "Elne")]


def test_a_tsv_file_is_read_with_tabs():
    sheet = read_spreadsheet(b"Name\tCity\nAcme, Studio\tPerpignan\n", file_format="tsv")

    assert (sheet.headers, list(sheet)) == (["name", "city"], [("Acme, Studio", "Perpignan")])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\xef\xbb\xbf \r\n", "The file is empty."),
        (b",,\nAcme,Perpignan\n", "Row 1 is empty: it must hold the column names."),
        (b"name\nAc\x00me\n", "The file contains NUL bytes: it is not CSV text."),
    ],
    ids=["empty", "bom-and-blank", "blank-header", "nul"],
)
def test_a_file_that_cannot_be_read_says_why(content, message):
    with pytest.raises(SpreadsheetError) as excinfo:
        read_spreadsheet(content)

    assert [str(problem) for problem in excinfo.value.problems] == [message]
