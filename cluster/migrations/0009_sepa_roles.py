from django.db import migrations

from cluster.roles import roles_sync_migration


class Migration(migrations.Migration):

    dependencies = [
        ("cluster", "0008_historicalprogramme_title_en_programme_title_en_and_more"),
        ("members", "0019_bank_statements"),
    ]

    operations = [
        # Accounting and management handle SEPA mandates, direct debit files and bank statements.
        migrations.RunPython(roles_sync_migration, migrations.RunPython.noop),
    ]
