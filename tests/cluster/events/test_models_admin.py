"""Events as staff keep them: validation, the admin, duplication, roles and history."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cluster.models import Event
from tests.cluster.factories import EventFactory, RegistrationFactory
from tests.cluster.staff import staff_member
from tests.members.factories import CompanyFactory
from tests.startups.factories import BuildingFactory, OfficeFactory

pytestmark = pytest.mark.django_db


def test_an_event_is_free_by_default_with_decimal_fees():
    event = EventFactory()
    event.refresh_from_db()
    assert event.fee_member == Decimal("0.00") and event.is_free


def test_title_falls_back_to_french_when_english_is_empty(settings):
    from django.utils import translation

    event = EventFactory(title_fr="Journée portes ouvertes", title_en="")
    with translation.override("en"):
        assert event.title == "Journée portes ouvertes"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"capacity": 0}, "capacity"),
        ({"ends_at_offset": -1}, "ends_at"),
        ({"closes_before_opens": True}, "registration_closes_at"),
        ({"address": ""}, "address"),
    ],
)
def test_bad_event_values_are_refused_on_their_field(changes, field):
    event = EventFactory.build(slug="x")
    if "capacity" in changes:
        event.capacity = changes["capacity"]
    if "ends_at_offset" in changes:
        event.ends_at = event.starts_at - timedelta(hours=1)
    if "closes_before_opens" in changes:
        event.registration_opens_at = event.starts_at - timedelta(days=2)
        event.registration_closes_at = event.starts_at - timedelta(days=3)
    if "address" in changes:
        event.address = ""
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert field in error.value.message_dict


def test_a_room_of_another_building_is_refused():
    event = EventFactory.build(slug="y", building=BuildingFactory(), office=OfficeFactory())
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "office" in error.value.message_dict


def test_staff_duplicate_an_event_as_a_draft_without_its_registrations(client):
    partner = CompanyFactory()
    event = EventFactory(title_fr="Meet-up Barcelone")
    event.partners.add(partner)
    RegistrationFactory(event=event)
    client.force_login(staff_member("Communication"))
    response = client.post(
        reverse("admin:cluster_event_changelist"),
        {"action": "duplicate_events", "_selected_action": [event.pk]},
        follow=True,
    )
    assert response.status_code == 200
    copy = Event.objects.exclude(pk=event.pk).get()
    assert copy.status == Event.Status.DRAFT
    assert copy.title_fr == "Meet-up Barcelone"
    assert list(copy.partners.all()) == [partner]
    assert copy.registrations.count() == 0


def test_the_registrants_export_neutralises_formulas(client):
    event = EventFactory(title_fr="Meet-up Barcelone")
    RegistrationFactory(event=event, name="=HYPERLINK(1)", email="lea@example.org")
    client.force_login(staff_member("Communication"))
    response = client.post(
        reverse("admin:cluster_event_changelist"),
        {"action": "export_registrations", "_selected_action": [event.pk]},
    )
    assert response["Content-Disposition"] == 'attachment; filename="registrations.csv"'
    header, row = list(csv.reader(io.StringIO(response.content.decode())))
    assert len(header) == 8
    assert row[:3] == ["Meet-up Barcelone", "'=HYPERLINK(1)", "lea@example.org"]


def test_a_role_without_event_permissions_cannot_see_the_events_admin(client):
    client.force_login(staff_member("Comptabilité"))
    assert client.get(reverse("admin:cluster_event_changelist")).status_code == 403
    assert client.get(reverse("admin:cluster_registration_changelist")).status_code == 403


def test_staff_create_an_event_in_the_admin_with_a_checked_image(client, png_bytes):
    client.force_login(staff_member("Communication"))
    starts = "2027-03-27 09:00:00"
    data = {
        "title_fr": "Atelier VR chez Vroom",
        "title_en": "",
        "slug": "atelier-vr",
        "description_fr": "Réalité virtuelle.",
        "description_en": "",
        "kind": "workshop",
        "audience": "public",
        "starts_at_0": "27/03/2027",
        "starts_at_1": "09:00",
        "ends_at_0": "27/03/2027",
        "ends_at_1": "12:00",
        "address": "Vroom, Perpignan",
        "capacity": "20",
        "fee_member": "0",
        "fee_non_member": "15.50",
        "status": "published",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
        "new_image": SimpleUploadedFile("vr.png", png_bytes, content_type="image/png"),
    }
    response = client.post(reverse("admin:cluster_event_add"), data)
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else starts
    )
    event = Event.objects.get(slug="atelier-vr")
    assert event.fee_non_member == Decimal("15.50")
    assert event.image.name.startswith("events/atelier-vr")
    assert event.history.count() == 1


def test_a_text_file_as_image_gets_a_form_error(client):
    client.force_login(staff_member("Communication"))
    response = client.post(
        reverse("admin:cluster_event_add"),
        {
            "title_fr": "X",
            "slug": "x",
            "description_fr": "x",
            "kind": "workshop",
            "audience": "public",
            "capacity": "0",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
            "new_image": SimpleUploadedFile("x.png", b"hello", content_type="image/png"),
        },
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "new_image" in errors and "capacity" in errors
    assert not Event.objects.exists()
