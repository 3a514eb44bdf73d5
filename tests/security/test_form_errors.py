"""Bad input answers a form error, never a 500: a date entered twice where one per day is
allowed, a unique pair taken, a date beyond the years people mean (9999-12-31)."""

from datetime import date, timedelta

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from members.fields import validate_date_range
from members.models import Offer
from startups.models import Building, Incubation, KpiSnapshot, Office, Programme
from tests.concurrency import run_concurrently
from tests.members.factories import RepresentativeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english_pages(client):
    """Ask for the English pages, so that assertions never depend on the French catalog."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


KPI = {"headcount": 5, "revenue": "12000", "funds_raised": "50000", "jobs_created": 2}
TWICE = "Figures for this date are entered already"
RANGE = "between the years 1900 and 2199"


@pytest.fixture
def start_up():
    representative = RepresentativeFactory()
    programme, _created = Programme.objects.get_or_create(
        name="Incubation", defaults={"stage": Programme.Stage.INCUBATION}
    )
    Incubation.objects.create(
        company=representative.company,
        programme=programme,
        cohort="2026",
        start=date(2026, 1, 1),
        planned_end=date(2027, 1, 1),
    )
    return representative


def test_a_kpi_date_entered_twice_is_a_form_error(client, start_up):
    client.force_login(start_up.user)
    url = reverse("startups:my-kpis", args=[start_up.company.slug])
    assert client.post(url, {"date": "2026-06-30", **KPI}).status_code == 302
    response = client.post(url, {"date": "2026-06-30", **KPI, "headcount": 6})
    assert response.status_code == 200
    assert TWICE in " ".join(response.context["form"].non_field_errors())
    assert KpiSnapshot.objects.get().headcount == 5


@pytest.mark.django_db(transaction=True)
def test_the_same_kpi_date_sent_twice_at_once_gives_one_save_and_one_form_error(start_up):
    url = reverse("startups:my-kpis", args=[start_up.company.slug])

    def post(_n):
        client = Client()
        client.force_login(start_up.user)
        return client.post(url, {"date": "2026-06-30", **KPI}).status_code

    results, errors = run_concurrently(post, [(1,), (2,)])
    assert errors == []
    assert sorted(results) == [200, 302]
    assert KpiSnapshot.objects.count() == 1


@pytest.fixture
def staff_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_the_admin_refuses_a_kpi_date_entered_twice_with_a_message(staff_client, start_up):
    incubation = start_up.company.incubations.get()
    KpiSnapshot.objects.create(incubation=incubation, date=date(2026, 6, 30), **KPI)
    response = staff_client.post(
        reverse("admin:startups_kpisnapshot_add"),
        {"incubation": incubation.pk, "date": "2026-06-30", **KPI},
    )
    assert response.status_code == 200
    assert TWICE in str(response.context["adminform"].form.errors)
    assert KpiSnapshot.objects.count() == 1


def test_the_admin_refuses_an_office_code_taken_in_its_building(staff_client):
    building = Building.objects.create(name="Bâtiment A")
    Office.objects.create(
        building=building,
        code="A-101",
        kind="office",
        area=12,
        desks=2,
        list_rent="300.00",
        delivery_date=date(2020, 1, 1),
    )
    response = staff_client.post(
        reverse("admin:startups_office_add"),
        {
            "building": building.pk,
            "code": "A-101",
            "floor": 1,
            "kind": "office",
            "area": 10,
            "desks": 1,
            "list_rent": "300",
            "delivery_date": "2020-01-01",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert Office.objects.count() == 1


# --- Dates beyond the years people mean ------------------------------------------------------


@pytest.mark.parametrize("day", [date(9999, 12, 31), date(1899, 12, 31), date(2200, 1, 1)])
def test_the_one_validator_refuses_dates_out_of_range(day):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        validate_date_range(day)
    assert caught.value.code == "date_range"


def test_an_offer_starting_on_9999_12_31_is_a_form_error(client):
    from tests.members.test_offers import offer_data

    representative = RepresentativeFactory()
    client.force_login(representative.user)
    url = reverse("members:my-offer-add", args=[representative.company.slug])
    response = client.post(url, offer_data(start_date="9999-12-31", expires_on="9999-12-31"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert RANGE in " ".join(errors["start_date"]) and RANGE in " ".join(errors["expires_on"])
    assert not Offer.objects.exists()


def test_an_offer_in_2199_is_still_accepted(client):
    from tests.members.test_offers import offer_data

    representative = RepresentativeFactory()
    client.force_login(representative.user)
    url = reverse("members:my-offer-add", args=[representative.company.slug])
    response = client.post(
        url, offer_data(start_date="2199-06-01", expires_on=str(date.today() + timedelta(10)))
    )
    assert response.status_code == 302
    assert Offer.objects.get().start_date == date(2199, 6, 1)


def date_fields(form):
    return [
        name
        for name, field in form.fields.items()
        if field.__class__.__name__.endswith(("DateField", "DateFormField"))
    ]


def test_every_date_field_of_every_admin_add_form_refuses_9999(staff_client):
    """Walk every registered ModelAdmin's add form: every date it asks for refuses
    9999-12-31 with the range message, and no form answers a 500."""
    checked = []
    for model in admin.site._registry:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        page = staff_client.get(url)
        if page.status_code != 200 or "adminform" not in (page.context or {}):
            continue
        names = date_fields(page.context["adminform"].form)
        if not names:
            continue
        response = staff_client.post(url, dict.fromkeys(names, "9999-12-31"))
        assert response.status_code == 200, (url, response.status_code)
        errors = response.context["adminform"].form.errors
        for name in names:
            assert RANGE in " ".join(errors.get(name, [])), (url, name, errors.get(name))
        checked.append(f"{opts.label}.{'/'.join(names)}")
    # The walk reached the date fields it is meant for (it would pass on an empty site).
    assert {"startups.Lease", "members.Membership", "startups.KpiSnapshot"} <= {
        entry.split(".")[0] + "." + entry.split(".")[1] for entry in checked
    }, checked


def test_a_student_email_differing_only_in_case_is_refused():
    from django.core.exceptions import ValidationError

    from tests.cluster.factories import StudentFactory

    first = StudentFactory(email="lea@ecole.example")
    second = StudentFactory.build(email="Lea@Ecole.example", programme=first.programme)
    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert "Another student already has this email address." in caught.value.message_dict["email"]
    first.full_clean()  # the student itself is not its own duplicate
