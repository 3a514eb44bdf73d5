"""Registrations: seats and the waiting list, cancel links, emails, check-in."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from cluster.models import Event, Registration
from cluster.services import events as services
from members.models import EmailLog
from members.services import membership_create
from tests.cluster.factories import EventFactory, RegistrationFactory, StudentFactory
from tests.cluster.staff import staff_member
from tests.members.factories import (
    CompanyFactory,
    ContactFactory,
    MembershipPlanFactory,
    RepresentativeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()


def _register(client, event, email, **extra):
    data = {
        "name": extra.pop("name", "Alex Martin"),
        "email": email,
        "organisation": "",
        "category": "public",
        "consent": "on",
        **extra,
    }
    return client.post(reverse("events:event-register", args=[event.slug]), data)


def test_a_visitor_registers_and_gets_a_ticket_with_the_ics_and_a_qr_code(client):
    event = EventFactory(capacity=2)
    response = _register(client, event, "alex@example.org")
    assert response.status_code == 302
    registration = Registration.objects.get()
    assert registration.status == Registration.Status.CONFIRMED
    email = EmailLog.objects.get(kind="event_confirmed")
    assert email.to == "alex@example.org" and registration.ticket_code in email.body
    names = {a.filename: a for a in email.attachments.all()}
    ics = names[f"{event.slug}.ics"]
    assert Calendar.from_ical(bytes(ics.content)).walk("VEVENT")
    png = names[f"ticket-{registration.ticket_code}.png"]
    assert bytes(png.content).startswith(b"\x89PNG")


def test_past_capacity_a_visitor_goes_on_the_waiting_list(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event)
    _register(client, event, "late@example.org")
    registration = Registration.objects.get(email="late@example.org")
    assert registration.status == Registration.Status.WAITING
    assert EmailLog.objects.filter(kind="event_waiting", to="late@example.org").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [({"consent": ""}, "consent"), ({"email": "not-an-address"}, "email"), ({"name": ""}, "name")],
)
def test_bad_registration_input_gets_a_form_error_and_saves_nothing(client, data, field):
    event = EventFactory()
    response = _register(client, event, data.pop("email", "a@example.org"), **data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Registration.objects.exists()


def test_the_same_address_cannot_register_twice(client):
    event = EventFactory()
    _register(client, event, "twice@example.org")
    response = _register(client, event, "TWICE@example.org")
    assert response.status_code == 400
    assert "déjà inscrite" in str(response.context["form"].errors["email"])
    assert Registration.objects.count() == 1


def test_registration_outside_its_window_is_refused(client):
    event = EventFactory(
        registration_closes_at=timezone.now() - timedelta(hours=1),
        registration_opens_at=timezone.now() - timedelta(days=3),
    )
    response = _register(client, event, "x@example.org")
    assert response.status_code == 400
    assert not Registration.objects.exists()


def test_the_honeypot_and_the_rate_limit_stop_robots(client, settings):
    event = EventFactory()
    assert _register(client, event, "bot@example.org", website="spam").status_code == 302
    assert not Registration.objects.exists()
    settings.CITE_EVENT_REGISTRATIONS_PER_HOUR = 2
    _register(client, event, "a1@example.org")
    _register(client, event, "a2@example.org")
    assert _register(client, event, "a3@example.org").status_code == 429


def test_a_members_only_event_takes_a_member_representative_or_consenting_contact(client):
    from members.models import Company

    event = EventFactory(audience=Event.Audience.MEMBERS)
    response = _register(client, event, "stranger@example.org")
    assert response.status_code == 400
    assert "réservé aux adhérents" in str(response.context["form"].errors["email"])
    member = CompanyFactory()
    membership = membership_create(
        company=member, plan=MembershipPlanFactory(), start=timezone.localdate(), prorate=False
    )
    membership.status = "active"
    membership.save()
    assert Company.objects.members().filter(pk=member.pk).exists()
    ContactFactory(company=member, email="contact@member.example", public_consent=True)
    assert _register(client, event, "contact@member.example").status_code == 302
    registration = Registration.objects.get()
    assert registration.company == member and registration.category == "member"


def test_a_known_student_is_registered_as_a_student():
    StudentFactory(email="eleve@ecole.example")
    registration = services.registration_create(
        event=EventFactory(), name="Élève", email="eleve@ecole.example", category="public"
    )
    assert registration.category == Registration.Category.STUDENT


def test_cancelling_through_the_link_promotes_the_first_waiting_and_works_once(client):
    event = EventFactory(capacity=1)
    first = services.registration_create(event=event, name="Un", email="un@example.org")
    second = services.registration_create(event=event, name="Deux", email="deux@example.org")
    third = services.registration_create(event=event, name="Trois", email="trois@example.org")
    assert second.status == third.status == Registration.Status.WAITING
    url = services.cancel_url(first).split("8000", 1)[-1]
    assert "Cancel" in client.get(url).content.decode() or client.get(url).status_code == 200
    assert client.post(url).status_code == 200
    first.refresh_from_db(), second.refresh_from_db(), third.refresh_from_db()
    assert first.status == Registration.Status.CANCELLED
    assert second.status == Registration.Status.CONFIRMED
    assert third.status == Registration.Status.WAITING
    assert EmailLog.objects.filter(kind="event_promoted", to="deux@example.org").exists()
    again = client.post(url)
    assert again.status_code == 200 and "déjà annulée" in again.content.decode()
    third.refresh_from_db()
    assert third.status == Registration.Status.WAITING


def test_a_forged_cancel_link_is_a_404(client):
    assert client.get("/events/registrations/forged:token/cancel/").status_code == 404


def test_check_in_marks_present_once_and_says_when(client):
    event = EventFactory()
    registration = RegistrationFactory(event=event, name="Camille")
    client.force_login(staff_member("Communication"))
    url = reverse("events:check-in", args=[event.slug])
    assert client.post(url, {"code": registration.ticket_code.lower()}).status_code == 302
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    response = client.post(url, {"code": registration.ticket_code})
    when = timezone.localtime(registration.checked_in_at).strftime("%H:%M")
    assert response.status_code == 400
    assert f"déjà enregistré(e) à {when}" in response.content.decode()


def test_a_code_of_another_event_is_a_form_error(client):
    event = EventFactory()
    other = RegistrationFactory(event=EventFactory(title_fr="Autre"))
    client.force_login(staff_member("Communication"))
    response = client.post(
        reverse("events:check-in", args=[event.slug]), {"code": other.ticket_code}
    )
    assert response.status_code == 400
    assert "un autre événement" in str(response.context["code_form"].errors["code"])
    other.refresh_from_db()
    assert other.checked_in_at is None


def test_staff_search_by_name_and_add_a_walk_in(client):
    event = EventFactory(capacity=1)
    RegistrationFactory(event=event, name="Dominique Sud")
    client.force_login(staff_member("Communication"))
    url = reverse("events:check-in", args=[event.slug])
    assert "Dominique Sud" in client.get(url, {"q": "domin"}).content.decode()
    response = client.post(
        url, {"action": "walk-in", "name": "Sam", "email": "sam@example.org", "category": "public"}
    )
    assert response.status_code == 302
    walk_in = Registration.objects.get(email="sam@example.org")
    assert walk_in.walk_in and walk_in.checked_in_at and walk_in.status == "confirmed"


def test_a_role_without_event_permissions_cannot_open_check_in(client):
    event = EventFactory()
    client.force_login(staff_member("Comptabilité"))
    assert client.get(reverse("events:check-in", args=[event.slug])).status_code == 403


def test_the_reminder_goes_once_the_day_before():
    tomorrow = timezone.localtime() + timedelta(days=1)
    event = EventFactory(starts_at=tomorrow.replace(hour=10), ends_at=tomorrow.replace(hour=12))
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waiting")
    assert services.registrations_remind() == 1
    assert services.registrations_remind() == 0
    assert EmailLog.objects.filter(kind="event_reminder").count() == 1


def test_cancelling_an_event_tells_every_registrant():
    event = EventFactory()
    RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waiting")
    assert services.event_cancel(event=event) == 2
    event.refresh_from_db()
    assert event.status == Event.Status.CANCELLED
    assert EmailLog.objects.filter(kind="event_cancelled").count() == 2


def test_bad_check_in_code_never_checks_anyone():
    event = EventFactory()
    with pytest.raises(ValidationError) as error:
        services.registration_check_in(event=event, code="NOPE")
    assert "code" in error.value.message_dict


def test_the_mailings_segment_lists_confirmed_registrants_of_one_event():
    event = EventFactory()
    confirmed = RegistrationFactory(event=event)
    RegistrationFactory(event=event, status="waiting")
    RegistrationFactory(status="confirmed")
    assert list(Registration.objects.confirmed().for_event(event)) == [confirmed]


def test_a_representative_registers_a_colleague_and_sees_the_company_registrations(client):
    representative = RepresentativeFactory()
    event = EventFactory()
    client.force_login(representative.user)
    response = client.post(
        reverse("events:my-event-register", args=[representative.company.slug]),
        {
            "event": event.pk,
            "name": "Collègue",
            "email": "colleague@studio.example",
            "category": "member",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("events:my-events", args=[representative.company.slug]))
    assert "Collègue" in page.content.decode()


def test_registrations_of_old_events_are_anonymised_keeping_the_counts(settings):
    from django.core.management import call_command

    settings.CITE_EVENT_RETENTION_DAYS = 365
    old = EventFactory(
        starts_at=timezone.now() - timedelta(days=400), ends_at=timezone.now() - timedelta(days=399)
    )
    recent = RegistrationFactory(event=EventFactory(), name="Récent")
    kept = RegistrationFactory(event=old, name="Ancien Nom", checked_in_at=old.starts_at)
    call_command("purge_event_registrations", stdout=__import__("io").StringIO())
    kept.refresh_from_db(), recent.refresh_from_db()
    assert kept.name == "—" and "Ancien" not in kept.email
    assert kept.checked_in_at and kept.status == "confirmed"
    assert kept.history.count() == 0
    assert recent.name == "Récent"
    assert Registration.objects.confirmed().for_event(old).count() == 1
