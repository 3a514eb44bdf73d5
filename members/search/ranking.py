"""The ranking rules, in the order they apply (as Meilisearch and Algolia do), in one place.

1. identifier: a SIREN, SIRET or VAT number typed as the query finds its company first;
2. words: the number of query words matched (all of them first);
3. typos: the number of corrected words (exact words before corrected ones);
4. proximity: the words adjacent and in order (a phrase) before scattered words;
5. attribute: where the words are found, summed over the words: name 0, sectors 1,
   town 2, descriptions 3;
6. exactness: the exact name first, then whole words before prefixes;
7. ties: the company's id, a stable order, the same for every request, and not the
   alphabet (as Meilisearch's internal id). A cover density (``ts_rank_cd``) here cost
   9 µs a match, most of a broad word's ranking, for a top-3 score the quality suite
   could not tell apart (MRR 0.931 against 0.924).

A rule that cannot tell two companies apart for this query is not computed: the number
of words found, when every company found has them all (any search but a widened one),
or the typos of a query with nothing corrected.

``search`` filters a QuerySet of companies and orders it by these rules; the directory,
the API and the admin all call it.
"""

from django.db.models import BooleanField, ExpressionWrapper, F, FloatField, Q, Value

from .identifiers import identifier_condition
from .query import LEVELS, expand, matches_more_than, parse, slot_matches_more_than
from .sql import (
    NAME_VECTOR,
    VECTOR,
    WEIGHT_OF_ATTRIBUTE,
    CompanySQL,
    all_of,
    exact_name,
    in_attribute,
    matches,
    negate,
)
from .staged import names_first, readable, threshold, walk_buckets


def _sum(parts):
    sql = " + ".join(part[0] for part in parts) or "0"
    params = [param for part in parts for param in part[1]]
    return f"({sql})", params


def rule_words(query):
    """The number of query words found (a synonym counts for the words it stands for)."""
    parts = []
    for slot in query.slots:
        sql, params = matches(slot.query(LEVELS - 1))
        parts.append((f"(CASE WHEN {sql} THEN {slot.size} ELSE 0 END)", params))
    return _sum(parts)


def rule_typos(query):
    """The number of words found only through a correction (two for a two-typo one)."""
    parts = []
    for slot in query.slots:
        if not slot.has_typos:
            continue
        whens, params = [], []
        for typos, level in ((0, 1), (1, 2), (2, 3)):
            # A level with no correction of its own would only repeat the one before.
            if level == 1 or any(word.levels[level] for word in slot.words):
                sql, found = matches(slot.query(level))
                whens.append(f"WHEN {sql} THEN {typos}")
                params += found
        parts.append((f"(CASE {' '.join(whens)} ELSE 0 END)", params))
    return _sum(parts)


def rule_proximity(query):
    """0 when the words are found as typed, adjacent and in order; 1 otherwise."""
    if len(query.slots) < 2:
        return "0", []
    sql, params = matches(query.phrase())
    return f"(CASE WHEN {sql} THEN 0 ELSE 1 END)", params


def rule_attribute(query):
    """The sum over the words of the best attribute each is found in."""
    parts = []
    for slot in query.slots:
        whens, params = [], []
        for rank, weight in enumerate(WEIGHT_OF_ATTRIBUTE):
            sql, found = matches(slot.query(LEVELS - 1, weight))
            whens.append(f"WHEN {sql} THEN {rank}")
            params += found
        parts.append((f"(CASE {' '.join(whens)} ELSE 3 END)", params))
    return _sum(parts)


def rule_exactness(query):
    """0 for the exact name, 1 when every word is found whole, 2 with a prefix."""
    name_sql, name_params = exact_name(query.text)
    sql, params = matches(query.all_words(0))
    return (
        f"(CASE WHEN {name_sql} THEN 0 WHEN {sql} THEN 1 ELSE 2 END)",
        [*name_params, *params],
    )


