"""Staff roles: each default group may do its work, and is refused the rest, in the admin,
on the admin's home (the to-do), on the dashboard and in the annual report."""

import pytest
from django.contrib.auth.models import Group, Permission

from cluster import roles

pytestmark = pytest.mark.django_db


def test_the_migration_creates_the_five_roles_with_their_permissions():
    for name, wanted in roles.ROLES.items():
        group = Group.objects.get(name=name)
        held = {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        assert held == wanted, name
    assert Group.objects.filter(name__in=roles.ROLES).count() == 5


def test_every_permission_of_the_roles_exists_and_a_sync_changes_nothing():
    before = {group.name: set(group.permissions.all()) for group in Group.objects.all()}

    missing = roles.roles_sync(group_model=Group, permission_model=Permission)

    assert missing == []
    assert {group.name: set(group.permissions.all()) for group in Group.objects.all()} == before


def test_no_role_may_change_users_or_groups_nor_see_the_students_but_school_and_management():
    for name, permissions in roles.ROLES.items():
        assert not {p for p in permissions if p.startswith("auth.") and p != "auth.view_user"}
        sees_students = "cluster.view_student" in permissions
        assert sees_students == (name in (roles.MANAGEMENT, roles.SCHOOL)), name
