"""From what a visitor typed to the text search queries that find and rank companies.

A query is parsed by the analyzer into words. Each word becomes a *slot*: the terms that
match it, in four levels that the ranking rules tell apart:

0. the word itself (whole word), and its synonyms;
1. then prefixes: the last word as typed (``vid`` finds ``vidéo``), a word's family root
   (``créatif`` finds ``création``), spelt out as the vocabulary's words that start so
   (``expand``), as long as they are few;
2. then words of the vocabulary one typo away (words of 5 letters or more);
3. then two typos away (words of 9 letters or more).

A synonym (``members.models.Synonym``) that covers several words makes them one slot.
Terms are letters and digits only (the analyzer's output), so the ``tsquery`` text built
here never holds an operator a visitor typed.
"""

import itertools
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.db import connections

from ..models.search import split_terms
from . import analyzer
from .index import WORD_COMPANIES

MAX_QUERY_WORDS = 8
MAX_QUERY_LENGTH = 200
MAX_CORRECTIONS = 6  # per word, the closest ones
# A prefix that starts at most this many words of the vocabulary is spelt out as those
# words: PostgreSQL's text index finds a word in one lookup, and a prefix by walking its
# entries into a bitmap, 5 to 8 ms for a frequent word at 100,000 companies. A shorter
# prefix ("co") that starts more words stays a prefix.
MAX_PREFIX_WORDS = 32
LEVELS = 4
# The longest pair of adjacent terms that ``members_search_pairs`` (migration 0038) keeps,
# in bytes with its space: a GIN entry holds at most about 2,700 bytes, and two pasted
# codes side by side would make a company unsavable.
MAX_PAIR_BYTES = 200


def allowed_typos(word):
    """Return the typos tolerated in a word: 1 from 5 letters, 2 from 9 (as Meilisearch)."""
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


@dataclass
class Word:
    folded: str
    term: str
    position: int
    last: bool
    # tsquery alternatives at each level (0 whole, 1 prefix, 2 one typo, 3 two typos);
    # each a template with {e} after an exact lexeme and {p} after a prefix one.
    levels: list = field(default_factory=lambda: [[] for _ in range(LEVELS)])
    # The prefixes as typed, for highlighting, once ``expand`` spelt them out as words.
    prefixes: set = field(default_factory=set)

    def add(self, level, template):
        if not any(template in alternatives for alternatives in self.levels):
            self.levels[level].append(template)

    def terms(self):
        """Return (whole terms, prefixes) of this word's alternatives, at every level."""
        whole, prefixes = set(), set()
        for alternatives in self.levels:
            for template in alternatives:
                found_whole, found_prefixes = _template_terms(template)
                whole |= found_whole
                prefixes |= found_prefixes
        return whole, prefixes

    def spell_out(self, starts):
        """Replace each prefix of level 1 by the vocabulary words that ``starts`` gives it
        (``{prefix: [words]}``), when they are known and few."""
        for template in list(self.levels[1]):
            prefix = _prefix_term(template)
            words = starts.get(prefix) if prefix else None
            if words is None or len(words) > MAX_PREFIX_WORDS:
                continue
            self.levels[1].remove(template)
            self.prefixes.add(prefix)
            for word in words:
                self.add(1, _exact(word))


@dataclass
class Slot:
    words: list
    synonyms: list = field(default_factory=list)  # templates, level 0

    @property
    def size(self):
        return len(self.words)

    @property
    def has_typos(self):
        return any(word.levels[2] or word.levels[3] for word in self.words)

    def ways(self):
        """Return ``(first alternatives, last alternatives, width)`` of each way this
        slot matches: its words as typed, then each synonym. Alternatives are templates
        (``term{e}`` or ``term{p}``); the width is the distance from first to last term."""
        typed = [[alt for level in word.levels for alt in level] for word in self.words]
        found = [(typed[0], typed[-1], self.words[-1].position - self.words[0].position)]
        for template in self.synonyms:
            pieces = template.split()
            terms = [piece for piece in pieces if not piece.startswith("<")]
            width = sum(int(piece[1:-1]) for piece in pieces if piece.startswith("<"))
            found.append(([terms[0]], [terms[-1]], width))
        return found

    def edges(self):
        """Return (first terms, last terms, widths) of every way this slot can match, or
        None when a prefix is at an edge (its words are not spelt out)."""
        first, last, widths = set(), set(), set()
        for starts, ends, width in self.ways():
            widths.add(width)
            for found, pieces in ((first, starts), (last, ends)):
                for piece in pieces:
                    if not piece.endswith("{e}"):
                        return None
                    found.add(piece[: -len("{e}")])
        return first, last, widths

    def query(self, level, weight=""):
        """Return the tsquery of this slot, up to ``level``, restricted to ``weight``."""
        exact, prefix = (f":{weight}", f":*{weight}") if weight else ("", ":*")
        phrase = []
        previous = None
        for word in self.words:
            alternatives = [alt for lvl in word.levels[: level + 1] for alt in lvl]
            part = "(" + " | ".join(alternatives) + ")"
            if previous is not None:
                phrase.append(f"<{word.position - previous}>")
            phrase.append(part)
            previous = word.position
        options = [" ".join(phrase), *self.synonyms]
        return _fill("(" + " | ".join(f"({option})" for option in options) + ")", exact, prefix)


