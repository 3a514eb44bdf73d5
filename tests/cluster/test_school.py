"""The school in the admin: programmes, students (import, permission), placements (the
French internship rules), statistics, and the demo school."""

import csv
import io
import time
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from import_export.formats.base_formats import CSV

from cluster import demo as cluster_demo
from cluster import services
from cluster.models import Placement, Programme, Student
from cluster.resources import StudentResource
from members import demo as members_demo
from members.spreadsheet import read_spreadsheet
from tests.members.factories import CompanyFactory, OfferFactory
from tests.members.spreadsheets import admin_confirm, admin_import, problem_lines, xlsx_file

from .factories import PlacementFactory, ProgrammeFactory, StudentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """Run in English so that assertions on messages do not depend on the French catalog."""
    with translation.override("en"):
        yield


def staff_client(client, django_user_model, *permissions):
    """Log in a staff user holding exactly these permissions: "codename" of the cluster app,
    or "app_label.codename"."""
    user = django_user_model.objects.create_user(
        username="staff", password="unused-password", is_staff=True
    )
    for permission in permissions:
        app_label, _dot, codename = permission.rpartition(".")
        user.user_permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label or "cluster", codename=codename
            )
        )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def superuser_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(
        username="admin", email="admin@example.org", password="unused-password"
    )
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def placement():
    student = StudentFactory(first_name="Salomé", last_name="Vigneron-Discrète")
    return PlacementFactory(student=student, company=CompanyFactory(trade_name="Studio Tramontane"))


# --- Who sees students ------------------------------------------------------------------


def test_staff_without_view_student_gets_403_on_the_student_list(client, django_user_model):
    client = staff_client(client, django_user_model, "change_student", "view_placement")
    StudentFactory()

    response = client.get(reverse("admin:cluster_student_changelist"))

    assert response.status_code == 403


def test_staff_without_view_student_cannot_open_import_or_export_students(
    client, django_user_model
):
    client = staff_client(client, django_user_model, "add_student", "change_student")

    assert client.get(reverse("admin:cluster_student_import")).status_code == 403
    assert client.get(reverse("admin:cluster_student_export")).status_code == 403


def test_staff_with_view_student_sees_the_students(client, django_user_model, placement):
    client = staff_client(client, django_user_model, "view_student")

    response = client.get(reverse("admin:cluster_student_changelist"))

    assert response.status_code == 200
    assert "Vigneron-Discrète" in response.content.decode()


def test_placement_list_hides_the_student_from_staff_without_view_student(
    client, django_user_model, placement
):
    client = staff_client(client, django_user_model, "view_placement")

    response = client.get(reverse("admin:cluster_placement_changelist"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Studio Tramontane" in content
    assert "Vigneron" not in content
    assert "Salomé" not in content
    assert "—" in content
    assert reverse("admin:cluster_placement_change", args=[placement.pk]) not in content


def test_placement_search_ignores_student_names_without_view_student(
    client, django_user_model, placement
):
    client = staff_client(client, django_user_model, "view_placement")

    response = client.get(reverse("admin:cluster_placement_changelist"), {"q": "Vigneron"})

    assert list(response.context["cl"].result_list) == []


@pytest.mark.parametrize("view", ["change", "history", "delete"])
def test_placement_pages_are_forbidden_without_view_student(
    client, django_user_model, placement, view
):
    client = staff_client(
        client, django_user_model, "view_placement", "change_placement", "delete_placement"
    )

    response = client.get(reverse(f"admin:cluster_placement_{view}", args=[placement.pk]))

    assert response.status_code == 403


def test_student_autocomplete_is_forbidden_without_view_student(
    client, django_user_model, placement
):
    client = staff_client(client, django_user_model, "view_placement", "add_placement")

    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Vign",
            "app_label": "cluster",
            "model_name": "placement",
            "field_name": "student",
        },
    )

    assert response.status_code == 403
    assert "Vigneron" not in response.content.decode()


