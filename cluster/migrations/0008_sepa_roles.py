from django.db import migrations

from cluster.roles import roles_sync_migration


class Migration(migrations.Migration):

    dependencies = [
        ('cluster', '0007_history_reasons_whole'),
        ('members', '0016_sepa_mandates'),
    ]

    operations = [
        # Accounting and management handle SEPA mandates and direct debit files.
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
