"""The SQL pieces that the ranking rules and the staged reading of a search are built
from: conditions over a company's search columns, written once, as (sql, params) pairs
whose ``{vector}`` and ``{name}`` ``CompanySQL`` fills in for the query at hand."""

from django.db.models import Expression, F

VECTOR = "{vector}"
NAME = "{name}"
# The name's terms alone, as the name index (migration 0030_search_name_index) has them.
NAME_VECTOR = "ts_filter({vector}, '{a}'::\"char\"[])"
WEIGHT_OF_ATTRIBUTE = ("A", "B", "C")  # anything else is a description (D)


def matches(tsquery):
    return f"({VECTOR} @@ %s::tsquery)", [tsquery]


def in_attribute(weight, tsquery):
    """The terms of one attribute match: through that attribute's own index (migrations
    0030 and 0034), whose statistics tell the planner how many companies it holds."""
    return f"(ts_filter({VECTOR}, '{{{weight.lower()}}}'::\"char\"[]) @@ %s::tsquery)", [tsquery]


def adjacent(pairs):
    """The company holds one of ``pairs`` (``"a b"``) at two adjacent positions: one lookup
    in the index of its adjacent term pairs (migration 0038), where a phrase (``<->``)
    would read and check every company holding both words."""
    return f"(members_search_pairs({VECTOR}) && %s::text[])", [list(pairs)]


def exact_name(text):
    """The company's folded name is ``text`` (the B-tree ``members_company_exact_name``)."""
    return f"({NAME} = %s)", [text]


def all_of(parts):
    return " AND ".join(part[0] for part in parts), [p for part in parts for p in part[1]]


def negate(part):
    return f"NOT {part[0]}", part[1]


def any_of(parts):
    return "(" + " OR ".join(f"({part[0]})" for part in parts) + ")", [
        p for part in parts for p in part[1]
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
        return self.fill(self.sql, *self.column_sql(compiler)), self.params

    def column_sql(self, compiler):
        """Return the SQL of the search vector and of the folded name, as ``compiler``
        names them (resolved, as in a QuerySet's conditions)."""
        return [compiler.compile(column)[0] for column in self.columns]

    @staticmethod
    def fill(sql, vector, name):
        return sql.replace(VECTOR, vector).replace(NAME, name)