def test_placement_list_names_the_student_for_staff_with_view_student(
    client, django_user_model, placement
):
    client = staff_client(client, django_user_model, "view_placement", "view_student")

    response = client.get(reverse("admin:cluster_placement_changelist"))

    assert "Salomé Vigneron-Discrète" in response.content.decode()
    page = client.get(reverse("admin:cluster_placement_change", args=[placement.pk]))
    assert page.status_code == 200


def test_staff_without_view_placement_gets_403_on_placements(client, django_user_model):
    client = staff_client(client, django_user_model, "view_student")

    assert client.get(reverse("admin:cluster_placement_changelist")).status_code == 403
    assert client.get(reverse("admin:cluster_placement_statistics")).status_code == 403


@pytest.mark.parametrize("model", ["programme", "company"])
def test_delete_pages_do_not_name_the_protected_students(
    client, django_user_model, placement, model
):
    client = staff_client(
        client,
        django_user_model,
        "view_programme",
        "delete_programme",
        "members.view_company",
        "members.delete_company",
    )
    obj = placement.student.programme if model == "programme" else placement.company
    app = "cluster" if model == "programme" else "members"

    response = client.get(reverse(f"admin:{app}_{model}_delete", args=[obj.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Cannot delete" in content
    assert "Vigneron" not in content


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:cluster_programme_add",
        "admin:cluster_student_add",
        "admin:cluster_student_import",
        "admin:cluster_placement_add",
        "admin:cluster_placement_statistics",
    ],
)
def test_school_admin_pages_open_for_a_superuser(superuser_client, url_name):
    response = superuser_client.get(reverse(url_name))

    assert response.status_code == 200


@pytest.mark.parametrize("model", ["student", "placement"])
def test_school_change_pages_open_for_a_superuser(superuser_client, placement, model):
    obj = placement.student if model == "student" else placement

    response = superuser_client.get(reverse(f"admin:cluster_{model}_change", args=[obj.pk]))

    assert response.status_code == 200
    assert "Vigneron-Discrète" in response.content.decode()


def test_programme_list_counts_students(superuser_client):
    programme = ProgrammeFactory(title="Bachelor Game Design")
    StudentFactory.create_batch(3, programme=programme)

    response = superuser_client.get(reverse("admin:cluster_programme_changelist"))

    assert response.status_code == 200
    assert [p.student_count for p in response.context["cl"].result_list] == [3]


def test_student_list_filters_by_training_type(superuser_client):
    StudentFactory(last_name="Initiale", programme=ProgrammeFactory(title="Bachelor"))
    StudentFactory(
        last_name="Continue",
        programme=ProgrammeFactory(
            title="Titre Infographiste", training_type=Programme.TrainingType.CONTINUING
        ),
    )

    response = superuser_client.get(
        reverse("admin:cluster_student_changelist"),
        {"programme__training_type__exact": "continuing"},
    )

    assert [s.last_name for s in response.context["cl"].result_list] == ["Continue"]


def test_saving_a_graduated_student_in_the_admin_dates_the_status(superuser_client):
    student = StudentFactory(programme=ProgrammeFactory(title="Bachelor"))
    data = {
        "first_name": student.first_name,
        "last_name": student.last_name,
        "email": student.email,
        "programme": student.programme_id,
        "cohort_year": 2023,
        "status": "graduated",
        "status_changed_on": "",
        "placements-TOTAL_FORMS": "0",
        "placements-INITIAL_FORMS": "0",
    }

    response = superuser_client.post(
        reverse("admin:cluster_student_change", args=[student.pk]), data
    )

    assert response.status_code == 302
    student.refresh_from_db()
    assert student.status == Student.Status.GRADUATED
    assert student.status_changed_on is not None


# --- Importing students -----------------------------------------------------------------

HEADER = (
    "first_name,last_name,email,programme,cohort_year,status,"
    "consent_share_with_companies,consent_news\n"
)


def import_form_data(client, content):
    form = client.get(reverse("admin:cluster_student_import")).context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if label == "csv")
    data = {
        "import_file": SimpleUploadedFile("students.csv", content.encode("utf-8"), "text/csv"),
        "format": csv_index,
    }
    if "resource" in form.fields:
        data["resource"] = "0"
    return data


