"""Suggestions as you type: up to 8 company names and sectors for what is typed so far,
through the same analyzer, typo correction and ranking as the directory."""

from django.urls import reverse

from ..models import Company, Sector
from . import analyzer
from .highlight import highlight
from .ranking import Search

LIMIT = 8
SECTORS = 3


def suggestions(raw, *, using="default"):
    """Return ``[{"kind", "label", "html", "url"}]``: sectors whose name starts with a typed
    word first (at most 3), then the best-ranked companies."""
    run = Search(raw, using=using)
    if not run.query.slots:
        return []
    prefix = analyzer.name_key(raw)
    # The sectors are a few dozen: compared folded in Python, as the analyzer folds.
    sectors = [
        sector
        for sector in Sector.objects.using(using).order_by("name")
        if any(analyzer.name_key(name).startswith(prefix) for name in (sector.name, sector.name_en))
    ][:SECTORS]
    found = run.apply(Company.objects.using(using).public()).only(
        "trade_name", "legal_name", "slug"
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
            "html": highlight(company.display_name, run.query),
            "url": company.get_absolute_url(),
        }
        for company in companies
    ]
