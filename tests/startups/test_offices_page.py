"""The search for free offices (AvailabilityFilter) and the public /offices/ page."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import formats, timezone, translation

from startups.filters import AvailabilityFilter
from startups.models import Office

from .factories import BuildingFactory, LeaseFactory, OfficeFactory

pytestmark = pytest.mark.django_db

D = Decimal
PAGE_QUERIES = 5  # occupancy today (2), later deliveries (1), the offices (1), the identity (1)


def free_codes(data, today=date(2030, 1, 1)):
    filterset = AvailabilityFilter(data, today=today)
    assert filterset.is_valid(), filterset.errors
    return sorted(office.code for office in filterset.qs)


# The search ----------------------------------------------------------------------------


def test_office_let_for_an_overlapping_period_is_not_offered():
    LeaseFactory(office__code="LET", start=date(2030, 2, 1), end=date(2030, 4, 1))
    OfficeFactory(code="FREE")

    assert free_codes({"start": "2030-03-01", "end": "2030-05-01"}) == ["FREE"]
    assert free_codes({"start": "2030-01-01", "end": "2030-02-02"}) == ["FREE"]


def test_back_to_back_periods_do_not_overlap():
    LeaseFactory(office__code="JAN-MAR", start=date(2030, 1, 1), end=date(2030, 3, 1))
    LeaseFactory(office__code="MAR-MAY", start=date(2030, 3, 1), end=date(2030, 5, 1))

    assert free_codes({"start": "2030-03-01", "end": "2030-05-01"}) == ["JAN-MAR"]
    assert free_codes({"start": "2030-01-01", "end": "2030-03-01"}) == ["MAR-MAY"]


def test_office_not_yet_delivered_at_the_start_is_not_offered():
    OfficeFactory(code="NEW", delivery_date=date(2030, 6, 1))

    assert free_codes({"start": "2030-05-31", "end": "2030-09-01"}) == []
    assert free_codes({"start": "2030-06-01", "end": "2030-09-01"}) == ["NEW"]


def test_search_with_no_end_means_for_good():
    LeaseFactory(office__code="LET-IN-JULY", start=date(2030, 7, 1))

    assert free_codes({"start": "2030-03-01"}) == []
    assert free_codes({"start": "2030-03-01", "end": "2030-07-01"}) == ["LET-IN-JULY"]


def test_empty_search_means_free_from_today_for_good():
    LeaseFactory(office__code="LET-UNTIL-MARCH", start=date(2029, 1, 1), end=date(2030, 3, 1))
    OfficeFactory(code="FREE")

    assert free_codes({}) == ["FREE"]
    assert free_codes(None) == ["FREE"]
    assert free_codes({}, today=date(2030, 3, 1)) == ["FREE", "LET-UNTIL-MARCH"]


def test_search_by_area_desks_and_kind():
    OfficeFactory(code="SMALL", area=D("12.00"), desks=1)
    OfficeFactory(code="LARGE", area=D("40.00"), desks=6)
    OfficeFactory(code="OPEN", area=D("80.00"), desks=12, kind=Office.Kind.DESK)

    assert free_codes({"min_area": "40"}) == ["LARGE", "OPEN"]
    assert free_codes({"min_area": "12.5", "min_desks": "2"}) == ["LARGE", "OPEN"]
    assert free_codes({"min_desks": "7"}) == ["OPEN"]
    assert free_codes({"kind": "private"}) == ["LARGE", "SMALL"]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"start": "2030-05-01", "end": "2030-05-01"}, "end"),
        ({"start": "2030-05-01", "end": "2030-04-01"}, "end"),
        ({"end": "2029-12-31"}, "end"),  # before today, the default start
        ({"start": "abc"}, "start"),
        ({"start": "abc", "end": "2029-12-31"}, "start"),
        ({"end": "2030-02-30"}, "end"),
        ({"min_area": "-5"}, "min_area"),
        ({"min_area": "NaN"}, "min_area"),
        ({"min_desks": "-1"}, "min_desks"),
        ({"min_desks": "2.5"}, "min_desks"),
        ({"kind": "castle"}, "kind"),
    ],
)
def test_bad_search_is_a_form_error(data, field):
    filterset = AvailabilityFilter(data, today=date(2030, 1, 1))

    assert not filterset.is_valid()
    assert list(filterset.errors) == [field]


# The page ------------------------------------------------------------------------------


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def get(client):
    """Return a function that gets the page in English, for messages without a catalog."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    def get(params=None):
        return client.get(reverse("startups:office-list"), params or {})

    return get


def english_date(day):
    with translation.override("en"):
        return formats.date_format(day)