def buckets(query):
    """Return ``(condition, driver, walk)`` for the buckets that split a one-word query's
    matches by the rules' values, best first: (typos, attribute, exactness), with
    proximity and the number of words the same for every match of one word. Within one,
    the order is the company id alone, so each bucket's first rows come from walking the
    ids, however many companies it holds. ``driver`` is the part of the condition that its
    own index finds (the exact name, or the attribute's terms), or None; ``walk`` is False
    for the exact name, a handful of companies at most, found through its B-tree.

    A bucket that cannot hold a company is left out: exactness 0 (the exact name) is in
    the name with no typo, a whole word (exactness 1) has no typo and is in the index's
    vocabulary (or a synonym is), and a prefix or a correction (exactness 2) needs the
    query to have one.
    """
    [slot] = query.slots
    every_level = slot.query(LEVELS - 1)
    levels = [1, *(level for level in (2, 3) if any(w.levels[level] for w in slot.words))]
    prefixes = any(word.levels[1] for word in slot.words)
    whole_possible = query.may_match_whole()
    is_name = exact_name(query.text)
    whole = matches(query.all_words(0))
    found = []
    for typos, level in enumerate(levels):
        typo_part = [matches(slot.query(level))]
        if typos:
            typo_part.append(negate(matches(slot.query(levels[typos - 1]))))
        for rank in range(len(WEIGHT_OF_ATTRIBUTE) + 1):
            attribute_part = [
                negate(in_attribute(weight, every_level)) for weight in WEIGHT_OF_ATTRIBUTE[:rank]
            ]
            driver = None
            if rank < len(WEIGHT_OF_ATTRIBUTE):
                driver = in_attribute(WEIGHT_OF_ATTRIBUTE[rank], every_level)
                attribute_part.append(driver)
            exactness = []
            if not typos and not rank and whole_possible:
                exactness.append(([is_name], is_name, False))
            if not typos and whole_possible:
                exactness.append(([negate(is_name), whole], driver, True))
            if typos or prefixes:
                exactness.append(([negate(is_name), negate(whole)], driver, True))
            found += [
                (all_of(typo_part + attribute_part + part), by, walk)
                for part, by, walk in exactness
            ]
    return found


# (annotation, rule, descending): the order of the list is the order of the rules.
RULES = [
    ("search_words", rule_words, True),
    ("search_typos", rule_typos, False),
    ("search_proximity", rule_proximity, False),
    ("search_attribute", rule_attribute, False),
    ("search_exactness", rule_exactness, False),
]
# The annotations that order the matches of one search before the id (the number of
# words found is the same for all, but in a widened search, which is never staged).
RANKED_BY = [name for name, rule, _descending in RULES if rule is not rule_words]
# The staged reading orders by them ascending, and its name tier is all but the last.
assert RANKED_BY[-1] == "search_exactness" and not any(d for _n, _r, d in RULES[1:])


def _text_condition(tsquery):
    return CompanySQL(f"{VECTOR} @@ %s::tsquery", [tsquery], BooleanField())


# From this many matches, a search reads only the rows it shows (``Search.first_rows``);
# fewer are ranked whole at once, which costs less than the walk's steps.
STAGED_FROM = 200