def confirm_import(client, content):
    preview = client.post(
        reverse("admin:cluster_student_import"), import_form_data(client, content)
    )
    confirm_form = preview.context["confirm_form"]
    return client.post(
        reverse("admin:cluster_student_process_import"),
        {name: confirm_form.initial[name] for name in confirm_form.fields},
    )


def dry_run(content):
    resource = StudentResource()
    dataset = read_spreadsheet(content.encode("utf-8"))
    return resource, resource.import_data(dataset, dry_run=True, rollback_on_validation_errors=True)


@pytest.fixture
def programmes():
    return {
        "animation": ProgrammeFactory(title="Bachelor Animation 3D"),
        "motion": ProgrammeFactory(
            title="Formation continue Motion design",
            training_type=Programme.TrainingType.CONTINUING,
            duration_months=6,
        ),
    }


def test_student_import_shows_a_preview_and_saves_nothing_yet(superuser_client, programmes):
    content = HEADER + "Léa,Martin,lea.martin@example.org,Bachelor Animation 3D,2025,,1,0\n"

    response = superuser_client.post(
        reverse("admin:cluster_student_import"), import_form_data(superuser_client, content)
    )

    assert response.status_code == 200
    assert response.context["result"].totals["new"] == 1
    assert response.context["confirm_form"] is not None
    assert "lea.martin@example.org" in response.content.decode()
    assert not Student.objects.exists()


def test_confirmed_student_import_creates_students_with_programme_by_title_or_id(
    superuser_client, programmes
):
    motion = programmes["motion"]
    content = (
        HEADER
        + "Léa,Martin,lea.martin@example.org,bachelor animation 3d,2025,enrolled,oui,non\n"
        + f"Hugo,Roux,,{motion.pk},2024,graduated,0,1\n"
    )

    response = confirm_import(superuser_client, content)

    assert response.status_code == 302
    lea = Student.objects.get(email="lea.martin@example.org")
    assert (lea.programme, lea.cohort_year, lea.status) == (
        programmes["animation"],
        2025,
        "enrolled",
    )
    assert (lea.consent_share_with_companies, lea.consent_news) == (True, False)
    hugo = Student.objects.get(last_name="Roux")
    assert (hugo.programme, hugo.status, hugo.consent_news) == (motion, "graduated", True)
    assert hugo.status_changed_on is not None
    assert hugo.history.count() == 1


def test_importing_again_updates_students_matched_by_email_without_duplicates(
    superuser_client, programmes
):
    StudentFactory(
        first_name="Léa",
        last_name="Martin",
        email="Lea.Martin@example.org",
        programme=programmes["animation"],
        cohort_year=2024,
        consent_news=True,
    )
    content = HEADER + "Léa,Martin-Puig,lea.martin@example.org,Bachelor Animation 3D,2025,,,\n"

    confirm_import(superuser_client, content)
    confirm_import(superuser_client, content)

    student = Student.objects.get()
    assert (student.last_name, student.cohort_year) == ("Martin-Puig", 2025)
    assert student.consent_news is True  # an empty cell erases nothing


def test_unknown_programme_is_a_row_error_naming_it_and_nothing_is_imported(
    superuser_client, programmes
):
    content = (
        HEADER
        + "Léa,Martin,lea.martin@example.org,Bachelor Animation 3D,2025,,1,0\n"
        + "Hugo,Roux,hugo.roux@example.org,Mastère Cuisine,2025,,1,0\n"
    )

    response = superuser_client.post(
        reverse("admin:cluster_student_import"), import_form_data(superuser_client, content)
    )

    assert response.context["result"].has_validation_errors()
    assert "confirm_form" not in response.context
    assert "Unknown programme “Mastère Cuisine”" in response.content.decode()
    assert not Student.objects.exists()


