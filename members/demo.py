"""Demo data for the member register: the cluster of the article, and bulk companies.

No Faker here: ``make run`` installs without the dev extras, and the demo must be the
same on every machine, so names come from fixed lists and a seeded random generator.
"""

import random
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history
from stdnum import luhn

from . import search, services
from .caching import bump_public_version
from .models import (
    Company,
    Country,
    HeadcountBand,
    LegalForm,
    Membership,
    MembershipPlan,
    Offer,
    OrganisationKind,
    Payment,
    Sector,
)

SECTORS = [
    ("animation-3d", "Animation et 3D", "3D and animation"),
    ("realite-virtuelle-metavers", "Réalité virtuelle et métavers", "VR and metaverse"),
    ("jeu-video", "Jeu vidéo", "Video games"),
    ("effets-visuels", "Effets visuels (VFX)", "Visual effects (VFX)"),
    ("agences-web", "Agences web et digitales", "Web and digital agencies"),
    ("communication-marketing", "Communication et marketing", "Communication and marketing"),
    ("audiovisuel-cinema", "Audiovisuel et cinéma", "Film and broadcast"),
    ("photographie", "Photographie", "Photography"),
    ("design-graphique", "Design graphique", "Graphic design"),
    ("e-sante", "E-santé", "E-health"),
    ("tourisme-numerique", "Tourisme numérique", "Travel tech"),
    ("donnees-infrastructures", "Données et infrastructures", "Data and infrastructure"),
    ("logiciels", "Logiciels et développement", "Software development"),
    ("formation-ecole", "Formation et école", "Training and school"),
    ("son-musique", "Son et musique", "Sound and music"),
    ("accompagnement", "Accompagnement d'entreprises", "Business support"),
]

