"""How many public companies hold each term of the search index (Lucene's document
frequency): a one-word search whose word is held by more companies than the directory
counts is known to be "more than" without counting its matches (4 to 20 ms at 100,000
companies, a scan until the cap).

A term's count is ``SearchWord.companies`` plus its moves not yet folded in
(``SearchWordMove``). Statement triggers on the companies (insert, delete and update,
with their transition tables) append the moves of the rows that come in or go out of the
public register, or whose terms change, in the same transaction as the write: appending
locks no shared row, so writers do not queue behind each other on a common word, as they
would updating its count. ``members.search.index.fold_moves`` adds them to the counts after
each write commits, and ``recount_words`` (the ``rebuild_search_index`` command) recounts
everything, as this migration does first. A TRUNCATE of the companies zeroes the counts,
after any fold (the folds' advisory lock, ``members.search.index.FOLD_LOCK``).
"""

from django.db import migrations, models

MOVE = """
INSERT INTO members_searchwordmove (word, delta)
SELECT lexeme, sum(delta)::integer FROM ({terms}) AS m
GROUP BY lexeme HAVING sum(delta) <> 0
"""
TERMS_OF = "SELECT unnest(tsvector_to_array(search_vector)) AS lexeme, {delta} AS delta FROM {rows}"
ADDED_TERMS = TERMS_OF.format(delta=1, rows="new_rows WHERE listed")
REMOVED_TERMS = TERMS_OF.format(delta=-1, rows="old_rows WHERE listed")
# Only the rows whose terms or whose place in the public register changed (a save that
# leaves both alone moves nothing), each old row joined to its new one by a hash join.
CHANGED_TERMS = """
SELECT m.lexeme, m.delta
FROM old_rows AS o JOIN new_rows AS n ON n.id = o.id
CROSS JOIN LATERAL (
    SELECT unnest(tsvector_to_array(o.search_vector)), -1 WHERE o.listed
    UNION ALL
    SELECT unnest(tsvector_to_array(n.search_vector)), 1 WHERE n.listed
) AS m(lexeme, delta)
WHERE n.listed IS DISTINCT FROM o.listed OR n.search_vector IS DISTINCT FROM o.search_vector
"""

TRUNCATED = """
    PERFORM pg_advisory_xact_lock(6202564);
    DELETE FROM members_searchwordmove;
    UPDATE members_searchword SET companies = 0 WHERE companies <> 0
"""
# (name, event, transition tables, body): each a statement trigger on the companies and
# its function, members_searchword_companies_<name>.
TRIGGERS = [
    ("added", "INSERT", "REFERENCING NEW TABLE AS new_rows", MOVE.format(terms=ADDED_TERMS)),
    ("removed", "DELETE", "REFERENCING OLD TABLE AS old_rows", MOVE.format(terms=REMOVED_TERMS)),
    (
        "changed",
        "UPDATE",
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        MOVE.format(terms=CHANGED_TERMS),
    ),
    ("truncated", "TRUNCATE", "", TRUNCATED),
]

FUNCTIONS = "".join(
    f"""
CREATE FUNCTION members_searchword_companies_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    {body};
    RETURN NULL;
END
$$;

CREATE TRIGGER members_searchword_companies_{name} AFTER {event} ON members_company
{tables}
FOR EACH STATEMENT EXECUTE FUNCTION members_searchword_companies_{name}();
"""
    for name, event, tables, body in TRIGGERS
)
DROP_FUNCTIONS = "".join(
    f"DROP TRIGGER members_searchword_companies_{name} ON members_company;\n"
    f"DROP FUNCTION members_searchword_companies_{name}();\n"
    for name, _event, _tables, _body in TRIGGERS
)

# As members.search.index.RECOUNT_WORDS_SQL at the time of writing.
RECOUNT = """
INSERT INTO members_searchword AS w (word, companies)
SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM members_company WHERE listed')
ON CONFLICT (word) DO UPDATE SET companies = EXCLUDED.companies
WHERE w.companies <> EXCLUDED.companies;
UPDATE members_searchword SET companies = 0
WHERE companies <> 0 AND word NOT IN (
    SELECT word FROM ts_stat('SELECT search_vector FROM members_company WHERE listed')
);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0036_searchword_prefix"),
    ]

    operations = [
        migrations.AddField(
            model_name="searchword",
            name="companies",
            field=models.IntegerField(
                db_default=0,
                help_text="Public companies whose index holds the word, before its unfolded moves.",
                verbose_name="public companies",
            ),
        ),
        migrations.CreateModel(
            name="SearchWordMove",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("word", models.TextField(verbose_name="word")),
                ("delta", models.IntegerField(verbose_name="public companies moved")),
            ],
            options={
                "verbose_name": "search word move",
                "verbose_name_plural": "search word moves",
                "indexes": [models.Index(fields=["word"], name="members_searchwordmove_word")],
            },
        ),
        migrations.RunSQL(FUNCTIONS, DROP_FUNCTIONS),
        migrations.RunSQL(RECOUNT, migrations.RunSQL.noop),
    ]
