"""An index of the companies' name terms alone (weight A of ``search_vector``): the search
ranks the companies whose name holds every word first (``Search.first_rows``)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("members", "0029_bounded_dates")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX members_company_search_name_terms ON members_company "
            "USING gin (ts_filter(search_vector, '{a}'::\"char\"[]))",
            "DROP INDEX members_company_search_name_terms",
        )
    ]