# Companies named in the article (descriptions drawn from it), with their sectors.
ARTICLE_COMPANIES = [
    {
        "slug": "pole-action-media",
        "trade_name": "Pôle Action Média",
        "legal_name": "Association Pôle Action Média",
        "legal_form": LegalForm.ASSOCIATION,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Cité digitale, avenue de la Salanque",
        "year_founded": 2010,
        "headcount_band": HeadcountBand.VERY_SMALL,
        "sectors": ["accompagnement", "formation-ecole"],
        "description_fr": (
            "Le cluster des industries de la création et du numérique des Pyrénées-Orientales, "
            "né vers 2010 autour de l'école Idem avec l'aide de l'État. Il regroupe plus de 90 "
            "entreprises, une pépinière d'une vingtaine de start-up à la Cité digitale du Soler, "
            "et travaille avec Toulouse, Montpellier et Barcelone."
        ),
        "description_en": (
            "The cluster of the creative and digital industries of the Pyrénées-Orientales, "
            "founded around 2010 around the Idem school with the State's support. It brings "
            "together more than 90 companies and an incubator of about twenty start-ups at the "
            "Cité digitale du Soler, and works with Toulouse, Montpellier and Barcelona."
        ),
    },
    {
        "slug": "idem",
        "trade_name": "Idem",
        "legal_name": "Idem Creative Arts School",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "street": "Ancienne cave coopérative",
        "year_founded": 1985,
        "headcount_band": HeadcountBand.MEDIUM,
        "sectors": ["formation-ecole", "animation-3d", "jeu-video"],
        "description_fr": (
            "École spécialisée dans les métiers de l'image, créée au Soler en 1985 et installée "
            "sur le site de l'ancienne cave coopérative. 650 étudiants y suivent une formation "
            "initiale ou continue : 3D, animation, jeu vidéo, design et communication."
        ),
        "description_en": (
            "A school for the image trades, founded in Le Soler in 1985 and now housed in the "
            "village's former wine cooperative. 650 students follow initial or continuing "
            "training there: 3D, animation, video games, design and communication."
        ),
    },
    {
        "slug": "vroom",
        "trade_name": "Vroom",
        "legal_name": "Vroom SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "year_founded": 2019,
        "headcount_band": HeadcountBand.VERY_SMALL,
        "sectors": ["realite-virtuelle-metavers", "animation-3d"],
        "description_fr": (
            "Start-up hébergée à la pépinière de la Cité digitale, Vroom est bien positionnée "
            "sur tout ce qui touche au métavers et à la réalité virtuelle : expériences "
            "immersives, visites virtuelles et espaces 3D partagés."
        ),
        "description_en": (
            "A start-up hosted at the Cité digitale incubator, Vroom is well placed in "
            "everything to do with the metaverse and virtual reality: immersive experiences, "
            "virtual tours and shared 3D spaces."
        ),
    },
    {
        "slug": "alaxione",
        "trade_name": "Alaxione",
        "legal_name": "Alaxione SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "year_founded": 2018,
        "headcount_band": HeadcountBand.SMALL,
        "sectors": ["e-sante", "logiciels"],
        "description_fr": (
            "Alaxione développe une plateforme de prise de rendez-vous médicaux en ligne qui "
            "se veut concurrente de Doctolib, pour les praticiens et leurs patients."
        ),
        "description_en": (
            "Alaxione builds an online medical appointment platform that aims to compete with "
            "Doctolib, for practitioners and their patients."
        ),
    },
    {
        "slug": "stravvel",
        "trade_name": "Stravvel",
        "legal_name": "Stravvel SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "year_founded": 2020,
        "headcount_band": HeadcountBand.TINY,
        "sectors": ["tourisme-numerique", "logiciels"],
        "description_fr": (
            "Stravvel développe des voyages interactifs : des parcours et des carnets de "
            "voyage numériques qui font vivre un territoire autrement."
        ),
        "description_en": (
            "Stravvel develops interactive travel: digital routes and travel journals that let "
            "visitors experience a region differently."
        ),
    },
    {
        "slug": "mind-and-go",
        "trade_name": "Mind & Go",
        "legal_name": "Mind and Go SAS",
        "legal_form": LegalForm.SAS,
        "city": "Le Soler",
        "postcode": "66270",
        "year_founded": 2019,
        "headcount_band": HeadcountBand.TINY,
        "sectors": ["donnees-infrastructures"],
        "description_fr": (
            "Mind & Go développe la DataCup, une boîte de stockage de données qui fonctionne "
            "dans n'importe quel contexte, notamment en Afrique où les infrastructures de "
            "communication et de réseau sont parfois défaillantes ou onéreuses."
        ),
        "description_en": (
            "Mind & Go develops the DataCup, an offline data storage box that works in any "
            "setting, notably in Africa where communication and network infrastructure is "
            "sometimes unreliable or expensive."
        ),
    },
    {
        "slug": "french-tech-barcelona",
        "trade_name": "French Tech Barcelona",
        "legal_name": "Associació French Tech Barcelona",
        "legal_form": LegalForm.ASSOCIATION,
        "city": "Barcelona",
        "postcode": "08001",
        "country": Country.SPAIN,
        "sectors": ["accompagnement"],
        "description_fr": (
            "Partenaire du cluster à Barcelone : la communauté des entrepreneurs français de la "
            "capitale catalane, avec qui le Pôle Action Média travaille main dans la main."
        ),
        "description_en": (
            "The cluster's partner in Barcelona: the community of French entrepreneurs in the "
            "Catalan capital, with whom the Pôle Action Média works hand in hand."
        ),
    },
    {
        "slug": "chambre-de-commerce-francaise-barcelone",
        "trade_name": "Chambre de commerce française de Barcelone",
        "legal_name": "Cambra de Comerç Francesa de Barcelona",
        "legal_form": LegalForm.ASSOCIATION,
        "city": "Barcelona",
        "postcode": "08008",
        "country": Country.SPAIN,
        "sectors": ["accompagnement"],
        "description_fr": (
            "Partenaire du cluster : elle accompagne les entrepreneurs français installés à "
            "Barcelone, dont beaucoup reviennent créer leur entreprise en France."
        ),
        "description_en": (
            "A partner of the cluster: it supports French entrepreneurs settled in Barcelona, "
            "many of whom come back to France to start their company."
        ),
    },
]

