"""The demo agenda: a year of events with attendance, loaded once."""

import pytest

from cluster.demo_events import seed_events
from cluster.models import Event, Registration

pytestmark = pytest.mark.django_db


def test_the_demo_agenda_holds_the_articles_events_past_and_upcoming_and_loads_once():
    assert seed_events() == 10
    assert seed_events() == 0
    slugs = set(Event.objects.values_list("slug", flat=True))
    assert {
        "job-dating-idem",
        "meet-up-french-tech-barcelona",
        "atelier-vr-vroom",
        "portes-ouvertes-extension",
    } <= slugs
    assert Event.objects.past().exists() and Event.objects.upcoming().exists()
    assert Registration.objects.checked_in().filter(event__in=Event.objects.past()).exists()
    assert not Registration.objects.checked_in().filter(event__in=Event.objects.upcoming()).exists()
