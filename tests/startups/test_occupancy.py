from datetime import date
from decimal import Decimal

import pytest

from startups import occupancy
from startups.models import Office

from .factories import BuildingFactory, LeaseFactory, OfficeFactory

pytestmark = pytest.mark.django_db

D = Decimal


@pytest.fixture
def site():
    """Two buildings, computed by hand below, from September 2030 to February 2031.

    North: a 100 m² office let from 15 September 2030 to 1 January 2031 (end excluded), and
    an inactive 30 m² office let for good, which never counts.
    South: a 50 m² office let for good from 1 October 2030, and a 1 000 m² extension
    delivered on 1 December 2030, let for good from 1 February 2031.
    """
    north = BuildingFactory(name="North")
    south = BuildingFactory(name="South")
    big = OfficeFactory(building=north, code="N1", area=D("100.00"))
    small = OfficeFactory(building=south, code="S1", area=D("50.00"))
    extension = OfficeFactory(
        building=south, code="S-EXT", area=D("1000.00"), delivery_date=date(2030, 12, 1)
    )
    retired = OfficeFactory(building=north, code="N-OLD", area=D("30.00"), active=False)
    LeaseFactory(office=big, start=date(2030, 9, 15), end=date(2031, 1, 1))
    LeaseFactory(office=small, start=date(2030, 10, 1))
    LeaseFactory(office=extension, start=date(2031, 2, 1))
    LeaseFactory(office=retired, start=date(2030, 1, 1))
    return {"north": north, "south": south}


def figures(rows):
    return [(row["month"], row["let_m2"], row["delivered_m2"], row["rate"]) for row in rows]


def test_month_starts_lists_the_first_days_across_a_new_year():
    assert occupancy.month_starts(date(2030, 11, 20), date(2031, 2, 3)) == [
        date(2030, 11, 1),
        date(2030, 12, 1),
        date(2031, 1, 1),
        date(2031, 2, 1),
    ]
    assert occupancy.month_starts(date(2031, 2, 1), date(2030, 11, 1)) == []


def test_occupancy_counts_leases_on_each_months_first_day(site):
    rows = occupancy.occupancy_by_month(date(2030, 9, 1), date(2031, 2, 1))

    assert figures(rows) == [
        # The lease starting on 15 September counts from October only.
        (date(2030, 9, 1), D("0.00"), D("150.00"), D("0.0000")),
        (date(2030, 10, 1), D("150.00"), D("150.00"), D("1.0000")),
        (date(2030, 11, 1), D("150.00"), D("150.00"), D("1.0000")),
        # The extension is delivered: 1 150 m², the rate drops to 150 / 1 150.
        (date(2030, 12, 1), D("150.00"), D("1150.00"), D("0.1304")),
        # The lease ending on 1 January no longer counts in January.
        (date(2031, 1, 1), D("50.00"), D("1150.00"), D("0.0435")),
        (date(2031, 2, 1), D("1050.00"), D("1150.00"), D("0.9130")),
    ]


def test_occupancy_of_one_building(site):
    rows = occupancy.occupancy_by_month(date(2030, 11, 1), date(2031, 1, 1), building=site["south"])

    assert figures(rows) == [
        (date(2030, 11, 1), D("50.00"), D("50.00"), D("1.0000")),
        (date(2030, 12, 1), D("50.00"), D("1050.00"), D("0.0476")),
        (date(2031, 1, 1), D("50.00"), D("1050.00"), D("0.0476")),
    ]


def test_each_building_has_its_own_rows(site):
    empty = BuildingFactory(name="West")  # only an office delivered later
    OfficeFactory(building=empty, area=D("12.50"), delivery_date=date(2031, 1, 10))

    by_building = {
        building: occupancy.occupancy_by_month(
            date(2030, 12, 1), date(2031, 2, 1), building=building
        )
        for building in (site["north"], site["south"], empty)
    }

    assert figures(by_building[site["north"]]) == [
        (date(2030, 12, 1), D("100.00"), D("100.00"), D("1.0000")),
        (date(2031, 1, 1), D("0.00"), D("100.00"), D("0.0000")),
        (date(2031, 2, 1), D("0.00"), D("100.00"), D("0.0000")),
    ]
    assert figures(by_building[site["south"]])[-1] == (
        date(2031, 2, 1),
        D("1050.00"),
        D("1050.00"),
        D("1.0000"),
    )
    assert figures(by_building[empty]) == [
        (date(2030, 12, 1), D("0.00"), D("0.00"), None),
        (date(2031, 1, 1), D("0.00"), D("0.00"), None),
        (date(2031, 2, 1), D("0.00"), D("12.50"), D("0.0000")),
    ]


