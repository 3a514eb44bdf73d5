"""Leases that never overlap, incubations and their rules, and the directory's kinds."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from startups import services
from startups.admin import LeaseForm
from startups.models import Building, Incubation, Lease, Office, Programme
from tests.concurrency import run_concurrently
from tests.members.factories import CompanyFactory, RepresentativeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    building = Building.objects.create(name="Bâtiment A")
    return Office.objects.create(
        building=building,
        code="A101",
        area=Decimal("40.00"),
        desks=4,
        list_rent=Decimal("460.00"),
        delivery_date=date(2020, 1, 1),
    )


@pytest.fixture
def programme():
    return Programme.objects.create(name="Incubation", stage=Programme.Stage.INCUBATION)


def let(office, start, end=None, company=None):
    return services.lease_create(
        office=office, company=company or CompanyFactory(), start=start, end=end
    )


def test_an_office_is_let_at_its_list_rent_by_default(office):
    lease = let(office, date(2026, 1, 1), date(2026, 7, 1))
    assert lease.monthly_rent == Decimal("460.00")


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (date(2026, 3, 1), date(2026, 4, 1)),  # inside
        (date(2025, 12, 1), date(2026, 2, 1)),  # across the start
        (date(2026, 6, 30), None),  # open-ended, from the last day
        (date(2025, 1, 1), None),  # open-ended, from before
    ],
)
def test_an_overlapping_lease_is_refused_with_a_clear_message(office, start, end):
    first = let(office, date(2026, 1, 1), date(2026, 7, 1))
    with translation.override("en"):
        with pytest.raises(ValidationError) as error:
            let(office, start, end)
        # The clash, with its last day included (the lease ends before 1 July).
        assert error.value.messages == [
            f"This office is already let during part of this period: {first}, "
            f"from {date_format(date(2026, 1, 1))} to {date_format(date(2026, 6, 30))}."
        ]
    assert Lease.objects.count() == 1


def test_a_lease_may_start_on_the_day_the_previous_one_ends(office):
    """Periods are [start, end): a lease "to 30 June" ends on 1 July, free from that day."""
    let(office, date(2026, 1, 1), date(2026, 7, 1))
    let(office, date(2026, 7, 1), None)
    assert Lease.objects.count() == 2


def test_a_model_form_shows_the_overlap_constraint_as_a_form_error(office):
    """Django validates the exclusion constraint: no hand-written check is needed."""
    first = let(office, date(2026, 1, 1), date(2026, 7, 1))
    form = LeaseForm(
        data={
            "office": office.pk,
            "company": CompanyFactory().pk,
            "start": "2026-06-30",
            "end": "",
            "monthly_rent": "400.00",
            "notice_months": 1,
            "deposit": "0.00",
            "contract": Lease.Contract.PRECARIOUS,
        }
    )
    with translation.override("fr"):
        assert not form.is_valid()
        assert form.non_field_errors() == [
            f"Ce bureau est déjà loué pendant une partie de cette période : {first}, "
            "du 1er janvier 2026 au 30 juin 2026."
        ]
    assert Lease.objects.count() == 1


def test_incubations_of_one_company_cannot_overlap(programme):
    company = CompanyFactory()
    Incubation.objects.create(
        company=company,
        programme=programme,
        cohort="2025-A",
        start=date(2025, 1, 1),
        planned_end=date(2027, 1, 1),
    )
    second = Incubation(
        company=company,
        programme=programme,
        cohort="2026-A",
        start=date(2026, 1, 1),
        planned_end=date(2028, 1, 1),
    )
    with pytest.raises(ValidationError, match="déjà incubée pendant une partie de cette période"):
        second.full_clean()


def test_back_to_back_leases_do_not_overlap(office):
    let(office, date(2026, 1, 1), date(2026, 7, 1))
    let(office, date(2026, 7, 1), None)
    assert Lease.objects.count() == 2


def test_an_open_ended_lease_blocks_everything_after_it(office):
    let(office, date(2026, 1, 1))
    with pytest.raises(ValidationError):
        let(office, date(2030, 1, 1), date(2030, 2, 1))
    let(office, date(2025, 1, 1), date(2026, 1, 1))  # before it is fine


def test_a_lease_cannot_start_before_the_office_is_delivered(office):
    office.delivery_date = date(2026, 12, 1)
    office.save()
    with pytest.raises(ValidationError) as error:
        let(office, date(2026, 11, 1))
    assert "1er décembre 2026" in error.value.message_dict["start"][0]
    let(office, date(2026, 12, 1))


def test_a_lease_must_end_after_it_starts(office):
    with pytest.raises(ValidationError) as error:
        let(office, date(2026, 5, 1), date(2026, 4, 1))
    assert "end" in error.value.message_dict


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_bookings_of_one_office_end_with_exactly_one_lease(office):
    companies = [CompanyFactory() for _ in range(20)]

    won, refused = run_concurrently(
        lambda company, offset: services.lease_create(
            office=office,
            company=company,
            start=date(2026, 3, 1) + timedelta(days=offset),
            end=date(2026, 9, 1),
        ),
        [(company, offset) for offset, company in enumerate(companies)],
    )

    assert len(won) == 1 and len(refused) == 19
    assert Lease.objects.count() == 1
    # Each loser is told who won, whether its check or the database refused it.
    assert all(isinstance(error, ValidationError) for error in refused), refused
    assert all(str(won[0]) in error.messages[0] for error in refused)


def test_an_incubation_longer_than_the_maximum_needs_a_reason(programme, settings):
    settings.CITE_INCUBATION_MAX_MONTHS = 48
    incubation = Incubation(
        company=CompanyFactory(),
        programme=programme,
        cohort="2020",
        start=date(2020, 1, 1),
        planned_end=date(2024, 6, 1),
    )
    with pytest.raises(ValidationError) as error:
        incubation.full_clean()
    assert "override_reason" in error.value.message_dict
    incubation.override_reason = "Levée de fonds en cours."
    incubation.full_clean()


def test_an_exit_needs_an_outcome_and_an_outcome_an_exit(programme):
    incubation = Incubation(
        company=CompanyFactory(),
        programme=programme,
        cohort="2025",
        start=date(2025, 1, 1),
        planned_end=date(2026, 1, 1),
        end=date(2025, 9, 1),
    )
    with pytest.raises(ValidationError) as error:
        incubation.full_clean()
    assert "outcome" in error.value.message_dict
    incubation.end, incubation.outcome = None, Incubation.Outcome.GRADUATED
    with pytest.raises(ValidationError) as error:
        incubation.full_clean()
    assert "end" in error.value.message_dict


def test_the_directory_kind_filter_shows_startups_and_alumni(client, programme):
    today = timezone.localdate()
    hosted = CompanyFactory(trade_name="Vroom")
    alumnus = CompanyFactory(trade_name="Ancienne")
    stopped = CompanyFactory(trade_name="Arrêtée")
    Incubation.objects.create(
        company=hosted,
        programme=programme,
        cohort="A",
        start=today - timedelta(days=30),
        planned_end=today + timedelta(days=300),
    )
    for company, outcome in ((alumnus, "graduated"), (stopped, "stopped")):
        Incubation.objects.create(
            company=company,
            programme=programme,
            cohort="B",
            start=date(2020, 1, 1),
            planned_end=date(2022, 1, 1),
            end=date(2022, 1, 1),
            outcome=outcome,
        )
    api = reverse("members:api-company-list")
    assert [r["name"] for r in client.get(api, {"kind": "startup"}).json()["results"]] == ["Vroom"]
    assert [r["name"] for r in client.get(api, {"kind": "alumni"}).json()["results"]] == [
        "Ancienne"
    ]
    page = client.get(reverse("members:company-list"), {"kind": "alumni"})
    assert [c.trade_name for c in page.context["page_obj"]] == ["Ancienne"]


def test_staff_see_the_timeline_rent_roll_and_leases_ending_soon(admin_client, office, programme):
    company = CompanyFactory(trade_name="Vroom")
    today = timezone.localdate()
    Incubation.objects.create(
        company=company,
        programme=programme,
        cohort="2026",
        start=today - timedelta(days=10),
        planned_end=today + timedelta(days=300),
    )
    let(office, today - timedelta(days=10), today + timedelta(days=30), company=company)
    timeline = admin_client.get(reverse("admin:startups_incubation_timeline", args=[company.pk]))
    assert timeline.status_code == 200
    assert "A101" in timeline.text
    roll = admin_client.get(reverse("admin:startups_lease_rent_roll")).content.decode()
    assert "A101" in roll and "460.00" in roll
    ending = admin_client.get(reverse("admin:startups_lease_changelist"), {"ending": "90"})
    assert list(ending.context["cl"].result_list)[0].company == company
    for model in ("programme", "incubation", "kpisnapshot", "milestone", "building", "office"):
        assert admin_client.get(reverse(f"admin:startups_{model}_changelist")).status_code == 200


def test_a_representative_enters_kpis(client, programme):
    rep = RepresentativeFactory()
    Incubation.objects.create(
        company=rep.company,
        programme=programme,
        cohort="2026",
        start=date(2026, 1, 1),
        planned_end=date(2027, 1, 1),
    )
    client.force_login(rep.user)
    url = reverse("startups:my-kpis", args=[rep.company.slug])
    data = {
        "date": "2026-06-30",
        "headcount": 5,
        "revenue": "12000",
        "funds_raised": "50000",
        "jobs_created": 2,
    }
    assert client.post(url, data).status_code == 302
    assert rep.company.incubations.get().kpis.get().entered_by == rep.user
