"""The demo's open offers."""

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from ..models import (
    Company,
    Offer,
)

DEMO_OFFERS = [
    (
        "vroom",
        "Stage animation 3D temps réel",
        Offer.Kind.INTERNSHIP,
        4,
        "650.00",
        "Animer des personnages et des décors pour des expériences en réalité virtuelle.",
    ),
    (
        "vroom",
        "Alternance développeur Unity",
        Offer.Kind.WORK_STUDY,
        24,
        None,
        "Développer nos visites virtuelles et nos espaces 3D partagés.",
    ),
    (
        "alaxione",
        "Stage UX design e-santé",
        Offer.Kind.INTERNSHIP,
        6,
        "700.00",
        "Concevoir avec nous les parcours de prise de rendez-vous des patients.",
    ),
    (
        "stravvel",
        "Développeur web (CDI)",
        Offer.Kind.JOB,
        None,
        None,
        "Construire les carnets de voyage interactifs de Stravvel.",
    ),
    (
        "mind-and-go",
        "Stage ingénieur systèmes embarqués",
        Offer.Kind.INTERNSHIP,
        5,
        "700.00",
        "Faire évoluer la DataCup, la boîte de stockage de données hors ligne.",
    ),
    (
        "idem",
        "Alternance assistant pédagogique",
        Offer.Kind.WORK_STUDY,
        12,
        None,
        "Accompagner les étudiants de l'école dans leurs projets 3D.",
    ),
]


@transaction.atomic
def seed_offers():
    """Publish a few offers of the article's companies; idempotent by title."""
    today = timezone.localdate()
    companies = {c.slug: c for c in Company.objects.filter(slug__in={o[0] for o in DEMO_OFFERS})}
    added = 0
    for slug, title, kind, months, stipend, text in DEMO_OFFERS:
        company = companies.get(slug)
        if company is None or company.offers.filter(title=title).exists():
            continue
        start = today + timedelta(days=45)
        Offer.objects.create(
            company=company,
            title=title,
            description_fr=text,
            kind=kind,
            start_date=start,
            duration_months=months,
            place=company.city or "Le Soler",
            monthly_stipend=Decimal(stipend) if stipend else None,
            expires_on=start,
            apply_email=f"recrutement@{company.slug}.example",
            status=Offer.Status.APPROVED,
        )
        added += 1
    return added
