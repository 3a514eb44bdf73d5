from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from startups.models import Building, Lease, Office
from tests.members.factories import CompanyFactory


class BuildingFactory(DjangoModelFactory):
    class Meta:
        model = Building
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Bâtiment {n}")
    street = "Avenue de la Cité digitale"
    postcode = "66270"


class OfficeFactory(DjangoModelFactory):
    class Meta:
        model = Office

    building = factory.SubFactory(BuildingFactory)
    floor = 0
    code = factory.Sequence(lambda n: f"B{n:03d}")
    area = Decimal("20.00")
    desks = 2
    kind = Office.Kind.PRIVATE
    list_rent = Decimal("400.00")
    delivery_date = date(2020, 1, 1)
    active = True


class LeaseFactory(DjangoModelFactory):
    """A lease of an office, open-ended from its delivery unless told otherwise."""

    class Meta:
        model = Lease

    office = factory.SubFactory(OfficeFactory)
    company = factory.SubFactory(CompanyFactory)
    start = factory.LazyAttribute(lambda o: o.office.delivery_date)
    end = None
    monthly_rent = factory.LazyAttribute(lambda o: o.office.list_rent)
