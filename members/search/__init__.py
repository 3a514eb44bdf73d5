"""The directory search: one analyzer for documents and queries, typo correction from a
vocabulary of the indexed words, synonyms, and ranking rules applied in order.

- ``analyzer``: how text becomes terms (folding, elision, stop words, light stemming);
- ``index``: the stored ``tsvector`` of each company and the vocabulary, kept in the
  same transaction as each write;
- ``query``: what a visitor typed, as words with their prefixes, corrections, synonyms;
- ``ranking``: the ranking rules, in order, and ``search`` itself;
- ``identifiers``: a SIREN, SIRET or VAT number typed as the query.
"""

from .index import (
    fold_after_commit,
    hold_writers,
    index_companies,
    rebuild_vocabulary,
    recount_words,
)
from .query import MAX_QUERY_LENGTH, MAX_QUERY_WORDS, parse
from .ranking import RULES, Search, search

__all__ = [
    "MAX_QUERY_LENGTH",
    "MAX_QUERY_WORDS",
    "RULES",
    "Search",
    "fold_after_commit",
    "hold_writers",
    "index_companies",
    "parse",
    "rebuild_vocabulary",
    "recount_words",
    "search",
]