def test_row_errors_give_the_row_the_column_and_the_message(programmes):
    content = (
        HEADER
        + "Léa,Martin,lea.martin@example.org,Bachelor Animation 3D,2025,,1,0\n"
        + "Hugo,Roux,hugo.roux@example.org,Mastère Cuisine,2025,,peut-être,0\n"
        + ",Blanc,lea.martin@example.org,Bachelor Animation 3D,2025,expelled,1,0\n"
    )

    _resource, result = dry_run(content)

    problems = {(row, column): message for row, column, message, _value in result.problems}
    assert problems[(3, "programme")].startswith("Unknown programme “Mastère Cuisine”")
    assert "Bachelor Animation 3D" in problems[(3, "programme")]
    assert problems[(3, "consent_share_with_companies")] == "“peut-être” is not yes or no (1 or 0)."
    assert problems[(4, "email")] == "Row 2 of the file has this email too (“Léa Martin”)."
    assert not Student.objects.exists()


def test_a_file_of_emails_and_statuses_updates_only_the_status(programmes):
    student = StudentFactory(email="lea.martin@example.org", programme=programmes["animation"])
    resource = StudentResource()
    dataset = CSV().create_dataset("email,status\nLEA.MARTIN@example.org,graduated\n")

    result = resource.import_data(dataset, rollback_on_validation_errors=True)

    assert not result.has_validation_errors()
    student.refresh_from_db()
    assert (student.status, student.programme) == ("graduated", programmes["animation"])
    assert student.status_changed_on is not None
    assert Student.objects.count() == 1


def test_a_file_without_email_or_names_is_refused_as_a_whole(programmes):
    _resource, result = dry_run("programme,cohort_year\nBachelor Animation 3D,2025\n")

    assert [str(problem) for problem in result.problems] == [
        "row 1: The file needs an “email” column, or “first_name” and “last_name”."
    ]
    assert not Student.objects.exists()


def test_student_export_neutralises_formulas_and_imports_back_unchanged(
    superuser_client, programmes
):
    StudentFactory(
        first_name="=HYPERLINK(1)",
        last_name="Martin",
        email="lea.martin@example.org",
        programme=programmes["animation"],
    )
    form = superuser_client.get(reverse("admin:cluster_student_export")).context["form"]
    csv_index = next(value for value, label in form.fields["format"].choices if label == "csv")
    data = {"format": csv_index, "resource": "0"}
    data.update({name: "on" for name in form.fields if name.startswith("studentresource_")})

    response = superuser_client.post(reverse("admin:cluster_student_export"), data)

    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0]["first_name"] == "'=HYPERLINK(1)"
    assert rows[0]["programme"] == "Bachelor Animation 3D"
    Student.objects.update(first_name="changed")
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    confirm_import(superuser_client, buffer.getvalue())
    assert Student.objects.get().first_name == "=HYPERLINK(1)"


def test_student_import_reads_a_semicolon_separated_csv_from_excel(
    superuser_client, programmes, tmp_path
):
    path = tmp_path / "students.csv"
    path.write_bytes(
        "\ufeffFirst name;Last name;Email;Programme;Cohort year\r\n"
        "Léa;Martin;lea.martin@example.org;Bachelor Animation 3D;2025\r\n".encode()
    )

    preview = admin_import(superuser_client, "admin:cluster_student_import", path)
    admin_confirm(superuser_client, "admin:cluster_student_process_import", preview)

    student = Student.objects.get()
    assert (student.first_name, student.programme) == ("Léa", programmes["animation"])


def test_student_import_refuses_a_windows_1252_csv_with_how_to_save_it(
    superuser_client, programmes, tmp_path
):
    path = tmp_path / "students.csv"
    path.write_bytes((HEADER + "Léa,Martin,,Bachelor Animation 3D,2025,,1,0\n").encode("cp1252"))

    preview = admin_import(superuser_client, "admin:cluster_student_import", path)

    (error,) = preview.context["form"].errors["import_file"]
    assert error.startswith("The file is not UTF-8 text: its first character in another")
    assert "Save it as CSV UTF-8" in error
    assert "UnicodeDecodeError" not in preview.content.decode()