def _fill(template, exact, prefix):
    return template.replace("{e}", exact).replace("{p}", prefix)


def _exact(term):
    return term + "{e}"


def _prefix(term):
    return term + "{p}"


def _prefix_term(template):
    """Return the term of a prefix template, or "" for any other."""
    return template[: -len("{p}")] if template.endswith("{p}") else ""


def _phrase(found):
    """Return the template of a phrase of analyzer tokens (stop words keep their place)."""
    parts, previous = [], None
    for token in found:
        if not token.term:
            continue
        if previous is not None:
            parts.append(f"<{token.position - previous}>")
        parts.append(_exact(token.term))
        previous = token.position
    return " ".join(parts)


@dataclass
class Query:
    raw: str
    text: str  # the query's words folded, to compare with a name
    slots: list
    identifier: str = ""  # a SIREN, SIRET or VAT number, when the query is one
    # The query's words that the index holds whole (``expand``): a word it does not hold
    # can match as a prefix or a correction only.
    known: set = field(default_factory=set)
    # How many public companies hold each term the query found in the vocabulary (its
    # words, their corrections and the words their prefixes start): ``WORD_COMPANIES``.
    held: dict = field(default_factory=dict)

    def __bool__(self):
        return bool(self.slots or self.identifier)

    def may_match_whole(self):
        """Return whether a company may hold every word whole (exactness 1): each slot has
        a synonym, or its words are all in the index's vocabulary."""
        return all(
            slot.synonyms or all(word.term in self.known for word in slot.words)
            for slot in self.slots
        )

    @property
    def size(self):
        return sum(slot.size for slot in self.slots)

    def all_words(self, level=LEVELS - 1):
        return " & ".join(slot.query(level) for slot in self.slots)

    def any_word(self, level=LEVELS - 1):
        return " | ".join(slot.query(level) for slot in self.slots)

    def phrase(self, level=LEVELS - 1):
        parts, previous = [], None
        for slot in self.slots:
            if previous is not None:
                parts.append(f"<{slot.words[0].position - previous}>")
            parts.append(slot.query(level))
            previous = slot.words[-1].position
        return " ".join(parts)

    def adjacent_pairs(self):
        """Return, for each pair of neighbouring slots typed side by side, the term pairs
        (``"a b"``) that a company holding the query as a phrase holds at two adjacent
        positions (``members_search_pairs``, migration 0038): a list of lists, or None
        when no pair of slots can tell.

        A pair of slots cannot tell when its words are apart (a stop word between), when
        a prefix is at their edge, when a pair is longer than the index keeps
        (``MAX_PAIR_BYTES``), or when the first slot matches in ways of different widths
        (``vr`` or ``réalité virtuelle``): PostgreSQL then lets the shorter one end where
        the longer would, so ``(realit <-> virtuel | vr) <-> studio`` matches "vr en
        studio" whenever the text also holds "réalité virtuelle".
        """
        found = []
        for before, after in itertools.pairwise(self.slots):
            if after.words[0].position - before.words[-1].position != 1:
                continue
            ends, starts = before.edges(), after.edges()
            if ends is None or starts is None or len(ends[2]) > 1:
                continue
            pairs = sorted(f"{a} {b}" for a in ends[1] for b in starts[0])
            if any(len(pair.encode()) > MAX_PAIR_BYTES for pair in pairs):
                continue
            found.append(pairs)
        return found or None

    @cached_property
    def highlight_terms(self):
        """(whole terms, prefixes) that highlighting marks: worked out once per search,
        which marks every name and description it shows (after ``expand``)."""
        whole, prefixes = set(), set()
        for slot in self.slots:
            for template in slot.synonyms:
                whole.update(_template_terms(template)[0])
            for word in slot.words:
                prefixes |= word.prefixes
                found_whole, found_prefixes = word.terms()
                whole |= found_whole
                prefixes |= found_prefixes
        return whole, prefixes


