"""Keep the search index and its vocabulary in step with the register.

Each company's ``search_vector`` holds the analyzer's terms (``members.search.analyzer``),
with their positions and the attribute they come from as the weight: A the names,
B the sectors, C the town, D the descriptions. It is written as a ``tsvector`` literal,
so PostgreSQL's own parser never re-splits what the analyzer decided.

``members_searchword`` (``SearchWord``) lists every term of the index, for typo
correction; the terms of the companies just indexed are added in the same transaction,
and ``rebuild_vocabulary`` (the ``rebuild_search_index`` command) drops the ones no
company uses any more, from ``ts_stat`` as PostgreSQL's documentation suggests.

Each term's count of public companies (``WORD_COMPANIES``) is ``SearchWord.companies`` plus
the moves PostgreSQL's triggers append under every write, in its transaction (migration
``members.0037_searchword_companies``): appending locks no shared row, so writers do not
queue behind each other on a common word. ``fold_moves`` adds the moves to the counts once
a write commits; ``recount_words`` recounts them all, with ``hold_writers``.
"""

from functools import partial

from django.db import connections, transaction

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
# In the words' order: two writers adding the same new words wait on each other in one
# order only.
ADD_WORDS_SQL = """
INSERT INTO members_searchword (word)
SELECT DISTINCT lexeme FROM members_company, unnest(search_vector)
WHERE id = ANY(%s)
ORDER BY lexeme
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


# The public companies that hold the term of the vocabulary row ``w``: its count and its
# moves not yet folded in (an index lookup).
WORD_COMPANIES = (
    "(w.companies + coalesce((SELECT sum(m.delta) FROM members_searchwordmove AS m "
    "WHERE m.word = w.word), 0))"
)


# The committed moves of the words in the vocabulary, added to their counts. Writers only
# append moves and insert new words: one may wait for a fold that updates the same word
# (its ON CONFLICT check), never the other way round. One fold at a time, under an advisory
# lock that the recount and a TRUNCATE wait for too; a fold that finds it taken leaves its
# moves to the next.
FOLD_LOCK = 6202564  # the advisory lock's key, the folds' alone (migration 0037 has it too)
FOLD_SQL = """
WITH moved AS (
    DELETE FROM members_searchwordmove AS m
    WHERE EXISTS (SELECT 1 FROM members_searchword AS v WHERE v.word = m.word)
    RETURNING word, delta
)
UPDATE members_searchword AS w SET companies = w.companies + d.delta
FROM (
    SELECT word, sum(delta)::integer AS delta FROM moved GROUP BY word HAVING sum(delta) <> 0
) AS d
WHERE w.word = d.word
"""
# Writers of the companies and folds held off until the caller commits, taken first in
# its transaction (a write waiting on a row the caller locked would otherwise hold up the
# caller's table lock in a circle); SHARE ROW EXCLUSIVE also holds off another caller.
HOLD_WRITERS_SQL = [
    "LOCK TABLE members_company IN SHARE ROW EXCLUSIVE MODE",
    f"SELECT pg_advisory_xact_lock({FOLD_LOCK})",
]
# As migration members.0037_searchword_companies's first count, writers held off: a move
# committed during ts_stat's reading would otherwise be counted twice, or lost.
RECOUNT_WORDS_SQL = [
    "DELETE FROM members_searchwordmove",
    "INSERT INTO members_searchword AS w (word, companies) "
    "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM members_company WHERE listed') "
    "ON CONFLICT (word) DO UPDATE SET companies = EXCLUDED.companies "
    "WHERE w.companies <> EXCLUDED.companies",
    "UPDATE members_searchword SET companies = 0 WHERE companies <> 0 AND word NOT IN "
    "(SELECT word FROM ts_stat('SELECT search_vector FROM members_company WHERE listed'))",
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


def fold_after_commit(*, using="default"):
    """Fold the words' moves into their counts once the caller's transaction commits:
    after any write of the companies, through their signals or in bulk. (Not done by
    ``index_companies``, which migration 0025 runs before the moves exist.)"""
    # robust: the write has committed; a fold that fails leaves its moves to the next.
    transaction.on_commit(partial(fold_moves, using=using), using=using, robust=True)


def fold_moves(*, using="default"):
    """Add the words' moves to their counts (``FOLD_SQL``), unless another fold is at it.
    The counts read the same before and after."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [FOLD_LOCK])
        if cursor.fetchone()[0]:
            cursor.execute(FOLD_SQL)


def hold_writers(*, using="default"):
    """Hold off every writer of the companies, and the folds, until the caller's transaction
    ends. Call it first in that transaction (``HOLD_WRITERS_SQL``)."""
    if not connections[using].in_atomic_block:
        raise transaction.TransactionManagementError("hold_writers() needs a transaction.")
    with connections[using].cursor() as cursor:
        for statement in HOLD_WRITERS_SQL:
            cursor.execute(statement)


def recount_words(*, using="default"):
    """Recount the public companies of every term of the vocabulary, writers held off
    (``hold_writers``: first in the transaction, when it writes companies before). The
    triggers keep the counts under every write; this repairs a database where they
    were off."""
    with transaction.atomic(using=using):
        hold_writers(using=using)
        with connections[using].cursor() as cursor:
            for statement in RECOUNT_WORDS_SQL:
                cursor.execute(statement)
