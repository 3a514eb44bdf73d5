"""An index of the pairs of terms that a company holds at adjacent positions of
``search_vector``: a search of several words looks, beyond the companies it ranked whole,
for those that hold its words as a phrase (``members.search.staged.threshold``). The text
index finds the companies holding both words, then PostgreSQL reads each one to check
their positions (25 ms for 11,000 companies with "animation" and "3d"); this index finds
those with the two words side by side in one lookup.

``members_search_pairs(vector)`` returns ``{"a b", …}``: each pair of lexemes (a, b) with
a position of b one after a position of a, exactly the positions that ``a <-> b`` reads,
up to 200 bytes (``members.search.query.MAX_PAIR_BYTES``): a GIN entry holds at most
about 2,700, and a lexeme may have 2,047 (two pasted codes side by side).
"""

from django.db import migrations

PAIRS_FUNCTION = """
CREATE FUNCTION members_search_pairs(vector tsvector) RETURNS text[]
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(array_agg(DISTINCT a.lexeme || ' ' || b.lexeme), '{}')
    FROM (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS a
    JOIN (SELECT lexeme, unnest(positions) AS at FROM unnest(vector)) AS b
        ON b.at = a.at + 1
    WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 200
$$
"""


class Migration(migrations.Migration):
    dependencies = [("members", "0037_searchword_companies")]

    operations = [
        migrations.RunSQL(PAIRS_FUNCTION, "DROP FUNCTION members_search_pairs(tsvector)"),
        migrations.RunSQL(
            "CREATE INDEX members_company_search_pairs ON members_company "
            "USING gin (members_search_pairs(search_vector))",
            "DROP INDEX members_company_search_pairs",
        ),
    ]
