"""Spreadsheet formula injection (CSV injection): text that a member, a representative or
an import put in the register comes out of every export (the admin's CSV, TSV and XLSX
exports of companies, sectors, contacts and students; the dues ledger; the rent roll; the
dashboard's figures) with no cell that a spreadsheet would run as a formula."""

import codecs
import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.contrib.auth.models import Permission
from django.db import models
from django.urls import reverse
from django.utils import timezone

from cluster import dashboard
from cluster.models import Programme as SchoolProgramme
from cluster.models import Student
from members import services
from members.models import Company, Contact, Payment, Sector
from members.resources import FORMULA_TRIGGERS, neutralise_formula, restore_formula_escape
from startups.models import Building, Office
from tests.cluster.factories import PlacementFactory, ProgrammeFactory, StudentFactory
from tests.members.factories import (
    CompanyFactory,
    MembershipPlanFactory,
    SectorFactory,
)
from tests.startups.factories import LeaseFactory

pytestmark = pytest.mark.django_db

# One of each trigger: =, +, -, @, tab, carriage return.
FORMULAS = [
    '=HYPERLINK("http://evil.example","Cliquez")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]
EXCEL_FR = "csv for French Excel (;)"  # the admin's label of the French Excel variant
SPREADSHEET_FORMATS = ["csv", EXCEL_FR, "tsv", "xlsx"]
VARIANTS = [{}, {"variant": "excel-fr"}]
BETA_SIRET = "55210055400013"


def formula_values(model, *, skip=()):
    """Return a formula for every free-text field of ``model``, cut to the field's length.

    Fields with choices hold only their choices; ``skip`` names others to leave alone.
    """
    text_fields = [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and field.editable
        and not field.choices
        and field.name not in skip
    ]
    return {
        field.name: FORMULAS[number % len(FORMULAS)][: field.max_length]
        for number, field in enumerate(text_fields)
    }


def parse(content, file_format):
    """Return the rows of an exported file, as lists of cells (XLSX cells as themselves)."""
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        return [list(row) for row in sheet.iter_rows()]
    if file_format == EXCEL_FR:
        assert content.startswith(codecs.BOM_UTF8)
    delimiter = {"tsv": "\t", EXCEL_FR: ";"}.get(file_format, ",")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=delimiter))


def cell_text(cell):
    if isinstance(cell, openpyxl.cell.cell.Cell):
        assert cell.data_type != "f", f"formula cell {cell.coordinate}: {cell.value!r}"
        return "" if cell.value is None else str(cell.value)
    return cell


def assert_no_formula(rows):
    """Check that no cell of ``rows`` starts a formula, and that the formulas were there."""
    cells = [cell_text(cell) for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    neutralised = [cell for cell in cells if cell.startswith("'")]
    assert any(cell.startswith("'=HYPERLINK") for cell in neutralised), cells
    return cells


def staff_client(client, django_user_model, *permissions):
    """Log in a staff user holding exactly these "app_label.codename" permissions."""
    user = django_user_model.objects.create_user("clerk", password="unused", is_staff=True)
    for permission in permissions:
        app_label, codename = permission.split(".")
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def admin_export(client, url_name, file_format):
    """Export every row through the admin's export page and return the file's rows."""
    url = reverse(url_name)
    form = client.get(url).context["form"]
    index = next(value for value, label in form.fields["format"].choices if label == file_format)
    data = {"format": index, "resource": "0"}
    data.update({name: "on" for name, field in form.fields.items() if field.initial is True})
    response = client.post(url, data)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    return parse(response.content, file_format)


# --- The helper --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "=HYPERLINK(1)",
        "+33 4 68 00 00 00",
        "-5",
        "@SUM(A1)",
        "\tindented",
        "\rreturn",
        "'quoted already",
        "plain",
        "",
        None,
        42,
    ],
)
def test_restore_formula_escape_undoes_neutralise_formula(value):
    assert restore_formula_escape(neutralise_formula(value)) == value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("'=1+1", "=1+1"),
        ("'+33", "+33"),
        ("'plain", "'plain"),
        ("'", "'"),
        ("=1+1", "=1+1"),
    ],
)
def test_restore_formula_escape_removes_only_the_quote_it_added(value, expected):
    assert restore_formula_escape(value) == expected


# --- The admin's exports (django-import-export) ------------------------------------------


def test_export_quotes_cells_that_a_spreadsheet_would_run_as_formulas(client, django_user_model):
    games = SectorFactory(name="Jeu vidéo", slug="jeu-video")
    acme = CompanyFactory(trade_name="Acme Studio", sectors=[games])
    CompanyFactory(
        trade_name="@Risky",
        legal_name="\rCarriage SAS",
        siret=BETA_SIRET,
        siren=BETA_SIRET[:9],
        description_fr='=HYPERLINK("https://evil.example","Cliquez")',
        description_en="-1+2",
        phone="+33 4 68 00 00 00",
        street="\tTab street",
    )
    staff_client(client, django_user_model, "members.view_company")

    header, *rows = admin_export(client, "admin:members_company_export", "csv")

    rows = {row["siret"]: row for row in (dict(zip(header, row, strict=True)) for row in rows)}
    risky = rows[BETA_SIRET]
    assert risky["name"] == "'@Risky"
    assert risky["legal_name"] == "'\rCarriage SAS"
    assert risky["description_fr"] == '\'=HYPERLINK("https://evil.example","Cliquez")'
    assert risky["description_en"] == "'-1+2"
    assert risky["phone"] == "'+33 4 68 00 00 00"
    assert risky["street"] == "'\tTab street"
    harmless = rows[acme.siret]
    assert harmless["name"] == "Acme Studio"
    assert harmless["sectors"] == "jeu-video"


