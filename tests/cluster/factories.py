from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from cluster.models import Placement, Programme, Student
from tests.members.factories import CompanyFactory


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ("title",)

    title = factory.Sequence(lambda n: f"Bachelor {n}")
    level = "Bac+3"
    training_type = Programme.TrainingType.INITIAL
    duration_months = 36


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    first_name = factory.Sequence(lambda n: f"Prénom{n}")
    last_name = factory.Sequence(lambda n: f"Nom{n}")
    email = factory.Sequence(lambda n: f"student{n}@etudiant.example.org")
    programme = factory.SubFactory(ProgrammeFactory)
    cohort_year = 2025
    status = Student.Status.ENROLLED


class PlacementFactory(DjangoModelFactory):
    """An unpaid internship of four weeks at 35 hours (140 hours), unless told otherwise."""

    class Meta:
        model = Placement

    student = factory.SubFactory(StudentFactory)
    company = factory.SubFactory(CompanyFactory)
    kind = Placement.Kind.INTERNSHIP
    start = date(2025, 10, 6)
    end = factory.LazyAttribute(lambda o: date.fromordinal(o.start.toordinal() + 28))
    tutor = "Marie Tuteur"
    weekly_hours = Decimal("35.0")
    hourly_stipend = None


class EventFactory(DjangoModelFactory):
    """A published public workshop in a fortnight, 30 seats, registration open."""

    class Meta:
        model = "cluster.Event"

    slug = factory.Sequence(lambda n: f"atelier-{n}")
    title_fr = factory.Sequence(lambda n: f"Atelier {n}")
    title_en = factory.Sequence(lambda n: f"Workshop {n}")
    description_fr = "Un atelier pratique."
    kind = "workshop"
    audience = "public"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + timedelta(days=14)).replace(
            hour=9, minute=0, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    address = "12 rue de la Cité, 66000 Perpignan"
    capacity = 30
    status = "published"


class RegistrationFactory(DjangoModelFactory):
    class Meta:
        model = "cluster.Registration"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Personne {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    category = "public"
    status = "confirmed"
    ticket_code = factory.Sequence(lambda n: f"T{n:011d}")
