"""Highlighting: the words a search matched, marked with ``<mark>`` in a name and in a
snippet of the description. Everything else is HTML-escaped, so the result is safe to show
and to send in the API (``snippet``: HTML whose only tags are ``<mark>`` and ``</mark>``)."""

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import analyzer

SNIPPET_WORDS = 24
ELLIPSIS = "…"


def term_matcher(whole, prefixes):
    """Return ``matches(token)``: whether an analyzer token is one of the ``whole`` terms,
    or starts with one of ``prefixes`` (as a term or as written, folded)."""
    prefixes = tuple(prefixes)

    def matches(token):
        if not token.term:
            return False
        return (
            token.term in whole
            or token.term.startswith(prefixes)
            or token.folded.startswith(prefixes)
        )

    return matches


def _matcher(query):
    return term_matcher(*query.highlight_terms)


def _marked(text, found, matches, start=0, end=None):
    end = len(text) if end is None else end
    parts, cursor = [], start
    for token in found:
        if token.start < start or token.end > end or not matches(token):
            continue
        parts.append(escape(text[cursor : token.start]))
        parts.append(f"<mark>{escape(text[token.start : token.end])}</mark>")
        cursor = token.end
    parts.append(escape(text[cursor:end]))
    return "".join(parts)


def highlight(text, query):
    """Return ``text`` as safe HTML with the matched words marked."""
    text = text or ""
    if not query:
        return mark_safe(escape(text))  # noqa: S308 - escaped just now
    found = analyzer.tokens(text)
    return mark_safe(_marked(text, found, _matcher(query)))  # noqa: S308 - escaped inside


def snippet(text, query, *, words=SNIPPET_WORDS):
    """Return about ``words`` words of ``text`` around its first match, as safe HTML with the
    matched words marked, or "" when the text does not hold one."""
    text = text or ""
    if not query or not text:
        return ""
    matches = _matcher(query)
    # The words up to the snippet's last only: a long description is not read to its end.
    found, first = [], None
    for token in analyzer.iter_tokens(text):
        found.append(token)
        if first is None and matches(token):
            first = len(found) - 1
        if first is not None and len(found) >= max(0, first - words // 3) + words + 1:
            break
    if first is None:
        return ""
    begin = max(0, first - words // 3)
    last = min(len(found), begin + words) - 1
    start = 0 if begin == 0 else found[begin].start
    # Past the last word read, the rest of the text is left out (the ellipsis says so).
    end = len(text) if last == len(found) - 1 else found[last].end
    html = _marked(text, found, matches, start, end)
    prefix = ELLIPSIS if start else ""
    suffix = ELLIPSIS if end < len(text) else ""
    return mark_safe(f"{prefix}{html.strip()}{suffix}")  # noqa: S308 - escaped inside


def decorate(companies, query):
    """Give each company ``name_html`` and ``snippet_html`` for this query (no query)."""
    for company in companies:
        company.name_html = highlight(company.display_name, query)
        company.snippet_html = snippet(company.description, query) if query else ""
    return companies
