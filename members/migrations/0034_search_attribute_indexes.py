"""Indexes of the sectors' and the town's terms alone (weights B and C of
``search_vector``), beside the name's (0030): a one-word search walks its matches by
attribute (``members.search.ranking.buckets``), and each attribute's index both finds
its companies and tells the planner how many there are. The exact name, the first bucket,
is looked up in a B-tree rather than through its trigrams, and the walk's bound among the
public companies by id in a small partial index."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("members", "0033_sector_count")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX members_company_search_sector_terms ON members_company "
            "USING gin (ts_filter(search_vector, '{b}'::\"char\"[]))",
            "DROP INDEX members_company_search_sector_terms",
        ),
        migrations.RunSQL(
            "CREATE INDEX members_company_search_town_terms ON members_company "
            "USING gin (ts_filter(search_vector, '{c}'::\"char\"[]))",
            "DROP INDEX members_company_search_town_terms",
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(fields=["search_name"], name="members_company_exact_name"),
        ),
        migrations.AddIndex(
            model_name="company",
            index=models.Index(
                fields=["id"], condition=models.Q(listed=True), name="members_company_listed_id"
            ),
        ),
    ]
