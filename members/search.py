"""Directory search: accent- and case-insensitive, tolerant of French word forms and of
typos in company names, ranked name > sectors > description, the same on PostgreSQL and
on SQLite.

- PostgreSQL: a stored ``tsvector`` (``Company.search_vector``, GIN index) built with the
  ``cite_french`` text search configuration (``unaccent`` then the Snowball French
  stemmer), and ``pg_trgm`` similarity on the folded trade name (GIN trigram index).
- SQLite: an FTS5 table (``members_company_fts``) holding the same Snowball French stems,
  computed here in Python, and Python functions that reproduce ``pg_trgm``'s
  ``similarity`` and ``word_similarity``.

Both backends parse the query the same way, in Python: words are folded (no accents, lower
case), French stop words are dropped, each word is stemmed with Snowball and matched as a
prefix, after trimming a derivational ending so that création, créations and créatif meet.

The index is kept in sync in the same transaction as the write, by ``index_companies``
(called from the signal handlers in ``members.signals`` and by bulk loaders).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from .models import Company
from .text import fold

# PostgreSQL's french.stop (Snowball's list), so that both databases drop the same words.
FRENCH_STOP_WORDS = frozenset(
    """
    au aux avec ce ces dans de des du elle en et eux il je la le leur lui ma mais me même mes
    moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta te tes toi ton
    tu un une vos votre vous c d j l à m n s t y été étée étées étés étant étante étants
    étantes suis es est sommes êtes sont serai seras sera serons serez seront serais serait
    serions seriez seraient étais était étions étiez étaient fus fut fûmes fûtes furent sois
    soit soyons soyez soient fusse fusses fût fussions fussiez fussent ayant ayante ayantes
    ayants eu eue eues eus ai as avons avez ont aurai auras aura aurons aurez auront aurais
    aurait aurions auriez auraient avais avait avions aviez avaient eut eûmes eûtes eurent aie
    aies ait ayons ayez aient eusse eusses eût eussions eussiez eussent
    """.split()  # noqa: SIM905 - the list as PostgreSQL ships it
)
# Endings that Snowball keeps but that separate words of one family (créat-ion, créat-if,
# créat-eur, créat-rice): a query word loses them and matches as a prefix.
DERIVATIONAL_ENDINGS = ("ation", "ion", "if", "iv", "eur", "ric", "ien")
MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200
# Trigram thresholds for a company name with one or two wrong letters.
NAME_SIMILARITY = 0.3
NAME_WORD_SIMILARITY = 0.5

WORD = re.compile(r"\w+")
_stemmer = snowballstemmer.stemmer("french")


def words(text):
    """Split text as PostgreSQL's parser does for our purposes: runs of letters and digits."""
    return WORD.findall((text or "").replace("_", " "))


@lru_cache(maxsize=50_000)
def stem(word):
    """Return the Snowball French stem of a folded word, as PostgreSQL's french_stem does."""
    return _stemmer.stemWord(word)


def document_terms(text):
    """Return the stems of a text as a space-separated string (SQLite's FTS5 documents)."""
    terms = []
    for word in words(text):
        folded = fold(word)
        if folded and folded not in FRENCH_STOP_WORDS:  # checked after unaccent, as in PG
            terms.append(stem(folded))
    return " ".join(terms)


def query_prefix(word):
    """Return the prefix a query word matches: its stem less a derivational ending."""
    stemmed = stem(word)
    for ending in DERIVATIONAL_ENDINGS:
        if stemmed.endswith(ending) and len(stemmed) - len(ending) >= 4:
            return stemmed[: -len(ending)]
    return stemmed


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # folded, for name similarity and the exact-name check
    prefixes: tuple  # stems to match as prefixes, all required

    def __bool__(self):
        return bool(self.text)


def parse_query(raw):
    """Turn what a visitor typed into folded text and prefixes. Never raises."""
    raw = (raw or "").replace("\x00", " ")[:MAX_QUERY_LENGTH]
    folded_words = [fold(word) for word in words(raw)]
    folded_words = [word for word in folded_words if word]
    prefixes = []
    for word in folded_words:
        if word in FRENCH_STOP_WORDS:
            continue
        prefix = query_prefix(word)
        if prefix and prefix not in prefixes:
            prefixes.append(prefix)
    return ParsedQuery(" ".join(folded_words), tuple(prefixes[:MAX_QUERY_WORDS]))


