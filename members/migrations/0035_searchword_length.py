"""An index on the length of the vocabulary's words: the typo lookup keeps the trigram
candidates within reach of the typed word's length (``members.search.query``)."""

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0034_search_attribute_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="searchword",
            index=models.Index(
                django.db.models.functions.text.Length("word"), name="members_searchword_length"
            ),
        ),
    ]