def test_student_import_reads_numbers_in_xlsx_cells(superuser_client, programmes, tmp_path):
    motion = programmes["motion"]
    path = xlsx_file(
        tmp_path / "students.xlsx",
        HEADER.strip().split(","),
        ("Hugo", "Roux", "hugo.roux@example.org", float(motion.pk), 2024.0, None, 1.0, 0),
    )

    preview = admin_import(superuser_client, "admin:cluster_student_import", path)
    admin_confirm(superuser_client, "admin:cluster_student_process_import", preview)

    hugo = Student.objects.get()
    assert (hugo.programme, hugo.cohort_year) == (motion, 2024)
    assert (hugo.consent_share_with_companies, hugo.consent_news) == (True, False)


def test_student_import_lists_an_email_given_twice_with_both_rows(
    superuser_client, programmes, tmp_path
):
    path = tmp_path / "students.csv"
    path.write_text(
        HEADER
        + "Léa,Martin,lea.martin@example.org,Bachelor Animation 3D,2025,,1,0\n"
        + "\n"
        + "Léa,Martin,LEA.MARTIN@example.org,Bachelor Animation 3D,2025,,1,0\n"
    )

    preview = admin_import(superuser_client, "admin:cluster_student_import", path)

    assert problem_lines(preview.content.decode()) == [
        "row 4, column email: Row 2 of the file has this email too (“Léa Martin”)."
    ]
    assert not Student.objects.exists()


# --- The French internship rules ---------------------------------------------------------


def internship(**fields):
    """Return an unsaved internship, for checking the rules with full_clean()."""
    fields.setdefault("student", StudentFactory())
    fields.setdefault("company", CompanyFactory())
    fields.setdefault("kind", Placement.Kind.INTERNSHIP)
    fields.setdefault("tutor", "Jordi Puig")
    return Placement(**fields)


def errors_of(placement):
    try:
        placement.full_clean()
    except ValidationError as error:
        return error.message_dict
    return {}


def days_after(day, days):
    return date.fromordinal(day.toordinal() + days)


START = date(2025, 10, 6)


@pytest.mark.parametrize(
    ("days", "weekly_hours", "hours", "needs_stipend"),
    [
        (70, "30.8", "308.0", False),  # ten weeks at 30.8 hours: exactly 308 hours
        (91, "23.7", "308.1", True),  # thirteen weeks at 23.7 hours: 308.1 hours
        (61, "35.0", "305.0", False),
        (62, "35.0", "310.0", True),
    ],
)
def test_an_unpaid_internship_is_allowed_up_to_308_hours(days, weekly_hours, hours, needs_stipend):
    placement = internship(
        start=START, end=days_after(START, days), weekly_hours=Decimal(weekly_hours)
    )

    errors = errors_of(placement)

    assert placement.hours == Decimal(hours)
    assert ("hourly_stipend" in errors) is needs_stipend


@pytest.mark.parametrize(("stipend", "accepted"), [("4.34", False), ("4.35", True), ("5.00", True)])
def test_a_long_internship_is_paid_at_least_the_default_minimum(stipend, accepted):
    placement = internship(start=START, end=days_after(START, 91), hourly_stipend=Decimal(stipend))

    errors = errors_of(placement)

    assert ("hourly_stipend" in errors) is not accepted
    if not accepted:
        assert "at least 4.35 € an hour" in errors["hourly_stipend"][0]


@pytest.mark.parametrize(
    ("stipend", "accepted"), [("4.35", False), ("4.49", False), ("4.50", True)]
)
def test_the_minimum_stipend_follows_the_setting(settings, stipend, accepted):
    settings.CITE_MIN_HOURLY_STIPEND = "4.50"
    placement = internship(start=START, end=days_after(START, 91), hourly_stipend=Decimal(stipend))

    assert ("hourly_stipend" in errors_of(placement)) is not accepted


