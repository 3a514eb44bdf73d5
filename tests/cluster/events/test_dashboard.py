"""The events in the dashboard and the annual report, against a hand count."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from cluster import dashboard
from tests.cluster.factories import EventFactory, RegistrationFactory
from tests.members.factories import CompanyFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour=9):
    return datetime(year, month, day, hour, tzinfo=PARIS)


@pytest.fixture
def agenda():
    """2025: one workshop, 2 confirmed, 1 present.
    2026: two workshops and one job dating held; one cancelled meet-up; one draft.
      workshop A: 3 confirmed (2 present: a member, a student), 1 waiting, 1 cancelled
      workshop B: 1 confirmed, present (public, from a Toulouse company)
      job dating: 2 confirmed, none present
      cancelled meet-up: 2 confirmed, 1 marked present by mistake (not counted)
    Hand count for 2026: held 3 (workshop 2, job dating 1); registrations 6; participants 3;
    attendance 50.0 %; participants: member 1, student 1, public 1; towns: Toulouse 1,
    none 2."""
    old = EventFactory(starts_at=at(2025, 5, 1), ends_at=at(2025, 5, 1, 12))
    RegistrationFactory(event=old, checked_in_at=at(2025, 5, 1))
    RegistrationFactory(event=old)
    a = EventFactory(kind="workshop", starts_at=at(2026, 3, 3), ends_at=at(2026, 3, 3, 12))
    RegistrationFactory(event=a, category="member", checked_in_at=at(2026, 3, 3))
    RegistrationFactory(event=a, category="student", checked_in_at=at(2026, 3, 3))
    RegistrationFactory(event=a)
    RegistrationFactory(event=a, status="waiting")
    RegistrationFactory(event=a, status="cancelled")
    b = EventFactory(kind="workshop", starts_at=at(2026, 6, 3), ends_at=at(2026, 6, 3, 12))
    toulouse = CompanyFactory(city="Toulouse")
    RegistrationFactory(event=b, company=toulouse, checked_in_at=at(2026, 6, 3))
    dating = EventFactory(kind="job_dating", starts_at=at(2026, 9, 3), ends_at=at(2026, 9, 3, 12))
    RegistrationFactory(event=dating)
    RegistrationFactory(event=dating)
    cancelled = EventFactory(
        kind="meetup", status="cancelled", starts_at=at(2026, 4, 3), ends_at=at(2026, 4, 3, 12)
    )
    RegistrationFactory(event=cancelled, checked_in_at=at(2026, 4, 3))
    RegistrationFactory(event=cancelled)
    EventFactory(kind="visit", status="draft", starts_at=at(2026, 5, 3), ends_at=at(2026, 5, 3, 12))


def _figure(key):
    with translation.override("en"):
        return next(f for f in dashboard.dashboard(2026).figures if f.key == key)


def _tile(key):
    return next(t for t in dashboard.dashboard(2026).key_figures if t.key == key)


def test_events_held_by_kind_and_the_tile_compare_with_the_year_before(agenda):
    rows = dict(_figure("events-by-kind").rows)
    assert rows["workshop"] == 2 and rows["job dating"] == 1 and rows["meet-up"] == 0
    tile = _tile("events")
    assert (tile.value, tile.previous) == (3, 1)


def test_registrations_participants_and_attendance_rate(agenda):
    rows = {row[0]: row[1:] for row in _figure("attendance").rows}
    assert rows["registrations"] == (6, 2)
    assert rows["participants"] == (3, 1)
    assert str(rows["attendance rate"][0]) == "50.0" and str(rows["attendance rate"][1]) == "50.0"


def test_participants_by_category_and_by_town(agenda):
    assert dict(_figure("participants-by-category").rows) == {
        "member company": 1,
        "start-up": 0,
        "student": 1,
        "public": 1,
        "partner": 0,
    }
    assert dict(_figure("participants-by-region").rows) == {"no member company": 2, "Toulouse": 1}


def test_the_annual_report_shows_the_events(admin_client, agenda):
    html = admin_client.get(reverse("annual-report", args=[2026])).content.decode()
    assert html.count("events-by-kind") >= 1 and "participants-by-category" in html
