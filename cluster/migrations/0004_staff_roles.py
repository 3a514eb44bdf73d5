"""Create the staff roles' groups with their permissions (see cluster/roles.py)."""

from django.db import migrations

from cluster.roles import ROLES, roles_sync_migration


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

    operations = [migrations.RunPython(roles_sync_migration, delete_roles)]