def test_a_short_internship_needs_no_stipend_whatever_the_setting(settings):
    settings.CITE_MIN_HOURLY_STIPEND = "4.50"
    placement = internship(start=START, end=days_after(START, 28), hourly_stipend=Decimal("1.00"))

    assert errors_of(placement) == {}


PAID = Decimal("4.35")


@pytest.fixture
def first_internship():
    """440 hours (88 days at 35 hours) from 1 September 2025, in the school year 2025–2026."""
    return PlacementFactory(
        start=date(2025, 9, 1), end=days_after(date(2025, 9, 1), 88), hourly_stipend=PAID
    )


@pytest.mark.parametrize(
    ("days", "weekly_hours", "total", "accepted"),
    [
        (88, "38.5", "924.0", True),  # 440 + 484.0
        (103, "32.9", "924.1", False),  # 440 + 484.1
    ],
)
def test_a_student_spends_at_most_924_hours_in_internships_a_school_year(
    first_internship, days, weekly_hours, total, accepted
):
    start = date(2026, 1, 5)
    placement = internship(
        student=first_internship.student,
        company=first_internship.company,
        start=start,
        end=days_after(start, days),
        weekly_hours=Decimal(weekly_hours),
        hourly_stipend=PAID,
    )

    errors = errors_of(placement)

    assert first_internship.hours + placement.hours == Decimal(total)
    assert ("end" in errors) is not accepted
    if not accepted:
        assert "with this one, 924.1 hours" in errors["end"][0]


@pytest.mark.parametrize(
    ("other_start", "accepted"),
    [
        (date(2025, 3, 3), True),  # the previous school year
        (date(2025, 8, 31), True),  # its last day
        (date(2025, 9, 1), False),  # the first day of the same school year
    ],
)
def test_internships_of_another_school_year_do_not_count_towards_the_924_hours(
    other_start, accepted
):
    other = PlacementFactory(
        start=other_start, end=days_after(other_start, 88), hourly_stipend=PAID
    )
    start = date(2026, 1, 5)
    placement = internship(
        student=other.student,
        company=other.company,
        start=start,
        end=days_after(start, 103),
        weekly_hours=Decimal("32.9"),
        hourly_stipend=PAID,
    )

    assert ("end" in errors_of(placement)) is not accepted


def test_work_study_and_jobs_do_not_count_towards_the_internship_hours(first_internship):
    PlacementFactory(
        student=first_internship.student,
        kind=Placement.Kind.WORK_STUDY,
        start=date(2025, 9, 1),
        end=date(2026, 8, 31),
    )
    start = date(2026, 1, 5)
    placement = internship(
        student=first_internship.student,
        start=start,
        end=days_after(start, 88),
        weekly_hours=Decimal("38.5"),
        hourly_stipend=PAID,
    )

    assert errors_of(placement) == {}


def test_editing_an_internship_does_not_count_it_twice(first_internship):
    first_internship.weekly_hours = Decimal("35.0")

    assert errors_of(first_internship) == {}


@pytest.fixture
def offer():
    return OfferFactory()


@pytest.fixture
def previous_intern(offer):
    """A 90-day internship on the offer, ended (exclusive) on 6 April 2025: 30 days' wait."""
    return PlacementFactory(
        offer=offer,
        company=offer.company,
        start=date(2025, 1, 6),
        end=date(2025, 4, 6),
        hourly_stipend=PAID,
    )


@pytest.mark.parametrize(
    ("start", "accepted"), [(date(2025, 5, 5), False), (date(2025, 5, 6), True)]
)
def test_an_offer_waits_a_third_of_the_previous_internship_before_the_next_intern(
    offer, previous_intern, start, accepted
):
    placement = internship(
        offer=offer, company=offer.company, start=start, end=days_after(start, 28)
    )

    errors = errors_of(placement)

    assert ("start" in errors) is not accepted
    if not accepted:
        assert "only from 6 May 2025" in errors["start"][0]  # English dates are day first