def _template_terms(template):
    whole, prefixes = set(), set()
    for piece in template.split():
        if piece.endswith("{e}"):
            whole.add(piece[:-3])
        elif piece.endswith("{p}"):
            prefixes.add(piece[:-3])
    return whole, prefixes


def parse(raw):
    """Turn what a visitor typed into words and slots, without the database. Never raises."""
    from .identifiers import identifier_in

    raw = (raw or "").replace("\x00", " ")[:MAX_QUERY_LENGTH]
    found = analyzer.tokens(raw)
    text = " ".join(token.folded for token in found)
    words = [token for token in found if token.term][:MAX_QUERY_WORDS]
    typing = bool(raw) and not raw[-1].isspace()
    slots = []
    for index, token in enumerate(words):
        last = typing and index == len(words) - 1 and token is found[-1]
        word = Word(token.folded, token.term, token.position, last)
        word.add(0, _exact(token.term))
        root = analyzer.family_root(token.term)
        if root:
            word.add(1, _prefix(root))
        if last and len(token.folded) >= 2:
            word.add(1, _prefix(token.term))
            if not token.folded.startswith(token.term):
                word.add(1, _prefix(token.folded))
        slots.append(Slot([word]))
    return Query(raw, text, slots, identifier_in(raw))


# Trigram candidates from the vocabulary's index, of a length within reach (an index too),
# confirmed by fuzzystrmatch. A swap of two letters costs 2 there: the bound is one more,
# and ``typos`` (Python) counts it as 1. The words that start with a prefix are a range of
# the pattern index (migration 0036): byte order, the prefix up to the prefix followed by
# the last code point (LIKE would read every word, its pattern being no constant).
EXPAND_SQL = f"""
SELECT 'typo', q.i, w.word, {WORD_COMPANIES}
FROM unnest(%s::text[], %s::int[], %s::int[]) AS q(term, k, i)
JOIN members_searchword AS w ON w.word %% q.term
WHERE w.word <> q.term
    AND length(w.word) BETWEEN length(q.term) - q.k - 1 AND length(q.term) + q.k + 1
    AND levenshtein_less_equal(w.word, q.term, q.k + 1) <= q.k + 1
UNION ALL
SELECT 'synonym', 0, terms, 0 FROM members_synonym
UNION ALL
SELECT 'known', 0, w.word, {WORD_COMPANIES}
FROM members_searchword AS w WHERE w.word = ANY(%s::text[])
UNION ALL
SELECT 'prefix', p.i::int - 1, w.word, {WORD_COMPANIES}
FROM unnest(%s::text[]) WITH ORDINALITY AS p(prefix, i)
CROSS JOIN LATERAL (
    SELECT word, companies FROM members_searchword
    WHERE word ~>=~ p.prefix AND word ~<~ (p.prefix || chr(1114111))
    LIMIT %s
) AS w
"""  # noqa: S608 - constant SQL


