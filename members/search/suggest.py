"""Suggestions as you type: up to 8 company names and sectors for what is typed so far,
through the same analyzer, typo correction and ranking as the directory."""

from django.urls import reverse

from ..models import Company, Sector
from . import analyzer
from .highlight import highlight, term_matcher
from .ranking import Search

LIMIT = 8
SECTORS = 3


def _holds_every_word(name, query):
    """Return whether ``name`` holds each word of ``query`` (``query.Query``, expanded) as
    the search finds it: whole (``jeux`` for "Jeu vidéo"), corrected, or as the prefix of
    the word being typed."""
    found = analyzer.tokens(name)
    for slot in query.slots:
        for word in slot.words:
            whole, prefixes = word.terms()
            matches = term_matcher(whole, prefixes | word.prefixes)
            if not any(matches(token) for token in found):
                return False
    return True


def suggestions(raw, *, using="default"):
    """Return ``[{"kind", "label", "html", "url"}]``, with ``"city"`` for a company: the
    sectors whose name, in the visitor's language, holds every typed word first (at most
    3), then the best-ranked companies."""
    run = Search(raw, using=using)
    if not run.query.slots:
        return []
    # The sectors are a few dozen: compared in Python, in the visitor's language.
    sectors = [
        sector
        for sector in Sector.objects.using(using).order_by("name")
        if _holds_every_word(sector.label, run.query)
    ][:SECTORS]
    found = run.apply(Company.objects.using(using).public()).only(
        "trade_name", "legal_name", "slug", "city"
    )
    companies = run.top_rows(found, LIMIT - len(sectors))
    return [
        {
            "kind": "sector",
            "label": sector.label,
            "html": highlight(sector.label, run.query),
            "url": f"{reverse('members:company-list')}?sector={sector.slug}",
        }
        for sector in sectors
    ] + [
        {
            "kind": "company",
            "label": company.display_name,
            "city": company.city,
            "html": highlight(company.display_name, run.query),
            "url": company.get_absolute_url(),
        }
        for company in companies
    ]