CITIES = [
    ("Perpignan", "66000", Country.FRANCE),
    ("Le Soler", "66270", Country.FRANCE),
    ("Canet-en-Roussillon", "66140", Country.FRANCE),
    ("Saint-Estève", "66240", Country.FRANCE),
    ("Rivesaltes", "66600", Country.FRANCE),
    ("Thuir", "66300", Country.FRANCE),
    ("Céret", "66400", Country.FRANCE),
    ("Prades", "66500", Country.FRANCE),
    ("Argelès-sur-Mer", "66700", Country.FRANCE),
    ("Elne", "66200", Country.FRANCE),
    ("Toulouse", "31000", Country.FRANCE),
    ("Labège", "31670", Country.FRANCE),
    ("Montpellier", "34000", Country.FRANCE),
    ("Béziers", "34500", Country.FRANCE),
    ("Sète", "34200", Country.FRANCE),
    ("Narbonne", "11100", Country.FRANCE),
    ("Carcassonne", "11000", Country.FRANCE),
    ("Nîmes", "30000", Country.FRANCE),
    ("Albi", "81000", Country.FRANCE),
    ("Barcelona", "08001", Country.SPAIN),
    ("Girona", "17001", Country.SPAIN),
    ("Figueres", "17600", Country.SPAIN),
]

NAME_FIRST = [
    "Atelier",
    "Studio",
    "Agence",
    "Maison",
    "Collectif",
    "Fabrique",
    "Comptoir",
    "Bureau",
    "Labo",
    "Groupe",
    "Manufacture",
    "Société",
]
NAME_CORE = [
    "Tramontane",
    "Canigou",
    "Vermeille",
    "Roussillon",
    "Salanque",
    "Conflent",
    "Aspres",
    "Albères",
    "Têt",
    "Agly",
    "Catalane",
    "Méditerranée",
    "Garrigue",
    "Cerdagne",
    "Grenat",
    "Sardane",
    "Mistral",
    "Soleil",
    "Vallespir",
    "Fenouillèdes",
    "Castell",
    "Olivier",
]
NAME_LAST = [
    "Productions",
    "Numérique",
    "Créations",
    "Interactive",
    "Médias",
    "Images",
    "3D",
    "Animation",
    "Digital",
    "Web",
    "Games",
    "Conseil",
    "Films",
    "Design",
    "Data",
    "Lab",
]
SECTOR_PITCH = {
    "animation-3d": (
        "Studio d'animation et de modélisation 3D.",
        "3D modelling and animation studio.",
    ),
    "realite-virtuelle-metavers": (
        "Expériences en réalité virtuelle et augmentée.",
        "Virtual and augmented reality experiences.",
    ),
    "jeu-video": ("Création de jeux vidéo indépendants.", "Independent video game studio."),
    "effets-visuels": (
        "Effets visuels et compositing pour le cinéma.",
        "Visual effects and compositing for film.",
    ),
    "agences-web": (
        "Agence web : sites, applications et référencement.",
        "Web agency: websites, apps and search optimisation.",
    ),
    "communication-marketing": (
        "Communication, stratégie de marque et marketing digital.",
        "Communication, branding and digital marketing.",
    ),
    "audiovisuel-cinema": (
        "Production audiovisuelle, films institutionnels et clips.",
        "Video production, corporate films and music videos.",
    ),
    "photographie": (
        "Photographie professionnelle et prise de vue aérienne.",
        "Professional and aerial photography.",
    ),
    "design-graphique": (
        "Design graphique, identité visuelle et édition.",
        "Graphic design, visual identity and publishing.",
    ),
    "e-sante": (
        "Outils numériques pour les professionnels de santé.",
        "Digital tools for health professionals.",
    ),
    "tourisme-numerique": (
        "Solutions numériques pour le tourisme et les territoires.",
        "Digital solutions for tourism and local areas.",
    ),
    "donnees-infrastructures": (
        "Hébergement, données et infrastructures réseau.",
        "Hosting, data and network infrastructure.",
    ),
    "logiciels": ("Développement de logiciels sur mesure.", "Custom software development."),
    "formation-ecole": (
        "Formations aux métiers de l'image et du numérique.",
        "Training in the image and digital trades.",
    ),
    "son-musique": (
        "Création sonore, musique à l'image et post-production audio.",
        "Sound design, music for picture and audio post-production.",
    ),
    "accompagnement": (
        "Conseil et accompagnement des entreprises créatives.",
        "Advice and support for creative companies.",
    ),
}

