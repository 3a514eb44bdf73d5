"""Deposits: recorded on the lease, returned once it has ended, in full or in part."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from startups.services.deposits import deposit_return
from tests.cluster.staff import staff_member

from .factories import LeaseFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def ended():
    return LeaseFactory(
        start=date(2025, 1, 1),
        end=date(2026, 7, 1),
        deposit=D("1200.00"),
        deposit_received_on=date(2025, 1, 1),
    )


def test_the_deposit_is_returned_in_full_after_the_end(ended):
    deposit_return(lease=ended, returned_on=date(2026, 7, 15), amount=D("1200.00"))
    ended.refresh_from_db()
    assert (ended.deposit_returned_on, ended.deposit_returned) == (
        date(2026, 7, 15),
        D("1200.00"),
    )
    assert ended.history.first().history_change_reason == "Dépôt de garantie restitué"


def test_keeping_part_of_it_needs_a_reason(ended):
    with pytest.raises(ValidationError) as error:
        deposit_return(lease=ended, returned_on=date(2026, 7, 15), amount=D("900.00"))
    assert "reason" in error.value.message_dict
    ended.refresh_from_db()
    assert ended.deposit_returned_on is None
    deposit_return(
        lease=ended, returned_on=date(2026, 7, 15), amount=D("900.00"), reason="Moquette"
    )
    ended.refresh_from_db()
    assert ended.deposit_retained_reason == "Moquette"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"end": None}, "returned_on"),
        ({"end": date(2026, 8, 1)}, "returned_on"),
        ({"deposit_received_on": None}, "returned_on"),
        ({"deposit_returned_on": date(2026, 7, 2)}, "returned_on"),
    ],
)
def test_a_deposit_is_returned_only_once_and_after_the_end(ended, change, field):
    for name, value in change.items():
        setattr(ended, name, value)
    ended.save()
    with pytest.raises(ValidationError) as error:
        deposit_return(lease=ended, returned_on=date(2026, 7, 15), amount=D("1200.00"))
    assert field in error.value.message_dict


def test_more_than_the_deposit_is_refused(ended):
    with pytest.raises(ValidationError) as error:
        deposit_return(lease=ended, returned_on=date(2026, 7, 15), amount=D("1500.00"))
    assert "amount" in error.value.message_dict


def test_staff_return_it_from_the_lease_page_with_errors_on_the_form(ended, admin_client):
    page = admin_client.get(reverse("admin:startups_lease_change", args=[ended.pk]))
    url = reverse("admin:startups_lease_deposit_return", args=[ended.pk])
    assert url in page.text
    refused = admin_client.post(url, {"returned_on": "2026-07-15", "amount": "1000.00"})
    assert refused.status_code == 200 and "errorlist" in refused.text
    done = admin_client.post(url, {"returned_on": "2026-07-15", "amount": "1200.00"})
    assert done.status_code == 302
    ended.refresh_from_db()
    assert ended.deposit_returned == D("1200.00")


def test_school_staff_may_not_return_a_deposit(ended, client):
    client.force_login(staff_member("École"))
    url = reverse("admin:startups_lease_deposit_return", args=[ended.pk])
    response = client.post(url, {"returned_on": "2026-07-15", "amount": "1200.00"})
    assert response.status_code == 403
    ended.refresh_from_db()
    assert ended.deposit_returned_on is None