def test_no_rate_when_nothing_is_delivered():
    OfficeFactory(delivery_date=date(2031, 1, 1))

    (row,) = occupancy.occupancy_by_month(date(2030, 6, 1), date(2030, 6, 1))

    assert row == {
        "month": date(2030, 6, 1),
        "let_m2": D("0.00"),
        "delivered_m2": D("0.00"),
        "rate": None,
    }


def test_areas_are_decimals_with_two_places_on_every_database():
    office = OfficeFactory(area=D("12.5"))
    LeaseFactory(office=office)
    OfficeFactory(area=D("7"))

    row = occupancy.occupancy_on(date(2030, 1, 1))

    assert str(row["let_m2"]) == "12.50"
    assert str(row["delivered_m2"]) == "19.50"
    assert row["rate"] == D("0.6410")


@pytest.mark.parametrize("months", [2, 24])
def test_occupancy_costs_the_same_queries_for_2_or_24_months(
    site, months, django_assert_num_queries
):
    last = occupancy.month_starts(date(2030, 1, 1), date(2033, 12, 1))[months - 1]

    with django_assert_num_queries(2):
        rows = occupancy.occupancy_by_month(date(2030, 1, 1), last)

    assert len(rows) == months


def test_occupancy_on_a_day_measures_that_day_itself(site, django_assert_num_queries):
    with django_assert_num_queries(2):
        today = occupancy.occupancy_on(date(2030, 9, 15))

    # On 15 September the lease starting that day already counts (not so on the 1st).
    assert today == {
        "day": date(2030, 9, 15),
        "let_m2": D("100.00"),
        "delivered_m2": D("150.00"),
        "rate": D("0.6667"),
    }
    assert occupancy.occupancy_on(date(2030, 9, 15), building=site["north"])["rate"] == D("1")
    assert occupancy.occupancy_on(date(2030, 9, 15), building=site["south"])["let_m2"] == 0


def test_upcoming_deliveries_sum_the_area_delivered_each_later_day():
    OfficeFactory(area=D("600.00"), delivery_date=date(2030, 12, 1))
    OfficeFactory(area=D("400.00"), delivery_date=date(2030, 12, 1))
    OfficeFactory(area=D("80.00"), delivery_date=date(2031, 3, 1))
    OfficeFactory(area=D("99.00"), delivery_date=date(2031, 3, 1), active=False)
    OfficeFactory(area=D("20.00"), delivery_date=date(2030, 6, 1))

    assert occupancy.upcoming_deliveries(today=date(2030, 6, 1)) == [
        {"date": date(2030, 12, 1), "area_m2": D("1000.00")},
        {"date": date(2031, 3, 1), "area_m2": D("80.00")},
    ]


class TestFreeFrom:
    today = date(2030, 6, 10)

    def free_from(self):
        return {office.code: office.free_from for office in occupancy.free_from(self.today)}

    def test_free_office_is_free_now(self):
        OfficeFactory(code="FREE")
        LeaseFactory(office__code="ENDED", start=date(2029, 1, 1), end=date(2030, 1, 1))

        assert self.free_from() == {"FREE": self.today, "ENDED": self.today}

    def test_office_is_free_after_its_last_lease(self):
        office = OfficeFactory(code="LET")
        LeaseFactory(office=office, start=date(2030, 1, 1), end=date(2030, 9, 1))
        # A gap in between does not make it free for good before the last lease ends.
        LeaseFactory(office=office, start=date(2030, 10, 1), end=date(2031, 1, 1))

        assert self.free_from() == {"LET": date(2031, 1, 1)}

    def test_office_not_yet_delivered_is_free_from_its_delivery(self):
        OfficeFactory(code="NEW", delivery_date=date(2030, 12, 1))

        assert self.free_from() == {"NEW": date(2030, 12, 1)}

    def test_offices_with_an_open_ended_lease_or_inactive_are_not_listed(self):
        LeaseFactory(office__code="LET-FOR-GOOD", start=date(2029, 1, 1))
        LeaseFactory(office__code="LET-LATER", start=date(2031, 1, 1))
        OfficeFactory(code="RETIRED", active=False)

        assert self.free_from() == {}

    def test_free_from_agrees_with_the_open_ended_availability_search(self):
        office = OfficeFactory(code="LET")
        LeaseFactory(office=office, start=date(2030, 1, 1), end=date(2030, 9, 1))
        day = self.free_from()["LET"]

        assert office in Office.objects.free_between(day, None)
        assert office not in Office.objects.free_between(date(2030, 8, 31), None)

    def test_free_from_is_one_query(self, django_assert_num_queries):
        for n in range(5):
            LeaseFactory(start=date(2030, 1, 1), end=date(2030, 7 + n, 1))

        with django_assert_num_queries(1):
            offices = list(occupancy.free_from(self.today))

        assert [office.free_from.month for office in offices] == [7, 8, 9, 10, 11]
        assert all(office.building.name for office in offices)