# --- pg_trgm's similarity, for SQLite --------------------------------------------------


def trigrams(text):
    """Return pg_trgm's trigram set: each word padded with two spaces before, one after."""
    grams = set()
    for word in re.findall(r"[^\W_]+", text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def similarity(a, b):
    """pg_trgm's similarity(a, b): shared trigrams over all trigrams."""
    if a is None or b is None:
        return None
    first, second = trigrams(a), trigrams(b)
    if not first or not second:
        return 0.0
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def word_similarity(a, b):
    """Approximate pg_trgm's word_similarity(a, b): the best similarity between ``a`` and
    a run of consecutive words of ``b``."""
    if a is None or b is None:
        return None
    query_words = len(re.findall(r"[^\W_]+", a)) or 1
    name_words = re.findall(r"[^\W_]+", b)
    best = 0.0
    for size in {max(1, query_words - 1), query_words, query_words + 1}:
        for start in range(max(1, len(name_words) - size + 1)):
            best = max(best, similarity(a, " ".join(name_words[start : start + size])))
    return best


def register_sqlite_functions(connection):
    """Give a SQLite connection the functions PostgreSQL has (see ``members.signals``)."""
    raw = connection.connection
    raw.create_function("similarity", 2, similarity, deterministic=True)
    raw.create_function("word_similarity", 2, word_similarity, deterministic=True)


# --- Searching --------------------------------------------------------------------------


def _fts5_query(prefixes, column=None):
    terms = " AND ".join(f'"{prefix}"*' for prefix in prefixes)
    return f"{column} : ({terms})" if column else terms


def _tsquery(prefixes, weight=""):
    return " & ".join(f"{prefix}:*{weight}" for prefix in prefixes)


def _postgres_conditions(query):
    """Return (fuzzy name, any match, name match, sector match, text rank) on PostgreSQL."""
    from django.contrib.postgres.search import SearchQuery, SearchRank

    def matches(weight=""):
        return SearchQuery(_tsquery(query.prefixes, weight), search_type="raw", config="simple")

    # The operators use the trigram index; their thresholds are pg_trgm.similarity_threshold
    # (0.3, the default) and pg_trgm.word_similarity_threshold (0.5, set in the settings).
    fuzzy = Q(search_name__trigram_similar=query.text) | Q(
        search_name__trigram_word_similar=query.text
    )
    if not query.prefixes:
        return fuzzy, None, None, None, None
    return (
        fuzzy,
        Q(search_vector=matches()),
        Q(search_vector=matches("A")),
        Q(search_vector=matches("B")),
        SearchRank(F("search_vector"), matches(), weights=[0.1, 0.2, 0.4, 1.0]),
    )


def _sqlite_conditions(query):
    """Return (fuzzy name, any match, name match, sector match, text rank) on SQLite."""

    def matches(column=None):
        return Q(
            pk__in=RawSQL(
                "SELECT rowid FROM members_company_fts WHERE members_company_fts MATCH %s",
                [_fts5_query(query.prefixes, column)],
            )
        )

    fuzzy = Q(search_similarity__gte=NAME_SIMILARITY) | Q(
        search_word_similarity__gte=NAME_WORD_SIMILARITY
    )
    if not query.prefixes:
        return fuzzy, None, None, None, None
    rank = RawSQL(
        "SELECT -bm25(members_company_fts, 10.0, 4.0, 2.0, 1.0) FROM members_company_fts "
        "WHERE members_company_fts MATCH %s AND rowid = members_company.id",
        [_fts5_query(query.prefixes)],
        output_field=FloatField(),
    )
    return fuzzy, matches(), matches("name"), matches("sectors"), Coalesce(rank, Value(0.0))


def search(queryset, raw_query):
    """Filter ``queryset`` to the companies matching the query, ranked.

    The result is ordered: the exact name first, then matches in the name, then in the
    sectors, then elsewhere (city, descriptions); within each tier by relevance, then by
    name. When full-text search finds nothing, names with a typo are looked for instead.
    It is annotated with ``search_tier`` and ``search_rank``.
    """
    query = parse_query(raw_query)
    if not query:
        return queryset.none()
    word_similarity_to_name = Func(
        Value(query.text), F("search_name"), function="word_similarity", output_field=FloatField()
    )
    queryset = queryset.alias(
        search_similarity=Func(
            F("search_name"), Value(query.text), function="similarity", output_field=FloatField()
        ),
        search_word_similarity=word_similarity_to_name,
    )
    if connections[queryset.db].vendor == "postgresql":
        conditions = _postgres_conditions(query)
    else:
        conditions = _sqlite_conditions(query)
    fuzzy, any_match, name_match, sector_match, text_rank = conditions
    exact = Case(When(search_name=query.text, then=Value(1)), default=Value(0))
    if any_match is None or not queryset.filter(any_match).exists():
        # Full-text search finds nothing (or the query is only stop words): the visitor
        # probably mistyped a name, so look for names whose trigrams are close. Trying
        # trigrams only then keeps broad words (thousands of matches) fast.
        return (
            queryset.filter(fuzzy)
            .annotate(
                search_exact=exact,
                search_tier=Value(3),
                search_rank=word_similarity_to_name,
            )
            .order_by("-search_exact", "-search_rank", "trade_name", "pk")
        )
    return (
        queryset.filter(any_match)
        .annotate(
            search_exact=exact,
            search_tier=Case(
                When(name_match, then=Value(3)),
                When(sector_match, then=Value(2)),
                default=Value(1),
                output_field=IntegerField(),
            ),
            search_rank=text_rank,
        )
        .order_by("-search_exact", "-search_tier", "-search_rank", "trade_name", "pk")
    )


# --- Keeping the index in sync -----------------------------------------------------------

POSTGRES_INDEX_SQL = """
UPDATE members_company AS c SET
    search_name = cite_fold(c.trade_name),
    search_vector =
        setweight(to_tsvector('cite_french', c.trade_name || ' ' || c.legal_name), 'A')
        || setweight(to_tsvector('cite_french', coalesce(s.names, '')), 'B')
        || setweight(to_tsvector('cite_french', c.city), 'C')
        || setweight(to_tsvector('cite_french', c.description_fr || ' ' || c.description_en), 'D')
FROM (
    SELECT c2.id, string_agg(sector.name || ' ' || sector.name_en, ' ') AS names
    FROM members_company AS c2
    LEFT JOIN members_company_sectors AS cs ON cs.company_id = c2.id
    LEFT JOIN members_sector AS sector ON sector.id = cs.sector_id
    WHERE c2.id = ANY(%s)
    GROUP BY c2.id
) AS s
WHERE c.id = s.id
"""
CHUNK = 5000


def _chunks(ids):
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        yield ids[start : start + CHUNK]


def index_companies(ids, *, using="default"):
    """(Re)compute the search index of these companies, in the caller's transaction."""
    connection = connections[using]
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            if connection.vendor == "postgresql":
                cursor.execute(POSTGRES_INDEX_SQL, [chunk])
            elif connection.vendor == "sqlite":
                _index_sqlite_chunk(cursor, chunk, using)


def unindex_companies(ids, *, using="default"):
    """Remove deleted companies from the index (PostgreSQL's goes with the row)."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for chunk in _chunks(ids):
            _delete_fts_rows(cursor, chunk)


def _delete_fts_rows(cursor, ids):
    placeholders = ",".join(["%s"] * len(ids))
    sql = f"DELETE FROM members_company_fts WHERE rowid IN ({placeholders})"  # noqa: S608
    cursor.execute(sql, ids)


def _index_sqlite_chunk(cursor, ids, using):
    sectors = {}
    links = Company.sectors.through.objects.using(using).filter(company_id__in=ids)
    for company_id, name, name_en in links.values_list(
        "company_id", "sector__name", "sector__name_en"
    ):
        sectors.setdefault(company_id, []).append(f"{name} {name_en}")
    companies = list(
        Company.objects.using(using)
        .filter(pk__in=ids)
        .values_list("pk", "trade_name", "legal_name", "city", "description_fr", "description_en")
    )
    rows = [
        (
            pk,
            document_terms(f"{trade_name} {legal_name}"),
            document_terms(" ".join(sectors.get(pk, []))),
            document_terms(city),
            document_terms(f"{description_fr} {description_en}"),
        )
        for pk, trade_name, legal_name, city, description_fr, description_en in companies
    ]
    _delete_fts_rows(cursor, ids)
    cursor.executemany(
        "INSERT INTO members_company_fts (rowid, name, sectors, city, description) "
        "VALUES (%s, %s, %s, %s, %s)",
        rows,
    )
    cursor.executemany(
        "UPDATE members_company SET search_name = %s WHERE id = %s",
        [(fold(trade_name), pk) for pk, trade_name, *_rest in companies],
    )
