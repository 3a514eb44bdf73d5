"""The demo register: sectors, the article's companies and generated members, and bulk
companies for benchmarks."""

import random

from django.db import transaction
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history
from stdnum import luhn

from .. import search
from ..caching import bump_public_version
from ..identifiers import vat_of_siren
from ..models import (
    Company,
    Country,
    HeadcountBand,
    LegalForm,
    Sector,
    Synonym,
)
from .data import (
    ARTICLE_COMPANIES,
    CITIES,
    DEMO_GENERATED_MEMBERS,
    DEMO_SEED,
    NAME_CORE,
    NAME_FIRST,
    NAME_LAST,
    SECTOR_PITCH,
    SECTORS,
    STREETS,
    SYNONYMS,
)


def make_siret(rng, taken):
    """Return a valid SIRET (Luhn) whose SIREN and SIRET are not in ``taken``."""
    while True:
        body = f"{rng.randrange(10_000_000, 100_000_000)}"
        siren = body + luhn.calc_check_digit(body)
        head = siren + f"{rng.randrange(1, 10_000):04d}"
        siret = head + luhn.calc_check_digit(head)
        if siret not in taken and not siren.startswith("356000000"):
            taken.add(siret)
            return siret


def _vat(siret):
    """The VAT number of a French company's SIRET, or "" without one (no rng: the other
    generated values stay as they were)."""
    return vat_of_siren(siret[:9]) if siret else ""


def generated_company(rng, *, number, sectors_by_slug, taken_sirets, slug_suffix=""):
    """Build (unsaved) one plausible member company and the sectors it belongs to."""
    trade_name = f"{rng.choice(NAME_FIRST)} {rng.choice(NAME_CORE)} {rng.choice(NAME_LAST)}"
    city, postcode, country = rng.choice(CITIES)
    sector_slugs = rng.sample(sorted(SECTOR_PITCH), k=rng.choice((1, 1, 2, 2, 3)))
    form = rng.choice([LegalForm.SAS, LegalForm.SASU, LegalForm.SARL, LegalForm.EURL])
    if country == Country.SPAIN:
        form = LegalForm.SL
    siret = make_siret(rng, taken_sirets) if country == Country.FRANCE else ""
    slug = f"{slugify(trade_name)}-{number}{slug_suffix}"
    company = Company(
        trade_name=trade_name,
        legal_name=f"{trade_name} {form.value}",
        slug=slug,
        siret=siret,
        siren=siret[:9],
        vat_number=_vat(siret),
        legal_form=form,
        city=city,
        postcode=postcode,
        country=country,
        website=f"https://{slug}.example.org",
        email=f"contact@{slug}.example.org",
        headcount_band=rng.choice(HeadcountBand.values),
        year_founded=rng.randrange(1990, 2026),
        description_fr=" ".join(SECTOR_PITCH[s][0] for s in sector_slugs)
        + f" Basée à {city}, membre du Pôle Action Média.",
        description_en=" ".join(SECTOR_PITCH[s][1] for s in sector_slugs)
        + f" Based in {city}, a member of the Pôle Action Média.",
        published=True,
    )
    # Drawn last, so that adding streets left every other generated value as it was.
    street = rng.choice(STREETS[country])
    number = rng.randrange(1, 140)
    company.street = f"{number} {street}" if country == Country.FRANCE else f"{street} {number}"
    return company, [sectors_by_slug[s] for s in sector_slugs]


@transaction.atomic
def seed_sectors():
    """Create the article's trades and the search's synonyms for them; keep the names staff
    may have edited since."""
    existing = set(Sector.objects.values_list("slug", flat=True))
    for slug, name, name_en in SECTORS:
        if slug not in existing:
            Sector.objects.create(slug=slug, name=name, name_en=name_en)
    existing = set(Synonym.objects.values_list("terms", flat=True))
    Synonym.objects.bulk_create(Synonym(terms=terms) for terms in SYNONYMS if terms not in existing)
    return {sector.slug: sector for sector in Sector.objects.all()}


def _bulk_insert(pairs, *, history=True):
    """Insert companies and their sectors in a few queries, with their history rows unless
    ``history`` is False (synthetic benchmark data, where they would double the cost).
    """
    objects = [company for company, _sectors in pairs]
    if history:
        companies = bulk_create_with_history(objects, Company, batch_size=2000)
    else:
        companies = Company.objects.bulk_create(objects, batch_size=5000)
    through = Company.sectors.through
    through.objects.bulk_create(
        [
            through(company_id=company.pk, sector_id=sector.pk)
            for company, (_c, sectors) in zip(companies, pairs, strict=True)
            for sector in sectors
        ],
        batch_size=5000,
    )
    # bulk_create sends no signal: index and invalidate here, in the same transaction.
    search.index_companies([company.pk for company in companies])
    search.fold_after_commit()
    bump_public_version()
    return companies


@transaction.atomic
def seed_cluster():
    """Create the article's cluster and the generated members; return how many were added.

    Idempotent: every demo company has a fixed slug, and only missing ones are created.
    """
    sectors = seed_sectors()
    existing_slugs = set(Company.objects.values_list("slug", flat=True))
    taken_sirets = set(Company.objects.exclude(siret="").values_list("siret", flat=True))
    pairs = []
    for data in ARTICLE_COMPANIES:
        data = dict(data)
        sector_slugs = data.pop("sectors")
        if data["slug"] in existing_slugs:
            continue
        rng = random.Random(f"{DEMO_SEED}-{data['slug']}")
        siret = make_siret(rng, taken_sirets) if data.get("country", "FR") == "FR" else ""
        company = Company(
            siret=siret, siren=siret[:9], vat_number=_vat(siret), published=True, **data
        )
        pairs.append((company, [sectors[s] for s in sector_slugs]))
    for number in range(1, DEMO_GENERATED_MEMBERS + 1):
        # One generator a company, so that each demo company is the same on every run
        # whatever else exists: that is what makes the command idempotent.
        rng = random.Random(f"{DEMO_SEED}-{number}")
        company, company_sectors = generated_company(
            rng, number=number, sectors_by_slug=sectors, taken_sirets=taken_sirets
        )
        if company.slug not in existing_slugs:
            pairs.append((company, company_sectors))
    _bulk_insert(pairs)
    return len(pairs)


@transaction.atomic
def bulk_generate_companies(count, *, seed=None):
    """Add ``count`` generated companies in bulk for benchmarks, without history rows;
    return how many."""
    sectors = seed_sectors()
    rng = random.Random(seed)
    run = f"-{rng.randrange(36**5):x}"
    taken_sirets = set(Company.objects.exclude(siret="").values_list("siret", flat=True))
    existing_slugs = set(Company.objects.values_list("slug", flat=True))
    pairs = []
    for number in range(1, count + 1):
        company, company_sectors = generated_company(
            rng,
            number=number,
            sectors_by_slug=sectors,
            taken_sirets=taken_sirets,
            slug_suffix=run,
        )
        if company.slug in existing_slugs:
            continue
        pairs.append((company, company_sectors))
    _bulk_insert(pairs, history=False)
    return len(pairs)
