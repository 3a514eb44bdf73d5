"""Reading the first rows of a ranked search without ranking every match.

The ranking rules (``members.search.ranking``) order the matches with the company id
last; a page needs only its own rows. A one-word search walks the buckets of equal rules
(``walk_buckets``); a search of several words ranks the first companies by id whole and
looks beyond them only for better ones (``threshold``). Both give exactly the rows that
ranking every match would, at a cost bounded whatever the word matches (a third of the
register, or a handful), and tell PostgreSQL's planner which plan to use, for the
statements of one transaction only. Their statements that read ids or rules are plain
SQL around the QuerySet's conditions, compiled once (``_Plain``); the rows shown come
through the QuerySet.
"""

from contextlib import contextmanager
from itertools import product

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, transaction
from django.db.models import BooleanField

from .query import LEVELS
from .sql import (
    WEIGHT_OF_ATTRIBUTE,
    CompanySQL,
    adjacent,
    all_of,
    any_of,
    exact_name,
    in_attribute,
)

# Each bucket is first walked by id over the first WALK public companies: a dense bucket
# (a broad word's, 1% of the register or more) fills the page there, reading at most
# that many rows; a sparser one is then read through the text indexes alone, from at most
# PROBE companies that its driver's index finds.
WALK = 1000
PROBE = 1000
# A search of several words sets its bar again over this many times WALK companies when
# the first bar is too low to look beyond (``threshold``).
WIDEN = 4
PLANS = {
    "walk": "SET LOCAL enable_indexscan = on; SET LOCAL enable_bitmapscan = off; "
    "SET LOCAL enable_seqscan = off",
    "indexes": "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = on; "
    "SET LOCAL enable_seqscan = off",
    None: "RESET enable_seqscan; RESET enable_indexscan; RESET enable_bitmapscan",
}


def readable(queryset):
    """Return whether the staged reading can read ``queryset`` as plain SQL (``_Plain``):
    the company table alone, with no joins, extra tables or combined queries."""
    query = queryset.query
    return len(query.alias_map) <= 1 and not query.extra_tables and not query.combinator


class _Plain:
    """The companies of a QuerySet, read as plain SQL: its conditions (the search, the
    filters) compiled once. The staged statements that read ids are many (6 to 10 a
    search) and small; each built and compiled by the ORM cost 0.55 ms more than its SQL.
    Only for a QuerySet of the company table alone: its filters are subqueries, never
    joins (``members.filters``)."""

    def __init__(self, queryset):
        if not readable(queryset):
            raise ValueError("A staged search reads the company table alone, without joins.")
        # A copy: resolving the search columns counts them in the query's aliases.
        self.query, self.using = queryset.query.chain(), queryset.db
        self.compiler = self.query.get_compiler(using=self.using)
        self.table = self.compiler.quote_name_unless_alias(self.query.base_table)
        try:
            self.where = self.compiler.compile(self.query.where)
        except FullResultSet:
            self.where = ("TRUE", [])
        except EmptyResultSet:
            self.where = ("FALSE", [])
        columns = CompanySQL("", [], BooleanField()).resolve_expression(self.query)
        self.columns = columns.column_sql(self.compiler)

    def condition(self, sql, params):
        """Return ``(sql, params)`` over the search columns (``CompanySQL``) for this table."""
        return CompanySQL.fill(sql, *self.columns), params

    def read(self, columns, conditions, *, order="id", limit, offset=0, filtered=True):
        """Return the rows of ``columns`` (``(sql, params)``) of the companies that meet
        ``conditions`` (``(sql, params)`` over the search columns) and, when ``filtered``,
        the QuerySet's own, in ``order`` (SQL, or none)."""
        parts = [self.condition(*condition) for condition in conditions]
        if filtered:
            parts.insert(0, self.where)
        where, params = all_of([(f"({sql})", found) for sql, found in parts])
        sql = f"SELECT {columns[0]} FROM {self.table} WHERE {where or 'TRUE'}"  # noqa: S608
        if order:
            sql += f" ORDER BY {order}"
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"{sql} LIMIT %s OFFSET %s", [*columns[1], *params, limit, offset])
            return cursor.fetchall()

    def ids(self, *conditions, **options):
        """Return the ids of the companies ``read`` finds."""
        return [pk for (pk,) in self.read(("id", []), conditions, **options)]

    def ranked(self, keys, *conditions, limit):
        """Return ``(*keys, id)`` of the first ``limit`` companies ``read`` finds, in that
        order (``keys``: the QuerySet's annotations, each ascending)."""
        columns = [self.compiler.compile(self.query.annotations[key]) for key in keys]
        sql = ", ".join([*(column for column, _params in columns), "id"])
        params = [param for _column, found in columns for param in found]
        order = ", ".join(str(position) for position in range(1, len(keys) + 2))
        return self.read((sql, params), conditions, order=order, limit=limit)


