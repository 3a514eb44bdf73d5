"""Demo data for the incubator: the article's start-ups and about 16 more in offices,
about 2,000 m² let today, and the 1,000 m² extension due on 1 December this year."""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from members.demo import ARTICLE_COMPANIES, DEMO_SEED, STARTUP_SLUGS
from members.models import Company

from . import services
from .models import Building, Incubation, KpiSnapshot, Milestone, Office, Programme

# (French name, English name, stage)
PROGRAMMES = [
    ("Pré-incubation", "Pre-incubation", Programme.Stage.PRE_INCUBATION),
    ("Incubation", "Incubation", Programme.Stage.INCUBATION),
    ("Accélération", "Acceleration", Programme.Stage.ACCELERATION),
]
BUILDING_NAMES_EN = {"Bâtiment A": "Building A", "Bâtiment B": "Building B"}
# (building, street, offices as (code, floor, m², desks, kind)): 2,290 m² today, of which
# 1,990 m² in 20 private offices, and the 1,000 m² of the extension.
BUILDINGS = [
    (
        "Bâtiment A",
        "Cité digitale, avenue de la Salanque",
        [
            (f"A{floor}{n:02d}", floor, area, max(1, int(area) // 12), Office.Kind.PRIVATE)
            for floor, areas in ((0, (60, 80, 100, 120)), (1, (90, 110, 150, 90)), (2, (100, 100)))
            for n, area in enumerate(areas, start=1)
        ]
        + [("A-SALLE", 0, 40, 12, Office.Kind.MEETING), ("A-OPEN", 1, 60, 10, Office.Kind.DESK)],
    ),
    (
        "Bâtiment B",
        "Cité digitale, ancienne cave coopérative",
        [
            (f"B{floor}{n:02d}", floor, area, max(1, int(area) // 12), Office.Kind.PRIVATE)
            for floor, areas in ((0, (80, 120, 100, 100)), (1, (130, 90, 110, 70)), (2, (100, 90)))
            for n, area in enumerate(areas, start=1)
        ]
        + [("B-ATELIER", 0, 200, 6, Office.Kind.WORKSHOP)],
    ),
    (
        "Extension",
        "Cité digitale, nouvelle aile",
        [
            (f"E{floor}{n:02d}", floor, 100, 8, Office.Kind.PRIVATE)
            for floor in (0, 1)
            for n in range(1, 6)
        ],
    ),
]
RENT_PER_M2 = Decimal("11.50")  # € a month
SERVICE_CHARGES_PER_M2 = Decimal("1.80")  # € a month


@transaction.atomic
def seed_incubator():
    """Create programmes, buildings, offices, incubations and leases; return leases added.

    Idempotent: everything is looked up by name or code, and a company already hosted is
    left alone.
    """
    today = timezone.localdate()
    programmes = {
        stage: Programme.objects.update_or_create(
            name=name,
            defaults={"name_en": name_en},
            create_defaults={"name_en": name_en, "stage": stage},
        )[0]
        for name, name_en, stage in PROGRAMMES
    }
    offices = []
    for name, street, units in BUILDINGS:
        name_en = BUILDING_NAMES_EN.get(name, name)
        building, _created = Building.objects.update_or_create(
            name=name,
            defaults={"name_en": name_en},
            create_defaults={
                "name_en": name_en,
                "street": street,
                "postcode": "66270",
                "city": "Le Soler",
            },
        )
        delivery = date(today.year, 12, 1) if name == "Extension" else date(2015, 9, 1)
        for code, floor, area, desks, kind in units:
            office, _created = Office.objects.get_or_create(
                building=building,
                code=code,
                defaults={
                    "floor": floor,
                    "area": Decimal(area),
                    "desks": desks,
                    "kind": kind,
                    "list_rent": Decimal(area) * RENT_PER_M2,
                    "delivery_date": delivery,
                },
            )
            offices.append(office)
    hosted = _hosted_companies()
    free_offices = [
        office
        for office in offices
        if office.kind == Office.Kind.PRIVATE
        and office.delivery_date <= today
        and not office.leases.exists()
    ]
    added = 0
    for company, office in zip(hosted, free_offices, strict=False):
        if company.incubations.exists():
            continue
        rng = random.Random(f"{DEMO_SEED}-incubator-{company.slug}")
        start = today - timedelta(days=rng.randrange(60, 900))
        stage = rng.choice(list(programmes))
        incubation = Incubation.objects.create(
            company=company,
            programme=programmes[stage],
            cohort=str(start.year),
            start=start,
            planned_end=start + timedelta(days=rng.choice((365, 730, 1095))),
        )
        services.lease_create(
            office=office,
            company=company,
            start=start,
            end=None if rng.random() < 0.3 else today + timedelta(days=rng.randrange(20, 400)),
            deposit=office.list_rent * 2,
            deposit_received_on=start,
            service_charges=(office.area * SERVICE_CHARGES_PER_M2).quantize(Decimal("0.01")),
            notice_months=rng.choice((1, 3)),
        )
        for months in (6, 12, 24):
            day = start + timedelta(days=30 * months)
            if day < today:
                KpiSnapshot.objects.create(
                    incubation=incubation,
                    date=day,
                    headcount=rng.randrange(2, 12),
                    revenue=Decimal(rng.randrange(0, 400_000)),
                    funds_raised=Decimal(rng.randrange(0, 800_000)),
                    jobs_created=rng.randrange(0, 8),
                )
        Milestone.objects.create(
            incubation=incubation,
            title="Premier client",
            target_date=start + timedelta(days=180),
            done_date=start + timedelta(days=rng.randrange(90, 240))
            if start + timedelta(days=240) < today
            else None,
        )
        added += 1
    _seed_alumni(programmes[Programme.Stage.INCUBATION], today)
    return added


def _hosted_companies():
    """The article's four start-ups first, then 16 demo members, always the same ones."""
    article = [c["slug"] for c in ARTICLE_COMPANIES if c["slug"] in STARTUP_SLUGS]
    others = (
        Company.objects.exclude(slug__in=[c["slug"] for c in ARTICLE_COMPANIES])
        .filter(memberships__isnull=False)
        .order_by("slug")
        .values_list("slug", flat=True)[:16]
    )
    slugs = article + list(others)
    companies = {c.slug: c for c in Company.objects.filter(slug__in=slugs)}
    return [companies[slug] for slug in slugs if slug in companies]


def _seed_alumni(programme, today):
    """Three companies that graduated from the incubator in earlier years (once)."""
    if Incubation.objects.filter(outcome=Incubation.Outcome.GRADUATED).exists():
        return
    candidates = Company.objects.filter(
        memberships__isnull=False, incubations__isnull=True
    ).order_by("-slug")[:3]
    for number, company in enumerate(candidates):
        start = date(today.year - 5 + number, 9, 1)
        Incubation.objects.create(
            company=company,
            programme=programme,
            cohort=str(start.year),
            start=start,
            planned_end=start + timedelta(days=730),
            end=start + timedelta(days=700),
            outcome=Incubation.Outcome.GRADUATED,
        )
