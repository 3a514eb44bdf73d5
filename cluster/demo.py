"""Demo data for the school: the Idem school's programmes, its 650 students and about 60
placements at the demo member companies.

No Faker (``make run`` installs without the dev extras): names come from the lists below
and a seeded random generator, so the demo is the same on every machine.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from simple_history.utils import bulk_create_with_history

from members.demo import DEMO_SEED
from members.models import Company

from .models import Placement, Programme, Student, school_year

EMAIL_DOMAIN = "etudiant.idem.example"
DEMO_PLACEMENTS = 60

# (title, level, training type, duration in months, students)
PROGRAMMES = [
    ("Bachelor Animation 3D", "Bac+3", Programme.TrainingType.INITIAL, 36, 130),
    ("Bachelor Game Design", "Bac+3", Programme.TrainingType.INITIAL, 36, 110),
    ("Bachelor Design graphique", "Bac+3", Programme.TrainingType.INITIAL, 36, 90),
    ("Mastère Effets visuels", "Bac+5", Programme.TrainingType.INITIAL, 24, 50),
    ("Mastère Direction artistique jeu vidéo", "Bac+5", Programme.TrainingType.INITIAL, 24, 40),
    ("Prépa Arts appliqués", "Bac", Programme.TrainingType.INITIAL, 12, 30),
    ("Titre Infographiste", "RNCP 5", Programme.TrainingType.CONTINUING, 12, 60),
    ("Formation continue Motion design", "RNCP 5", Programme.TrainingType.CONTINUING, 6, 45),
    ("Formation continue Modélisation 3D", "RNCP 5", Programme.TrainingType.CONTINUING, 6, 35),
    ("Alternance Développeur web", "RNCP 5", Programme.TrainingType.WORK_STUDY, 24, 35),
    (
        "Alternance Chargé de communication digitale",
        "RNCP 6",
        Programme.TrainingType.WORK_STUDY,
        12,
        25,
    ),
]

TITLES_EN = {
    "Bachelor Animation 3D": "Bachelor in 3D animation",
    "Bachelor Game Design": "Bachelor in game design",
    "Bachelor Design graphique": "Bachelor in graphic design",
    "Mastère Effets visuels": "Master in visual effects",
    "Mastère Direction artistique jeu vidéo": "Master in video game art direction",
    "Prépa Arts appliqués": "Applied arts foundation year",
    "Titre Infographiste": "Computer graphics designer certificate",
    "Formation continue Motion design": "Motion design (continuing education)",
    "Formation continue Modélisation 3D": "3D modelling (continuing education)",
    "Alternance Développeur web": "Web developer (work-study)",
    "Alternance Chargé de communication digitale": "Digital communication officer (work-study)",
}

# fmt: off
FIRST_NAMES = [
    "Léa", "Emma", "Chloé", "Manon", "Camille", "Inès", "Jade", "Louise", "Zoé", "Lina",
    "Sarah", "Clara", "Juliette", "Anaïs", "Margaux", "Mathilde", "Océane", "Pauline", "Nina",
    "Eva", "Romane", "Lucie", "Maëlys", "Élise", "Agathe", "Noémie", "Salomé", "Lou", "Alice",
    "Marion", "Hugo", "Lucas", "Louis", "Gabriel", "Arthur", "Jules", "Raphaël", "Nathan",
    "Théo", "Enzo", "Tom", "Maxime", "Antoine", "Clément", "Baptiste", "Quentin", "Thomas",
    "Paul", "Victor", "Mathis", "Noah", "Adam", "Sacha", "Axel", "Romain", "Julien", "Valentin",
    "Alexis", "Damien", "Florian", "Jean-Baptiste", "Pierre-Louis", "Anne-Sophie", "Marie-Lou",
    "Jordi", "Núria", "Pau", "Montserrat",
]
LAST_NAMES = [
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau",
    "Laurent", "Simon", "Michel", "Lefèvre", "Leroy", "Roux", "David", "Bertrand", "Morel",
    "Fournier", "Girard", "Bonnet", "Dupont", "Lambert", "Fontaine", "Rousseau", "Vincent",
    "Muller", "Lefebvre", "Faure", "André", "Mercier", "Blanc", "Guérin", "Boyer", "Garnier",
    "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin", "Clément",
    "Morin", "Nicolas", "Henry", "Roussel", "Mathieu", "Gautier", "Masson", "Marchand", "Duval",
    "Denis", "Dumont", "Marie", "Lemaire", "Noël", "Meyer", "Dufour", "Meunier", "Brun",
    "Blanchard", "Giraud", "Joly", "Rivière", "Lucas", "Brunet", "Gaillard", "Barbier",
    "Arnaud", "Puig", "Casals", "Sabaté", "Vidal", "Pujol", "Bosch", "Ferrer", "Soler", "Roca",
    "Serra", "Batlle", "Cases", "Llorens",
]
# fmt: on
TUTOR_ROLES = ["directeur artistique", "lead 3D", "cheffe de projet", "gérant", "lead dev"]


@transaction.atomic
def seed_school():
    """Create the programmes, the students and their placements; return what was added.

    Idempotent: programmes are looked up by title, and the students and their placements
    are only created in a school that has no demo student yet.
    """
    today = timezone.localdate()
    existing = set(Programme.objects.values_list("title", flat=True))
    bulk_create_with_history(
        [
            Programme(
                title=title,
                title_en=TITLES_EN[title],
                level=level,
                training_type=kind,
                duration_months=months,
            )
            for title, level, kind, months, _count in PROGRAMMES
            if title not in existing
        ],
        Programme,
    )
    programmes = {
        programme.title: programme
        for programme in Programme.objects.filter(title__in=[row[0] for row in PROGRAMMES])
    }
    demo_students = Student.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}")
    if demo_students.exists():
        return {"students": 0, "placements": 0}
    students = bulk_create_with_history(_students(programmes, today), Student, batch_size=1000)
    placements = _placements(students, programmes, today)
    bulk_create_with_history(placements, Placement, batch_size=1000)
    return {"students": len(students), "placements": len(placements)}


def _students(programmes, today):
    """Build (unsaved) the 650 students, always the same ones."""
    rng = random.Random(f"{DEMO_SEED}-school")
    this_year = school_year(today)[0].year
    students, number = [], 0
    for title, _level, _kind, months, count in PROGRAMMES:
        years = max(1, months // 12)
        for _index in range(count):
            number += 1
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            # Most students are in a current cohort; the others have finished.
            if rng.random() < 0.85:
                cohort = this_year - rng.randrange(years)
            else:
                cohort = this_year - years - rng.randrange(5)
            finished = cohort + years <= this_year
            status, since = Student.Status.ENROLLED, None
            if finished:
                status = Student.Status.GRADUATED if rng.random() < 0.9 else Student.Status.LEFT
                since = date(cohort + years, 6, 30)
            elif rng.random() < 0.03:
                status, since = Student.Status.LEFT, today - timedelta(days=rng.randrange(10, 200))
            students.append(
                Student(
                    first_name=first,
                    last_name=last,
                    email=f"{slugify(first)}.{slugify(last)}.{number}@{EMAIL_DOMAIN}",
                    programme=programmes[title],
                    cohort_year=cohort,
                    status=status,
                    status_changed_on=since,
                    consent_share_with_companies=rng.random() < 0.6,
                    consent_news=rng.random() < 0.4,
                )
            )
    return students


def _placements(students, programmes, today):
    """Build (unsaved) about 60 placements at member companies, within the rules.

    One placement a student, so that no school year exceeds its hours; an internship over
    the stipend threshold is paid at least the minimum; no offer, so no waiting period.
    """
    companies = list(
        Company.objects.filter(memberships__isnull=False).distinct().order_by("slug")[:40]
    )
    if not companies:
        return []
    rng = random.Random(f"{DEMO_SEED}-placements")
    minimum = Decimal(settings.CITE_MIN_HOURLY_STIPEND)
    this_year = school_year(today)[0].year
    work_study = {p.pk for p in programmes.values() if p.training_type == "work_study"}
    candidates = [s for s in students if s.status != Student.Status.LEFT]
    placements = []
    for student in rng.sample(candidates, k=min(DEMO_PLACEMENTS, len(candidates))):
        company = rng.choice(companies)
        tutor = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, {rng.choice(TUTOR_ROLES)}"
        if student.programme_id in work_study:
            start = date(max(student.cohort_year, this_year - 1), 9, 1)
            kind, weeks, stipend = Placement.Kind.WORK_STUDY, 52, None
        elif student.status == Student.Status.GRADUATED:
            start = student.status_changed_on + timedelta(days=rng.randrange(30, 120))
            kind, weeks, stipend = Placement.Kind.JOB, 52, None
        else:
            # In the spring of this school year or of the previous one.
            spring = date(rng.choice([this_year, this_year - 1]) + 1, 4, 1)
            start = spring - timedelta(days=rng.randrange(0, 60))
            weeks = rng.choice([6, 8, 10, 12, 16, 20, 24])
            kind = Placement.Kind.INTERNSHIP
            # Over 308 hours (about 9 weeks at 35 h) an internship must be paid.
            stipend = rng.choice([minimum, minimum, Decimal("5.00"), Decimal("6.50")])
            if weeks * 35 <= settings.CITE_INTERNSHIP_STIPEND_HOURS and rng.random() < 0.5:
                stipend = None
        placements.append(
            Placement(
                student=student,
                company=company,
                kind=kind,
                start=start,
                end=start + timedelta(weeks=weeks),
                tutor=tutor,
                weekly_hours=Decimal("35.0"),
                hourly_stipend=stipend,
            )
        )
    return placements
