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

from contextlib import contextmanager
from itertools import product

from django.db import connections, transaction
from django.db.models import (
    BooleanField,
    Expression,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    Value,
)

from .identifiers import identifier_condition
from .query import LEVELS, expand, parse

VECTOR = "{vector}"
NAME = "{name}"
# The name's terms alone, as the name index (migration 0030_search_name_index) has them.
NAME_VECTOR = "ts_filter({vector}, '{a}'::\"char\"[])"
WEIGHT_OF_ATTRIBUTE = ("A", "B", "C")  # anything else is a description (D)


def _matches(tsquery):
    return f"({VECTOR} @@ %s::tsquery)", [tsquery]


def _sum(parts):
    sql = " + ".join(part[0] for part in parts) or "0"
    params = [param for part in parts for param in part[1]]
    return f"({sql})", params


def rule_words(query):
    """The number of query words found (a synonym counts for the words it stands for)."""
    parts = []
    for slot in query.slots:
        sql, params = _matches(slot.query(LEVELS - 1))
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
                sql, found = _matches(slot.query(level))
                whens.append(f"WHEN {sql} THEN {typos}")
                params += found
        parts.append((f"(CASE {' '.join(whens)} ELSE 0 END)", params))
    return _sum(parts)


def rule_proximity(query):
    """0 when the words are found as typed, adjacent and in order; 1 otherwise."""
    if len(query.slots) < 2:
        return "0", []
    sql, params = _matches(query.phrase())
    return f"(CASE WHEN {sql} THEN 0 ELSE 1 END)", params


def rule_attribute(query):
    """The sum over the words of the best attribute each is found in."""
    parts = []
    for slot in query.slots:
        whens, params = [], []
        for rank, weight in enumerate(WEIGHT_OF_ATTRIBUTE):
            sql, found = _matches(slot.query(LEVELS - 1, weight))
            whens.append(f"WHEN {sql} THEN {rank}")
            params += found
        parts.append((f"(CASE {' '.join(whens)} ELSE 3 END)", params))
    return _sum(parts)


def rule_exactness(query):
    """0 for the exact name, 1 when every word is found whole, 2 with a prefix."""
    sql, params = _matches(query.all_words(0))
    return (
        f"(CASE WHEN {NAME} = %s THEN 0 WHEN {sql} THEN 1 ELSE 2 END)",
        [query.text, *params],
    )


def _in_attribute(weight, tsquery):
    """The terms of one attribute match: through that attribute's own index (migrations
    0030 and 0034), whose statistics tell the planner how many companies it holds."""
    return f"(ts_filter({VECTOR}, '{{{weight.lower()}}}'::\"char\"[]) @@ %s::tsquery)", [tsquery]


def _all(parts):
    return " AND ".join(part[0] for part in parts), [p for part in parts for p in part[1]]


