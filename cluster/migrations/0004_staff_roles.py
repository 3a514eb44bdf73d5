"""Create the staff roles' groups with their permissions (see cluster/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from cluster.roles import ROLES, roles_sync


def sync_roles(apps, schema_editor):
    """Give the roles their permissions; a later migration that adds a model a role needs
    calls this again."""
    # Django creates permissions after the last migration; the roles need them now, on a
    # new database as on an old one.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
    )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("cluster", "0003_single_line_fields"),
        ("members", "0011_membership_states_single_lines_emails"),
        ("startups", "0003_single_line_fields"),
    ]

    operations = [migrations.RunPython(sync_roles, delete_roles)]
