"""The staff dashboard: every figure against a value computed by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cluster import dashboard
from cluster.models import Placement, Programme, Student
from members import dues
from members.models import Membership
from startups.models import Building, Incubation, KpiSnapshot, Lease, Office
from startups.models import Programme as IncubationProgramme
from tests.members.factories import CompanyFactory, MembershipPlanFactory

pytestmark = pytest.mark.django_db


def figure(key, year):
    return next(f for f in dashboard.dashboard(year) if f.key == key)


def values(key, year):
    return [row[1] for row in figure(key, year).rows]


def membership(company, plan, year, status):
    member = dues.membership_create(company=company, plan=plan, start=date(year, 1, 1))
    member.status = status
    member.save()
    return member


def test_members_renewals_new_lapses_and_attrition_across_years(settings):
    settings.CITE_MEMBERSHIP_YEAR_START_MONTH = 1
    plan = MembershipPlanFactory()
    a, b, c, d, e = (CompanyFactory() for _ in range(5))
    # 2025: a, b, c and d are members. 2026: a and b renew, c lapses mid-year (its 2026
    # invoice went unpaid), d does not come back, e joins.
    for company in (a, b, c, d):
        membership(company, plan, 2025, Membership.Status.ACTIVE)
    membership(a, plan, 2026, Membership.Status.ACTIVE)
    membership(b, plan, 2026, Membership.Status.GRACE)
    membership(c, plan, 2026, Membership.Status.LAPSED)
    membership(e, plan, 2026, Membership.Status.ACTIVE)
    # active, new, lapsed, resigned, renewal %, attrition %
    assert values("members", 2026) == [3, 1, 1, 0, Decimal("50.0"), Decimal("50.0")]
    assert values("members", 2025) == [4, 4, 0, 0, None, None]
    assert figure("members-by-year", 2026).rows == [("2025", 4), ("2026", 3)]


def test_dues_expected_invoiced_collected_overdue():
    plan = MembershipPlanFactory(annual_fee=Decimal("300.00"))
    paid = dues.membership_create(
        company=CompanyFactory(), plan=plan, start=date(2026, 1, 1), prorate=False
    )
    unpaid = dues.membership_create(
        company=CompanyFactory(), plan=plan, start=date(2026, 1, 1), prorate=False
    )
    invoice = dues.invoice_issue(membership=paid, issue_date=date(2026, 1, 2))
    dues.invoice_issue(membership=unpaid, issue_date=date(2026, 1, 2))
    dues.payment_record(
        invoice=invoice, amount=Decimal("100.00"), date=date(2026, 2, 1), method="cheque"
    )
    assert values("dues", 2026) == [
        Decimal("600.00"),
        Decimal("600.00"),
        Decimal("100.00"),
        Decimal("500.00"),
    ]


def test_incubator_stages_entries_graduations_and_latest_kpis():
    stage = {
        value: IncubationProgramme.objects.create(name=value, stage=value)
        for value in ("pre", "incubation", "acceleration")
    }
    hosted = Incubation.objects.create(
        company=CompanyFactory(),
        programme=stage["incubation"],
        cohort="2026",
        start=date(2026, 2, 1),
        planned_end=date(2027, 2, 1),
    )
    Incubation.objects.create(
        company=CompanyFactory(),
        programme=stage["acceleration"],
        cohort="2024",
        start=date(2024, 1, 1),
        planned_end=date(2026, 6, 1),
        end=date(2026, 6, 1),
        outcome="graduated",
    )
    KpiSnapshot.objects.create(
        incubation=hosted,
        date=date(2026, 6, 30),
        headcount=3,
        revenue=0,
        funds_raised=Decimal("50000"),
        jobs_created=2,
    )
    KpiSnapshot.objects.create(
        incubation=hosted,
        date=date(2026, 9, 30),
        headcount=4,
        revenue=0,
        funds_raised=Decimal("80000"),
        jobs_created=3,
    )
    KpiSnapshot.objects.create(
        incubation=hosted,
        date=date(2027, 3, 1),
        headcount=9,
        revenue=0,
        funds_raised=Decimal("999999"),
        jobs_created=9,
    )
    assert values("incubator", 2026) == [1, 1, Decimal("80000"), 3]
    by_stage = dict(figure("startups-by-stage", 2025).rows)
    assert list(by_stage.values()) == [0, 0, 1, 0]  # the accelerated one, hosted end 2025


def test_occupancy_includes_the_extension_arriving_mid_range():
    building = Building.objects.create(name="A")
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    old = Office.objects.create(
        building=building,
        code="A1",
        area=Decimal("100"),
        desks=4,
        list_rent=Decimal("1000"),
        delivery_date=date(2015, 1, 1),
    )
    extension_day = date(
        first_of_month.year + (first_of_month.month // 12), first_of_month.month % 12 + 1, 1
    )  # next month
    Office.objects.create(
        building=building,
        code="E1",
        area=Decimal("100"),
        desks=4,
        list_rent=Decimal("1000"),
        delivery_date=extension_day,
    )
    Lease.objects.create(
        office=old, company=CompanyFactory(), start=date(2015, 1, 1), monthly_rent=Decimal("1000")
    )
    rows = {row[0]: row for row in figure("occupancy", today.year).rows}
    this_month, next_month = first_of_month.strftime("%Y-%m"), extension_day.strftime("%Y-%m")
    assert rows[this_month][1:] == (Decimal("100.00"), Decimal("100.00"), Decimal("100.0"))
    assert rows[next_month][1:] == (Decimal("100.00"), Decimal("200.00"), Decimal("50.0"))


def test_a_placement_over_two_school_years_counts_in_both():
    programme = Programme.objects.create(
        title="Bachelor 3D", level="Bac+3", training_type="initial", duration_months=36
    )
    student = Student.objects.create(
        first_name="Léa", last_name="Roig", programme=programme, cohort_year=2025
    )
    company = CompanyFactory(trade_name="Vroom")
    Placement.objects.create(
        student=student,
        company=company,
        kind="work_study",
        start=date(2026, 6, 1),
        end=date(2026, 11, 1),
        tutor="M. Puig",
    )
    for year in (2025, 2026):
        assert figure("placements-by-company", year).rows == [("Vroom", 1)]
        assert figure("placements-by-programme", year).rows == [("Bachelor 3D", 1)]
    assert figure("placements-by-company", 2027).rows == []
    assert values("students", 2026) == [1, 0, 0]


def test_the_dashboard_costs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    plan = MembershipPlanFactory()
    for _ in range(3):
        membership(CompanyFactory(), plan, 2026, Membership.Status.ACTIVE)
    with django_assert_max_num_queries(24) as few:
        admin_client.get(reverse("staff-dashboard"), {"year": 2026})
    for _ in range(20):
        membership(CompanyFactory(), plan, 2026, Membership.Status.ACTIVE)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = admin_client.get(reverse("staff-dashboard"), {"year": 2026})
    assert response.status_code == 200
    assert response.text.count("<svg") >= 8


def test_staff_switch_the_year_and_download_a_figure_as_csv(admin_client):
    plan = MembershipPlanFactory()
    membership(CompanyFactory(), plan, 2025, Membership.Status.ACTIVE)
    page = admin_client.get(reverse("staff-dashboard"), {"year": "2025"})
    assert page.context["year"] == 2025
    csv = admin_client.get(reverse("staff-dashboard-csv"), {"year": 2025, "figure": "members"})
    assert csv["Content-Type"].startswith("text/csv")
    assert csv.content.decode().splitlines()[1].endswith(",1")
    assert admin_client.get(reverse("staff-dashboard-csv"), {"figure": "nope"}).status_code == 404
    assert admin_client.get(reverse("staff-dashboard"), {"year": "abc"}).status_code == 404
    report = admin_client.get(reverse("annual-report", args=[2025]))
    assert report.status_code == 200 and "2025" in report.text


def test_the_dashboard_needs_staff_and_the_dedicated_permission(client, django_user_model):
    url = reverse("staff-dashboard")
    assert client.get(url).status_code == 302
    clerk = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    assert client.get(url).status_code == 403
    assert client.get(reverse("annual-report", args=[2026])).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_dashboard"))
    assert client.get(url).status_code == 200
