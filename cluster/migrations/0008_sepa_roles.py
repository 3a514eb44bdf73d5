from django.db import migrations

from cluster.roles import roles_sync_migration


class Migration(migrations.Migration):

    dependencies = [
        ('cluster', '0007_history_reasons_whole'),
        ('members', '0017_bank_statements'),
    ]

    operations = [
        # Accounting and management handle SEPA mandates, direct debit files and bank statements.
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
