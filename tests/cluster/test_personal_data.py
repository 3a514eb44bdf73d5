"""Personal data of contacts, representatives (users) and applicants: exported on request,
erased on request with their history, and applications anonymised after their retention
period. For each kind: export before, erase, export after shows nothing identifying, the
history rows are anonymised and the counts stay."""

import io
import json
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone, translation

from cluster import roles
from cluster.models import Erasure, Student
from members.models import Application, Contact, EmailLog, Invitation, Representative
from tests.members.factories import CompanyFactory, ContactFactory, RepresentativeFactory

from .factories import StudentFactory
from .staff import application, staff_member
from .test_staff_todo import todo_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def run(command, *args, **options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def export(*args):
    stdout, _stderr = run("export_personal_data", *args)
    return json.loads(stdout)


def erase(*args):
    stdout, _stderr = run("erase_personal_data", *args, "--no-input")
    return stdout


def named(data, *secrets):
    """Return the secrets that the export still holds, in any case."""
    text = json.dumps(data, ensure_ascii=False).lower()
    return [secret for secret in secrets if secret.lower() in text]


def logged(to, kind="invitation", body="Bonjour"):
    return EmailLog.objects.create(kind=kind, to=to, subject="Objet", body=body, status="sent")


# --- Contacts --------------------------------------------------------------------------------

CONTACT_SECRETS = ("Marie", "Curie", "marie.curie@radium.example", "06 12 34 56 78")


@pytest.fixture
def contact(django_user_model):
    contact = ContactFactory(
        first_name="Marie",
        last_name="Curie",
        email="marie.curie@radium.example",
        phone="06 12 34 56 78",
        role="CEO",
    )
    contact.role = "CTO"
    contact.save()  # a second history row with the name
    admin = django_user_model.objects.create_superuser("admin", "admin@pole.example", "unused")
    LogEntry.objects.log_actions(admin.pk, [contact], CHANGE)
    return contact


def test_a_deleted_contact_is_still_exported_from_the_history_that_names_them(contact):
    pk = contact.pk
    contact.delete()

    data = export("--contact", str(pk))

    assert (data["kind"], data["id"], data["deleted"], data["record"]) == (
        "contact",
        pk,
        True,
        None,
    )
    assert [row["type"] for row in data["history"]] == ["created", "changed", "deleted"]
    assert named(data, *CONTACT_SECRETS) == list(CONTACT_SECRETS)


def test_erasing_a_contact_deletes_it_and_anonymises_its_history(contact):
    pk, company = contact.pk, contact.company
    other = ContactFactory(company=company, last_name="Sklodowska")
    assert named(export("--contact", str(pk)), *CONTACT_SECRETS) == list(CONTACT_SECRETS)

    said = erase("--contact", str(pk))

    assert f"Contact {pk}: record deleted: 1, history rows anonymised: 3, admin log " in said
    data = export("--contact", str(pk))
    assert named(data, *CONTACT_SECRETS) == []
    assert [row["type"] for row in data["history"]] == ["created", "changed", "deleted"]
    assert {row["fields"]["last_name"] for row in data["history"]} == {f"Contact-{pk}"}
    assert data["erasures"][0]["reason"] == "request"
    assert not Contact.history.filter(last_name="Curie").exists()
    assert not LogEntry.objects.filter(object_repr__contains="Curie").exists()
    assert list(company.contacts.all()) == [other]  # the company's other contacts stay
    assert Erasure.objects.get(kind="contact", object_id=pk).changes["history_rows"] == 3


def test_erasing_a_contact_deleted_long_ago_anonymises_the_history_left(contact):
    pk = contact.pk
    contact.delete()

    said = erase("--contact", str(pk))

    assert "record deleted" not in said
    assert "history rows anonymised: 3" in said
    assert named(export("--contact", str(pk)), *CONTACT_SECRETS) == []


def test_erasing_twice_changes_nothing_more(contact):
    pk = contact.pk
    erase("--contact", str(pk))
    rows = list(Contact.history.filter(id=pk).values())

    said = erase("--contact", str(pk))

    assert f"Contact {pk}: history rows anonymised: 3" in said  # the same values again
    assert list(Contact.history.filter(id=pk).values()) == rows
    assert Erasure.objects.filter(kind="contact", object_id=pk).count() == 1


def test_erasure_shows_who_first_and_a_no_erases_nothing(contact, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "no")

    stdout, _stderr = run("erase_personal_data", "--contact", str(contact.pk))

    assert f"- contact {contact.pk}: Marie Curie <marie.curie@radium.example>" in stdout
    assert stdout.rstrip().endswith("Nothing erased.")
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_a_dry_run_erases_nothing(contact):
    stdout, _stderr = run("erase_personal_data", "--contact", str(contact.pk), "--dry-run")

    assert "Dry run: nothing changed." in stdout
    assert Contact.history.filter(last_name="Curie").count() == 2


@pytest.mark.parametrize("kind", ["contact", "user", "application", "student"])
def test_an_unknown_person_is_said_so(kind):
    with pytest.raises(CommandError, match=f"There is no {kind} with id 999999."):
        run("erase_personal_data", f"--{kind}", "999999", "--no-input")
    with pytest.raises(CommandError, match=f"There is no {kind} with id 999999."):
        run("export_personal_data", f"--{kind}", "999999")


# --- Representatives (users) -----------------------------------------------------------------

USER_SECRETS = ("Lea", "Vroomfondel", "lea@vroom.example")


@pytest.fixture
def representative(client):
    representation = RepresentativeFactory(
        user__username="lea@vroom.example",
        user__email="lea@vroom.example",
        user__first_name="Lea",
        user__last_name="Vroomfondel",
        company=CompanyFactory(trade_name="Vroom"),
        role="admin",
    )
    Invitation.objects.create(company=representation.company, email="Lea@Vroom.example")
    logged("lea@vroom.example", body="Bonjour Lea, votre invitation")
    logged("other@vroom.example, lea@vroom.example", kind="overdue")
    AccessAttempt.objects.create(
        username="lea@vroom.example", ip_address="10.0.0.1", user_agent="x", failures_since_start=1
    )
    return representation.user


def test_a_representatives_export_holds_the_account_representations_and_what_was_sent(
    representative,
):
    data = export("--user", str(representative.pk))

    assert data["record"]["email"] == "lea@vroom.example"
    assert "password" not in data["record"]
    [representation] = data["representations"]
    assert representation["record"]["company"]["label"] == "Vroom"
    assert [row["type"] for row in representation["history"]] == ["created"]
    assert data["invitations"][0]["email"] == "Lea@Vroom.example"
    assert {email["kind"] for email in data["emails"]} == {"invitation", "overdue"}
    assert data["login_attempts"][0]["ip_address"] == "10.0.0.1"


def test_erasing_a_representative_anonymises_the_account_and_what_names_them(
    representative, client
):
    pk, company = representative.pk, representative.representations.get().company
    emails_before = EmailLog.objects.count()

    said = erase("--user", str(pk))

    assert f"User {pk}: record anonymised: 1" in said
    assert "representations of companies deleted: 1" in said
    data = export("--user", str(pk))
    assert named(data, *USER_SECRETS) == []
    representative.refresh_from_db()
    assert (representative.username, representative.is_active) == (f"anonymised-{pk}", False)
    assert not representative.has_usable_password()
    assert not Representative.objects.filter(company=company).exists()
    # The history of the representation names only the (now anonymous) account.
    assert Representative.history.filter(user_id=pk).count() == 2
    assert EmailLog.objects.count() == emails_before  # the counts stay
    assert not EmailLog.objects.filter(to__icontains="lea@").exists()
    assert not EmailLog.objects.filter(body__contains="Lea").exists()
    assert not Invitation.objects.filter(email__iexact="lea@vroom.example").exists()
    assert not AccessAttempt.objects.exists()
    assert EmailLog.objects.get(kind="overdue").to == "other@vroom.example"
    refused = client.post(
        reverse("login"), {"username": "lea@vroom.example", "password": "s3cret-pass!"}
    )
    assert refused.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session


def test_a_staff_member_is_not_erased_by_mistake():
    user = staff_member(roles.MANAGEMENT)

    with pytest.raises(CommandError, match="is a staff member"):
        erase("--user", str(user.pk))

    user.refresh_from_db()
    assert user.is_active


# --- Applicants ------------------------------------------------------------------------------

APPLICANT_SECRETS = ("Núria", "Puig", "nuria@pixel.example", "06 11 22 33 44", "animation 3D")


@pytest.fixture
def rejected():
    applied = application(legal_name="Núria Puig EI", trade_name="")
    applied.status = Application.Status.REJECTED
    applied.reason = "Núria n’est pas dans la filière."
    applied.reviewed_at = timezone.now()
    applied.save()  # a second history row
    logged("nuria@pixel.example", kind="application_received", body="Bonjour Núria Puig")
    return applied


def test_an_applicants_export_holds_the_application_its_history_and_emails(rejected):
    data = export("--application", str(rejected.pk))

    assert data["record"]["contact_email"] == "nuria@pixel.example"
    assert [row["fields"]["status"] for row in data["history"]] == ["pending", "rejected"]
    assert [email["kind"] for email in data["emails"]] == ["application_received"]
    assert named(data, *APPLICANT_SECRETS) == list(APPLICANT_SECRETS)


def test_erasing_an_applicant_anonymises_the_application_and_keeps_what_is_counted(rejected):
    pk = rejected.pk
    counted = (Application.objects.filter(status="rejected").count(), rejected.plan_id)

    said = erase("--application", str(pk))

    assert f"Applicant {pk}: record anonymised: 1, history rows anonymised: 2" in said
    data = export("--application", str(pk))
    assert named(data, *APPLICANT_SECRETS, "Núria Puig EI") == []
    kept = Application.objects.get(pk=pk)
    assert (Application.objects.filter(status="rejected").count(), kept.plan_id) == counted
    assert (kept.city, kept.legal_name) == ("Perpignan", f"Anonymised application {pk}")
    assert not Application.history.filter(contact_last_name="Puig").exists()
    assert not EmailLog.objects.filter(body__contains="Núria").exists()


def test_an_approved_applicant_is_erased_but_the_member_company_stays_named():
    approved = application(status=Application.Status.APPROVED)

    erase("--application", str(approved.pk))

    approved.refresh_from_db()
    assert (approved.legal_name, approved.trade_name) == ("Pixel Catalan SAS", "Pixel Catalan")
    assert (approved.contact_last_name, approved.contact_email) == (
        f"Applicant-{approved.pk}",
        "",
    )


# --- Applications after their retention period ---------------------------------------------


def decided(days_ago, status):
    applied = application(status=status, contact_email=f"{status}{days_ago}@pixel.example")
    Application.objects.filter(pk=applied.pk).update(
        reviewed_at=timezone.now() - timedelta(days=days_ago)
    )
    return applied


@pytest.fixture
def applications_of_all_ages():
    return {
        "rejected_old": decided(366, "rejected"),
        "rejected_recent": decided(300, "rejected"),
        "approved_old": decided(3 * 365 + 1, "approved"),
        "approved_recent": decided(2 * 365, "approved"),
        "pending_old": decided(5 * 365, "pending"),
    }


def test_the_purge_anonymises_applications_past_their_retention_period(
    applications_of_all_ages,
):
    def by_status():
        return {s.value: Application.objects.filter(status=s).count() for s in Application.Status}

    before = by_status()

    stdout, _stderr = run("purge_applications")

    assert stdout.startswith("2 applications anonymised (rejected more than 365 days ago")
    anonymised = {
        key
        for key, applied in applications_of_all_ages.items()
        if Application.objects.get(pk=applied.pk).contact_email == ""
    }
    assert anonymised == {"rejected_old", "approved_old"}
    assert by_status() == before == {"pending": 1, "approved": 2, "rejected": 2}
    old = applications_of_all_ages["rejected_old"]
    assert Erasure.objects.get(kind="application", object_id=old.pk).reason == "retention"
    assert not Application.history.filter(id=old.pk).exclude(contact_email="").exists()


def test_the_purge_is_idempotent_and_has_a_dry_run(applications_of_all_ages):
    dry, _stderr = run("purge_applications", "--dry-run")
    assert dry.startswith("2 applications would be anonymised")
    assert "Dry run: nothing changed." in dry
    assert not Erasure.objects.exists()

    run("purge_applications")
    again, _stderr = run("purge_applications")

    assert again.startswith("0 applications anonymised")


def test_the_purge_follows_the_retention_settings(settings, applications_of_all_ages):
    settings.CITE_APPLICATION_RETENTION_DAYS = 200
    settings.CITE_APPROVED_APPLICATION_RETENTION_DAYS = 700

    stdout, _stderr = run("purge_applications")

    assert stdout.startswith("4 applications anonymised (rejected more than 200 days ago")


def test_the_to_do_counts_stay_after_the_purge(admin_client, applications_of_all_ages):
    before = todo_rows(admin_client.get(reverse("admin:index")))

    run("purge_applications")

    assert before["applications"][0] == 1
    assert todo_rows(admin_client.get(reverse("admin:index"))) == before


# --- Everything about one address ------------------------------------------------------------


@pytest.fixture
def one_address_everywhere(contact, representative):
    """Lea is a representative, a contact of another company, and applied once."""
    ContactFactory(first_name="Lea", last_name="Vroomfondel", email="LEA@vroom.example")
    application(
        contact_first_name="Lea", contact_last_name="Vroomfondel", contact_email="lea@vroom.example"
    )
    return "lea@vroom.example"


def test_an_address_finds_everyone_recorded_with_it(one_address_everywhere):
    data = export("--email", "Lea@Vroom.example")

    assert {kind: len(people) for kind, people in data["people"].items()} == {
        "student": 0,
        "contact": 1,
        "user": 1,
        "application": 1,
        "registration": 0,
    }
    assert named(data, "Curie") == []  # another person


def test_erasing_an_address_erases_everyone_recorded_with_it(one_address_everywhere):
    stdout = erase("--email", "lea@vroom.example")

    assert "- user " in stdout and "- contact " in stdout and "- applicant " in stdout
    with pytest.raises(CommandError, match="Nothing is held about lea@vroom.example."):
        run("export_personal_data", "--email", "lea@vroom.example")
    assert Contact.objects.filter(last_name="Curie").exists()  # another person stays


def test_a_student_is_erased_on_request_as_the_purge_would():
    student = StudentFactory(first_name="Xanthippe", last_name="Quibbleworth")

    erase("--student", str(student.pk))

    student.refresh_from_db()
    assert (student.last_name, student.anonymised_on) == (
        f"Student-{student.pk}",
        timezone.localdate(),
    )
    assert named(export("--student", str(student.pk)), "Xanthippe", "Quibbleworth") == []
    assert Student.history.filter(id=student.pk).count() == 1


# --- The log of erasures ----------------------------------------------------------------------


def test_management_reads_the_log_of_erasures_and_other_roles_do_not(
    client, contact, django_assert_max_num_queries
):
    for n in range(3):
        erase("--contact", str(ContactFactory(last_name=f"Gone{n}").pk))
    client.force_login(staff_member(roles.MANAGEMENT))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"

    with django_assert_max_num_queries(8):
        response = client.get(reverse("admin:cluster_erasure_changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count == 3
    assert "history rows anonymised: 2" in response.content.decode()
    client.force_login(staff_member(roles.ACCOUNTING))
    assert client.get(reverse("admin:cluster_erasure_changelist")).status_code == 403