def _rest(plain, condition, driver, bound, found, limit):
    """Return the ids of the rest of a bucket (``condition``, beyond ``bound`` if any) that
    the walk did not fill: from the companies its driver's own index finds, when they are
    not too many (the planner, misled by the rules' overlapping conditions, would
    otherwise read every match of the word). ``found`` keeps each driver's companies for
    the next buckets of the same walk."""
    conditions = [condition]
    if bound is not None:
        conditions.append(("id > %s", [bound]))
    if driver is not None:
        key = (driver[0], tuple(driver[1]))
        if key not in found:
            found[key] = plain.ids(
                driver, ("id > %s", [bound or 0]), order="", limit=PROBE, filtered=False
            )
        if not found[key]:
            return []
        if len(found[key]) < PROBE:
            conditions.append(("id = ANY(%s)", [found[key]]))
    return plain.ids(*conditions, limit=limit)


def _window(plain, conditions, bound, top):
    """Return ``{bucket index: [ids]}``: the first ``top`` rows, in the buckets' order then
    by id, among the first public companies (up to ``bound``).

    The first bucket is walked alone first: a dense one (a broad word's names) fills the
    page there, after a few dozen rows. Otherwise every bucket is read in one statement,
    which tells each match up to ``bound`` its bucket (several text matches a row: ten
    times the first bucket's walk on long descriptions, so only when needed)."""
    walked = [index for index, (_condition, _driver, walk) in enumerate(conditions) if walk]
    if not walked:
        return {}
    upto = ("id <= %s", [bound])
    first = plain.ids(conditions[walked[0]][0], upto, limit=top)
    if len(first) == top:
        return {walked[0]: first}
    whens, params = [], []
    for index in walked:
        sql, found = plain.condition(*conditions[index][0])
        whens.append(f"WHEN {sql} THEN {index}")
        params += found
    # The bucket's index first (no bucket last), then the id: columns 1 and 2.
    rows = plain.read(
        (f"(CASE {' '.join(whens)} END), id", params), [upto], order="1, 2", limit=top
    )
    window = {}
    for index, pk in rows:
        if index is not None:  # the exact name's bucket, read on its own
            window.setdefault(index, []).append(pk)
    return window


def _public(queryset):
    """Return the ``_Plain`` reader of the public companies of ``queryset``'s database."""
    return _Plain(queryset.model.objects.using(queryset.db).public())


def _bound(public, walk=WALK):
    """Return the id of the ``walk``-th public company (``public``: ``_public``), or None
    when there are fewer."""
    found = public.ids(limit=1, offset=walk - 1)
    return found[0] if found else None


@contextmanager
def _planned(using):
    """Yield ``use(plan)``, which sets the planner settings of ``PLANS[plan]`` for the
    rest of a transaction of its own. Its commit undoes them (``SET LOCAL``), as would a
    rollback; within a caller's transaction, they are reset on the way out."""
    nested = connections[using].in_atomic_block
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        plan = None

        def use(wanted):
            nonlocal plan
            if wanted != plan:
                cursor.execute(PLANS[wanted])
                plan = wanted

        yield use
        if nested:
            use(None)


def _by_id(queryset, ids, use):
    """Return the rows of ``ids``, in that order (an index scan: left to itself, the
    planner also reads the text index of the whole query, several milliseconds for a
    broad word)."""
    use("walk")
    rows = queryset.filter(pk__in=ids).in_bulk()
    return [rows[pk] for pk in ids]


def walk_buckets(queryset, conditions, top):
    """Return the first ``top`` rows of the buckets ``conditions``, in order, each bucket's
    by id, at a cost bounded whatever each bucket holds.

    The planner cannot tell a sparse bucket from a dense one (its estimate of a phrase, or
    of "in the sectors but not in the name", is off by 30 times either way), and a wrong
    guess costs a scan of every match, or of the whole register. So it is told: the
    buckets are first read among the first ``WALK`` public companies, walked in id order
    (``_window``), and only the rest of a bucket that did not fill there is read through
    the text indexes.
    """
    bound = _bound(_public(queryset))
    plain = _Plain(queryset)
    ids, found = [], {}
    with _planned(queryset.db) as use:
        window = {}
        if bound is not None:
            use("walk")
            window = _window(plain, conditions, bound, top)
        for index, (condition, driver, walk) in enumerate(conditions):
            beyond = walk and bound is not None
            if beyond:
                ids += window.get(index, [])[: top - len(ids)]
            if len(ids) < top:
                use("indexes")
                ids += _rest(
                    plain, condition, driver, bound if beyond else None, found, top - len(ids)
                )
            if len(ids) == top:
                break
        return _by_id(queryset, ids, use)