def typos(first, second):
    """Return the edits between two words, a swap of neighbours counting as one (OSA)."""
    previous2, previous = None, list(range(len(second) + 1))
    for i, char in enumerate(first, start=1):
        current = [i]
        for j, other in enumerate(second, start=1):
            cost = min(
                previous[j] + 1,
                current[j - 1] + 1,
                previous[j - 1] + (char != other),
            )
            if i > 1 and j > 1 and char == second[j - 2] and first[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


def expand(query, *, using="default"):
    """Add the typo corrections and the synonyms of each word, spell its prefixes out, and
    say which words the index holds whole (one query). Return ``query``."""
    if not query.slots:
        return query
    words = [slot.words[0] for slot in query.slots]
    asked = [(word.term, allowed_typos(word.folded), i) for i, word in enumerate(words)]
    asked = [row for row in asked if row[1]]
    prefixes = sorted(
        {_prefix_term(t) for word in words for t in word.levels[1] if _prefix_term(t)}
    )
    with connections[using].cursor() as cursor:
        cursor.execute(
            EXPAND_SQL,
            [
                [row[0] for row in asked],
                [row[1] for row in asked],
                [row[2] for row in asked],
                [word.term for word in words],
                prefixes,
                MAX_PREFIX_WORDS + 1,
            ],
        )
        rows = cursor.fetchall()
    starts = {prefix: [] for prefix in prefixes}
    for _kind, index, word, _companies in (row for row in rows if row[0] == "prefix"):
        starts[prefixes[index]].append(word)
    for word in words:
        word.spell_out(starts)
    limits = {index: limit for _term, limit, index in asked}
    corrections = sorted(
        (typos(words[index].term, term), term, index)
        for kind, index, term, _companies in rows
        if kind == "typo"
    )
    counted = {}
    for distance, term, index in corrections:
        if distance <= limits[index] and counted.get(index, 0) < MAX_CORRECTIONS:
            counted[index] = counted.get(index, 0) + 1
            words[index].add(1 + distance, _exact(term))
    query.known = {term for kind, _index, term, _companies in rows if kind == "known"}
    query.held = {term: companies for kind, _index, term, companies in rows if kind != "synonym"}
    _apply_synonyms(query, [_synonym_group(row[2]) for row in rows if row[0] == "synonym"])
    return query


@lru_cache(maxsize=4096)
def _synonym_group(terms):
    """Return a synonym group's ``(term, words)`` pairs, its words the analyzer's tokens
    that hold a term: every search reads every group, analysed once per process."""
    phrases = [
        (term, tuple(t for t in analyzer.tokens(term) if t.term)) for term in split_terms(terms)
    ]
    return tuple((term, found) for term, found in phrases if found)


HELD_SQL = (
    f"SELECT coalesce(max({WORD_COMPANIES}), 0) FROM members_searchword AS w "  # noqa: S608 - constant SQL
    "WHERE w.word = ANY(%s)"
)


def matches_more_than(query, count, *, using="default"):
    """Return True when the index's counts (``WORD_COMPANIES``) show that more than
    ``count`` public companies match ``query``, without counting its matches; False when
    they cannot tell: for one slot, as ``slot_matches_more_than`` tells; for several, no
    single term tells (their companies may not meet)."""
    return len(query.slots) == 1 and slot_matches_more_than(
        query, query.slots[0], count, using=using
    )


def slot_matches_more_than(query, slot, count, *, using="default"):
    """Return True when the index's counts show that more than ``count`` public companies
    match ``slot`` of ``query`` alone; False when they cannot tell.

    Each term of a one-word slot (the word, a correction, a word its prefix starts, spelt
    out or not) and each synonym of one word matches the slot alone: the slot matches at
    least as many companies as the most common of them. The terms ``expand`` found were
    counted there; the synonyms cost one lookup, and only when those did not tell already.
    """
    if slot.size == 1:
        terms, prefixes = slot.words[0].terms()
        # A prefix too common to spell out still starts the words ``expand`` read for it.
        started = [term for term in query.held if term.startswith(tuple(prefixes))]
        if max((query.held.get(term, 0) for term in [*terms, *started]), default=0) > count:
            return True
    synonyms = [template for template in slot.synonyms if " " not in template]
    terms = sorted({term for template in synonyms for term in _template_terms(template)[0]})
    if not terms:
        return False
    with connections[using].cursor() as cursor:
        cursor.execute(HELD_SQL, [terms])
        return cursor.fetchone()[0] > count


def _apply_synonyms(query, groups):
    """Merge the slots that a synonym covers, and give the slot the other terms."""
    for phrases in groups:
        for _term, found in phrases:
            size = len(found)
            for start in range(len(query.slots) - size + 1):
                span = query.slots[start : start + size]
                if any(slot.size != 1 or slot.synonyms for slot in span):
                    continue
                if [slot.words[0].term for slot in span] != [t.term for t in found]:
                    continue
                merged = Slot([slot.words[0] for slot in span])
                merged.synonyms = [_phrase(other) for _t, other in phrases if other != found]
                query.slots[start : start + size] = [merged]
                break