def test_page_lists_what_is_or_will_be_free_and_from_when(get, today):
    building = BuildingFactory(name="Bâtiment Sud")
    OfficeFactory(building=building, code="S101", area=D("40.00"), desks=4)
    LeaseFactory(
        office__code="S102", start=today - timedelta(days=100), end=today + timedelta(days=40)
    )
    OfficeFactory(code="EXT1", delivery_date=today + timedelta(days=90), kind=Office.Kind.DESK)
    LeaseFactory(office__code="LET-FOR-GOOD", start=today - timedelta(days=10))
    OfficeFactory(code="RETIRED", active=False)

    response = get()

    assert response.status_code == 200
    page = response.content.decode()
    assert "3 offices are or will be free" in page
    rows = page.split("<tbody>")[1].split("<tr>")[1:]
    assert ["S101" in rows[0], "S102" in rows[1], "EXT1" in rows[2]] == [True] * 3
    assert "Bâtiment Sud" in rows[0] and "40 m²" in rows[0] and "private office" in rows[0]
    assert "now" in rows[0]
    assert english_date(today + timedelta(days=40)) in rows[1]
    assert english_date(today + timedelta(days=90)) in rows[2] and "desk" in rows[2]
    assert "LET-FOR-GOOD" not in page and "RETIRED" not in page


def test_rents_are_hidden_unless_the_setting_shows_them(get, settings):
    OfficeFactory(list_rent=D("455.00"))

    assert "455" not in get().content.decode()

    settings.CITE_SHOW_OFFICE_RENTS = True
    page = get().content.decode()
    assert "455 €" in page
    assert "Rent a month" in page


def test_key_figures_show_todays_occupancy_and_the_m2_to_come(get, today):
    LeaseFactory(office__area=D("60.00"), start=today)
    OfficeFactory(area=D("40.00"))
    OfficeFactory(area=D("700.00"), delivery_date=today + timedelta(days=30))
    OfficeFactory(area=D("300.00"), delivery_date=today + timedelta(days=30))

    figures = get().content.decode().split('id="figures-title"')[1].split("</section>")[0]

    assert "100 m²" in figures and "delivered" in figures
    assert "60 m²" in figures and "let" in figures
    assert "60 %" in figures and "occupancy rate" in figures
    assert "1,000 m²" in figures
    assert f"arriving on {english_date(today + timedelta(days=30))}" in figures


def test_figures_follow_the_french_locale(client, today):
    OfficeFactory(area=D("1234.50"), delivery_date=today + timedelta(days=3))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    page = client.get(reverse("startups:office-list")).content.decode()

    assert "1\xa0234,50 m²" in page


def test_page_without_free_office_shows_the_empty_state(get, today):
    LeaseFactory(start=today - timedelta(days=1))

    page = get().content.decode()

    assert "Every office is let" in page
    assert "<table" not in page


def test_search_lists_the_offices_free_for_the_whole_period(get, today):
    start, end = today + timedelta(days=30), today + timedelta(days=120)
    LeaseFactory(office__code="BUSY", start=today + timedelta(days=60), end=end)
    LeaseFactory(office__code="FREED", start=today - timedelta(days=60), end=start)
    OfficeFactory(code="TOO-SMALL", area=D("9.00"))

    response = get({"start": start.isoformat(), "end": end.isoformat(), "min_area": "10"})

    page = response.content.decode()
    assert response.status_code == 200
    assert f"1 office free from {english_date(start)} until {english_date(end)}" in page
    assert "FREED" in page and "BUSY" not in page and "TOO-SMALL" not in page


def test_search_with_nothing_free_shows_the_empty_state(get, today):
    LeaseFactory(start=today - timedelta(days=1))

    page = get({"kind": "private"}).content.decode()

    assert "No office is free for this period" in page
    assert "Show every free office" in page


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"start": "2030-05-01", "end": "2030-04-01"}, "The end must be after the start"),
        ({"start": "abc"}, "Enter a valid date."),
        ({"end": "31/31/2030"}, "Enter a valid date."),
        ({"min_area": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"min_desks": "-1"}, "Ensure this value is greater than or equal to 0."),
        ({"min_desks": "two"}, "Enter a whole number."),
        ({"kind": "castle"}, "Select a valid choice."),
    ],
)
def test_bad_search_answers_400_with_the_message(get, params, message):
    OfficeFactory()

    response = get(params)

    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Some search criteria are not valid" in page
    assert "<table" not in page


@pytest.mark.parametrize(
    ("params", "listed"),
    [
        ({}, 17),
        # The office delivered in 2040 is not free from 2030.
        ({"start": "2030-01-01", "min_desks": "1"}, 16),
    ],
)
def test_page_queries_do_not_grow_with_the_offices(
    get, params, listed, django_assert_max_num_queries
):
    def queries():
        with CaptureQueriesContext(connection) as context:
            assert get(params).status_code == 200
        return len(context)

    OfficeFactory()
    few = queries()
    for _ in range(15):
        LeaseFactory(
            office__building=BuildingFactory(), start=date(2020, 1, 1), end=date(2025, 1, 1)
        )
    OfficeFactory(delivery_date=date(2040, 1, 1))

    with django_assert_max_num_queries(PAGE_QUERIES):
        page = get(params).content.decode()
    assert queries() == few
    assert page.count("<tr>") == 1 + listed  # the header row and the offices