class Search:
    """One search: the parsed query, and whether it had to settle for some of the words."""

    def __init__(self, raw, *, using="default"):
        self.raw = raw
        self.using = using
        self.query = expand(parse(raw), using=using)
        # Whether to settle for some of the words: set by ``widen`` when every word finds
        # nothing, which the page's count tells at no extra cost.
        self.partial = False

    def __bool__(self):
        return bool(self.query)

    def can_widen(self):
        """Return whether a search that found nothing may look for some of the words."""
        return not self.partial and len(self.query.slots) > 1

    def widen(self):
        self.partial = True

    def more_than(self, count):
        """Return True when more than ``count`` public companies are known to match, from
        the index's counts of its terms, without counting the matches; False when the
        counts cannot tell (``query.matches_more_than``)."""
        return not self.partial and matches_more_than(self.query, count, using=self.using)

    def words_each_more_than(self, count):
        """Return True when the index's counts show each of several words (slots) alone in
        more than ``count`` public companies (``query.slot_matches_more_than``)."""
        slots = self.query.slots
        return (
            not self.partial
            and len(slots) > 1
            and all(slot_matches_more_than(self.query, s, count, using=self.using) for s in slots)
        )

    def apply(self, queryset):
        """Filter ``queryset`` to the matching companies, ordered by the rules."""
        query = self.query
        if not query:
            return queryset.none()
        conditions = []
        if query.slots:
            everything = query.all_words()
            if self.partial:
                everything = query.any_word()
            conditions.append(Q(_text_condition(everything)))
        identifier = Value(False)
        if query.identifier:
            conditions.append(identifier_condition(query.identifier))
            identifier = ExpressionWrapper(conditions[-1], BooleanField())
        condition = conditions[0]
        for other in conditions[1:]:
            condition |= other
        annotations = {"search_identifier": identifier}
        # PostgreSQL refuses a constant in ORDER BY: a rule that cannot tell two companies
        # apart for this query (typos with nothing corrected...) is annotated, not sorted on.
        ordering = [F("search_identifier").desc()] if query.identifier else []
        for name, rule, descending in RULES:
            if rule is rule_words and not self.partial:
                annotations[name] = Value(query.size)  # every company found has them all
                continue
            sql, params = rule(query) if query.slots else ("0", [])
            if sql in {"0", "(0)"}:
                annotations[name] = Value(0)
                continue
            annotations[name] = CompanySQL(sql, params, FloatField())
            ordering.append(F(name).desc() if descending else F(name).asc())
        # The stored vector is only for the database: never fetch it with the rows.
        queryset = queryset.filter(condition).defer("search_vector")
        self.ordering = (*ordering, "pk")
        return queryset.annotate(**annotations).order_by(*self.ordering)

    def first_rows(self, queryset, top):
        """Return the first ``top`` rows of ``queryset`` (as ``apply`` ranked it) without
        ranking every match, or None when this query cannot tell them apart so.

        A query of one word (a synonym's phrase counts as one) walks its ``buckets`` in
        order, each by company id, until the rows fill: a broad word's first page reads
        a few dozen companies rather than its 30,000 matches.

        A query of several words first ranks the companies whose name holds every word
        alone, found through the name's own index: before the attribute rule, the rules
        are the same for every match except the typos and the proximity, so the companies
        with none of either and every word in the name come first. When the ``top`` first
        of those are all of that first tier, they are the first ``top`` of the search.
        Otherwise it ranks the first companies by id whole, and looks beyond them only
        for the companies that come before (``staged.threshold``).
        """
        query = self.query
        if self.partial or query.identifier or not query.slots:
            return None
        if tuple(queryset.query.order_by) != getattr(self, "ordering", None):
            return None  # sorted otherwise (name, newest)
        if not readable(queryset):
            return None  # joined to another table: not read as plain SQL
        if len(query.slots) == 1:
            return self._walk(queryset, top)
        in_name = [
            (f"{NAME_VECTOR} @@ %s::tsquery", [slot.query(LEVELS - 1)]) for slot in query.slots
        ]
        rows = names_first(queryset, in_name, RANKED_BY, top)
        return threshold(query, queryset, top, RANKED_BY) if rows is None else rows

    def top_rows(self, queryset, top):
        """Return the first ``top`` rows of ``queryset``, the public companies as ``apply``
        ranked them, reading only those when the matches are many (as the index's counts
        tell, or counted up to ``STAGED_FROM`` + 1).

        A search of several words, each of which the counts show in more companies than
        that alone, is not counted either (6 ms for "jeu vid" at 100,000 companies): its
        companies may still be few, but then the staged reading gives up after its first
        window (``staged.threshold``)."""
        rows = None
        if (
            self.more_than(STAGED_FROM)
            or self.words_each_more_than(STAGED_FROM)
            or queryset.order_by().values("pk")[: STAGED_FROM + 1].count() > STAGED_FROM
        ):
            rows = self.first_rows(queryset, top)
        return list(queryset[:top]) if rows is None else rows

    def _walk(self, queryset, top):
        """The first ``top`` rows of a one-word query, through its buckets."""
        return walk_buckets(queryset, buckets(self.query), top)


def search(queryset, raw):
    """Filter ``queryset`` to the companies matching ``raw``, ordered by the ranking rules."""
    return Search(raw, using=queryset.db).apply(queryset)