# Enough generated members, with the article's companies, for "more than 90".
DEMO_GENERATED_MEMBERS = 88
DEMO_SEED = 66270


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
    return company, [sectors_by_slug[s] for s in sector_slugs]


@transaction.atomic
def seed_sectors():
    """Create the article's trades; keep the names staff may have edited since."""
    existing = set(Sector.objects.values_list("slug", flat=True))
    for slug, name, name_en in SECTORS:
        if slug not in existing:
            Sector.objects.create(slug=slug, name=name, name_en=name_en)
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
        company = Company(siret=siret, siren=siret[:9], published=True, **data)
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


PLANS = [
    ("Start-up", OrganisationKind.STARTUP, "150.00", False),
    ("Petite entreprise", OrganisationKind.SMALL, "300.00", False),
    ("Entreprise", OrganisationKind.LARGE, "600.00", False),
    ("Partenaire", OrganisationKind.PARTNER, "0.00", False),
]
NO_MEMBERSHIP = {
    "pole-action-media",
    "idem",
    "french-tech-barcelona",
    "chambre-de-commerce-francaise-barcelone",
}
STARTUP_SLUGS = {"vroom", "alaxione", "stravvel", "mind-and-go"}


@transaction.atomic
def seed_dues():
    """Give the demo members plans, this year's membership and its invoice; most paid.

    Idempotent: companies that already have a membership are left alone. The school and
    the partners have no membership: they follow their published flag alone. Written in
    bulk (the demo's data is known to be valid), numbered by the same invoicing service.
    """
    plans = {}
    for name, kind, fee, vat in PLANS:
        plans[kind], _created = MembershipPlan.objects.get_or_create(
            name=name,
            defaults={"organisation_kind": kind, "annual_fee": Decimal(fee), "vat_applies": vat},
        )
    today = timezone.localdate()
    year_start, year_end = services.membership_year(today)
    companies = (
        Company.objects.filter(memberships__isnull=True)
        .exclude(slug__in=NO_MEMBERSHIP)
        .filter(slug__in=[c["slug"] for c in ARTICLE_COMPANIES] + _generated_slugs())
    )
    memberships, paid_on = [], {}
    for company in companies:
        rng = random.Random(f"{DEMO_SEED}-dues-{company.slug}")
        kind = (
            OrganisationKind.STARTUP
            if company.slug in STARTUP_SLUGS
            else rng.choice(
                [OrganisationKind.SMALL, OrganisationKind.SMALL, OrganisationKind.LARGE]
            )
        )
        paid = rng.random() < 0.85
        membership = Membership(
            company=company,
            plan=plans[kind],
            start=year_start,
            end=year_end,
            fee=plans[kind].annual_fee,
            status=Membership.Status.ACTIVE if paid else Membership.Status.PENDING,
        )
        memberships.append(membership)
        if paid:
            paid_on[company.pk] = (
                min(today, year_start + timedelta(days=rng.randrange(5, 40))),
                rng.choice(Payment.Method.values),
            )
    if not memberships:
        return 0
    memberships = bulk_create_with_history(memberships, Membership, batch_size=500)
    invoices = services.invoices_issue(memberships=memberships, issue_date=year_start)
    payments = [
        Payment(
            invoice=invoice,
            amount=invoice.amount_incl_tax,
            date=paid_on[invoice.company_id][0],
            method=paid_on[invoice.company_id][1],
        )
        for invoice in invoices
        if invoice.company_id in paid_on
    ]
    bulk_create_with_history(payments, Payment, batch_size=500)
    return len(memberships)


def _generated_slugs():
    slugs = []
    for number in range(1, DEMO_GENERATED_MEMBERS + 1):
        rng = random.Random(f"{DEMO_SEED}-{number}")
        company, _sectors = generated_company(
            rng, number=number, sectors_by_slug=defaultdict(lambda: None), taken_sirets=set()
        )
        slugs.append(company.slug)
    return slugs


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
            status=Offer.Status.APPROVED,
        )
        added += 1
    return added