def names_first(queryset, conditions, keys, top):
    """Return the first ``top`` rows of ``queryset``, ranked by the annotations ``keys``
    (exactness last) then the id, when the companies that meet ``conditions`` (each word
    in the name, through the name's index) fill them with nothing but exactness to tell
    apart; otherwise None. Their rules are read first, the rows only when they fill."""
    ranked = _Plain(queryset).ranked(keys, *conditions, limit=top)
    if len(ranked) < top or any(any(row[: len(keys) - 1]) for row in ranked):
        return None
    with _planned(queryset.db) as use:
        return _by_id(queryset, [row[-1] for row in ranked], use)


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
            share, index = min((share, index) for index, share in enumerate(split))
            # The words that must all be in the name are one lookup in its index.
            indexes = tuple(i for i, other in enumerate(split) if other == 0)
            asked.add((share, indexes if share == 0 else (index,)))
    return any_of(
        [
            in_attribute(
                weight, " & ".join(query.slots[index].query(LEVELS - 1) for index in indexes)
            )
            for share, indexes in sorted(asked)
            for weight in WEIGHT_OF_ATTRIBUTE[: share + 1]
        ]
    )


def _better_than(query, worst):
    """Return SQL and parameters that every company whose rules (typos, proximity,
    attribute, exactness) come before ``worst`` satisfies, through the name, sector and
    town indexes, the index of adjacent pairs (a phrase) or the exact name's; or None when
    no index can find them all (fewer typos, a phrase of words not typed side by side, or
    whole words against prefixes: those need every match read)."""
    typos, proximity, attribute, exactness = (int(value) for value in worst)
    if typos:
        return None
    parts = []
    if proximity:
        # A company with the words as a phrase holds a pair of its terms side by side at
        # each pair of neighbouring words.
        pairs = query.adjacent_pairs()
        if pairs is None:
            return None
        parts.append(all_of([adjacent(found) for found in pairs]))
    if attribute:
        parts.append(_attributes_below(query, attribute))
        if parts[-1] is None:
            return None
    if exactness:
        parts.append(exact_name(query.text))
    if exactness > 1 and query.may_match_whole():
        return None
    return any_of(parts) if parts else None


def threshold(query, queryset, top, keys):
    """Return the first ``top`` rows of ``queryset``, a search of several words (``query``)
    ranked by the annotations ``keys`` then the id, or None.

    The matches among the first ``WALK`` public companies are ranked whole (walked by
    id); the last of their first ``top`` rows sets the bar. A company beyond them comes
    first only when its rules are better, which ``_better_than`` finds through an index;
    at most ``PROBE`` such companies are ranked, and merged in. When the bar is too low
    for that (no index reaches it, or too many companies pass it), the first
    ``WIDEN`` × ``WALK`` companies set it again: more of the best companies are among
    them. Otherwise (fewer than ``top`` matches in the walk, which then are few in all,
    or still too low a bar), None: the caller ranks them all.
    """
    failed = None  # the last bar that no index could look beyond
    plain, public = _Plain(queryset), _public(queryset)
    with _planned(queryset.db) as use:
        for walk in (WALK, WIDEN * WALK):
            use("walk")
            bound = _bound(public, walk)
            if bound is None:
                return None
            window = plain.ranked(keys, ("id <= %s", [bound]), limit=top)
            if len(window) < top:
                return None  # few matches: ranking them all costs less
            bar, beyond = window[-1][:-1], []
            if failed is not None and bar >= failed:
                return None  # no better a bar: the same companies would pass it
            failed = bar
            if any(bar):  # nothing comes before the best rules of all
                better = _better_than(query, bar)
                if better is None:
                    continue
                use("indexes")
                candidates = plain.ids(
                    better, ("id > %s", [bound]), order="", limit=PROBE + 1, filtered=False
                )
                if len(candidates) > PROBE:
                    continue
                if candidates:
                    beyond = plain.ranked(keys, ("id = ANY(%s)", [candidates]), limit=top)
            ids = [row[-1] for row in sorted(window + beyond)[:top]]
            return _by_id(queryset, ids, use)
        return None
