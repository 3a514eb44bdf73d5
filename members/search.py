"""Directory search: accent- and case-insensitive, tolerant of French word forms and of
typos in company names, ranked name > sectors > description.

- A stored ``tsvector`` (``Company.search_vector``, GIN index) built with the
  ``cite_french`` text search configuration (``unaccent`` then the Snowball French stemmer);
- ``pg_trgm`` similarity on the folded trade name (``search_name``, GIN trigram index).

The query is parsed in Python: words are folded (no accents, lower case), French stop words
are dropped, each word is stemmed with Snowball and matched as a prefix, after trimming a
derivational ending so that création, créations and créatif meet.

The index is kept in sync in the same transaction as the write, by ``index_companies``
(called from the signal handlers in ``members.signals`` and by bulk loaders).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.db import connections
from django.db.models import Case, F, FloatField, Func, IntegerField, Q, Value, When

from .text import fold

# PostgreSQL's french.stop (Snowball's list), so that queries drop what documents drop.
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

WORD = re.compile(r"\w+")
_stemmer = snowballstemmer.stemmer("french")


def words(text):
    """Split text as PostgreSQL's parser does for our purposes: runs of letters and digits."""
    return WORD.findall((text or "").replace("_", " "))


@lru_cache(maxsize=50_000)
def stem(word):
    """Return the Snowball French stem of a folded word, as PostgreSQL's french_stem does."""
    return _stemmer.stemWord(word)


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


# --- Searching --------------------------------------------------------------------------


def _tsquery(prefixes, weight=""):
    return " & ".join(f"{prefix}:*{weight}" for prefix in prefixes)


def _conditions(query):
    """Return (fuzzy name, any match, name match, sector match, text rank)."""
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
    fuzzy, any_match, name_match, sector_match, text_rank = _conditions(query)
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

INDEX_SQL = """
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
    with connections[using].cursor() as cursor:
        for chunk in _chunks(ids):
            cursor.execute(INDEX_SQL, [chunk])