@pytest.mark.parametrize("other_offer", [True, False])
def test_another_offer_or_no_offer_has_no_waiting_period(offer, previous_intern, other_offer):
    start = previous_intern.end
    placement = internship(
        offer=OfferFactory(company=offer.company) if other_offer else None,
        company=offer.company,
        start=start,
        end=days_after(start, 28),
    )

    assert errors_of(placement) == {}


def test_a_fractional_third_is_waited_in_full(offer):
    PlacementFactory(offer=offer, start=date(2025, 1, 6), end=date(2025, 3, 8))  # 61 days
    start = date(2025, 3, 28)  # 20 days after
    placement = internship(offer=offer, start=start, end=days_after(start, 28))

    assert "start" in errors_of(placement)


def test_two_interns_cannot_start_on_the_same_offer_the_same_day(offer, previous_intern):
    placement = internship(offer=offer, start=previous_intern.start, end=previous_intern.end)

    assert "start" in errors_of(placement)


def test_an_internship_recorded_late_still_respects_the_next_one_on_the_offer(offer):
    PlacementFactory(offer=offer, start=date(2025, 4, 20), end=date(2025, 6, 20))
    placement = internship(offer=offer, start=date(2025, 1, 6), end=date(2025, 4, 6))

    assert "start" in errors_of(placement)


def add_placement_data(student, company, **overrides):
    data = {
        "student": student.pk,
        "company": company.pk,
        "offer": "",
        "kind": "internship",
        "start": "2025-10-06",
        "end": "2026-01-05",  # 91 days: 455 hours
        "tutor": "Jordi Puig",
        "weekly_hours": "35.0",
        "hourly_stipend": "4.34",
    }
    data.update(overrides)
    return data


def test_the_admin_refuses_a_placement_that_breaks_a_rule_and_says_why(superuser_client):
    student, company = StudentFactory(), CompanyFactory()

    response = superuser_client.post(
        reverse("admin:cluster_placement_add"), add_placement_data(student, company)
    )

    assert response.status_code == 200
    assert "must be paid at least 4.35 € an hour" in response.content.decode()
    assert not Placement.objects.exists()


def test_the_admin_records_a_placement_that_follows_the_rules(superuser_client):
    student, company = StudentFactory(), CompanyFactory()

    response = superuser_client.post(
        reverse("admin:cluster_placement_add"),
        add_placement_data(student, company, hourly_stipend="4.35"),
    )

    assert response.status_code == 302
    placement = Placement.objects.get()
    assert (placement.student, placement.company, placement.hours) == (
        student,
        company,
        Decimal("455.0"),
    )
    assert placement.history.count() == 1


# --- Statistics --------------------------------------------------------------------------


@pytest.fixture
def recorded_placements():
    animation = ProgrammeFactory(title="Bachelor Animation 3D")
    web = ProgrammeFactory(
        title="Alternance Développeur web", training_type=Programme.TrainingType.WORK_STUDY
    )
    tramontane = CompanyFactory(trade_name="Studio Tramontane")
    canigou = CompanyFactory(trade_name="Canigou Games")
    PlacementFactory(
        student=StudentFactory(programme=animation), company=tramontane, start=date(2025, 10, 6)
    )
    PlacementFactory(
        student=StudentFactory(programme=animation),
        company=tramontane,
        kind=Placement.Kind.JOB,
        start=date(2026, 8, 31),
        end=date(2027, 8, 31),
    )
    PlacementFactory(
        student=StudentFactory(programme=web),
        company=canigou,
        kind=Placement.Kind.WORK_STUDY,
        start=date(2026, 9, 1),
        end=date(2027, 8, 31),
    )


