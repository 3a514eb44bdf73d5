"""A pattern index on the vocabulary's words: a typed prefix is spelt out as the words that
start with it (``members.search.query.expand``), through ``LIKE 'prefix%'``."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0035_searchword_length"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchword",
            index=models.Index(
                fields=["word"], name="members_searchword_prefix", opclasses=["text_pattern_ops"]
            ),
        ),
    ]
