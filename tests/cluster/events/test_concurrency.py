"""Seats under load, on PostgreSQL with real transactions and threads."""

import pytest

from cluster.models import Registration
from cluster.services import events as services
from tests.cluster.factories import EventFactory, RegistrationFactory
from tests.concurrency import run_concurrently

pytestmark = pytest.mark.django_db(transaction=True)


def test_fifty_simultaneous_registrations_for_the_last_ten_seats():
    event = EventFactory(capacity=30)
    for _ in range(20):
        RegistrationFactory(event=event)

    def register(n):
        return services.registration_create(
            event=event, name=f"Visiteur {n}", email=f"v{n}@example.org"
        ).status

    results, errors = run_concurrently(register, [(n,) for n in range(50)])
    assert errors == []
    assert sorted(results).count("confirmed") == 10
    assert sorted(results).count("waiting") == 40
    assert Registration.objects.confirmed().for_event(event).count() == 30
    assert Registration.objects.waiting().filter(event=event).count() == 40


def test_two_simultaneous_cancellations_promote_two_distinct_people():
    event = EventFactory(capacity=2)
    seated = [RegistrationFactory(event=event) for _ in range(2)]
    waiting = [RegistrationFactory(event=event, status="waiting") for _ in range(3)]

    def cancel(registration):
        return services.registration_cancel(registration=registration)

    results, errors = run_concurrently(cancel, [(r,) for r in seated])
    assert errors == []
    promoted = {r.pk for r in results}
    assert promoted == {waiting[0].pk, waiting[1].pk}
    assert Registration.objects.confirmed().for_event(event).count() == 2
    assert list(Registration.objects.waiting().filter(event=event)) == [waiting[2]]