def hostile_companies():
    sector = Sector.objects.create(**formula_values(Sector, skip={"slug"}), slug="-2-3")
    company = Company.objects.create(
        **formula_values(Company, skip={"slug", "search_name"}), slug="-2-3", published=True
    )
    company.sectors.set([sector])
    Contact.objects.create(company=company, **formula_values(Contact))


def hostile_students():
    programme = SchoolProgramme.objects.create(
        **formula_values(SchoolProgramme), duration_months=12
    )
    Student.objects.create(programme=programme, cohort_year=2025, **formula_values(Student))


@pytest.mark.parametrize("file_format", SPREADSHEET_FORMATS)
@pytest.mark.parametrize(
    ("url_name", "permission", "make_data", "triggers"),
    [
        ("admin:members_company_export", "members.view_company", hostile_companies, "=+-@\t\r"),
        ("admin:members_sector_export", "members.view_sector", hostile_companies, "=+-"),
        ("admin:members_contact_export", "members.view_contact", hostile_companies, "=+-@\t"),
        ("admin:cluster_student_export", "cluster.view_student", hostile_students, "=+-"),
    ],
    ids=["companies", "sectors", "contacts", "students"],
)
def test_no_admin_export_holds_a_formula(
    client, django_user_model, url_name, permission, make_data, triggers, file_format
):
    make_data()
    staff_client(client, django_user_model, permission)

    cells = assert_no_formula(admin_export(client, url_name, file_format))

    # Each kind of trigger went in and came out neutralised (XLSX reads a CR back as LF).
    quoted = {cell[1].replace("\n", "\r") for cell in cells if cell.startswith("'")}
    assert quoted >= set(triggers)


# --- The CSV files of the admin and the dashboard ---------------------------------------


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_dues_ledger_holds_no_formula(client, django_user_model, variant):
    company = CompanyFactory(legal_name=FORMULAS[0], trade_name=FORMULAS[3])
    start, _end = services.membership_year(timezone.localdate())
    membership = services.membership_create(
        company=company, plan=MembershipPlanFactory(), start=start, prorate=False
    )
    invoice = services.invoice_issue(membership=membership, issue_date=start)
    Payment.objects.create(
        invoice=invoice, date=start, amount=Decimal("10.00"), method="transfer", reference="-2+3"
    )
    staff_client(client, django_user_model, "members.view_invoice")

    response = client.get(reverse("admin:members_invoice_ledger"), variant)

    assert response["Content-Type"].startswith("text/csv")
    cells = assert_no_formula(parse(response.content, EXCEL_FR if variant else "csv"))
    assert "'-2+3" in cells


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_rent_roll_holds_no_formula(client, django_user_model, variant):
    office = Office.objects.create(
        building=Building.objects.create(name=FORMULAS[3]),
        code=FORMULAS[2],
        area=Decimal("20.00"),
        desks=2,
        list_rent=Decimal("400.00"),
        delivery_date=date(2020, 1, 1),
    )
    LeaseFactory(office=office, company=CompanyFactory(legal_name=FORMULAS[0]))
    staff_client(client, django_user_model, "startups.view_lease")

    response = client.get(reverse("admin:startups_lease_rent_roll"), variant)

    assert response["Content-Type"].startswith("text/csv")
    cells = assert_no_formula(parse(response.content, EXCEL_FR if variant else "csv"))
    assert {"'@SUM(1+1)", "'-2+3"} <= set(cells)


@pytest.mark.parametrize("variant", VARIANTS)
def test_no_dashboard_figure_holds_a_formula(client, django_user_model, variant):
    programme = ProgrammeFactory(title=FORMULAS[3])
    company = CompanyFactory(trade_name=FORMULAS[0])
    PlacementFactory(student=StudentFactory(programme=programme), company=company)
    # Each section of the dashboard needs the permission of what it counts.
    staff_client(
        client,
        django_user_model,
        "cluster.view_dashboard",
        *(permission for _key, _figures, permission in dashboard.SECTIONS),
    )
    year = 2025  # the school year of PlacementFactory's placements

    every_cell = []
    for figure in dashboard.dashboard(year):
        params = {"year": year, "figure": figure.key, **variant}
        response = client.get(reverse("staff-dashboard-csv"), params)
        assert response["Content-Type"].startswith("text/csv")
        rows = parse(response.content, EXCEL_FR if variant else "csv")
        every_cell += [cell for row in rows for cell in row]
        assert not [cell for row in rows for cell in row if cell.startswith(FORMULA_TRIGGERS)]

    assert {'\'=HYPERLINK("http://evil.example","Cliquez")', "'@SUM(1+1)"} <= set(every_cell)
