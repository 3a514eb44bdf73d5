"""Registrants' personal data: exported with the person, erased on request."""

import io
import json

import pytest
from django.core.management import call_command

from cluster.models import Erasure, Registration
from cluster.services import events as services
from cluster.services import personal_data_by_email, personal_data_erase_email
from tests.cluster.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_export_by_email_holds_the_registrations_and_their_emails():
    registration = services.registration_create(
        event=EventFactory(), name="Léa Garnier", email="lea@example.org"
    )
    data = personal_data_by_email(email="LEA@example.org")
    (exported,) = data["people"]["registration"]
    assert exported["id"] == registration.pk
    assert exported["record"]["name"] == "Léa Garnier"
    assert [email["kind"] for email in exported["emails"]] == ["event_confirmed"]


def test_the_export_command_takes_a_registration_id():
    registration = services.registration_create(
        event=EventFactory(), name="Léa Garnier", email="lea@example.org"
    )
    out = io.StringIO()
    call_command("export_personal_data", registration=registration.pk, stdout=out)
    assert json.loads(out.getvalue())["record"]["email"] == "lea@example.org"


def test_erasure_anonymises_the_registration_and_keeps_the_count():
    event = EventFactory()
    registration = services.registration_create(event=event, name="Léa", email="lea@example.org")
    reports, refused = personal_data_erase_email(email="lea@example.org")
    assert refused == []
    registration.refresh_from_db()
    assert registration.name == "—" and "lea" not in registration.email
    assert registration.history.count() == 0
    assert Registration.objects.confirmed().for_event(event).count() == 1
    assert Erasure.objects.filter(kind="registration", object_id=registration.pk).exists()
    assert personal_data_by_email(email="lea@example.org")["people"]["registration"] == []
