"""The public agenda: the list and its filters, an event's page, the API and the calendars."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from icalendar import Calendar

from cluster.models import Event
from members.caching import public_version
from tests.cluster.factories import EventFactory, RegistrationFactory
from tests.members.factories import CompanyFactory

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def test_the_agenda_lists_upcoming_published_events_soonest_first(client):
    later = EventFactory(title_fr="Plus tard", starts_at=timezone.now() + timedelta(days=20))
    sooner = EventFactory(title_fr="Bientôt", starts_at=timezone.now() + timedelta(days=3))
    EventFactory(title_fr="Brouillon secret", status=Event.Status.DRAFT)
    EventFactory(title_fr="Passé", starts_at=timezone.now() - timedelta(days=3))
    response = client.get("/events/")
    assert response.status_code == 200
    assert list(response.context["page_obj"].object_list) == [sooner, later]
    assert "Brouillon secret" not in response.content.decode()


def test_the_switch_shows_past_events_latest_first(client):
    old = EventFactory(title_fr="Ancien", starts_at=timezone.now() - timedelta(days=30))
    recent = EventFactory(title_fr="Récent", starts_at=timezone.now() - timedelta(days=3))
    EventFactory(title_fr="À venir")
    response = client.get("/events/?when=past")
    assert list(response.context["page_obj"].object_list) == [recent, old]
    assert (
        "Show upcoming events" in response.content.decode() or "venir" in response.content.decode()
    )


def test_filters_by_kind_audience_month_and_organiser(client):
    studio = CompanyFactory(trade_name="Studio Nord")
    start = timezone.now() + timedelta(days=40)
    dating = EventFactory(kind="job_dating", audience="students", starts_at=start, organiser=studio)
    EventFactory(kind="workshop", starts_at=start)
    month = timezone.localtime(start).strftime("%Y-%m")
    for query in ["kind=job_dating", "audience=students", f"organiser={studio.slug}"]:
        assert list(client.get(f"/events/?{query}").context["page_obj"].object_list) == [dating]
    assert dating in client.get(f"/events/?month={month}").context["page_obj"].object_list


def test_a_bad_month_gets_a_form_error_not_a_500(client):
    response = client.get("/events/?month=2027-13")
    assert response.status_code == 400
    assert "month" in response.context["filterset"].form.errors
    api = client.get("/api/events/?month=abc")
    assert api.status_code == 400 and "month" in api.json()["errors"]


def test_the_agenda_is_paginated_and_costs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries
):
    organiser = CompanyFactory()
    for n in range(25):
        event = EventFactory(organiser=organiser, starts_at=timezone.now() + timedelta(days=n + 1))
        RegistrationFactory(event=event)
    with django_assert_max_num_queries(8):
        response = client.get("/events/")
    assert response.context["page_obj"].paginator.num_pages == 2
    assert len(response.context["page_obj"].object_list) == 20
    assert client.get("/events/?page=2").status_code == 200


def test_the_api_has_the_shape_of_the_other_apis_and_a_fixed_cost(
    client, django_assert_max_num_queries
):
    for _n in range(22):
        EventFactory(organiser=CompanyFactory(), capacity=5)
    event = Event.objects.upcoming().first()
    RegistrationFactory(event=event)
    with django_assert_max_num_queries(6):
        data = client.get("/api/events/").json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 22 and data["next"].endswith("page=2")
    first = data["results"][0]
    assert first["slug"] == event.slug and first["remaining_seats"] == 4
    assert "online_url" not in first and "registrations" not in first


def test_an_event_page_has_schema_org_json_ld_and_remaining_seats(client):
    event = EventFactory(capacity=3, online_url="https://visio.example/secret-room")
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, name="Caché Dupont")
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "Event" and data["remainingAttendeeCapacity"] == 1
    assert "1 seat left" in html or "1 place" in html
    assert "secret-room" not in html  # the online link goes to registrants only
    assert "Caché Dupont" not in html  # registrants never appear publicly


def test_drafts_and_proposals_have_no_public_page(client):
    assert client.get(EventFactory(status=Event.Status.DRAFT).get_absolute_url()).status_code == 404
    proposed = EventFactory(status=Event.Status.PROPOSED)
    assert client.get(f"/events/{proposed.slug}.ics").status_code == 404


def test_the_feed_parses_back_with_its_time_zone_across_a_daylight_saving_change(client):
    # 29 March 2026: Paris goes from UTC+1 to UTC+2.
    winter = EventFactory(
        slug="hiver",
        starts_at=datetime(2026, 3, 28, 18, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 3, 28, 20, 0, tzinfo=PARIS),
    )
    summer = EventFactory(
        slug="ete",
        starts_at=datetime(2026, 3, 30, 18, 0, tzinfo=PARIS),
        ends_at=datetime(2026, 3, 30, 20, 0, tzinfo=PARIS),
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: datetime(2026, 3, 1, tzinfo=PARIS))
        response = client.get("/events.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    zones = list(calendar.walk("VTIMEZONE"))
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Paris"]
    events = {str(e["UID"]).split("@")[0]: e for e in calendar.walk("VEVENT")}
    starts = {uid: e.decoded("DTSTART") for uid, e in events.items()}
    assert starts[f"event-{winter.pk}"].utcoffset() == timedelta(hours=1)
    assert starts[f"event-{summer.pk}"].utcoffset() == timedelta(hours=2)
    assert starts[f"event-{summer.pk}"].hour == 18
    assert events[f"event-{summer.pk}"]["DTSTART"].params["TZID"] == "Europe/Paris"


def test_one_event_calendar_has_one_event(client):
    event = EventFactory(title_fr="Journée portes ouvertes")
    response = client.get(f"/events/{event.slug}.ics")
    calendar = Calendar.from_ical(response.content)
    (vevent,) = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Journée portes ouvertes"


def test_an_event_write_bumps_the_public_version():
    before = public_version()
    EventFactory()
    assert public_version() > before


def test_the_home_page_shows_the_next_three_events_and_the_header_links_the_agenda(client):
    for n in range(4):
        EventFactory(title_fr=f"Rendez-vous {n}", starts_at=timezone.now() + timedelta(days=n + 1))
    html = client.get("/").content.decode()
    assert "Rendez-vous 0" in html and "Rendez-vous 2" in html
    assert "Rendez-vous 3" not in html
    assert 'href="/events/"' in html


def test_a_company_page_shows_the_events_it_organises(client):
    from tests.members.factories import CompanyFactory as Companies

    company = Companies(published=True)
    EventFactory(title_fr="Atelier VR chez Vroom", organiser=company)
    html = client.get(company.get_absolute_url()).content.decode()
    assert "Atelier VR chez Vroom" in html


def test_join_promises_events_and_links_the_agenda(client):
    assert 'href="/events/"' in client.get("/join/").content.decode()
