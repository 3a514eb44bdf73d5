"""Demo data for the agenda: a year of the cluster's events, past and upcoming, with
registrations and attendance.

Seeded (no Faker), so the demo is the same on every machine; idempotent by slug.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from members.demo import DEMO_SEED
from members.models import Company
from startups.models import Building, Office

from .demo import FIRST_NAMES, LAST_NAMES
from .models import Event, Registration

K, A = Event.Kind, Event.Audience
# (slug, days from today, start hour, hours, kind, audience, capacity, organiser, partners,
#  place as ("office", code) | ("building", name) | ("address", text) | ("online", url),
#  title FR, title EN, fee for non-members)
EVENTS = [
    (
        "job-dating-idem",
        -200,
        14,
        4,
        K.JOB_DATING,
        A.STUDENTS,
        80,
        "Idem",
        [],
        ("building", "Bâtiment A"),
        "Job dating Idem × membres du pôle",
        "Idem × cluster members job dating",
        "0",
    ),
    (
        "meet-up-french-tech-barcelona",
        -150,
        18,
        3,
        K.MEETUP,
        A.PUBLIC,
        60,
        None,
        ["French Tech Barcelona"],
        ("address", "Carrer de Pere IV, 08005 Barcelona"),
        "Meet-up avec la French Tech Barcelona",
        "Meet-up with French Tech Barcelona",
        "0",
    ),
    (
        "atelier-vr-vroom",
        -90,
        9,
        3,
        K.WORKSHOP,
        A.MEMBERS,
        12,
        "Vroom",
        [],
        ("office", "A-SALLE"),
        "Atelier réalité virtuelle chez Vroom",
        "Virtual reality workshop at Vroom",
        "0",
    ),
    (
        "conference-ia-image",
        -60,
        17,
        2,
        K.CONFERENCE,
        A.PUBLIC,
        120,
        None,
        [],
        ("building", "Bâtiment A"),
        "Conférence : l'IA dans l'image animée",
        "Talk: AI in animation",
        "0",
    ),
    (
        "formation-motion-design",
        -30,
        9,
        7,
        K.TRAINING,
        A.MEMBERS,
        15,
        "Idem",
        [],
        ("office", "A-SALLE"),
        "Formation motion design",
        "Motion design training",
        "120.00",
    ),
    (
        "visite-studios",
        -10,
        10,
        2,
        K.VISIT,
        A.STARTUPS,
        20,
        None,
        [],
        ("building", "Bâtiment A"),
        "Visite des studios de la Cité",
        "Studio tour",
        "0",
    ),
    (
        "job-dating-printemps",
        12,
        14,
        4,
        K.JOB_DATING,
        A.STUDENTS,
        80,
        "Idem",
        [],
        ("building", "Bâtiment A"),
        "Job dating de printemps",
        "Spring job dating",
        "0",
    ),
    (
        "portes-ouvertes-extension",
        25,
        10,
        6,
        K.OPEN_DAY,
        A.PUBLIC,
        300,
        None,
        [],
        ("building", "Extension"),
        "Portes ouvertes de l'extension de 1 000 m²",
        "Open day of the 1,000 m² extension",
        "0",
    ),
    (
        "webinaire-aides-export",
        40,
        11,
        1,
        K.WORKSHOP,
        A.MEMBERS,
        100,
        None,
        ["Chambre de commerce française de Barcelone"],
        ("online", "https://visio.example/export"),
        "Webinaire : les aides à l'export vers l'Espagne",
        "Webinar: export aid for Spain",
        "0",
    ),
    (
        "meet-up-toulouse-montpellier",
        70,
        18,
        3,
        K.MEETUP,
        A.PARTNERS,
        50,
        None,
        [],
        ("address", "Toulouse"),
        "Meet-up des pôles Toulouse – Montpellier – Le Soler",
        "Toulouse – Montpellier – Le Soler clusters meet-up",
        "0",
    ),
]


def _place(place, buildings, offices):
    kind, value = place
    if kind == "office":
        return {"office": offices.get(value), "building": None}
    if kind == "building":
        return {"building": buildings.get(value)}
    if kind == "online":
        return {"online_url": value}
    return {"address": value}


@transaction.atomic
def seed_events():
    """Create the demo events and their registrations; return how many events were added."""
    rng = random.Random(DEMO_SEED + 18)
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate()
    companies = {c.trade_name: c for c in Company.objects.all()}
    buildings = {b.name: b for b in Building.objects.all()}
    offices = {o.code: o for o in Office.objects.filter(kind=Office.Kind.MEETING)}
    existing = set(Event.objects.values_list("slug", flat=True))
    added = 0
    for (slug, days, hour, hours, kind, audience, capacity, organiser, partners, place,
         title_fr, title_en, fee) in EVENTS:  # fmt: skip
        if slug in existing:
            continue
        starts = datetime.combine(today + timedelta(days=days), time(hour), zone)
        where = _place(place, buildings, offices)
        if not any(where.values()):
            where = {"address": "Cité digitale, Le Soler"}
        event = Event(
            slug=slug,
            title_fr=title_fr,
            title_en=title_en,
            description_fr=f"{title_fr}. Un rendez-vous du pôle.",
            description_en=f"{title_en}. A cluster event.",
            kind=kind,
            audience=audience,
            starts_at=starts,
            ends_at=starts + timedelta(hours=hours),
            capacity=capacity,
            organiser=companies.get(organiser) if organiser else None,
            fee_non_member=Decimal(fee),
            status=Event.Status.PUBLISHED,
            registration_closes_at=starts - timedelta(hours=2),
            **where,
        )
        event.full_clean()
        event.save()
        event.partners.set([companies[name] for name in partners if name in companies])
        _registrations(event, rng, past=days < 0)
        added += 1
    return added


def _registrations(event, rng, *, past):
    categories = [c for c, _label in Registration.Category.choices]
    seats = min(event.capacity, rng.randint(event.capacity // 2, event.capacity))
    waiting = rng.randint(0, 4) if seats == event.capacity else 0
    rows = []
    for n in range(seats + waiting):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        present = past and n < seats and rng.random() < 0.8
        rows.append(
            Registration(
                event=event,
                name=f"{first} {last}",
                email=f"{event.slug}-{n}@demo.example",
                category=rng.choice(categories),
                status=Registration.Status.CONFIRMED if n < seats else Registration.Status.WAITING,
                ticket_code=f"{rng.getrandbits(48):012X}",
                checked_in_at=event.starts_at + timedelta(minutes=rng.randint(0, 40))
                if present
                else None,
                created_at=event.starts_at - timedelta(days=30) + timedelta(minutes=n),
                consent_at=event.starts_at - timedelta(days=30),
            )
        )
    bulk_create_with_history(rows, Registration, batch_size=500)