def test_statistics_count_placements_by_company_busiest_first(recorded_placements):
    rows = services.placements_by_company()

    assert [(r["company__trade_name"], r["total"], r["internships"], r["jobs"]) for r in rows] == [
        ("Studio Tramontane", 2, 1, 1),
        ("Canigou Games", 1, 0, 0),
    ]


def test_statistics_count_placements_by_programme_with_its_training_type(recorded_placements):
    rows = services.placements_by_programme()

    assert [(r["programme"], str(r["training_type_label"]), r["total"]) for r in rows] == [
        ("Alternance Développeur web", "work-study (apprenticeship)", 1),
        ("Bachelor Animation 3D", "initial training", 2),
    ]


def test_statistics_put_a_placement_in_the_school_year_of_its_start(recorded_placements):
    rows = services.placements_by_school_year()

    # 31 August 2026 still belongs to 2025–2026; 1 September 2026 opens 2026–2027.
    assert [(r["label"], r["total"], r["work_studies"]) for r in rows] == [
        ("2025–2026", 2, 0),
        ("2026–2027", 1, 1),
    ]


def test_statistics_take_three_queries_whatever_the_number_of_placements(
    recorded_placements, django_assert_num_queries
):
    PlacementFactory.create_batch(10)

    with django_assert_num_queries(3):
        statistics = services.placement_statistics()

    assert sum(row["total"] for row in statistics["by_school_year"]) == 13


def test_statistics_page_is_linked_from_the_placement_list_and_shows_the_tables(
    client, django_user_model, recorded_placements
):
    client = staff_client(client, django_user_model, "view_placement")
    changelist = client.get(reverse("admin:cluster_placement_changelist"))
    url = reverse("admin:cluster_placement_statistics")

    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    PlacementFactory.create_batch(10)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert url in changelist.content.decode()
    content = response.content.decode()
    assert response.status_code == 200
    assert "2025–2026" in content
    assert "Studio Tramontane" in content
    assert "Bachelor Animation 3D" in content
    assert len(many) == len(few)


# --- The demo school ---------------------------------------------------------------------


@pytest.fixture
def demo_cluster():
    members_demo.seed_cluster()
    members_demo.seed_dues()


def test_demo_school_has_650_students_mostly_in_initial_training(
    demo_cluster, django_assert_max_num_queries
):
    started = time.perf_counter()
    with django_assert_max_num_queries(40):
        added = cluster_demo.seed_school()
    elapsed = time.perf_counter() - started

    assert added == {"students": 650, "placements": 60}
    assert elapsed < 5  # about 0.3 s; generous for slow machines
    by_type = {
        kind: Student.objects.filter(programme__training_type=kind).count()
        for kind in Programme.TrainingType.values
    }
    assert by_type["initial"] > 650 / 2
    assert by_type["continuing"] > 0
    assert Programme.objects.filter(title="Mastère Effets visuels", level="Bac+5").exists()
    enrolled = Student.objects.filter(status=Student.Status.ENROLLED).count()
    assert enrolled > 650 / 2
    assert Student.objects.filter(status=Student.Status.GRADUATED).exists()
    assert not Student.objects.exclude(email__endswith="@etudiant.idem.example").exists()
    assert Student.history.count() == 650


def test_demo_placements_follow_the_internship_rules_at_member_companies(demo_cluster):
    cluster_demo.seed_school()

    placements = list(Placement.objects.select_related("company"))
    for placement in placements:
        placement.full_clean()  # raises if a rule is broken
        assert placement.company.memberships.exists()
    assert 50 <= len(placements) <= 70
    assert any(p.kind == Placement.Kind.INTERNSHIP and p.hours > 308 for p in placements)


def test_demo_school_is_idempotent(demo_cluster):
    cluster_demo.seed_school()
    counts = (Programme.objects.count(), Student.objects.count(), Placement.objects.count())

    added = cluster_demo.seed_school()

    assert added == {"students": 0, "placements": 0}
    assert (Programme.objects.count(), Student.objects.count(), Placement.objects.count()) == (
        counts
    )
