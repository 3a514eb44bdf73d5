"""Town names as a page writes them, in each language of the site.

The register stores a town as its postal address writes it, in the local language
("Barcelona", "Girona"): letters and invoices need that form. French prose writes some
of those towns differently ("Barcelone", "Gérone"), and so does English for a few
("Seville"). Pages that name a town beside such prose (the directory's town filter, the
company cards, a company's page, the offers) go through ``town_label``, so that the
filter, the cards and the text around them agree. A postal address keeps the stored form.

The table lists the towns of the cluster's neighbourhood and of its partners abroad; a
town that is not in it is written as stored in every language.
"""

from django.db.models import Q
from django.utils.translation import get_language

# The local (stored) name, then its name in the site's languages where it differs.
TOWNS = {
    "Barcelona": {"fr": "Barcelone"},
    "Girona": {"fr": "Gérone"},
    "Figueres": {"fr": "Figueras"},
    "Lleida": {"fr": "Lérida"},
    "Tarragona": {"fr": "Tarragone"},
    "Zaragoza": {"fr": "Saragosse"},
    "Sevilla": {"fr": "Séville", "en": "Seville"},
    "València": {"fr": "Valence", "en": "Valencia"},
    "Lisboa": {"fr": "Lisbonne", "en": "Lisbon"},
    "London": {"fr": "Londres"},
    "Bruxelles": {"en": "Brussels"},
    "Genève": {"en": "Geneva"},
    "Milano": {"fr": "Milan", "en": "Milan"},
    "München": {"fr": "Munich", "en": "Munich"},
    "Köln": {"fr": "Cologne", "en": "Cologne"},
}
# Every spelling (casefolded) of a listed town, to its local name.
_LOCAL_NAME = {
    spelling.casefold(): local
    for local, names in TOWNS.items()
    for spelling in [local, *names.values()]
}


def local_name(town: str) -> str:
    """Return the local (stored) name of ``town`` in any of its spellings, or ``town``."""
    return _LOCAL_NAME.get(town.strip().casefold(), town.strip())


def town_label(town: str) -> str:
    """Return ``town`` as pages in the visitor's language write it."""
    if not town:
        return ""
    local = local_name(town)
    if local not in TOWNS:
        return town
    return TOWNS[local].get((get_language() or "fr")[:2], local)


def spellings(town: str) -> list[str]:
    """Return every spelling of ``town`` a record may hold (its local name, its names in
    the site's languages), so that a search for "Barcelone" finds "Barcelona"."""
    local = local_name(town)
    return [local, *TOWNS[local].values()] if local in TOWNS else [town.strip()]


def matching(field: str, town: str) -> Q:
    """Return the condition "``field`` is ``town``, in any spelling, in any case"."""
    condition = Q()
    for spelling in spellings(town):
        condition |= Q(**{f"{field}__iexact": spelling})
    return condition


def town_choices(towns) -> list[tuple[str, str]]:
    """Return ``(value, label)`` for the stored ``towns``, one per town whatever its
    spelling, sorted by the label the visitor reads."""
    choices = {}
    for town in towns:
        choices.setdefault(local_name(town).casefold(), (town, town_label(town)))
    return sorted(choices.values(), key=lambda choice: choice[1].casefold())
