"""Staff roles: each default group may do its work, and is refused the rest, in the admin,
on the admin's home (the to-do), on the dashboard and in the annual report."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone, translation

from cluster import roles
from tests.members.factories import CompanyFactory

from .factories import PlacementFactory
from .staff import invoice, staff_member, work_waiting
from .test_staff_todo import todo_rows

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def logged_in(client, *role_names):
    user = staff_member(*role_names)
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def status(client, name, *args, query=""):
    return client.get(reverse(name, args=args) + query).status_code


def dashboard_figures(client, year=YEAR):
    response = client.get(reverse("staff-dashboard"), {"year": year})
    assert response.status_code == 200
    return (
        {figure.key for figure in response.context["figures"]},
        {tile.key for tile in response.context["key_figures"]},
        response.content.decode(),
    )


@pytest.fixture
def cluster_at_work():
    """A bit of everything: a placed student, an overdue invoice, work waiting."""
    PlacementFactory(
        student__first_name="Xanthippe",
        student__last_name="Quibbleworth",
        company=CompanyFactory(trade_name="Studio Canigou"),
        start=timezone.localdate() - timedelta(days=10),
        end=timezone.localdate() + timedelta(days=20),
    )
    work_waiting()
    return invoice(overdue=True)


def groups_held():
    return {
        group.name: {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        for group in Group.objects.filter(name__in=roles.ROLES)
    }


def test_the_roles_migration_gives_each_group_exactly_its_permissions():
    # Run as the migrations do, with their historical models, on an emptied table (a
    # transactional test may have emptied it already).
    Group.objects.filter(name__in=roles.ROLES).delete()
    state = MigrationExecutor(connection).loader.project_state(("cluster", "0006_erasures"))

    roles.roles_sync_migration(state.apps, None)

    assert groups_held() == roles.ROLES


def test_every_permission_of_the_roles_exists_and_a_sync_changes_nothing():
    assert roles.roles_sync(group_model=Group, permission_model=Permission) == []
    before = groups_held()

    assert roles.roles_sync(group_model=Group, permission_model=Permission) == []

    assert groups_held() == before == roles.ROLES


def test_no_role_may_change_users_or_groups_nor_see_the_students_but_school_and_management():
    for name, permissions in roles.ROLES.items():
        assert not {p for p in permissions if p.startswith("auth.") and p != "auth.view_user"}
        sees_students = "cluster.view_student" in permissions
        assert sees_students == (name in (roles.MANAGEMENT, roles.SCHOOL)), name


def test_management_does_everything_staff_do_but_manage_users(client, cluster_at_work):
    client = logged_in(client, roles.MANAGEMENT)

    for name in (
        "admin:members_application_changelist",
        "admin:members_invoice_changelist",
        "admin:members_invoice_summary",
        "admin:cluster_student_changelist",
        "admin:startups_lease_changelist",
        "admin:members_offer_changelist",
        "admin:members_emaillog_changelist",
    ):
        assert status(client, name) == 200, name
    figures, tiles, html = dashboard_figures(client)
    assert {"members", "dues", "incubator", "occupancy", "students"} <= figures
    assert {"members", "dues-collected", "startups", "students", "placements"} <= tiles
    assert "Studio Canigou" in html  # placements by host company
    assert len(todo_rows(client.get(reverse("admin:index")))) == 9
    # Users are read (to pick a representative), never changed: that could make a superuser.
    assert status(client, "admin:auth_user_add") == 403
    assert status(client, "admin:auth_group_changelist") == 403


def test_accounting_handles_dues_and_never_sees_a_student(client, cluster_at_work):
    client = logged_in(client, roles.ACCOUNTING)

    for name in (
        "admin:members_invoice_changelist",
        "admin:members_invoice_summary",
        "admin:members_invoice_ledger",
        "admin:members_membership_changelist",
        "admin:members_payment_changelist",
        "admin:members_membershipplan_add",
        "admin:members_emaillog_changelist",
        "admin:members_company_changelist",
    ):
        assert status(client, name) == 200, name
    assert status(client, "admin:members_invoice_pay", cluster_at_work.pk) == 200
    figures, tiles, html = dashboard_figures(client)
    assert figures == {"members", "members-by-year", "dues", "collection", "rent", "rent-arrears"}
    assert tiles == {
        "members",
        "renewal-rate",
        "dues-collected",
        "direct-debit-share",
        "dso",
        "rent-collected",
    }
    assert "Studio Canigou" not in html
    csv = reverse("staff-dashboard-csv")
    assert client.get(csv, {"year": YEAR, "figure": "dues"}).status_code == 200
    assert client.get(csv, {"year": YEAR, "figure": "placements-by-company"}).status_code == 404
    assert list(todo_rows(client.get(reverse("admin:index")))) == ["invoices", "debits", "emails"]
    # Never a student, nor the school, nor applications or the incubator.
    for name in (
        "admin:cluster_student_changelist",
        "admin:cluster_placement_changelist",
        "admin:cluster_programme_changelist",
        "admin:members_application_changelist",
        "admin:startups_lease_changelist",
        "admin:members_company_add",
    ):
        assert status(client, name) == 403, name
    home = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:cluster_student_changelist") not in home
    report = client.get(reverse("annual-report", args=[YEAR])).content.decode()
    assert 'id="figure-dues"' in report
    assert "Studio Canigou" not in report
    assert 'id="figure-students"' not in report


def test_the_incubator_manages_start_ups_and_offices_and_reads_companies(client, cluster_at_work):
    client = logged_in(client, roles.INCUBATOR)

    for name in (
        "admin:startups_incubation_changelist",
        "admin:startups_programme_changelist",
        "admin:startups_kpisnapshot_changelist",
        "admin:startups_milestone_changelist",
        "admin:startups_building_changelist",
        "admin:startups_office_changelist",
        "admin:startups_lease_changelist",
        "admin:startups_lease_add",
        "admin:members_company_changelist",
    ):
        assert status(client, name) == 200, name
    figures, tiles, _html = dashboard_figures(client)
    assert figures == {"incubator", "startups-by-stage", "occupancy"}
    assert tiles == {"startups", "occupancy"}
    assert list(todo_rows(client.get(reverse("admin:index")))) == ["leases"]
    for name in (
        "admin:members_invoice_changelist",
        "admin:members_membership_changelist",
        "admin:cluster_student_changelist",
        "admin:members_company_add",
        "admin:members_contact_changelist",
    ):
        assert status(client, name) == 403, name
    company = CompanyFactory()
    change = client.post(
        reverse("admin:members_company_change", args=[company.pk]), {"trade_name": "Renamed"}
    )
    assert change.status_code == 403


def test_the_school_manages_students_and_placements_and_never_sees_an_invoice(
    client, cluster_at_work
):
    client = logged_in(client, roles.SCHOOL)

    for name in (
        "admin:cluster_student_changelist",
        "admin:cluster_placement_changelist",
        "admin:cluster_placement_statistics",
        "admin:cluster_programme_changelist",
        "admin:cluster_student_add",
    ):
        assert status(client, name) == 200, name
    student_list = client.get(reverse("admin:cluster_student_changelist")).content.decode()
    assert "Quibbleworth" in student_list
    figures, tiles, html = dashboard_figures(client)
    assert figures == {"students", "placements-by-company", "placements-by-programme"}
    assert tiles == {"students", "placements"}
    assert "Studio Canigou" in html
    assert todo_rows(client.get(reverse("admin:index"))) == {}
    for name in (
        "admin:members_invoice_changelist",
        "admin:members_invoice_summary",
        "admin:members_invoice_ledger",
        "admin:members_payment_changelist",
        "admin:members_membership_changelist",
        "admin:startups_lease_changelist",
    ):
        assert status(client, name) == 403, name
    assert status(client, "admin:members_invoice_change", cluster_at_work.pk) == 403


def test_communication_keeps_the_public_face_and_sees_no_money_nor_figures(client, cluster_at_work):
    client = logged_in(client, roles.COMMUNICATION)

    for name in (
        "admin:members_company_changelist",
        "admin:members_company_add",
        "admin:members_sector_changelist",
        "admin:members_contact_changelist",
        "admin:members_offer_changelist",
        "admin:members_profilerevision_changelist",
        "admin:members_representative_changelist",
    ):
        assert status(client, name) == 200, name
    rows = todo_rows(client.get(reverse("admin:index")))
    assert list(rows) == ["revisions", "contacts", "offers", "events"]
    for name in (
        "admin:members_invoice_changelist",
        "admin:members_membership_changelist",
        "admin:cluster_student_changelist",
        "admin:startups_lease_changelist",
        "admin:members_application_changelist",
        "admin:members_emaillog_changelist",
        "staff-dashboard",
    ):
        assert status(client, name) == 403, name
    assert status(client, "annual-report", YEAR) == 403


def test_the_dashboard_of_a_role_costs_no_more_than_its_sections(
    client, cluster_at_work, django_assert_max_num_queries
):
    client = logged_in(client, roles.ACCOUNTING)

    # Session, user, permissions, the identity, the years; members (5), dues (5),
    # collection (2) and rent (5) only: the whole dashboard costs 33.
    with django_assert_max_num_queries(25):
        response = client.get(reverse("staff-dashboard"), {"year": YEAR})

    assert response.status_code == 200


def test_a_person_given_a_role_by_hand_in_the_admin_gets_it(admin_client):
    user = staff_member()  # and the roles' groups
    group = Group.objects.get(name=roles.ACCOUNTING)

    response = admin_client.post(
        reverse("admin:auth_user_change", args=[user.pk]),
        {
            "username": user.username,
            "email": user.email,
            "is_active": "on",
            "is_staff": "on",
            "groups": [group.pk],
            "date_joined_0": date(2026, 1, 1).isoformat(),
            "date_joined_1": "09:00:00",
            "initial-date_joined_0": date(2026, 1, 1).isoformat(),
            "initial-date_joined_1": "09:00:00",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.has_perm("members.view_invoice")
    assert not user.has_perm("cluster.view_student")


def test_a_dashboard_with_nothing_of_the_role_says_so(client):
    user = staff_member()
    user.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    client.force_login(user)

    figures, tiles, html = dashboard_figures(client)

    assert (figures, tiles) == (set(), set())
    assert "Aucun chiffre du tableau de bord ne concerne votre rôle." in html
