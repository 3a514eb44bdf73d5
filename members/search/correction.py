"""“Did you mean …”: a search that found nothing, or only some of its words, spelt with
the nearest indexed words, past the typos that the search corrects by itself.

The search already tolerates 1 typo from 5 letters and 2 from 9 (``query.allowed_typos``).
A word it still cannot find (``vrom``: 4 letters, no typo allowed; ``alxaione``: two) is
looked up here with one more edit, among the words that public companies hold, and
shown as a company writes it: the vocabulary holds terms (``perpign``), not words.
"""

from django.db import connections

from . import analyzer
from .index import FETCH_SQL, WORD_COMPANIES
from .query import allowed_typos

# A word shorter than this is left as typed (one edit in two letters is another word).
SHORTEST = 3

# The nearest public word to each query term, by edits then by how many companies hold
# it; trigram candidates first (the vocabulary's index), as ``query.EXPAND_SQL`` does.
NEAREST_SQL = f"""
SELECT DISTINCT ON (q.i) q.i, w.word
FROM unnest(%s::text[], %s::int[], %s::int[]) AS q(term, k, i)
JOIN members_searchword AS w ON w.word %% q.term
WHERE w.word <> q.term
    AND length(w.word) BETWEEN length(q.term) - q.k AND length(q.term) + q.k
    AND levenshtein_less_equal(w.word, q.term, q.k) <= q.k
    AND {WORD_COMPANIES} > 0
ORDER BY q.i, levenshtein(w.word, q.term), {WORD_COMPANIES} DESC, w.word
"""  # noqa: S608 - constant SQL
HOLDER_SQL = "SELECT id FROM members_company WHERE listed AND search_vector @@ %s::tsquery LIMIT 1"


def _as_written(term, cursor):
    """Return ``term`` as a public company that holds it writes it (its name, sectors,
    town or descriptions), or None when it is only a compound of its words."""
    cursor.execute(HOLDER_SQL, [term])
    found = cursor.fetchone()
    if found is None:
        return None
    cursor.execute(FETCH_SQL, [[found[0]]])
    for text in cursor.fetchone()[1:]:
        for token in analyzer.iter_tokens(text):
            if token.term == term:
                return text[token.start : token.end]
    return None


def _found_no_way(word, query):
    """Whether the search found ``word`` neither whole, nor as a prefix, nor corrected."""
    return word.term not in query.known and not any(word.levels[1:])


def corrected(query, *, using="default"):
    """Return the text of ``query`` (``query.Query``, after ``expand``) with each word that
    the search found no way (not whole, not as a prefix, not corrected, no synonym; a word
    of letters) replaced by the nearest word the index holds, within one edit more than
    the search allows; or None when no word was replaced. One query, and two more for
    each word replaced."""
    if query.identifier:
        return None  # a number: another company's is no spelling of it
    unknown = [
        (word.term, allowed_typos(word.folded) + 1, word.position)
        for slot in query.slots
        if not slot.synonyms
        for word in slot.words
        if _found_no_way(word, query) and len(word.folded) >= SHORTEST and word.folded.isalpha()
    ]
    if not unknown:
        return None
    replaced = {}
    with connections[using].cursor() as cursor:
        cursor.execute(NEAREST_SQL, [list(column) for column in zip(*unknown, strict=True)])
        for position, term in cursor.fetchall():
            written = _as_written(term, cursor)
            if written:
                replaced[position] = written
    if not replaced:
        return None
    text, end = [], 0
    for token in analyzer.iter_tokens(query.raw):
        if token.position in replaced:
            text += [query.raw[end : token.start], replaced[token.position]]
            end = token.end
    return "".join([*text, query.raw[end:]]).strip()
