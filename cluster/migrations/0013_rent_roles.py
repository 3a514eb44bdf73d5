from django.db import migrations

from cluster.roles import roles_sync_migration


class Migration(migrations.Migration):
    dependencies = [
        ("cluster", "0012_mailing_roles"),
        ("startups", "0010_lease_deposits"),
    ]

    operations = [
        # Accounting runs the rent and enters the rent indexes; every role that sees the
        # leases reads the rent records.
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