def _not(part):
    return f"NOT {part[0]}", part[1]


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
    whole_possible = bool(slot.synonyms) or all(word.term in query.known for word in slot.words)
    exact_name = (f"{NAME} = %s", [query.text])
    whole = _matches(query.all_words(0))
    found = []
    for typos, level in enumerate(levels):
        typo_part = [_matches(slot.query(level))]
        if typos:
            typo_part.append(_not(_matches(slot.query(levels[typos - 1]))))
        for rank in range(len(WEIGHT_OF_ATTRIBUTE) + 1):
            attribute_part = [
                _not(_in_attribute(weight, every_level)) for weight in WEIGHT_OF_ATTRIBUTE[:rank]
            ]
            driver = None
            if rank < len(WEIGHT_OF_ATTRIBUTE):
                driver = _in_attribute(WEIGHT_OF_ATTRIBUTE[rank], every_level)
                attribute_part.append(driver)
            exactness = []
            if not typos and not rank and whole_possible:
                exactness.append(([exact_name], exact_name, False))
            if not typos and whole_possible:
                exactness.append(([_not(exact_name), whole], driver, True))
            if typos or prefixes:
                exactness.append(([_not(exact_name), _not(whole)], driver, True))
            found += [
                (_all(typo_part + attribute_part + part), by, walk) for part, by, walk in exactness
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


class CompanySQL(Expression):
    """SQL over the outer company's search columns, wherever the company table is aliased
    (a subquery of the facets, a join of the admin)."""

    def __init__(self, sql, params, output_field):
        super().__init__(output_field=output_field)
        self.sql, self.params = sql, list(params)
        self.columns = [F("search_vector"), F("search_name")]

    def get_source_expressions(self):
        return self.columns

    def set_source_expressions(self, exprs):
        self.columns = list(exprs)

    def as_sql(self, compiler, connection):
        vector, _params = compiler.compile(self.columns[0])
        name, _params = compiler.compile(self.columns[1])
        return self.sql.replace(VECTOR, vector).replace(NAME, name), self.params


def _text_condition(tsquery):
    return CompanySQL(f"{VECTOR} @@ %s::tsquery", [tsquery], BooleanField())


# From this many matches, a search reads only the rows it shows (``Search.first_rows``);
# fewer are ranked whole at once, which costs less than the walk's steps.
STAGED_FROM = 200
# Each bucket is first walked by id over the first WALK public companies: a dense bucket
# (a broad word's, 1% of the register or more) fills the page there, reading at most
# that many rows; a sparser one is then read through the text indexes alone, from at most
# PROBE companies that its driver's index finds.
WALK = 1000
PROBE = 1000
PLANS = {
    "walk": "SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off; "
    "SET LOCAL enable_seqscan = off",
    "indexes": "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on; "
    "SET LOCAL enable_seqscan = off",
    None: "RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan",
}


def _rest(bucket, driver, bound, found):
    """Return the rest of a bucket that the walk did not fill, by id: from the companies
    its driver's own index finds, when they are not too many (the planner, misled by the
    rules' overlapping conditions, would otherwise read every match of the word).
    ``found`` keeps each driver's companies for the next buckets of the same walk."""
    if driver is not None:
        key = (driver[0], tuple(driver[1]))
        if key not in found:
            candidates = bucket.model.objects.using(bucket.db).filter(
                CompanySQL(*driver, BooleanField()), pk__gt=bound or 0
            )
            found[key] = list(candidates.order_by().values_list("pk", flat=True)[:PROBE])
        if len(found[key]) < PROBE:
            return bucket.filter(pk__in=found[key])
    return bucket


def _window(queryset, conditions, bound, top):
    """Return ``{bucket index: [ids]}``: the first ``top`` rows, in the buckets' order then
    by id, among the first public companies (up to ``bound``), in one statement."""
    whens, params = [], []
    for index, ((sql, found), _driver, walk) in enumerate(conditions):
        if walk:
            whens.append(f"WHEN {sql} THEN {index}")
            params += found
    if not whens:
        return {}
    bucket = CompanySQL(f"(CASE {' '.join(whens)} END)", params, FloatField())
    rows = (
        queryset.filter(pk__lte=bound)
        .annotate(search_bucket=bucket)
        .order_by(F("search_bucket").asc(nulls_last=True), "pk")
        .values_list("search_bucket", "pk")[:top]
    )
    window = {}
    for index, pk in rows:
        if index is not None:  # the exact name's bucket, read on its own
            window.setdefault(int(index), []).append(pk)
    return window


def _bound(queryset):
    """Return the id of the ``WALK``-th public company, or None when there are fewer."""
    return (
        queryset.model.objects.using(queryset.db)
        .public()
        .order_by("pk")
        .values_list("pk", flat=True)[WALK - 1 : WALK]
        .first()
    )


@contextmanager
def _planned(using):
    """Yield ``use(plan)``, which sets the planner settings of ``PLANS[plan]`` for the
    rest of a transaction of its own; they are reset before it commits (on an error, the
    rollback undoes them instead)."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        plan = None

        def use(wanted):
            nonlocal plan
            if wanted != plan:
                cursor.execute(PLANS[wanted])
                plan = wanted

        yield use
        use(None)


def _by_id(queryset, ids, use):
    """Return the rows of ``ids``, in that order (an index scan: left to itself, the
    planner also reads the text index of the whole query, several milliseconds for a
    broad word)."""
    use("walk")
    rows = queryset.filter(pk__in=ids).in_bulk()
    return [rows[pk] for pk in ids]


def _walk_buckets(queryset, conditions, top):
    """Return the first ``top`` rows of the buckets ``conditions``, in order, each bucket's
    by id, at a cost bounded whatever each bucket holds.

    The planner cannot tell a sparse bucket from a dense one (its estimate of a phrase, or
    of "in the sectors but not in the name", is off by 30 times either way), and a wrong
    guess costs a scan of every match, or of the whole register. So it is told: the
    buckets are first read among the first ``WALK`` public companies, walked in id order
    (one statement for them all), and only the rest of a bucket that did not fill there
    is read through the text indexes.
    """
    bound = _bound(queryset)
    ids, found = [], {}
    with _planned(queryset.db) as use:
        window = {}
        if bound is not None:
            use("walk")
            window = _window(queryset, conditions, bound, top)
        for index, ((sql, params), driver, walk) in enumerate(conditions):
            bucket = queryset.filter(CompanySQL(sql, params, BooleanField()))
            bucket = bucket.order_by("pk").values_list("pk", flat=True)
            if walk and bound is not None:
                ids += window.get(index, [])[: top - len(ids)]
                bucket = bucket.filter(pk__gt=bound)
            if len(ids) < top:
                use("indexes")
                ids += _rest(bucket, driver, bound if walk else None, found)[: top - len(ids)]
            if len(ids) == top:
                break
        return _by_id(queryset, ids, use)


def _attributes_below(query, total):
    """Return SQL and parameters that a company whose attribute rule (the sum over the
    words of the best attribute each is in) is below ``total`` satisfies, or None past 4
    words (the splits would be thousands).

    Such a company has every word within its share of one of the most generous splits of
    ``total - 1`` among the words (a share of 3, the descriptions, asks nothing). Of each
    split, only the word with the smallest share is asked for: one word in a few
    attributes is a union of plain lookups in their indexes, which PostgreSQL reads
    without looking at a row, where a conjunction of attributes is checked row by row
    (20 ms for "design graphique", whose 6,000 names with "design" it would read)."""
    last = len(WEIGHT_OF_ATTRIBUTE)
    if len(query.slots) > 4:
        return None
    asked = set()
    for split in product(range(last + 1), repeat=len(query.slots)):
        generous = sum(split) <= total - 1 and not any(
            sum(split) + 1 <= total - 1 and share < last for share in split
        )
        if generous:
            asked.add(min((share, index) for index, share in enumerate(split)))
    return _any(
        [
            _in_attribute(weight, query.slots[index].query(LEVELS - 1))
            for share, index in sorted(asked)
            for weight in WEIGHT_OF_ATTRIBUTE[: share + 1]
        ]
    )


def _any(parts):
    return "(" + " OR ".join(f"({part[0]})" for part in parts) + ")", [
        p for part in parts for p in part[1]
    ]


def _better_than(query, worst):
    """Return SQL and parameters that every company whose rules (typos, proximity,
    attribute, exactness) come before ``worst`` satisfies, through the name, sector and
    town indexes or the exact name's; or None when no index can find them all (fewer
    typos, a phrase, or whole words against prefixes: those need every match read)."""
    typos, proximity, attribute, exactness = (int(value) for value in worst)
    if typos or proximity:
        return None
    parts = []
    if attribute:
        parts.append(_attributes_below(query, attribute))
        if parts[-1] is None:
            return None
    if exactness:
        parts.append((f"{NAME} = %s", [query.text]))
    if exactness > 1:
        whole_possible = all(
            slot.synonyms or all(word.term in query.known for word in slot.words)
            for slot in query.slots
        )
        if whole_possible:
            return None
    return _any(parts) if parts else None


def _threshold(run, queryset, top):
    """Return the first ``top`` rows of a query of several words, or None.

    The matches among the first ``WALK`` public companies are ranked whole (walked by
    id); the last of their first ``top`` rows sets the bar. A company beyond them comes
    first only when its rules are better, which ``_better_than`` finds through an index;
    at most ``PROBE`` such companies are ranked, and merged in. Otherwise (too few in the
    walk, a bar no index can reach, too many above it), None: the caller ranks them all.
    """
    bound = _bound(queryset)
    if bound is None:
        return None
    keys = [name for name, rule, _descending in RULES if rule is not rule_words]
    with _planned(queryset.db) as use:
        use("walk")
        window = list(queryset.filter(pk__lte=bound).values_list(*keys, "pk")[:top])
        if len(window) < top:
            return None
        better = _better_than(run.query, window[-1][:-1])
        if better is None:
            return None
        use("indexes")
        candidates = list(
            queryset.model.objects.using(queryset.db)
            .filter(CompanySQL(*better, BooleanField()), pk__gt=bound)
            .order_by()
            .values_list("pk", flat=True)[: PROBE + 1]
        )
        if len(candidates) > PROBE:
            return None
        beyond = list(queryset.filter(pk__in=candidates).values_list(*keys, "pk")[:top])
        ids = [row[-1] for row in sorted(window + beyond)[:top]]
        return _by_id(queryset, ids, use)


class Search:
    """One search: the parsed query, and whether it had to settle for some of the words."""

    def __init__(self, raw, *, using="default"):
        self.raw = raw
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
        for the companies that come before (``_threshold``).
        """
        query = self.query
        if self.partial or query.identifier or not query.slots:
            return None
        if tuple(queryset.query.order_by) != getattr(self, "ordering", None):
            return None  # sorted otherwise (name, newest)
        if len(query.slots) == 1:
            return self._walk(queryset, top)
        in_name = [
            CompanySQL(f"{NAME_VECTOR} @@ %s::tsquery", [slot.query(LEVELS - 1)], BooleanField())
            for slot in query.slots
        ]
        rows = list(queryset.filter(*in_name)[:top])
        first_tier = all(
            (row.search_typos, row.search_proximity, row.search_attribute) == (0, 0, 0)
            for row in rows
        )
        if len(rows) == top and first_tier:
            return rows
        return _threshold(self, queryset, top)

    def top_rows(self, queryset, top):
        """Return the first ``top`` rows of ``queryset`` (as ``apply`` ranked it), reading
        only those when the matches are many (counted up to ``STAGED_FROM`` + 1)."""
        rows = None
        if queryset.order_by().values("pk")[: STAGED_FROM + 1].count() > STAGED_FROM:
            rows = self.first_rows(queryset, top)
        return list(queryset[:top]) if rows is None else rows

    def _walk(self, queryset, top):
        """The first ``top`` rows of a one-word query, through its buckets."""
        return _walk_buckets(queryset, buckets(self.query), top)


def search(queryset, raw):
    """Filter ``queryset`` to the companies matching ``raw``, ordered by the ranking rules."""
    return Search(raw, using=queryset.db).apply(queryset)
