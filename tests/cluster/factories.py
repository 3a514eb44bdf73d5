from datetime import date
from decimal import Decimal

import factory
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
