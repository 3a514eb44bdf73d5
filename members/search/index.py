"""Keep the search index and its vocabulary in step with the register.

Each company's ``search_vector`` holds the analyzer's terms (``members.search.analyzer``),
with their positions and the attribute they come from as the weight: A the names,
B the sectors, C the town, D the descriptions. It is written as a ``tsvector`` literal,
so PostgreSQL's own parser never re-splits what the analyzer decided.

``members_searchword`` (``SearchWord``) lists every term of the index, for typo
correction; the terms of the companies just indexed are added in the same transaction,
and ``rebuild_vocabulary`` (the ``rebuild_search_vocabulary`` command) drops the ones no
company uses any more, from ``ts_stat`` as PostgreSQL's documentation suggests.
"""

from django.db import connections

from . import analyzer

WEIGHTS = "ABCD"
# Positions between two attributes, so that a phrase never spans a name and a sector.
ATTRIBUTE_GAP = 64
MAX_POSITION = 16383  # PostgreSQL's limit
CHUNK = 2000

FETCH_SQL = """
SELECT c.id, c.trade_name, c.legal_name, c.city, c.description_fr, c.description_en,
    coalesce(string_agg(s.name || ' ' || s.name_en, ' ; ' ORDER BY s.name), '')
FROM members_company AS c
LEFT JOIN members_company_sectors AS cs ON cs.company_id = c.id
LEFT JOIN members_sector AS s ON s.id = cs.sector_id
WHERE c.id = ANY(%s)
GROUP BY c.id
"""
UPDATE_SQL = """
UPDATE members_company AS c SET search_vector = v.vector::tsvector, search_name = v.name
FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS v(id, vector, name)
WHERE c.id = v.id
"""
ADD_WORDS_SQL = """
INSERT INTO members_searchword (word)
SELECT DISTINCT lexeme FROM members_company, unnest(search_vector)
WHERE id = ANY(%s)
ON CONFLICT (word) DO NOTHING
"""
REBUILD_VOCABULARY_SQL = [
    "DELETE FROM members_searchword AS w WHERE NOT EXISTS "
    "(SELECT 1 FROM ts_stat('SELECT search_vector FROM members_company') AS s "
    "WHERE s.word = w.word)",
    "INSERT INTO members_searchword (word) "
    "SELECT word FROM ts_stat('SELECT search_vector FROM members_company') "
    "ON CONFLICT (word) DO NOTHING",
]


def document_vector(*, names, sectors, city, descriptions):
    """Return the ``tsvector`` literal of one company's texts."""
    positions = {}  # (term, weight) -> positions
    offset = 0
    for weight, texts in zip(WEIGHTS, (names, sectors, [city], descriptions), strict=True):
        for text in texts:
            found = analyzer.tokens(text)
            pairs = [(token.position, token.term) for token in found if token.term]
            pairs += analyzer.compounds(text, found)
            if weight == "A":
                pairs += [(1, term) for term in analyzer.run_together(text)]
            for position, term in pairs:
                at = min(offset + position, MAX_POSITION)
                positions.setdefault((term, weight), []).append(at)
            offset += (found[-1].position if found else 0) + ATTRIBUTE_GAP
    return " ".join(
        f"{term}:{','.join(f'{at}{weight}' for at in sorted(set(ats)))}"
        for (term, weight), ats in sorted(positions.items())
    )


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def index_companies(ids, *, using="default"):
    """(Re)compute the search index of these companies, in the caller's transaction."""
    with connections[using].cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(FETCH_SQL, [chunk])
            rows = cursor.fetchall()
            if not rows:
                continue
            vectors = [
                document_vector(
                    names=[trade, legal],
                    sectors=[sectors],
                    city=city,
                    descriptions=[description_fr, description_en],
                )
                for _id, trade, legal, city, description_fr, description_en, sectors in rows
            ]
            cursor.execute(
                UPDATE_SQL,
                [
                    [row[0] for row in rows],
                    vectors,
                    [analyzer.name_key(row[1]) for row in rows],
                ],
            )
            cursor.execute(ADD_WORDS_SQL, [[row[0] for row in rows]])


def rebuild_vocabulary(*, using="default"):
    """Make the vocabulary exactly the terms of the index (drop the unused ones)."""
    with connections[using].cursor() as cursor:
        for statement in REBUILD_VOCABULARY_SQL:
            cursor.execute(statement)
