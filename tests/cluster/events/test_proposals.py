"""A member's representative proposes an event from /my/; staff review it like an offer."""

import pytest
from django.urls import reverse

from cluster.models import Event
from cluster.services import staff_todo
from members.models import EmailLog
from tests.cluster.factories import EventFactory
from tests.cluster.staff import staff_member
from tests.members.factories import RepresentativeFactory

pytestmark = pytest.mark.django_db

PROPOSAL = {
    "title_fr": "Meet-up French Tech Barcelona",
    "title_en": "French Tech Barcelona meet-up",
    "description_fr": "Rencontre.",
    "description_en": "",
    "kind": "meetup",
    "audience": "public",
    "starts_at": "2027-05-20T18:00",
    "ends_at": "2027-05-20T21:00",
    "address": "Barcelone",
    "online_url": "",
    "capacity": "40",
}


def test_a_representative_proposes_an_event_that_waits_for_review(client):
    representative = RepresentativeFactory()
    client.force_login(representative.user)
    response = client.post(
        reverse("events:my-event-add", args=[representative.company.slug]), PROPOSAL
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.status == Event.Status.PROPOSED
    assert event.organiser == representative.company and event.proposed_by == representative.user
    assert client.get(event.get_absolute_url()).status_code == 404  # not public yet
    todo = {item.key: item.count for item in staff_todo(user=staff_member("Communication"))}
    assert todo["events"] == 1


def test_bad_proposal_input_gets_form_errors_and_saves_nothing(client):
    representative = RepresentativeFactory()
    client.force_login(representative.user)
    response = client.post(
        reverse("events:my-event-add", args=[representative.company.slug]),
        {
            **PROPOSAL,
            "capacity": "0",
            "ends_at": "2027-05-20T17:00",
            "starts_at": "2027-99-01T10:00",
        },
    )
    assert response.status_code == 200
    assert {"capacity", "starts_at"} <= set(response.context["form"].errors)
    assert not Event.objects.exists()


def test_another_companys_representative_cannot_edit_a_proposal(client):
    proposal = EventFactory(status=Event.Status.PROPOSED, organiser=RepresentativeFactory().company)
    intruder = RepresentativeFactory()
    client.force_login(intruder.user)
    own_url = reverse("events:my-event-edit", args=[intruder.company.slug, proposal.pk])
    other_url = reverse("events:my-event-edit", args=[proposal.organiser.slug, proposal.pk])
    assert client.post(own_url, PROPOSAL).status_code == 404
    assert client.post(other_url, PROPOSAL).status_code == 404
    proposal.refresh_from_db()
    assert proposal.title_fr != PROPOSAL["title_fr"]


def test_a_published_event_is_no_longer_editable_from_my_space(client):
    representative = RepresentativeFactory()
    event = EventFactory(organiser=representative.company)
    client.force_login(representative.user)
    url = reverse("events:my-event-edit", args=[representative.company.slug, event.pk])
    assert client.get(url).status_code == 404


def test_staff_approve_a_proposal_and_its_proposer_is_told(client):
    representative = RepresentativeFactory()
    event = EventFactory(
        status=Event.Status.PROPOSED,
        organiser=representative.company,
        proposed_by=representative.user,
    )
    from cluster.services import events as services

    services.event_approve(event=event, reviewer=staff_member("Communication"))
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert EmailLog.objects.filter(to=representative.user.email).exists()
